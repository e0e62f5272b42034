"""The bundled lesson library: plain Dutch, the facts right, practice on every lesson."""

from __future__ import annotations

import re

import pytest
import textstat

from kiosk.core.catalog import Catalog
from kiosk.core.paths import bundled

CATALOG = Catalog.load([bundled("lessons")])
SENTENCE = re.compile(r"[^.!?]+[.!?]?")
NOT_WORDS = re.compile(r"\S+@\S+|https?://\S+|www\.\S+|[\w-]+(?:\.[\w-]+)*\.(?:be|com|net|org|eu|shop|biz)\b"
                       r"|[0-9][0-9 ]*[0-9]|[0-9]")


def step_texts():  # type: ignore[no-untyped-def]
    for lesson in CATALOG.lessons:
        for step in lesson.steps:
            for key in ("text", "hint", "done"):
                value = getattr(step, key)
                if value:
                    yield pytest.param(value, id=f"{lesson.id}-{step.number}-{key}")


def test_p21_fifteen_lessons_load_none_broken() -> None:
    assert len(CATALOG.lessons) >= 15
    assert CATALOG.broken == []


def test_each_lesson_has_five_to_ten_steps_and_practice() -> None:
    for lesson in CATALOG.lessons:
        assert 5 <= len(lesson.steps) <= 10, lesson.id
        assert any(step.is_practice for step in lesson.steps), lesson.id


def test_requires_name_existing_lessons() -> None:
    ids = {lesson.id for lesson in CATALOG.lessons}
    for lesson in CATALOG.lessons:
        assert set(lesson.requires) <= ids, lesson.id


@pytest.mark.parametrize("text", list(step_texts()))
def test_ux23_dutch_step_text_reaches_flesch_douma_80(text: str) -> None:
    textstat.set_lang("nl")
    scored = NOT_WORDS.sub("", text)
    score = textstat.flesch_reading_ease(scored)
    assert score >= 80, f"Flesch-Douma {score:.0f}: {text}"


@pytest.mark.parametrize("text", list(step_texts()))
def test_ux09_sentences_of_at_most_12_words(text: str) -> None:
    for sentence in SENTENCE.findall(text):
        assert len(sentence.split()) <= 12, sentence


def all_text() -> str:
    parts = []
    for lesson in CATALOG.lessons:
        for step in lesson.steps:
            parts += [step.text, step.say, step.hint, step.done]
            parts += [c.text + " " + c.why for c in step.choices]
    return "\n".join(parts)


def test_facts_are_right() -> None:
    text = all_text()
    assert "verdacht@safeonweb.be" in text
    assert "078 170 170" in text
    for wrong in re.findall(r"[\w.]+@safeonweb\.be", text):
        assert wrong == "verdacht@safeonweb.be"
    for number in re.findall(r"Card Stop[^.]*?(\d[\d ]{8,}\d)", text):
        assert number == "078 170 170"
    assert re.search(r"bank vraagt (daar )?nooit", text, re.IGNORECASE)
    itsme = next(lesson for lesson in CATALOG.lessons if lesson.id == "itsme")
    itsme_text = "\n".join(s.text + " " + s.say for s in itsme.steps)
    assert "16" in itsme_text
    assert "eID" in itsme_text and "bankkaart" in itsme_text
