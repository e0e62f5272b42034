"""One word per thing: the glossary in docs/lesson-format.md, checked in every lesson, picture and
word card."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from kiosk.core.catalog import Catalog
from kiosk.core.paths import bundled
from kiosk.core.svg import parse_svg_bytes
from kiosk.core.words import load_glossary

CATALOG = Catalog.load([bundled("lessons")])

# banned variant -> the word the glossary uses instead
BANNED: dict[str, str] = {
    r"\bgsm'?s?\b": "smartphone",
    # the device; a call may stay "aan de telefoon", a number "telefoonnummer"
    r"(?<!aan )(?<!via )\b(?:je|jouw|een|mijn|de|uw|die|deze|op)\s+telefoons?\b": "smartphone",
    r"\bsites?\b": "website",
    r"\bprint(en|t|te|ten)?\b|\bgeprint\b": "afdrukken",
    r"\bbewa(ar|art|ren|arde|arden)\b|\bbewaard\b": "opslaan",
    r"\btekens?\b": "prentje / iets wat niet klopt / uitroepteken",
    r"\bhaast\b": "snel",
    r"\b(links|rechts) (boven|onder)\b(?!\s*aan)": "links/rechts bovenaan, onderaan",
    r"\b(boven|onder) aan\b": "bovenaan, onderaan",
}


def lesson_texts() -> list[tuple[str, str]]:
    found = []
    for lesson in CATALOG.lessons:
        found += [(f"{lesson.id} title", lesson.title), (f"{lesson.id} summary", lesson.summary)]
        for step in lesson.steps:
            for key in ("text", "say", "hint", "done"):
                found.append((f"{lesson.id} step {step.number} {key}", getattr(step, key)))
            for index, choice in enumerate(step.choices, start=1):
                found.append((f"{lesson.id} step {step.number} choice {index}",
                              f"{choice.text} {choice.why}"))
        for picture in sorted(Path(lesson.folder).rglob("*.svg")):
            document = parse_svg_bytes(picture.read_bytes(), str(picture))
            found += [(f"{lesson.id} {picture.name}", text) for text in document.texts()]
    glossary = load_glossary([bundled("lessons")])
    for word in glossary.words:
        found.append((f"word {word.word}", word.explain))
        document = parse_svg_bytes(word.picture.read_bytes(), str(word.picture))
        found += [(f"word {word.word} {word.picture.name}", text) for text in document.texts()]
    return [(where, text) for where, text in found if text]


def offences(texts: list[tuple[str, str]]) -> list[str]:
    found = []
    for where, text in texts:
        for pattern, instead in BANNED.items():
            match = re.search(pattern, text, re.IGNORECASE)
            if match:
                found.append(f"{where}: '{match.group(0)}' -> {instead}: {text}")
    return found


def test_ux10_lessons_and_pictures_use_one_word_per_thing() -> None:
    texts = lesson_texts()
    assert len(texts) > 500  # steps and picture labels of the whole library are read
    assert offences(texts) == []


@pytest.mark.parametrize("text", [
    "Kijk op je gsm.", "Neem je telefoon.", "Op een telefoon zie je apps.", "Op deze site.", "Print het attest.",
    "Bewaar het goed.", "Zoek drie tekens.", "Het bericht heeft haast.",
    "Het staat rechts boven.", "Hij staat onder aan het scherm.",
])
def test_ux10_each_banned_variant_is_caught(text: str) -> None:
    assert offences([("voorbeeld", text)])


@pytest.mark.parametrize("text", [
    "Kijk op je smartphone.", "Typ je telefoonnummer.", "Ook niet aan de telefoon.", "Op deze website.", "Druk het af.",
    "Sla het op.", "Met een uitroepteken.", "Het staat rechts bovenaan.", "Onder het vak.",
    "Dan ondertekenen jullie allebei.",
])
def test_ux10_the_glossary_words_pass(text: str) -> None:
    assert offences([("voorbeeld", text)]) == []
