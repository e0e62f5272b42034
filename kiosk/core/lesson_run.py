"""One resident going through one lesson: which step, what is solved, how many tries, what shows.

A ``LessonRun`` holds everything a lesson is at a moment, so that a screen can be drawn from it at
any time (after a change of text size too) and the rules can be checked without a screen. Each
answer — a tap in picture coordinates, typed text, a chosen answer — returns an ``Outcome``: what
to show, what to say, in which language, with which chime, and whether the way on is open.
Progress is reported to a ``ProgressSink`` (``kiosk.core.progress.ProgressService`` is one).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache
from typing import Protocol

from kiosk.core.i18n import SOURCE_LANGUAGE, Translator
from kiosk.core.lessons import Lesson, Step
from kiosk.core.speech_plan import StepWords
from kiosk.core.svg import Rect

SHOW_TARGET_AFTER_TRIES = 2  # wrong taps before the picture shows where to tap

RIGHT, WRONG, NONE = "right", "wrong", "none"


class ProgressSink(Protocol):
    """Where a run reports progress; ``ProgressService`` records it for the visit."""

    def open_lesson(self, lesson_id: str, step: int, step_count: int) -> None: ...

    def step_reached(self, lesson_id: str, step: int, step_count: int) -> None: ...

    def wrong_try(self, lesson_id: str, step: int) -> int: ...

    def lesson_finished(self, lesson_id: str) -> None: ...


@dataclass(frozen=True)
class Outcome:
    """What an answer brings.

    ``kind`` is "right", "wrong" or "none" (nothing happens: the step is solved already, or it
    asks for something else, or typing is not complete yet). ``text`` is the feedback line to
    show and ``say`` what to speak, in ``language``, after the ``chime`` ("right" or
    "try-again"). ``advance`` says the way on is open. For a tap, ``point`` is where to mark it
    (picture coordinates); ``target`` is set when the picture should show where to tap.
    """

    kind: str = NONE
    text: str = ""
    say: str = ""
    language: str = ""
    chime: str = ""
    advance: bool = False
    point: tuple[float, float] | None = None
    target: Rect | None = None
    tries: int = 0

    @property
    def mark(self) -> str:
        """The shape that goes with the feedback line: ✓ for right, ✗ for wrong."""
        return "✓" if self.kind == RIGHT else "✗" if self.kind == WRONG else ""

    @property
    def shown(self) -> str:
        """The feedback line as it shows, with its mark in front ("✓ Goed zo!")."""
        return f"{self.mark} {self.text}" if self.mark else ""


NOTHING = Outcome()


@lru_cache(maxsize=16)
def _translator(language: str) -> Translator:
    return Translator(language)


@dataclass(frozen=True)
class _Answer:
    """The last answer on the current step, kept so its feedback can be drawn again."""

    kind: str
    choice: int | None = None
    point: tuple[float, float] | None = None


class LessonRun:
    """A lesson in progress. Steps are numbered from 1, as the learner sees them."""

    def __init__(self, lesson: Lesson, step: int = 1, solved: Iterable[int] = (), *,
                 language: str = SOURCE_LANGUAGE, home_language: str = SOURCE_LANGUAGE,
                 content_language: str | None = None,
                 progress: ProgressSink | None = None) -> None:
        self.lesson = lesson
        self.count = len(lesson.steps)
        self.number = min(max(1, step), self.count)
        self.solved: set[int] = {n for n in solved if 1 <= n <= self.count}
        self.tries: dict[int, int] = {}
        self.typed = ""  # what is typed so far on the current step
        self.finished = False
        self.app_language = language
        self.home_language = home_language
        self.content_language = content_language  # None: the lesson speaks the app's language
        self.progress = progress
        self._answer: _Answer | None = None
        if progress is not None:
            progress.open_lesson(lesson.id, self.number, self.count)

    # -- where the run is --------------------------------------------------------------------

    @property
    def step(self) -> Step:
        return self.lesson.steps[self.number - 1]

    @property
    def is_solved(self) -> bool:
        return self.number in self.solved

    @property
    def can_go_on(self) -> bool:
        """A step to look at may always be left; a practice step once it is solved."""
        return not self.step.is_practice or self.is_solved

    @property
    def is_last(self) -> bool:
        return self.number == self.count

    @property
    def target_centre(self) -> tuple[float, float] | None:
        target = self.step.target
        if target is None:
            return None
        x, y, w, h = target
        return x + w / 2, y + h / 2

    # -- language ----------------------------------------------------------------------------

    @property
    def language(self) -> str:
        """The language the lesson's texts show and speak in now."""
        return self.content_language or self.app_language

    @property
    def translator(self) -> Translator:
        return _translator(self.language)

    def words(self, step: Step | None = None) -> StepWords:
        """What a step (the current one by default) shows and says, in the lesson's language."""
        return StepWords(self.lesson.id, step or self.step, self.translator)

    def text(self, message: str) -> str:
        return self.translator.lesson(self.lesson.id, message)

    def set_languages(self, app_language: str, home_language: str | None = None) -> None:
        """The app's language (and the resident's home language) changed."""
        self.app_language = app_language
        if home_language is not None:
            self.home_language = home_language

    @property
    def other_language(self) -> str:
        """Where "my language" goes: from Dutch to the home language, else back to Dutch."""
        home = self.home_language if self.home_language != SOURCE_LANGUAGE else self.app_language
        return SOURCE_LANGUAGE if self.language != SOURCE_LANGUAGE else home

    def toggle_language(self) -> None:
        """Shows the lesson in the other language; what is shown stays, in that language."""
        self.content_language = self.other_language

    # -- moving ------------------------------------------------------------------------------

    def _arrive(self, number: int) -> None:
        self.number = min(max(1, number), self.count)
        self._answer = None
        self.typed = ""
        if self.progress is not None:
            self.progress.step_reached(self.lesson.id, self.number, self.count)

    def go_to(self, number: int) -> None:
        """Jumps to a step (a digibuddy showing a step, pictures of steps)."""
        self._arrive(number)

    def next(self) -> bool:
        """On to the next step; on the last one the lesson is finished. False when the step
        must be solved first (or the lesson is finished already)."""
        if self.finished or not self.can_go_on:
            return False
        if self.is_last:
            self.finished = True
            if self.progress is not None:
                self.progress.lesson_finished(self.lesson.id)
            return True
        self._arrive(self.number + 1)
        return True

    def back(self) -> bool:
        """One step back, keeping what was solved; False on the first step (leave the lesson)."""
        if self.number == 1:
            return False
        self._arrive(self.number - 1)
        return True

    def again(self) -> None:
        """"Opnieuw": the step as new, to practise once more (tries are kept: help stays)."""
        self.solved.discard(self.number)
        self._answer = None
        self.typed = ""

    # -- answers -----------------------------------------------------------------------------

    def tap(self, x: float, y: float, margin: float = 0.0) -> Outcome:
        """A tap at a point of the picture, in image units; ``margin`` (image units) grows the
        target on every side for a finger's imprecision."""
        step = self.step
        if step.kind != "tap" or self.is_solved:
            return NOTHING
        if step.hits(x, y, margin):
            return self._right(_Answer(RIGHT, point=(x, y)))
        return self._wrong(_Answer(WRONG, point=(x, y)))

    def type_text(self, text: str, submit: bool = True) -> Outcome:
        """Typed text. Right is praised as soon as it is there (also while typing); a wrong
        answer counts only when the resident says it is done (``submit``)."""
        step = self.step
        if step.kind != "type" or self.is_solved:
            return NOTHING
        self.typed = text
        if step.accepts(text):
            return self._right(_Answer(RIGHT))
        if not submit:
            return NOTHING
        return self._wrong(_Answer(WRONG))

    def choose(self, index: int) -> Outcome:
        """One of a question's answers, by its place (from 0)."""
        step = self.step
        if step.kind != "choose" or self.is_solved or not 0 <= index < len(step.choices):
            return NOTHING
        if step.choices[index].correct:
            return self._right(_Answer(RIGHT, choice=index))
        return self._wrong(_Answer(WRONG, choice=index))

    def _right(self, answer: _Answer) -> Outcome:
        self.solved.add(self.number)
        self._answer = answer
        return self._outcome(answer)

    def _wrong(self, answer: _Answer) -> Outcome:
        self.tries[self.number] = self.tries.get(self.number, 0) + 1
        if self.progress is not None:
            self.progress.wrong_try(self.lesson.id, self.number)
        self._answer = answer
        return self._outcome(answer)

    def _outcome(self, answer: _Answer) -> Outcome:
        step, words = self.step, self.words()
        choice = step.choices[answer.choice] if answer.choice is not None else None
        tries = self.tries.get(self.number, 0)
        if answer.kind == RIGHT:
            text = words.praise(choice)
            return Outcome(RIGHT, text, text, words.language, "right", True,
                           answer.point, None, tries)
        text = words.retry(choice)
        target = (step.target if step.kind == "tap" and tries >= SHOW_TARGET_AFTER_TRIES
                  else None)
        return Outcome(WRONG, text, text, words.language, "try-again", False,
                       answer.point, target, tries)

    @property
    def feedback(self) -> Outcome | None:
        """The feedback the current step shows now, in the lesson's current language: the last
        answer's, or the praise of a step solved before; None when there is none."""
        if self._answer is not None:
            return self._outcome(self._answer)
        if self.is_solved and self.step.is_practice:
            return self._outcome(_Answer(RIGHT, point=self.target_centre
                                         if self.step.kind == "tap" else None))
        return None
