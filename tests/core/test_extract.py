"""The Babel extractors find every lesson text and SVG label, with the lesson id as context."""

from __future__ import annotations

import io
from pathlib import Path

from babel.messages.extract import extract

from kiosk.core.extract import extract_lesson, extract_svg
from kiosk.core.paths import bundled


def messages(method, path: Path):  # type: ignore[no-untyped-def]
    with path.open("rb") as f:
        return list(extract(method, f))


def test_lesson_toml_messages_have_the_lesson_id_as_context() -> None:
    path = bundled("lessons") / "tikken" / "lesson.toml"
    found = messages(extract_lesson, path)
    contexts = {m[3] for m in found}
    texts = {m[1] for m in found}
    assert contexts == {"tikken"}
    assert {"Tikken en scrollen", "Tik op de groene knop.",
            "De groene knop is rond. Hij staat in het midden."} <= texts
    assert all(m[0] >= 1 for m in found)  # a line number for translators


def test_choice_texts_and_feedback_are_extracted(tmp_path: Path) -> None:
    folder = tmp_path / "kies"
    folder.mkdir()
    toml = folder / "lesson.toml"
    toml.write_text('format = 1\nid = "kies"\ntitle = "Kies"\ntopic = "basis"\n[[step]]\n'
                    'kind = "choose"\ntext = "Welke?"\n[[step.choice]]\ntext = "Deze"\n'
                    'correct = true\nwhy = "Juist."\n[[step.choice]]\ntext = "Die"\n',
                    encoding="utf-8")
    texts = {m[1] for m in messages(extract_lesson, toml)}
    assert texts == {"Kies", "Welke?", "Deze", "Juist.", "Die"}


def test_svg_text_elements_are_extracted() -> None:
    svg = io.BytesIO(b'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
                     b'<text x="1" y="1">Verzenden</text><text> </text></svg>')
    svg.name = "lessons/email/inbox.svg"  # type: ignore[attr-defined]
    found = list(extract(extract_svg, svg))
    assert [(m[1], m[3]) for m in found] == [("Verzenden", "email")]


def test_picture_labels_without_words_are_not_extracted() -> None:
    svg = io.BytesIO(
        '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">'
        '<text>7</text><text>@</text><text>A</text><text>€ 19 800</text><text>-90%</text>'
        '<text>16+</text><text>15 °C</text><text>BE00 1234 5678 9000</text>'
        '<text>verdacht@safeonweb.be</text><text>myminfin.be</text><text>www.super-pil-nu.biz</text>'
        '<text>Je krijgt € 312 terug</text><text>2 kinderen</text><text>eID</text>'
        '<text>Foto\'s</text></svg>'.encode())
    svg.name = "lessons/typen/toetsenbord.svg"  # type: ignore[attr-defined]
    found = [m[1] for m in extract(extract_svg, svg)]
    assert found == ["Je krijgt € 312 terug", "2 kinderen", "eID", "Foto's"]


def test_bundled_pictures_give_translators_words_only() -> None:
    found = []
    for path in sorted(bundled("lessons").rglob("*.svg")):
        found += [m[1] for m in messages(extract_svg, path)]
    assert "Verzenden" in found
    assert found and all(any(c.isalpha() for c in text) for text in found)
    assert not {"0", "1", "@", "A", "verdacht@safeonweb.be"} & set(found)
