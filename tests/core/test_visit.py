"""The rules of a visit, without a QApplication: life cycle, idle, roles and their own idle limit,
picture-code tries per visit and over the PC, and the choices that last one visit."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from kiosk.core.progress import ProgressService
from kiosk.core.roles import RIGHTS, Action, Lockout, Role
from kiosk.core.sessions import ACTIVE, CODE_LOCK_FILE, CODE_RULE, EXPIRED, WARNING, pictograms
from kiosk.core.settings import Settings
from kiosk.core.store import ProgressStore
from kiosk.core.visit import MAX_CODE_TRIES, ROLE_EXPIRED, NotAllowed, Visit

KEYS = [p.key for p in pictograms()]


class Clock:
    def __init__(self) -> None:
        self.now = 1_800_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def progress(tmp_path: Path, clock: Clock) -> Iterator[ProgressService]:
    service = ProgressService.open(lambda: ProgressStore(tmp_path / "progress.sqlite3", clock))
    yield service
    service.close()


def make_visit(progress: ProgressService, clock: Clock, tmp_path: Path, **settings: object) -> Visit:
    lock = Lockout(tmp_path / CODE_LOCK_FILE, "codes", CODE_RULE, clock)
    return Visit(progress, Settings(**settings), clock, lock, KEYS)  # type: ignore[arg-type]


def visit_with_code(progress: ProgressService, visit: Visit) -> str:
    """A finished visit with progress, so it has a picture code to come back with."""
    visit.begin()
    progress.step_reached("tikken", 2, 5)
    code = visit.end("stopped")
    assert code
    return code


def test_a_visit_runs_its_own_idle_policy(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, idle_seconds=60, idle_warning_seconds=120)
    clock.now += 1000
    assert visit.tick() == ACTIVE  # nothing runs before the visit begins
    visit.begin()
    assert visit.started
    clock.now += 59
    assert visit.tick() == ACTIVE
    clock.now += 2
    assert visit.tick() == WARNING and visit.remaining() == 119
    visit.stay()
    assert visit.tick() == ACTIVE
    clock.now += 181
    assert visit.tick() == EXPIRED
    visit.end("idle")
    assert not visit.started
    clock.now += 1000
    assert visit.tick() == ACTIVE  # ended: nothing counts down any more


def test_a_lesson_opened_without_a_visit_begins_one(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, idle_seconds=60)
    run = object()
    assert visit.run_lesson(run) is run  # type: ignore[arg-type]
    assert visit.started and visit.lesson_run is run
    clock.now += 61
    assert visit.tick() == WARNING
    visit.end("stopped")
    assert visit.lesson_run is None


def test_p24_a_role_has_its_own_idle_limit_and_never_outlives_the_visit(progress, clock,  # type: ignore[no-untyped-def]
                                                                         tmp_path) -> None:
    visit = make_visit(progress, clock, tmp_path, idle_seconds=300, role_idle_seconds=90)
    visit.enter_role(Role.STAFF)
    assert visit.may(Action.LEAVE_KIOSK)
    clock.now += 89
    assert visit.tick() == ACTIVE and visit.role == Role.STAFF
    visit.on_input()  # a tap on the staff screen keeps it open
    clock.now += 89
    assert visit.tick() == ACTIVE and visit.role == Role.STAFF
    clock.now += 2
    assert visit.tick() == ROLE_EXPIRED
    assert visit.role == Role.LEARNER and not visit.may(Action.LEAVE_KIOSK)
    # Ending the visit and going home each end a role too.
    visit.enter_role(Role.BUDDY)
    visit.end("stopped")
    assert visit.role == Role.LEARNER
    visit.enter_role(Role.STAFF)
    visit.home()
    assert visit.role == Role.LEARNER
    clock.now += 1000
    assert visit.tick() == ACTIVE


def test_p24_the_learners_countdown_waits_while_a_digibuddy_works(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, idle_seconds=60, role_idle_seconds=90)
    visit.begin()
    visit.enter_role(Role.BUDDY)
    clock.now += 70
    assert visit.tick() == ACTIVE  # no "Ben je er nog?" over the digibuddy's list
    clock.now += 21
    assert visit.tick() == ROLE_EXPIRED
    visit.home()  # the router goes home: the visit under the role ends
    assert not visit.started


def test_p16_every_action_asks_the_rights_table(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path)
    code = visit_with_code(progress, visit)
    session_id = progress.resume_code(code).session_id  # type: ignore[union-attr]
    progress.end_session("stopped", KEYS)
    with pytest.raises(NotAllowed):
        visit.erase(session_id)
    with pytest.raises(NotAllowed):
        visit.open_for_learner(session_id)
    visit.enter_role(Role.BUDDY)
    offer = visit.open_for_learner(session_id)
    assert offer is not None and offer.lesson_id == "tikken"
    assert visit.role == Role.LEARNER  # the PC is the learner's now
    # A table without the right refuses, whatever the role: the table is what is asked.
    rights = {role: actions - {Action.ERASE_SESSION} for role, actions in RIGHTS.items()}
    strict = Visit(progress, Settings(), clock, None, KEYS, rights=rights)
    strict.enter_role(Role.STAFF)
    with pytest.raises(NotAllowed):
        strict.erase(session_id)


def test_p25_five_wrong_codes_per_visit_and_the_next_visit_resumes(progress, clock,  # type: ignore[no-untyped-def]
                                                                   tmp_path) -> None:
    code = visit_with_code(progress, make_visit(progress, clock, tmp_path))
    wrong = next(c for c in ("-".join(KEYS[i:i + 3]) for i in range(10)) if c != code)
    stranger = make_visit(progress, clock, tmp_path)
    answers = [stranger.try_code(wrong).kind for _ in range(MAX_CODE_TRIES)]
    assert answers == ["unknown"] * MAX_CODE_TRIES
    assert stranger.try_code(code).kind == "too many"  # this visit has had its tries
    stranger.home()
    clock.now += 5
    answer = stranger.try_code(code)  # the next person, a few seconds later
    assert answer.kind == "resumed" and answer.offer is not None
    assert answer.offer.lesson_id == "tikken" and answer.offer.step == 2


def test_p25_wrong_codes_slow_the_whole_pc_and_the_slowing_fades(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    code = visit_with_code(progress, make_visit(progress, clock, tmp_path))
    wrong = next(c for c in ("-".join(KEYS[i:i + 3]) for i in range(10)) if c != code)
    visit = make_visit(progress, clock, tmp_path)
    for _ in range(CODE_RULE.free // MAX_CODE_TRIES):  # two strangers' worth: free
        for _ in range(MAX_CODE_TRIES):
            assert visit.try_code(wrong).wait_seconds == 0
        visit.home()
    first = visit.try_code(wrong)
    assert first.kind == "unknown" and first.wait_seconds == CODE_RULE.first_lock
    # During the lock even the right code waits; a restart does not lift it.
    restarted = make_visit(progress, clock, tmp_path)
    answer = restarted.try_code(code)
    assert answer.kind == "wait" and 0 < answer.wait_seconds <= CODE_RULE.first_lock
    clock.now += CODE_RULE.first_lock
    assert restarted.try_code(wrong).wait_seconds == 2 * CODE_RULE.first_lock  # slower each time
    clock.now += 2 * CODE_RULE.first_lock + 2 * CODE_RULE.forget_seconds
    assert restarted.code_lock.failures() <= CODE_RULE.free  # type: ignore[union-attr]
    restarted.home()
    assert restarted.try_code(code).kind == "resumed"


def test_p25_guessing_every_code_takes_weeks(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A guesser who tries as fast as the PC allows, going home after every fifth wrong code."""
    visit = make_visit(progress, clock, tmp_path)
    codes = len(KEYS) * (len(KEYS) - 1) * (len(KEYS) - 2)
    start, tries = clock.now, 0
    while clock.now - start < 86400:
        answer = visit.try_code("x-y-z")
        if answer.kind == "too many":
            visit.home()
        elif answer.kind == "wait":
            clock.now += answer.wait_seconds
        else:
            tries += 1
            clock.now += 3  # three taps
    days = codes / tries
    print(f"{tries} guesses a day: {codes} codes take {days:.0f} days")
    assert tries < 200 and days > 30, (tries, days)


