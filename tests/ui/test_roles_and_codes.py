"""Roles and picture codes on real widgets: the rights table is the one gate (P16), a digibuddy
or staff screen closes by itself (P24), wrong codes never stop the next visit (P25), and the
staff and digibuddy actions that had no test."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from PySide6.QtCore import QPoint, Qt, QTimer
from PySide6.QtWidgets import QApplication
from window_input import tap_window

from kiosk.core.paths import AppPaths
from kiosk.core.roles import RIGHTS, Action, PinBook, Role, allowed
from kiosk.core.settings import Settings
from kiosk.ui.navigator import Navigator

STAFF_PIN = "97531"
BUDDY_PIN = "2468"


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def enter_pin(qtbot, window: Navigator, pin: str) -> None:  # type: ignore[no-untyped-def]
    for digit in pin:
        window.pin_pad.press(digit)
    click(qtbot, window.pin_pad.ok_key)


def open_staff_by_the_corner(qtbot, window: Navigator) -> None:  # type: ignore[no-untyped-def]
    for _ in range(5):
        tap_window(window, QPoint(10, 10))
    assert window.current_screen() is window.pin_pad and window.pin_pad.role == Role.STAFF
    enter_pin(qtbot, window, STAFF_PIN)
    assert window.current_screen() is window.buddy and window.role == Role.STAFF


def a_visit_with_a_code(window: Navigator) -> str:
    window.begin()
    window.open_lesson("tikken")
    window.lesson.go_next()
    code = window.end_visit("stopped")
    window.show_welcome()
    assert code
    return code


def run_event_loop(action: Callable[[], object], within_ms: int = 5000) -> int:
    """Runs the application's event loop, as ``kiosk`` does, and ``action`` in it; returns the
    exit code, or 99 when nothing ended the loop within ``within_ms`` (never hangs)."""
    watchdog = QTimer()
    watchdog.setSingleShot(True)
    watchdog.timeout.connect(lambda: QApplication.exit(99))
    watchdog.start(within_ms)
    QTimer.singleShot(0, action)
    code = QApplication.instance().exec()  # type: ignore[union-attr]
    watchdog.stop()
    return code


@pytest.fixture
def pins(paths: AppPaths) -> PinBook:
    book = PinBook(paths.user_config, paths.data, lambda: 0.0)
    book.set_pin(Role.STAFF, STAFF_PIN)
    book.set_pin(Role.BUDDY, BUDDY_PIN)
    return book


# -- P16: every action × role, through the navigator, asks the table ---------------------------

def attempts(window: Navigator, speaker) -> dict[Action, Callable[[], bool]]:  # type: ignore[no-untyped-def]
    """For each action: do it as the screens ask for it (their signals), and say whether it
    happened."""
    progress = window.services.progress

    def sessions() -> list[int]:
        return [s.session_id for s in progress.overview()]

    def learn() -> bool:
        window.open_lesson("tikken")
        return window.current_screen() is window.lesson

    def see_sessions() -> bool:
        return bool(window.buddy.sessions)

    def open_session() -> bool:
        chosen = sessions()[0]
        window.buddy.openChosen.emit(chosen)
        return progress.session_id == chosen

    def erase_session() -> bool:
        before = sessions()
        window.buddy.eraseChosen.emit(before[0])
        return sessions() != before

    def leave_kiosk() -> bool:
        # Inside the event loop, as in the app: "App sluiten" ends it with exit code 3.
        window.allow_close = False
        code = run_event_loop(window.buddy.staff.quitChosen.emit, within_ms=50)
        assert window.allow_close == (code == 3)
        return code == 3

    def test_voice() -> bool:
        said = len(speaker.said)
        window.buddy.staff.voiceTestChosen.emit()
        return len(speaker.said) > said

    def see_report() -> bool:
        return "Lessen:" in window.buddy.staff.report.text()

    def change_settings() -> bool:
        before = window.visit.idle.idle_seconds
        window.buddy.staff.idleChanged.emit(1)
        return window.visit.idle.idle_seconds != before

    def see_logs() -> bool:
        return "Logboek" in window.buddy.staff.log_line.text()

    return {Action.LEARN: learn, Action.SEE_SESSIONS: see_sessions,
            Action.OPEN_SESSION: open_session, Action.ERASE_SESSION: erase_session,
            Action.LEAVE_KIOSK: leave_kiosk, Action.TEST_VOICE: test_voice,
            Action.SEE_LESSON_REPORT: see_report, Action.CHANGE_SETTINGS: change_settings,
            Action.SEE_LOGS: see_logs}


def walk(window: Navigator, speaker) -> dict[tuple[Role, Action], bool]:  # type: ignore[no-untyped-def]
    done = {}
    for action, attempt in attempts(window, speaker).items():
        assert set(attempts(window, speaker)) == set(Action)
        for role in Role:
            if not window.services.progress.overview():
                a_visit_with_a_code(window)
            window.staff.open_role(role)  # as after that role's PIN (a learner has none)
            done[role, action] = attempt()
            window.show_welcome()
    return done


def test_p16_every_action_and_role_through_the_navigator_follows_the_rights_table(  # type: ignore[no-untyped-def]
        qtbot, make_window, speaker, monkeypatch) -> None:
    window = make_window(kiosk_mode=True)
    done = walk(window, speaker)
    assert done == {(role, action): allowed(role, action) for role in Role for action in Action}
    assert RIGHTS[Role.BUDDY] < RIGHTS[Role.STAFF]  # digibuddy rights: a strict subset
    # The table is what the app consults: change it, and the app does what it says.
    monkeypatch.setitem(RIGHTS, Role.STAFF, RIGHTS[Role.STAFF] - {Action.TEST_VOICE,
                                                                 Action.ERASE_SESSION})
    monkeypatch.setitem(RIGHTS, Role.BUDDY, RIGHTS[Role.BUDDY] | {Action.SEE_LOGS,
                                                                 Action.CHANGE_SETTINGS})
    monkeypatch.setitem(RIGHTS, Role.LEARNER, frozenset())
    changed = walk(window, speaker)
    assert changed == {(role, action): action in RIGHTS[role] for role in Role for action in Action}
    assert changed != done
    print(f"P16: {len(done)} action × role pairs, each as the table says, twice")


# -- P24: a digibuddy or staff screen closes by itself --------------------------------------

def test_p24_staff_screen_left_alone_goes_home_and_the_next_tap_is_a_learners(  # type: ignore[no-untyped-def]
        qtbot, make_window, clock, pins) -> None:
    window = make_window(Settings(idle_seconds=30, role_idle_seconds=90), clock=clock,
                         kiosk_mode=True)
    open_staff_by_the_corner(qtbot, window)
    assert "Waarschuwing na 30 seconden, nog 2 minuten" in window.buddy.staff.report.text()
    assert "Dit scherm sluit na 90 seconden zonder aanraking" in window.buddy.staff.report.text()
    clock.advance(60)
    tap_window(window, QPoint(600, 20))  # a tap on the staff screen keeps it open
    clock.advance(89)
    qtbot.wait(1200)  # the window's own one-second timer looks at the clock
    assert window.current_screen() is window.buddy and window.role == Role.STAFF
    clock.advance(2)
    qtbot.waitUntil(lambda: window.current_screen() is window.welcome, timeout=3000)
    assert window.role == Role.LEARNER
    # The next tap is a learner's: staff's actions do nothing any more.
    click(qtbot, window.welcome.begin_button)
    assert window.current_screen() is window.lessons and window.role == Role.LEARNER
    window.buddy.staff.quitChosen.emit()
    assert not window.allow_close


def test_p24_digibuddy_screen_closes_too_and_a_role_ends_with_the_visit(  # type: ignore[no-untyped-def]
        qtbot, make_window, clock, pins) -> None:
    window = make_window(Settings(role_idle_seconds=20), clock=clock)
    click(qtbot, window.welcome.help_button)
    enter_pin(qtbot, window, BUDDY_PIN)
    assert window.current_screen() is window.buddy and window.role == Role.BUDDY
    clock.advance(21)
    window.check_idle()
    assert window.current_screen() is window.welcome and window.role == Role.LEARNER
    # Staff called mid-lesson: ending the visit ends the role.
    window.begin()
    window.open_lesson("tikken")
    open_staff_by_the_corner(qtbot, window)
    window.end_visit("stopped")
    assert window.role == Role.LEARNER
    # And going home ends it.
    open_staff_by_the_corner(qtbot, window)
    click(qtbot, window.buddy.back_button)
    assert window.current_screen() is window.welcome and window.role == Role.LEARNER


# -- P25: wrong picture codes never stop the next visit ----------------------------------------

def test_p25_five_wrong_codes_then_the_next_visit_resumes_with_the_right_one(  # type: ignore[no-untyped-def]
        qtbot, make_window, clock, speaker) -> None:
    window = make_window(clock=clock)
    code = a_visit_with_a_code(window)
    keys = [k for k in window.code_entry.buttons if k not in code.split("-")]
    click(qtbot, window.welcome.resume_button)
    for attempt in range(5):
        for key in keys[attempt:attempt + 3]:
            click(qtbot, window.code_entry.buttons[key])
        assert "probeer het nog eens" in speaker.said[-1][0]
    for key in code.split("-"):  # the stranger's visit has had its tries, even with a right code
        click(qtbot, window.code_entry.buttons[key])
    assert "vraag hulp aan de digibuddy" in speaker.said[-1][0].lower()
    assert window.current_screen() is window.code_entry
    click(qtbot, window.code_entry.back_button)  # the stranger leaves
    clock.advance(30)
    click(qtbot, window.welcome.resume_button)  # the next resident
    for key in code.split("-"):
        click(qtbot, window.code_entry.buttons[key])
    assert window.current_screen() is window.lesson
    assert window.lesson.lesson.id == "tikken" and window.lesson.step.number == 2


def test_p25_code_entry_left_alone_goes_home(qtbot, make_window, clock) -> None:  # type: ignore[no-untyped-def]
    window = make_window(Settings(idle_seconds=30, idle_warning_seconds=120), clock=clock)
    click(qtbot, window.welcome.resume_button)
    clock.advance(31)
    window.check_idle()
    assert window.idle_warning.isVisible()
    clock.advance(120)
    window.check_idle()
    assert window.current_screen() is window.welcome and not window.idle_warning.isVisible()


# -- what staff and digibuddies do ---------------------------------------------------------------

def test_staff_app_sluiten_leaves_kiosk_mode_and_exits_3(qtbot, make_window, pins) -> None:  # type: ignore[no-untyped-def]
    window = make_window(kiosk_mode=True)
    open_staff_by_the_corner(qtbot, window)
    if not window.buddy.showing_settings():
        click(qtbot, window.buddy.switch_button)
    assert run_event_loop(lambda: click(qtbot, window.buddy.staff.quit_button)) == 3
    assert window.allow_close


def test_a_digibuddy_opens_a_learners_visit_where_it_was(qtbot, make_window, clock, pins) -> None:  # type: ignore[no-untyped-def]
    window = make_window(Settings(idle_seconds=60), clock=clock)
    code = a_visit_with_a_code(window)
    click(qtbot, window.welcome.help_button)
    enter_pin(qtbot, window, BUDDY_PIN)
    (summary,) = window.buddy.sessions
    assert summary.code == code
    click(qtbot, window.buddy.row_buttons[summary.session_id][0])  # "Openen"
    assert window.current_screen() is window.lesson and window.lesson.step.number == 2
    assert window.role == Role.LEARNER  # the PC is the learner's now
    clock.advance(61)
    window.check_idle()  # and the learner's idle policy runs
    assert window.idle_warning.isVisible()


def test_home_in_mid_lesson_goes_to_the_lessons_and_keeps_the_step(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")
    click(qtbot, window.lesson.next_button)
    step = window.lesson.step.number
    click(qtbot, window.lesson.home_button)
    assert window.current_screen() is window.lessons
    assert window.visit.started  # the visit goes on
    window.open_lesson("tikken")
    assert window.lesson.step.number == step


def test_the_picture_code_shows_even_when_a_spoken_word_arrives_after_the_lesson_closed(  # type: ignore[no-untyped-def]
        qtbot, make_window, speaker) -> None:
    window = make_window()
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")  # read aloud: the step's text is what is spoken
    click(qtbot, window.lesson.next_button)
    window.show_lessons()
    click(qtbot, window.lessons.stop_button)
    assert window.current_screen() is window.code
    speaker.wordChanged.emit(0, 4)  # the player's last word, after the lesson closed
    assert window.current_screen() is window.code and window.code.code


def test_the_picture_code_is_in_the_residents_language_after_the_visit_ends(  # type: ignore[no-untyped-def]
        qtbot, make_window, speaker) -> None:
    """The app goes back to its usual language for the next person, but the "remember these
    three pictures" screen is for the one leaving: in Arabic, right to left, spoken in Arabic."""
    window = make_window()
    click(qtbot, window.welcome.begin_button)
    window.choose_language("ar")
    window.open_lesson("tikken")
    click(qtbot, window.lesson.next_button)
    window.show_lessons()
    click(qtbot, window.lessons.stop_button)
    assert window.current_screen() is window.code
    assert window.t.language == "nl"  # the next person starts in the usual language
    arabic = window.code.t
    assert arabic.language == "ar"
    assert window.code.heading.text() == arabic.gettext("Tot ziens!") != "Tot ziens!"
    assert window.code.layoutDirection() == Qt.LayoutDirection.RightToLeft
    text, language = speaker.said[-1][:2]
    assert language == "ar" and text == window.code.message.label.plain_text()
    assert "Onthoud" not in text
    click(qtbot, window.code.done_button)
    assert window.current_screen() is window.welcome and window.t.language == "nl"


def test_a_picture_code_left_on_screen_goes_home_by_itself(qtbot, make_window, clock) -> None:  # type: ignore[no-untyped-def]
    """The resident walked away from the "Tot ziens!" screen: after ``idle_seconds`` untouched
    the home screen shows, so the next person does not find their code; a tap restarts the
    wait."""
    window = make_window(Settings(idle_seconds=60, idle_warning_seconds=30), clock=clock)
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")
    click(qtbot, window.lesson.next_button)
    window.end_visit("stopped")
    assert window.current_screen() is window.code and window.code.code
    clock.advance(50)
    window.visit.on_input()  # someone is still reading it
    clock.advance(50)
    window.check_idle()
    assert window.current_screen() is window.code and not window.idle_warning.isVisible()
    clock.advance(11)
    window.check_idle()
    assert window.current_screen() is window.welcome
    clock.advance(600)
    window.check_idle()  # the home screen then waits for the next person, as ever
    assert window.current_screen() is window.welcome
