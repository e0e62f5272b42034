"""Speech planning: voices per language, word timings, what the engine is given to read."""

from __future__ import annotations

import re

from kiosk.core.speech_plan import (
    Voice,
    WordTiming,
    choose_voice,
    estimate_words,
    language_chain,
    speakable,
    word_at,
)

VOICES = [Voice("gmw/en-029", "English (Caribbean)", ("en-029",)),
          Voice("gmw/en", "English", ("en-gb", "en")),
          Voice("gmw/nl", "Dutch", ("nl",)), Voice("roa/fr-be", "French (Belgium)", ("fr-be",)),
          Voice("roa/fr", "French", ("fr-fr",))]


def test_fallback_chain_and_voice_choice() -> None:
    assert language_chain("nl-BE") == ["nl-be", "nl"]
    assert choose_voice("nl-BE", VOICES, {}).id == "gmw/nl"
    assert choose_voice("en", VOICES, {}).id == "gmw/en"  # the main voice, not a regional one
    assert choose_voice("fr-be", VOICES, {}).id == "roa/fr-be"
    assert choose_voice("fr", VOICES, {"fr": "roa/fr-be"}).id == "roa/fr-be"  # the setting wins
    assert choose_voice("so", VOICES, {}) is None


def test_estimated_words_are_in_order_and_proportional() -> None:
    words = estimate_words("Tik op de knop", 1400)
    assert [w.start for w in words] == [0, 4, 7, 10]
    assert [w.ms for w in words] == sorted(w.ms for w in words)
    assert word_at(words, 0).start == 0 and word_at(words, 1399).start == 10
    assert word_at([WordTiming(0, 3, 100)], 50) is None


def test_phone_numbers_are_read_in_groups_and_map_back_to_the_screen() -> None:
    spoken, where = speakable("Bel 078 170 170 nu.")
    assert spoken == "Bel 078, 170, 170 nu."
    start = spoken.index("170")
    assert "Bel 078 170 170 nu."[where[start]:where[start] + 3] == "170"
    assert speakable("Geen cijfers.") == ("Geen cijfers.", list(range(13)))


def test_written_out_language_names_are_babels() -> None:
    from babel import Locale

    from kiosk.core.i18n import OWN_NAMES, is_rtl, language_name

    for code, name in OWN_NAMES.items():
        locale = Locale.parse(code)
        own = locale.get_display_name(locale)
        # Babel's name, with the vowel marks that Arabic text carries in the app (ux22)
        assert re.sub("[\u064b-\u0652]", "", name) == own[:1].upper() + own[1:], code
        assert is_rtl(code) == (locale.text_direction == "rtl"), code
    assert language_name("hu") == "Magyar"  # not written out: asked of Babel


def test_a_step_plan_holds_the_joined_praise_every_hint_and_each_answer() -> None:
    from kiosk.core.catalog import Catalog
    from kiosk.core.i18n import Translator
    from kiosk.core.paths import bundled
    from kiosk.core.speech_plan import StepWords, step_speech

    catalog = Catalog.load([bundled("lessons")])
    dutch, arabic = Translator("nl"), Translator("ar")
    questions = 0
    for listed in catalog.lessons:
        lesson = catalog.open(listed.id)
        assert lesson is not None
        for step in lesson.steps:
            plan = step_speech(lesson.id, step, dutch)
            assert len(plan) == len(set(plan)) and all(plan)
            assert plan[0] == (step.say or step.text)  # the instruction comes first
            if step.is_practice:
                assert (step.done or "Goed zo!") in plan
            if step.kind in ("tap", "type"):
                assert (step.hint or StepWords(lesson.id, step, dutch).retry()) in plan
            for choice in step.choices:
                assert choice.text in plan
                if choice.correct:  # the praise as it is spoken: the step's, then the why
                    assert f"{step.done or 'Goed zo!'} {choice.why}".strip() in plan
                    questions += 1
                else:  # a wrong answer explains itself, else the hint does
                    assert (choice.why or step.hint or "Probeer het nog eens.") in plan
            translated = step_speech(lesson.id, step, arabic)
            assert translated[0] == arabic.lesson(lesson.id, step.say or step.text)
    assert questions >= 5
