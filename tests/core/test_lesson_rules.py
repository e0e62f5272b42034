"""Every rule of lesson format v1, each with a lesson that breaks it and the line an author reads."""

from __future__ import annotations

import os
import struct
import zlib
from pathlib import Path

import pytest

from kiosk.core.lessons import LessonLoader

SVG = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600" width="800" height="600">'
       '<rect id="knop" x="100" y="100" width="200" height="100"/>'
       '<rect id="vak" x="100" y="300" width="400" height="80"/></svg>')

BASE = '''format = 1
id = "proef"
title = "Proef"
topic = "basis"
level = 1
minutes = 5
icon = "scherm.svg"

[[step]]
text = "Kijk naar het scherm."
image = "scherm.svg"

[[step]]
kind = "tap"
text = "Tik op de knop."
image = "scherm.svg"
target = "knop"
hint = "De knop staat links."

[[step]]
kind = "type"
text = "Typ Anna."
image = "scherm.svg"
target = "vak"
answer = "Anna"

[[step]]
kind = "choose"
text = "Kies."
[[step.choice]]
text = "Ja"
correct = true
[[step.choice]]
text = "Nee"
why = "Nee is fout."
'''


def png(width: int, height: int) -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00\x00\x00\x00")) + chunk(b"IEND", b""))


@pytest.fixture
def lesson(tmp_path: Path) -> Path:
    folder = tmp_path / "proef"
    folder.mkdir()
    (folder / "scherm.svg").write_text(SVG, encoding="utf-8")
    (folder / "lesson.toml").write_text(BASE, encoding="utf-8")
    return folder


def check(folder: Path, toml: str | None = None, topics: set[str] | None = None):  # type: ignore[no-untyped-def]
    if toml is not None:
        (folder / "lesson.toml").write_text(toml, encoding="utf-8")
    return LessonLoader(known_topics=topics).check(folder)


def errors_of(folder: Path, toml: str) -> str:
    result = check(folder, toml)
    assert not result.ok, "the broken lesson was accepted"
    assert result.lesson is None
    return "\n".join(result.errors)


def test_the_base_lesson_is_valid(lesson: Path) -> None:
    result = check(lesson, topics={"basis"})
    assert result.ok, result.errors
    assert [s["kind"] for s in result.steps] == ["show", "tap", "type", "choose"]
    assert result.steps[1]["target"] == [100.0, 100.0, 200.0, 100.0]