def test_the_choices_of_a_visit_end_with_it(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, text_size="A+", speech_rate="normal")
    visit.begin()
    visit.language, visit.home_language = "ar", "ar"
    visit.text_size, visit.speech_rate = "A++", "slow"
    visit.end("stopped")
    assert (visit.language, visit.home_language, visit.text_size, visit.speech_rate) == (
        "nl", "nl", "A+", "normal")


def test_staff_settings_change_the_idle_limits_at_once(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, idle_seconds=300)
    visit.begin()
    visit.use_settings(Settings(idle_seconds=60, role_idle_seconds=30))
    clock.now += 61
    assert visit.tick() == WARNING
    visit.enter_role(Role.STAFF)
    clock.now += 31
    assert visit.tick() == ROLE_EXPIRED


def test_resume_offered_at_start_is_a_visit(progress, clock, tmp_path) -> None:  # type: ignore[no-untyped-def]
    visit = make_visit(progress, clock, tmp_path, idle_seconds=60)
    visit.begin()
    progress.open_lesson("tikken", 3, 5)
    progress.flush()
    progress.session_id = None  # the app stopped mid-lesson
    offer = progress.resume_offer()
    assert offer is not None
    visit.accept_resume(offer)
    assert visit.started
    clock.now += 61
    assert visit.tick() == WARNING
