"""The lesson index: unchanged lessons come from it, changed or broken ones are checked again."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

from kiosk.core.catalog import Catalog
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
