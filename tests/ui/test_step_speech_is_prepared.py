"""What the lesson player says ⊆ what it prepares ahead ⊆ what ``kiosk speech prepare`` makes:
every answer of every step of every bundled lesson, on real widgets, in Dutch and Arabic."""

from __future__ import annotations

import pytest

from kiosk.core.i18n import Translator
from kiosk.speech.commands import lesson_texts
from kiosk.speech.silent import SilentSpeaker


class Listener(SilentSpeaker):
    """Remembers every text it is asked to say and to prepare, with its language."""

    def __init__(self) -> None:
        super().__init__()
        self.said: set[tuple[str, str]] = set()
        self.prefetched: set[tuple[str, str]] = set()

    def say(self, text, language, recorded=None, chime="") -> None:  # type: ignore[no-untyped-def]
        super().say(text, language, recorded, chime)
        self.said.add((text, language))

    def prefetch(self, texts: list[str], language: str) -> None:
        self.prefetched.update((text, language) for text in texts)


def every_answer(window) -> None:  # type: ignore[no-untyped-def]
    """Gives the open step each answer it can get, wrong ones first, as a resident would."""
    lesson = window.lesson
    step = lesson.step
    if step.kind == "choose":
        for index in range(len(step.choices)):
            lesson.choose(index)
            lesson.again_button.click()
    elif step.kind == "tap":
        view = lesson.picture.view_box()
        lesson.tap_at(view.left() - 1000, view.top() - 1000)
        lesson.tap_at(view.left() - 1000, view.top() - 1000)
        lesson.tap_at(*lesson.run.target_centre)
    elif step.kind == "type":
        lesson.picture.field.setText("\u2063")
        lesson.check_typed()
        lesson.picture.field.setText(step.answer)
    lesson.speak_button.click()


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_what_is_said_was_prefetched_and_is_prepared(make_window, language: str) -> None:  # type: ignore[no-untyped-def]
    listener = Listener()
    window = make_window(language=language, speaker_=listener)
    window.begin()
    listener.said.clear()  # from here on only the lesson player speaks
    catalog = window.services.catalog
    steps = 0
    for listed in list(catalog.lessons):
        lesson = catalog.open(listed.id)
        assert lesson is not None
        for step in lesson.steps:
            window.open_lesson(lesson.id, step.number)
            every_answer(window)
            steps += 1
    said = {text for text, spoken_in in listener.said if spoken_in == language}
    assert len(said) >= steps  # every step spoke, in the app's language
    assert listener.said == {(text, language) for text in said}
    prefetched = {text for text, spoken_in in listener.prefetched if spoken_in == language}
    assert said <= prefetched, sorted(said - prefetched)[:5]
    prepared = set(lesson_texts(catalog, Translator(language)))
    assert prefetched <= prepared, sorted(prefetched - prepared)[:5]
    titles = {Translator(language).lesson(listed.id, listed.title) for listed in catalog.lessons}
    assert prepared - titles == prefetched - titles  # prepare makes what a lesson may say
