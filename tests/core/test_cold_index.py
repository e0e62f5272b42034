"""The first start with an empty index reads only each lesson's header; steps wait until opened."""

from __future__ import annotations

import shutil
from dataclasses import replace
from pathlib import Path

import pytest

from kiosk.core.catalog import Catalog
from kiosk.core.lessons import LazySteps, LessonLoader
from kiosk.core.paths import bundled


def copy_lesson(tmp_path: Path, lesson_id: str = "tikken") -> Path:
    library = tmp_path / "lessons"
    shutil.copytree(bundled("lessons") / lesson_id, library / lesson_id)
    return library


def test_the_header_check_agrees_with_the_full_check_for_every_bundled_lesson() -> None:
    loader = LessonLoader()
    for folder in sorted(p for p in bundled("lessons").iterdir() if (p / "lesson.toml").is_file()):
        full = loader.check(folder)
        header = loader.check_header(folder)
        assert header is not None and header.lesson is not None, folder.name
        assert header.step_count == len(full.lesson.steps)
        assert header.lesson == replace(full.lesson, steps=())
        assert header.warnings == full.warnings


def test_a_cold_start_reads_no_step_and_no_step_picture(tmp_path: Path) -> None:
    library = copy_lesson(tmp_path)
    (library / "tikken" / "knop.svg").write_text("<svg", encoding="utf-8")  # a step's picture
    catalog = Catalog.load([library], tmp_path / "index.json")
    lesson = catalog.get("tikken")
    assert lesson is not None and isinstance(lesson.steps, LazySteps)
    assert len(lesson.steps) == 8 and repr(lesson.steps) == "LazySteps(8, loaded=False)"
    # Opening it checks it in full: the broken picture is named, the lesson left out.
    assert catalog.open("tikken") is None
    assert [b.lesson_id for b in catalog.broken] == ["tikken"]
    assert any("knop.svg" in line for line in catalog.broken[0].errors)
    # The next start knows it is broken at once.
    again = Catalog.load([library], tmp_path / "index.json")
    assert again.get("tikken") is None and [b.lesson_id for b in again.broken] == ["tikken"]


def test_an_opened_lesson_has_the_steps_of_a_full_check(tmp_path: Path) -> None:
    library = copy_lesson(tmp_path)
    catalog = Catalog.load([library], tmp_path / "index.json")
    opened = catalog.open("tikken")
    assert opened is not None
    assert tuple(opened.steps) == tuple(LessonLoader().load(library / "tikken").steps)
    warm = Catalog.load([library], tmp_path / "index.json").open("tikken")
    assert warm is not None and tuple(warm.steps) == tuple(opened.steps)


@pytest.mark.parametrize(("change", "expected"), [
    (('title = "Tikken en scrollen"', 'title = 3'), "'title' must be text"),
    (('topic = "basis"', 'topc = "basis"'), "unknown key 'topc'"),
    (('icon = "icon.svg"', 'icon = "weg.svg"'), "'icon' 'weg.svg' does not exist"),
    (("[[step]]", "[[stap]]"), "unknown key 'stap'"),
])
def test_a_header_problem_is_named_at_start(tmp_path: Path, change: tuple[str, str],
                                            expected: str) -> None:
    library = copy_lesson(tmp_path)
    toml = library / "tikken" / "lesson.toml"
    toml.write_text(toml.read_text(encoding="utf-8").replace(*change), encoding="utf-8")
    catalog = Catalog.load([library], tmp_path / "index.json")
    assert catalog.get("tikken") is None
    assert any(expected in line for line in catalog.broken[0].errors), catalog.broken[0].errors


def test_a_header_the_quick_read_cannot_tell_gets_the_full_check(tmp_path: Path) -> None:
    library = copy_lesson(tmp_path)
    toml = library / "tikken" / "lesson.toml"
    text = toml.read_text(encoding="utf-8").replace("\n", "\r\n")  # Windows line ends
    toml.write_text(text.replace('guide = """', 'guide = """\r\n[[step]] in a note\r\n'),
                    encoding="utf-8", newline="")
    assert LessonLoader().check_header(library / "tikken") is None
    lesson = Catalog.load([library], tmp_path / "index.json").get("tikken")
    assert lesson is not None and lesson.guide.startswith("[[step]] in a note")
    assert len(lesson.steps) == 8
