"""The rules of going through a lesson, checked on the bundled lessons without any screen."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.catalog import Catalog
from kiosk.core.i18n import Translator
from kiosk.core.lesson_run import NOTHING, SHOW_TARGET_AFTER_TRIES, LessonRun, Outcome
from kiosk.core.lessons import Lesson, Step
from kiosk.core.paths import bundled
from kiosk.core.progress import ProgressService
from kiosk.core.speech_plan import step_speech
from kiosk.core.store import ProgressStore


class Recorder:
    """The progress interface a run reports to, remembering every call in order."""

    def __init__(self) -> None:
        self.calls: list[tuple[object, ...]] = []
        self.tries = 0

    def open_lesson(self, lesson_id: str, step: int, step_count: int) -> None:
        self.calls.append(("open", lesson_id, step, step_count))

    def step_reached(self, lesson_id: str, step: int, step_count: int) -> None:
        self.calls.append(("step", lesson_id, step, step_count))

    def wrong_try(self, lesson_id: str, step: int) -> int:
        self.tries += 1
        self.calls.append(("try", lesson_id, step))
        return self.tries

    def lesson_finished(self, lesson_id: str) -> None:
        self.calls.append(("finished", lesson_id))


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    return Catalog.load([bundled("lessons")])


def lesson(catalog: Catalog, lesson_id: str) -> Lesson:
    found = catalog.open(lesson_id)
    assert found is not None, lesson_id
    return found


def all_lessons(catalog: Catalog) -> list[Lesson]:
    return [lesson(catalog, listed.id) for listed in catalog.lessons]


def first(lesson_: Lesson, kind: str, **wanted: object) -> Step:
    for step in lesson_.steps:
        if step.kind == kind and all(getattr(step, k) == v for k, v in wanted.items()):
            return step
    raise AssertionError(f"{lesson_.id} has no {kind} step with {wanted}")


def a_lesson_with(catalog: Catalog, kind: str) -> tuple[Lesson, Step]:
    for found in all_lessons(catalog):
        for step in found.steps:
            if step.kind == kind:
                return found, step
    raise AssertionError(f"no bundled lesson has a {kind} step")


def beside(step: Step) -> tuple[float, float]:
    """A point well away from the step's target."""
    assert step.target is not None
    x, y, w, h = step.target
    return (x - 200, y - 200) if x > 250 and y > 250 else (x + w + 200, y + h + 200)


