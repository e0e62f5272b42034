"""The lesson index: unchanged lessons come from it, changed or broken ones are checked again."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from kiosk.core.catalog import Catalog
from kiosk.core.lessons import LazySteps
from kiosk.core.paths import bundled


def copy_library(tmp_path: Path) -> Path:
    library = tmp_path / "lessons"
    shutil.copytree(bundled("lessons"), library)
    return library


def test_index_gives_the_same_lessons_as_a_full_check(tmp_path: Path) -> None:
    library = copy_library(tmp_path)
    index = tmp_path / "index.json"
    checked = Catalog.load([library])
    first = Catalog.load([library], index)
    assert index.is_file()
    again = Catalog.load([library], index)
    assert [lesson for lesson in again.lessons] == checked.lessons == first.lessons


def test_a_changed_lesson_is_checked_again(tmp_path: Path) -> None:
    library = copy_library(tmp_path)
    index = tmp_path / "index.json"
    Catalog.load([library], index)
    toml = library / "tikken" / "lesson.toml"
    time.sleep(0.01)
    toml.write_text(toml.read_text(encoding="utf-8").replace(
        'title = "Tikken en scrollen"', 'title = "Tikken"'), encoding="utf-8")
    assert Catalog.load([library], index).get("tikken").title == "Tikken"
    toml.write_text(toml.read_text(encoding="utf-8").replace('format = 1', 'format = "x"'),
                    encoding="utf-8")
    broken = Catalog.load([library], index)
    assert broken.get("tikken") is None
    assert [b.lesson_id for b in broken.broken] == ["tikken"]


def test_a_damaged_index_is_ignored(tmp_path: Path) -> None:
    library = copy_library(tmp_path)
    index = tmp_path / "index.json"
    index.write_text("{not json", encoding="utf-8")
    assert len(Catalog.load([library], index).lessons) == len(Catalog.load([library]).lessons)


def test_from_the_index_only_the_list_is_read_at_start(tmp_path: Path) -> None:
    library = copy_library(tmp_path)
    index = tmp_path / "index.json"
    checked = Catalog.load([library])
    Catalog.load([library], index)
    again = Catalog.load([library], index)
    lesson = again.get("tikken")
    assert lesson is not None and isinstance(lesson.steps, LazySteps)
    assert repr(lesson.steps) == f"LazySteps({len(checked.get('tikken').steps)}, loaded=False)"
    opened = again.open("tikken")
    assert opened is lesson and tuple(opened.steps) == tuple(checked.get("tikken").steps)


def test_a_picture_changed_in_place_is_seen_when_the_lesson_opens(tmp_path: Path) -> None:
    library = copy_library(tmp_path)
    index = tmp_path / "index.json"
    Catalog.load([library], index)
    before = next(step for step in Catalog.load([library]).get("tikken").steps
                  if step.target_id == "groene-knop").target
    picture = library / "tikken" / "knop.svg"
    original = picture.read_text(encoding="utf-8")
    # Same lesson.toml; the button the tap step points at moves 100 units to the right.
    assert 'id="groene-knop"' in original
    picture.write_text(original.replace('id="groene-knop"',
                                        'id="groene-knop" transform="translate(100 0)"'),
                       encoding="utf-8")
    fresh = Catalog.load([library]).get("tikken")
    catalog = Catalog.load([library], index)
    lesson = catalog.open("tikken")
    assert lesson is not None
    tap = next(step for step in lesson.steps if step.target_id == "groene-knop")
    assert tap == next(step for step in fresh.steps if step.target_id == "groene-knop")
    assert tap.target is not None and before is not None and tap.target[0] == before[0] + 100

    picture.write_text("<svg", encoding="utf-8")  # now broken: left out when opened
    catalog = Catalog.load([library], index)
    assert catalog.get("tikken") is not None
    assert catalog.open("tikken") is None
    assert catalog.get("tikken") is None
    assert [b.lesson_id for b in catalog.broken] == ["tikken"]
    assert any("knop.svg" in error for error in catalog.broken[0].errors)
