"""Guide notes for the digibuddy and DigComp 2.2 tags: optional, checked, kept by the index."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kiosk.core.catalog import Catalog
from kiosk.core.lessons import DIGCOMP, LessonLoader
from kiosk.core.paths import bundled

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600">'
       '<rect id="knop" x="100" y="100" width="200" height="100"/></svg>')


def lesson(folder: Path, extra: str = "", lesson_id: str = "proef") -> Path:
    folder = folder / lesson_id
    folder.mkdir(parents=True)
    (folder / "scherm.svg").write_text(SVG, encoding="utf-8")
    (folder / "lesson.toml").write_text(f'''format = 1
id = "{lesson_id}"
title = "Proef"
topic = "basis"
{extra}

[[step]]
kind = "tap"
text = "Tik op de knop."
image = "scherm.svg"
target = "knop"
''', encoding="utf-8")
    return folder


def test_digcomp_knows_the_21_competences_of_digcomp_2_2() -> None:
    assert len(DIGCOMP) == 21
    assert DIGCOMP[:3] == ("1.1", "1.2", "1.3") and "2.6" in DIGCOMP and "3.4" in DIGCOMP
    assert DIGCOMP[-1] == "5.4" and "2.7" not in DIGCOMP and "4.5" not in DIGCOMP


def test_a_v1_lesson_without_the_new_keys_stays_valid(tmp_path: Path) -> None:
    result = LessonLoader().check(lesson(tmp_path))
    assert result.ok, result.errors
    assert result.lesson.guide == "" and result.lesson.digcomp == ()
    assert result.as_json()["digcomp"] == [] and result.as_json()["guide"] == ""


def test_guide_and_tags_are_read(tmp_path: Path) -> None:
    folder = lesson(tmp_path, 'guide = "  Let op de pincode.  "\ndigcomp = ["4.2", "2.1"]')
    loaded = LessonLoader().load(folder)
    assert loaded.guide == "Let op de pincode."
    assert loaded.digcomp == ("4.2", "2.1")


@pytest.mark.parametrize(("value", "expected"), [
    ('["2.7"]', "'digcomp' names '2.7', but area 2 of DigComp 2.2 has only 2.1, 2.2, 2.3, 2.4, "
                "2.5, 2.6"),
    ('["6.1"]', "'digcomp' names '6.1', which is not a DigComp 2.2 competence number"),
    ('["4.2", "4.2"]', "'digcomp' names '4.2' twice"),
    ('["1,1"]', "'digcomp' names '1,1', which is not a DigComp 2.2 competence number"),
    ('"1.1"', "'digcomp' must be a list of DigComp 2.2 competence numbers"),
    ('[1.1]', "'digcomp' must be a list of DigComp 2.2 competence numbers"),
])
def test_a_bad_tag_is_one_line_naming_the_key(tmp_path: Path, value: str, expected: str) -> None:
    result = LessonLoader().check(lesson(tmp_path, f"digcomp = {value}"))
    assert not result.ok
    assert len(result.errors) == 1
    assert result.errors[0].startswith("lesson.toml: " + expected)


def test_a_guide_must_be_short_text(tmp_path: Path) -> None:
    result = LessonLoader().check(lesson(tmp_path, f'guide = "{"a" * 601}"'))
    assert result.errors == ["lesson.toml: 'guide' has 601 characters; at most 600 fit"]
    result = LessonLoader().check(lesson(tmp_path / "b", "guide = 3"))
    assert result.errors == ["lesson.toml: 'guide' must be text in quotes, not a whole number"]


def test_every_bundled_lesson_has_a_guide_and_tags() -> None:
    catalog = Catalog.load([bundled("lessons")])
    assert len(catalog.lessons) >= 18 and not catalog.broken
    for found in catalog.lessons:
        assert 80 <= len(found.guide) <= 600, found.id
        assert found.digcomp and set(found.digcomp) <= set(DIGCOMP), found.id


def test_the_index_keeps_guide_and_tags(tmp_path: Path) -> None:
    library = tmp_path / "library"
    lesson(library, 'guide = "Kijk mee."\ndigcomp = ["1.1"]')
    index = tmp_path / "cache" / "index.json"
    Catalog.load([library], index)
    again = Catalog.load([library], index).get("proef")
    assert again is not None and again.guide == "Kijk mee." and again.digcomp == ("1.1",)
    assert json.loads(index.read_text(encoding="utf-8"))["lessons"]  # it came from the index


def test_lessons_check_json_shows_the_tags(tmp_path: Path) -> None:
    folder = lesson(tmp_path, 'guide = "Kijk mee."\ndigcomp = ["2.1", "4.2"]')
    bad = lesson(tmp_path, 'digcomp = ["9.9"]', lesson_id="kapot")
    done = subprocess.run([sys.executable, "-m", "kiosk", "lessons", "check", "--json",
                           str(folder), str(bad)], capture_output=True, text=True, timeout=60)
    found = {entry["id"]: entry for entry in json.loads(done.stdout)["lessons"]}
    assert found["proef"]["digcomp"] == ["2.1", "4.2"] and found["proef"]["guide"] == "Kijk mee."
    assert found["kapot"]["ok"] is False
    assert any("'digcomp' names '9.9'" in line for line in found["kapot"]["errors"])
    plain = subprocess.run([sys.executable, "-m", "kiosk", "lessons", "check", str(bad)],
                           capture_output=True, text=True, timeout=60)
    assert plain.returncode != 0 and "Traceback" not in plain.stderr
    assert "✗ kapot" in plain.stdout and "'digcomp' names '9.9'" in plain.stdout