def test_a_run_starts_where_asked_and_reports_it(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    sink = Recorder()
    run = LessonRun(tikken, 99, solved=(1, 500), progress=sink)
    assert run.number == len(tikken.steps)  # clamped to the lesson
    assert run.solved == {1}  # steps that do not exist are not kept
    assert sink.calls == [("open", "tikken", len(tikken.steps), len(tikken.steps))]
    assert LessonRun(tikken, -3).number == 1


def test_a_step_to_look_at_lets_the_resident_on_and_each_step_is_recorded(catalog: Catalog) -> None:
    found, _ = a_lesson_with(catalog, "show")
    number = next(s.number for s in found.steps if s.kind == "show")
    sink = Recorder()
    run = LessonRun(found, number, progress=sink)
    assert run.can_go_on and run.feedback is None
    assert run.tap(1, 1) is NOTHING and run.choose(0) is NOTHING and run.type_text("x") is NOTHING
    if not run.is_last:
        assert run.next() and run.number == number + 1
        assert sink.calls[-1] == ("step", found.id, number + 1, len(found.steps))


def test_a_practice_step_must_be_solved_before_going_on(catalog: Catalog) -> None:
    for found in all_lessons(catalog):
        for step in found.steps:
            if not step.is_practice:
                continue
            run = LessonRun(found, step.number)
            assert not run.can_go_on
            assert not run.next() and run.number == step.number and not run.finished


def test_a_tap_on_the_target_is_right_and_beside_it_is_wrong(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    sink = Recorder()
    run = LessonRun(tikken, step.number, progress=sink)
    x, y = beside(step)
    wrong = run.tap(x, y)
    assert wrong.kind == "wrong" and wrong.chime == "try-again" and not wrong.advance
    assert wrong.text == wrong.say == (step.hint or "Probeer het nog eens.")
    assert wrong.point == (x, y) and wrong.mark == "✗" and wrong.shown == f"✗ {wrong.text}"
    assert wrong.language == "nl" and wrong.tries == 1
    assert sink.calls[-1] == ("try", "tikken", step.number)
    assert not run.can_go_on and run.feedback == wrong  # the hint stays until the next answer
    centre = run.target_centre
    assert centre is not None
    right = run.tap(*centre)
    assert right.kind == "right" and right.chime == "right" and right.advance
    assert right.text == right.say == (step.done or "Goed zo!") and right.mark == "✓"
    assert right.point == centre and right.target is None
    assert run.can_go_on and run.feedback == right
    assert run.tap(*centre) is NOTHING  # a solved step takes no more answers
    assert sink.calls.count(("try", "tikken", step.number)) == 1


def test_the_tap_margin_grows_the_target_on_every_side(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    assert step.target is not None
    x, y, w, h = step.target
    for point in [(x - 10, y + h / 2), (x + w + 10, y + h / 2), (x + w / 2, y - 10),
                  (x + w / 2, y + h + 10)]:
        assert LessonRun(tikken, step.number).tap(*point).kind == "wrong", point
        assert LessonRun(tikken, step.number).tap(*point, margin=12).kind == "right", point


def test_after_repeated_wrong_taps_the_picture_shows_where_to_tap(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    run = LessonRun(tikken, step.number)
    outcomes = [run.tap(*beside(step)) for _ in range(SHOW_TARGET_AFTER_TRIES)]
    assert [o.target for o in outcomes[:-1]] == [None] * (SHOW_TARGET_AFTER_TRIES - 1)
    assert outcomes[-1].target == step.target and outcomes[-1].tries == SHOW_TARGET_AFTER_TRIES
    assert run.feedback is not None and run.feedback.target == step.target  # also when redrawn


def test_typing_is_praised_as_soon_as_it_is_right(catalog: Catalog) -> None:
    typen = lesson(catalog, "typen")
    step = first(typen, "type", match_case=False)
    sink = Recorder()
    run = LessonRun(typen, step.number, progress=sink)
    for end in range(1, len(step.answer)):
        assert run.type_text(step.answer[:end], submit=False) is NOTHING  # not yet, no hint
    assert run.typed == step.answer[:-1]
    assert not any(call[0] == "try" for call in sink.calls)  # typing is not a wrong try
    right = run.type_text(step.answer, submit=False)
    assert right.kind == "right" and right.advance and right.say == (step.done or "Goed zo!")
    assert run.can_go_on and run.typed == step.answer


def test_a_wrong_typed_answer_counts_when_it_is_sent(catalog: Catalog) -> None:
    typen = lesson(catalog, "typen")
    step = first(typen, "type", match_case=False)
    sink = Recorder()
    run = LessonRun(typen, step.number, progress=sink)
    wrong = run.type_text("Xyz")
    assert wrong.kind == "wrong" and wrong.chime == "try-again"
    assert wrong.say == (step.hint or "Kijk goed naar de letters. Probeer het nog eens.")
    assert "Xyz" not in wrong.say  # what was typed is not repeated
    assert sink.calls[-1] == ("try", "typen", step.number)


def test_typed_answers_are_trimmed_and_case_free_unless_the_step_wants_the_capital(
        catalog: Catalog) -> None:
    typen = lesson(catalog, "typen")
    free = first(typen, "type", match_case=False)
    assert LessonRun(typen, free.number).type_text(f"  {free.answer.upper()} ").kind == "right"
    anna = first(typen, "type", match_case=True)
    assert anna.answer == "Anna"
    run = LessonRun(typen, anna.number)
    assert run.type_text("anna", submit=False) is NOTHING
    wrong = run.type_text("anna")
    assert wrong.kind == "wrong" and "hoofdletter" in wrong.text
    assert run.type_text(" Anna ", submit=False).kind == "right"


def test_a_right_answer_is_praised_with_its_why_and_a_wrong_one_explains(catalog: Catalog) -> None:
    checked = 0
    for found in all_lessons(catalog):
        for step in found.steps:
            if step.kind != "choose":
                continue
            praise = step.done or "Goed zo!"
            for index, choice in enumerate(step.choices):
                run = LessonRun(found, step.number)
                outcome = run.choose(index)
                if choice.correct:
                    assert outcome.kind == "right" and outcome.chime == "right" and outcome.advance
                    assert outcome.say == f"{praise} {choice.why}".strip()
                else:
                    assert outcome.kind == "wrong" and not run.can_go_on
                    assert outcome.say == (choice.why or step.hint or "Probeer het nog eens.")
                checked += 1
            assert LessonRun(found, step.number).choose(len(step.choices)) is NOTHING
    assert checked >= 10


def test_again_makes_the_step_new_and_keeps_the_help(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    run = LessonRun(tikken, step.number)
    run.tap(*beside(step))
    run.tap(*beside(step))
    centre = run.target_centre
    assert centre is not None
    run.tap(*centre)
    run.again()
    assert not run.is_solved and not run.can_go_on and run.feedback is None
    assert run.tap(*beside(step)).target == step.target  # tries are kept: the help stays


def test_back_keeps_what_was_solved_and_shows_its_praise(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    run = LessonRun(tikken, step.number)
    centre = run.target_centre
    assert centre is not None
    run.tap(*centre)
    assert run.next() and run.back()
    assert run.number == step.number and run.can_go_on
    shown = run.feedback
    assert shown is not None and shown.kind == "right" and shown.point == centre
    assert not LessonRun(tikken, 1).back()  # the first step: back means leaving the lesson


def test_the_last_next_finishes_the_lesson_once(catalog: Catalog) -> None:
    for found in all_lessons(catalog):
        sink = Recorder()
        run = LessonRun(found, progress=sink)
        while not run.finished:
            answer_right(run)
            assert run.next()
        assert sink.calls[-1] == ("finished", found.id)
        assert not run.next() and sink.calls.count(("finished", found.id)) == 1
        reached = [call[2] for call in sink.calls if call[0] in ("open", "step")]
        assert reached == list(range(1, len(found.steps) + 1)), found.id


def answer_right(run: LessonRun) -> Outcome:
    step = run.step
    if step.kind == "tap":
        centre = run.target_centre
        assert centre is not None
        return run.tap(*centre)
    if step.kind == "type":
        return run.type_text(step.answer)
    if step.kind == "choose":
        return run.choose(next(i for i, c in enumerate(step.choices) if c.correct))
    return NOTHING


def test_my_language_switches_between_dutch_and_the_home_language(catalog: Catalog) -> None:
    tikken = lesson(catalog, "tikken")
    step = first(tikken, "tap")
    dutch = LessonRun(tikken, step.number)
    assert dutch.other_language == "nl" == dutch.language  # nothing to switch to
    run = LessonRun(tikken, step.number, language="ar", home_language="ar")
    assert run.language == "ar" and run.other_language == "nl"
    wrong = run.tap(*beside(step))
    arabic = Translator("ar").lesson("tikken", step.hint)
    assert arabic != step.hint  # the lesson is translated
    assert wrong.language == "ar" and wrong.say == arabic
    run.toggle_language()
    assert run.language == "nl" and run.other_language == "ar"
    shown = run.feedback  # what shows stays, now in Dutch
    assert shown is not None and shown.kind == "wrong" and shown.say == step.hint
    assert shown.language == "nl" and shown.tries == 1
    run.toggle_language()
    assert run.language == "ar"
    run.set_languages("fr", "fr")  # the app's language changed; the switch follows it
    run.content_language = None
    assert run.language == "fr" and run.other_language == "nl"


def test_every_outcome_says_only_what_the_step_plan_holds(catalog: Catalog) -> None:
    """The player's texts and the prepared texts are one list, in every shipped language."""
    for language in ("nl", "ar", "fr"):
        translator = Translator(language)
        for found in all_lessons(catalog):
            for step in found.steps:
                plan = set(step_speech(found.id, step, translator))
                run = LessonRun(found, step.number, language=language)
                said = {run.words().spoken_instruction()}
                for outcome in outcomes_of(run):
                    said.add(outcome.say)
                    said.add(run.words().read_again(outcome.say))  # the speaker button then
                    assert outcome.language == language
                assert said <= plan, (found.id, step.number, said - plan)


def outcomes_of(run: LessonRun) -> list[Outcome]:
    """Every outcome a step can have: each answer, a wrong tap and a wrong typed text."""
    step = run.step
    found: list[Outcome] = []
    if step.kind == "choose":
        for index in range(len(step.choices)):
            found.append(run.choose(index))
            run.again()
    elif step.kind in ("tap", "type"):
        found.append(run.tap(-1e6, -1e6) if step.kind == "tap" else run.type_text("\u2063"))
        found.append(answer_right(run))
    return [outcome for outcome in found if outcome is not NOTHING]


def test_progress_goes_to_the_real_store(tmp_path: Path, catalog: Catalog) -> None:
    service = ProgressService(ProgressStore(tmp_path / "progress.sqlite3"))
    try:
        service.begin_session()
        tikken = lesson(catalog, "tikken")
        step = first(tikken, "tap")
        run = LessonRun(tikken, step.number, progress=service)
        for _ in range(3):
            run.tap(*beside(step))
        answer_right(run)
        run.next()
        service.flush()
        (summary,) = service.overview()
        assert (summary.current_lesson, summary.step) == ("tikken", step.number + 1)
        assert summary.hard_steps == (("tikken", step.number, 3),)
        while not run.finished:
            answer_right(run)
            run.next()
        service.flush()
        assert service.is_finished("tikken") and service.overview()[0].finished_lessons == 1
    finally:
        service.close()