REPLACEMENTS = [
    # (what is replaced, by what, words the error must contain)
    ('format = 1\n', '', "'format' is missing"),
    ('format = 1\n', 'format = "1"\n', "'format' must be a whole number"),
    ('format = 1\n', 'format = 2\n', "needs a newer version of the app"),
    ('format = 1\n', 'format = 0\n', "'format' must be 1"),
    ('id = "proef"\n', '', "'id' is missing"),
    ('id = "proef"\n', 'id = "Proef_1"\n', "must be 3–48 lowercase letters"),
    ('id = "proef"\n', 'id = "pr"\n', "must be 3–48 lowercase letters"),
    ('id = "proef"\n', 'id = "andere"\n', "but the folder is 'proef'"),
    ('title = "Proef"\n', '', "'title' is missing"),
    ('title = "Proef"\n', 'title = "  "\n', "'title' is empty"),
    ('title = "Proef"\n', 'title = "' + "x" * 61 + '"\n', "at most 60 fit"),
    ('title = "Proef"\n', 'title = 5\n', "'title' must be text in quotes, not a whole number"),
    ('title = "Proef"\n', 'title = "Proef"\nsumary = "x"\n', "unknown key 'sumary' — did you mean 'summary'?"),
    ('topic = "basis"\n', '', "'topic' is missing"),
    ('topic = "basis"\n', 'topic = "Basis Les"\n', "'topic' 'Basis Les' must be lowercase"),
    ('level = 1\n', 'level = 4\n', "'level' must be a whole number from 1 to 3"),
    ('minutes = 5\n', 'minutes = 0\n', "'minutes' must be a whole number from 1 to 120"),
    ('icon = "scherm.svg"\n', 'icon = "weg.svg"\n', "'icon' 'weg.svg' does not exist"),
    ('icon = "scherm.svg"\n', 'icon = "/etc/scherm.svg"\n', "not an absolute path"),
    ('icon = "scherm.svg"\n', 'icon = "../scherm.svg"\n', "may not use '..'"),
    ('icon = "scherm.svg"\n', 'icon = "sub\\\\scherm.svg"\n', "must use / between folders"),
    ('icon = "scherm.svg"\n', 'icon = "scherm.gif"\n', "must be one of .svg .png .jpg .jpeg"),
    ('icon = "scherm.svg"\n', 'icon = "C:/scherm.svg"\n', "not an absolute path"),
    ('level = 1\n', 'level = 1\nlanguage = "nederlands!"\n', "is not a language tag"),
    ('level = 1\n', 'level = 1\nrequires = "tikken"\n', "'requires' must be a list of lesson ids"),
    ('text = "Kijk naar het scherm."\n', 'txt = "Kijk."\n', "step 1: unknown key 'txt' — did you mean 'text'?"),
    ('text = "Kijk naar het scherm."\n', '', "step 1: 'text' is missing"),
    ('text = "Kijk naar het scherm."\n', 'text = ""\n', "step 1: 'text' is empty"),
    ('text = "Kijk naar het scherm."\n', 'text = "' + "x" * 201 + '"\n', "step 1: 'text' has 201 characters; at most 200"),
    ('text = "Kijk naar het scherm."\n', 'text = "Kijk."\nhint = "x"\n', "step 1: 'hint' is not used by show steps"),
    ('kind = "tap"\n', 'kind = "swipe"\n', "step 2: 'kind' must be one of show, tap, choose, type, not 'swipe'"),
    ('target = "knop"\n', '', "step 2: 'target' is missing"),
    ('target = "knop"\n', 'target = "send"\n', "step 2: target 'send' is not an element of scherm.svg; its ids are: knop, vak"),
    ('target = "knop"\n', 'target = "knoop"\n', "did you mean 'knop'?"),
    ('target = "knop"\n', 'target = [700, 500, 200, 200]\n', "step 2: target [700, 500, 200, 200] lies outside the picture"),
    ('target = "knop"\n', 'target = [10, 10, 0, 5]\n', "target width and height must be more than 0"),
    ('target = "knop"\n', 'target = [1, 2]\n', "'target' must be an element id (text) or [x, y, width, height]"),
    ('kind = "tap"\ntext = "Tik op de knop."\nimage = "scherm.svg"\n', 'kind = "tap"\ntext = "Tik op de knop."\n', "step 2: tap steps need an 'image'"),
    ('answer = "Anna"\n', '', "step 3: 'answer' is missing"),
    ('answer = "Anna"\n', 'answer = "Anna"\nmatch_case = "ja"\n', "step 3: 'match_case' must be true or false"),
    ('text = "Ja"\ncorrect = true\n', 'text = "Ja"\n', "step 4: no choice is marked correct = true"),
    ('text = "Ja"\ncorrect = true\n', 'txt = "Ja"\ncorrect = true\n', "step 4, choice 1: unknown key 'txt' — did you mean 'text'?"),
    ('text = "Ja"\ncorrect = true\n', 'text = "Ja"\ncorrect = "ja"\n', "step 4, choice 1: 'correct' must be true or false"),
    ('[[step.choice]]\ntext = "Nee"\n', '[[step.choice]]\nimage = "scherm.svg"\n', "step 4, choice 2: 'text' is missing"),
    ('text = "Kijk naar het scherm."\n', 'text = "Kijk."\naudio = "stem/{lang}.flac"\n', "'audio' 'stem/nl.flac' must be one of .ogg .wav .mp3"),
    ('text = "Kijk naar het scherm."\n', 'text = "Kijk."\naudio = "../stem.ogg"\n', "may not use '..'"),
    ('level = 1\n', 'level = 1\n[[step]\n', "TOML syntax error"),
]


@pytest.mark.parametrize("old,new,expected", REPLACEMENTS,
                         ids=[r[2][:40] for r in REPLACEMENTS])
def test_each_rule_is_enforced_with_a_clear_line(lesson: Path, old: str, new: str,
                                                 expected: str) -> None:
    assert old in BASE
    assert expected in errors_of(lesson, BASE.replace(old, new, 1))


def test_toml_syntax_error_gives_line_and_column(lesson: Path) -> None:
    text = errors_of(lesson, BASE.replace('level = 1\n', 'level = = 1\n'))
    assert "line 5" in text and "column" in text


def test_unknown_topic_is_a_warning_not_an_error(lesson: Path) -> None:
    result = check(lesson, topics={"internet"})
    assert result.ok
    assert any("topic 'basis' is not in topics.toml" in w for w in result.warnings)


def test_no_steps_and_too_many_steps(lesson: Path) -> None:
    head = BASE.split("[[step]]")[0]
    assert "there are no steps" in errors_of(lesson, head)
    many = head + '[[step]]\ntext = "Kijk."\n' * 41
    assert "a lesson has 1–40 steps, this one has 41" in errors_of(lesson, many)


def test_choices_count_two_to_five(lesson: Path) -> None:
    one = BASE.split('[[step.choice]]\ntext = "Nee"')[0]
    assert "choose steps need 2–5 choices, this one has 1" in errors_of(lesson, one)
    seven = BASE + '[[step.choice]]\ntext = "Ook"\n' * 5
    assert "this one has 7" in errors_of(lesson, seven)


def test_not_utf8_is_refused_with_the_line(lesson: Path) -> None:
    (lesson / "lesson.toml").write_bytes(BASE.encode("utf-8").replace(b"Proef", b"Pr\xe9ef", 1))
    result = check(lesson)
    assert not result.ok and "is not UTF-8 text (bad byte on line 3)" in result.errors[0]


def test_missing_lesson_file(lesson: Path) -> None:
    (lesson / "lesson.toml").unlink()
    assert "lesson.toml is missing" in check(lesson).errors[0]


def test_symlink_leaving_the_folder_is_refused(lesson: Path, tmp_path: Path) -> None:
    outside = tmp_path / "geheim.svg"
    outside.write_text(SVG, encoding="utf-8")
    os.symlink(outside, lesson / "link.svg")
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "link.svg"'))
    assert "points outside the lesson folder" in text


def test_element_id_target_on_a_raster_image_is_refused(lesson: Path) -> None:
    (lesson / "scherm.png").write_bytes(png(800, 600))
    text = errors_of(lesson, BASE.replace('image = "scherm.svg"\ntarget = "knop"',
                                          'image = "scherm.png"\ntarget = "knop"'))
    assert "is not an SVG; use [x, y, width, height] in pixels" in text


def test_raster_rectangle_target_is_in_pixels(lesson: Path) -> None:
    (lesson / "scherm.png").write_bytes(png(800, 600))
    result = check(lesson, BASE.replace('image = "scherm.svg"\ntarget = "knop"',
                                        'image = "scherm.png"\ntarget = [10, 20, 30, 40]'))
    assert result.ok, result.errors
    assert result.steps[1]["target"] == [10.0, 20.0, 30.0, 40.0]


def test_huge_images_are_refused_before_decoding(lesson: Path) -> None:
    (lesson / "groot.png").write_bytes(png(5000, 100))
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "groot.png"'))
    assert "is 5000×100 pixels; at most 4096×4096" in text
    (lesson / "zwaar.png").write_bytes(png(10, 10) + b"\x00" * (5 * 1024 * 1024))
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "zwaar.png"'))
    assert "is larger than 5 MB" in text


def test_image_that_is_not_what_it_claims_is_refused(lesson: Path) -> None:
    (lesson / "nep.png").write_bytes(b"GIF89a not a png")
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "nep.png"'))
    assert "nep.png" in text and "not a PNG or JPEG" in text


def test_svg_entities_are_refused(lesson: Path) -> None:
    (lesson / "bom.svg").write_text('<!DOCTYPE svg [<!ENTITY a "x">]>' + SVG, encoding="utf-8")
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "bom.svg"'))
    assert "declares XML entities" in text


def test_type_answers_are_trimmed_and_case_insensitive_unless_match_case(lesson: Path) -> None:
    result = check(lesson)
    step = result.lesson.steps[2]  # type: ignore[union-attr]
    assert step.accepts("  anna ") and not step.accepts("Ana")
    strict = check(lesson, BASE.replace('answer = "Anna"', 'answer = "Anna"\nmatch_case = true'))
    step = strict.lesson.steps[2]  # type: ignore[union-attr]
    assert step.accepts(" Anna") and not step.accepts("anna")


def test_a_file_name_too_long_for_the_disk_is_refused(lesson: Path) -> None:
    # Found by the P20 fuzzer: pathlib's is_file() raised instead of saying no.
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', f'icon = "{"x" * 5000}.svg"'))
    assert "cannot be read" in text


def test_a_nul_byte_in_a_file_name_is_refused(lesson: Path) -> None:
    # Found by the P20 fuzzer: pathlib raised ValueError on it.
    text = errors_of(lesson, BASE.replace('icon = "scherm.svg"', 'icon = "sch\\u0000erm.svg"'))
    assert "contains control characters" in text
