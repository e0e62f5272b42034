"""Visits: picture codes, idle warning and reset without a trace, digibuddy and staff roles."""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QAbstractButton, QLabel, QLineEdit
from window_input import tap_window

from kiosk.core.logs import configure_logging
from kiosk.core.paths import AppPaths
from kiosk.core.roles import PinBook, Role
from kiosk.core.settings import Settings
from kiosk.ui.navigator import Navigator

CANARY = "Kanarie7319"
SETTINGS = Settings(idle_seconds=300, idle_warning_seconds=120)


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def go_to_type_step(qtbot, window: Navigator) -> None:  # type: ignore[no-untyped-def]
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("typen")
    lesson = window.lesson
    while lesson.step.kind != "type":
        if lesson.step.kind == "tap":
            x, y, w, h = lesson.step.target
            lesson.tap_at(x + w / 2, y + h / 2)
        click(qtbot, lesson.next_button)


def every_text(window: Navigator) -> str:
    """What any widget of the window shows or holds, plus the clipboard."""
    parts = []
    for widget in window.findChildren(QLineEdit):
        parts.append(widget.text())
    for widget in window.findChildren(QLabel):
        parts.append(widget.text())
    for widget in window.findChildren(QAbstractButton):
        parts.append(widget.text())
    parts.append(QGuiApplication.clipboard().text())
    parts.append(window.services.speaker.text)
    return "\n".join(parts)


def test_p06_idle_warning_is_shown_spoken_and_a_tap_keeps_the_visit(qtbot, make_window, clock,  # type: ignore[no-untyped-def]
                                                                     speaker) -> None:
    window = make_window(SETTINGS, clock=clock)
    click(qtbot, window.welcome.begin_button)
    session = window.services.progress.session_id
    clock.advance(299)
    window.check_idle()
    assert not window.idle_warning.isVisible()
    clock.advance(2)
    window.check_idle()
    assert window.idle_warning.isVisible()
    assert "Ben je er nog?" in window.idle_warning.heading.text()
    assert window.idle_warning.countdown.text() == "Nog 1:59"
    assert speaker.said[-1][0] == window.idle_warning.message.label.plain_text()
    clock.advance(60)
    window.check_idle()
    assert window.idle_warning.countdown.text() == "Nog 0:59"
    click(qtbot, window.idle_warning.stay_button)
    window.check_idle()
    assert not window.idle_warning.isVisible()
    assert window.services.progress.session_id == session
    assert window.stack.currentWidget() is window.lessons


def test_p06_any_input_cancels_the_warning(qtbot, make_window, clock) -> None:  # type: ignore[no-untyped-def]
    window = make_window(SETTINGS, clock=clock)
    click(qtbot, window.welcome.begin_button)
    clock.advance(310)
    window.check_idle()
    assert window.idle_warning.isVisible()
    tap_window(window, window.lessons.title.mapTo(window, window.lessons.title.rect().center()))
    window.check_idle()
    assert not window.idle_warning.isVisible()


def test_p07_after_an_idle_reset_the_next_person_sees_no_trace(qtbot, make_window, clock) -> None:  # type: ignore[no-untyped-def]
    window = make_window(SETTINGS, clock=clock)
    go_to_type_step(qtbot, window)
    field = window.lesson.picture.field
    field.setText(CANARY)
    field.selectAll()
    field.copy()
    assert CANARY in every_text(window)
    window.choose_language("ar")
    clock.advance(300 + 120 + 1)
    window.check_idle()
    assert window.stack.currentWidget() is window.welcome
    assert not window.idle_warning.isVisible()
    assert CANARY not in every_text(window)
    assert window.lesson.lesson is None
    assert window.t.language == "nl"  # the next person starts in the default language
    assert window.services.progress.session_id is None
    assert window.services.speaker.text == ""


def test_p08_no_typed_text_survives_on_disk(qtbot, make_window, clock, paths: AppPaths,  # type: ignore[no-untyped-def]
                                            tmp_path: Path, monkeypatch) -> None:
    temp = tmp_path / "tmp"
    temp.mkdir()
    monkeypatch.setenv("TMPDIR", str(temp))
    log_file = configure_logging(paths.log, logging.DEBUG)  # as the app logs, and more
    assert log_file is not None
    try:
        window = make_window(SETTINGS, clock=clock)
        go_to_type_step(qtbot, window)
        field = window.lesson.picture.field
        field.setText(CANARY)
        window.lesson.check_typed()  # wrong answer: a try is recorded, the text is not
        clock.advance(300 + 120 + 1)
        window.check_idle()
        window.services.progress.flush()
        for handler in logging.getLogger("kiosk").handlers:
            handler.flush()
    finally:
        configure_logging(None)
    events = [json.loads(line)["event"] for line in log_file.read_text("utf-8").splitlines()]
    assert "idle_reset" in events  # the log file is real and has the visit in it
    roots = [paths.data, paths.log, paths.cache, temp]
    files = [p for root in roots if root.exists() for p in root.rglob("*") if p.is_file()]
    assert any(p.name.startswith("progress.sqlite3") for p in files) and log_file in files
    for path in files:
        assert CANARY.encode() not in path.read_bytes(), path
        assert CANARY.encode("utf-16-le") not in path.read_bytes(), path


def test_picture_code_ends_the_visit_and_brings_the_learner_back(qtbot, make_window, speaker) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    assert len(window.services.pictograms) >= 16
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")
    click(qtbot, window.lesson.next_button)  # to step 2, a tap step not done yet
    reached = window.lesson.step.number
    assert reached == 2
    window.show_lessons()
    click(qtbot, window.lessons.stop_button)
    assert window.stack.currentWidget() is window.code
    code = window.code.code
    assert len(code.split("-")) == 3 and len(set(code.split("-"))) == 3
    names = window.code.message.label.plain_text()
    assert speaker.said[-1][0] == names  # shown and spoken
    click(qtbot, window.code.done_button)
    assert window.stack.currentWidget() is window.welcome

    click(qtbot, window.welcome.resume_button)
    entry = window.code_entry
    wrong = [k for k in entry.buttons if k not in code.split("-")][:3]
    for key in wrong:
        click(qtbot, entry.buttons[key])
    assert window.stack.currentWidget() is entry
    assert "probeer het nog eens" in speaker.said[-1][0]
    assert entry.chosen == []
    for key in code.split("-"):
        click(qtbot, entry.buttons[key])
    assert window.stack.currentWidget() is window.lesson
    assert window.lesson.lesson.id == "tikken" and window.lesson.step.number == reached


def test_codes_are_unique_among_live_sessions(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    codes = set()
    for _ in range(30):
        window.begin()
        window.open_lesson("tikken")
        codes.add(window.end_visit("stopped"))
    assert len(codes) == 30


def test_wrong_codes_are_limited(qtbot, make_window, speaker) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.ask_code()
    keys = list(window.code_entry.buttons)
    for attempt in range(6):
        for key in keys[attempt:attempt + 3]:
            window.code_entry.pick(key)
    assert "vraag hulp aan de digibuddy" in speaker.said[-1][0].lower()


def test_p11_retention_purges_old_sessions_at_start(qtbot, make_window, clock, paths) -> None:  # type: ignore[no-untyped-def]
    window = make_window(Settings(retention_days=30), clock=clock)
    window.begin()
    window.open_lesson("tikken")
    kept = window.end_visit("stopped")
    clock.advance(2 * 86400)
    window.begin()
    window.open_lesson("tikken")
    code = window.end_visit("stopped")
    assert code and kept and code != kept
    window.services.progress.flush()
    window.services.progress.close()
    clock.advance(29 * 86400)  # the first visit is 31 days old now, the second 29
    again = make_window(Settings(retention_days=30), clock=clock)
    assert again.services.progress.resume_code(kept) is None
    assert again.services.progress.resume_code(code) is not None
    again.services.progress.flush()
    raw = b"".join(p.read_bytes() for p in paths.data.glob("progress.sqlite3*"))
    assert kept.encode() not in raw


def test_p11_a_digibuddy_erases_a_session_by_its_picture_code(qtbot, make_window, paths) -> None:  # type: ignore[no-untyped-def]
    PinBook(paths.user_config, paths.data, lambda: 0.0).set_pin(Role.BUDDY, "2468")
    window = make_window()
    codes = []
    for _ in range(2):
        window.begin()
        window.open_lesson("tikken")
        codes.append(window.end_visit("stopped"))
    code = codes[0]  # the resident's card
    window.staff.ask_pin(Role.BUDDY)
    for digit in "2468":
        window.pin_pad.press(digit)
    click(qtbot, window.pin_pad.ok_key)
    assert window.stack.currentWidget() is window.buddy
    (summary,) = [s for s in window.buddy.sessions if s.code == code]
    assert summary.current_lesson == "tikken"
    click(qtbot, window.buddy.row_buttons[summary.session_id][1])  # "Wissen" asks "Zeker wissen?"
    assert summary in window.buddy.sessions
    click(qtbot, window.buddy.row_buttons[summary.session_id][1])
    assert [s.code for s in window.buddy.sessions] == [codes[1]]
    window.services.progress.flush()
    raw = b"".join(p.read_bytes() for p in paths.data.glob("progress.sqlite3*"))
    assert code.encode() not in raw
    assert window.services.progress.resume_code(code) is None


def test_p14_pin_needed_stored_only_as_hash_and_locked_after_failures(qtbot, make_window, clock,  # type: ignore[no-untyped-def]
                                                                      paths) -> None:
    PinBook(paths.user_config, paths.data, clock).set_pin(Role.STAFF, "97531")
    for path in paths.user_config.rglob("*"):
        if path.is_file():
            assert b"97531" not in path.read_bytes()
    window = make_window(clock=clock)
    window.staff.ask_pin(Role.STAFF)
    for _ in range(5):
        for digit in "1111":
            window.pin_pad.press(digit)
        window.pin_pad.submit()
    assert window.stack.currentWidget() is window.pin_pad
    for digit in "97531":
        window.pin_pad.press(digit)
    window.pin_pad.submit()
    assert window.stack.currentWidget() is window.pin_pad  # right PIN, but locked out
    assert "Te veel foute pogingen" in window.pin_pad.status.text()
    clock.advance(301)
    for digit in "97531":
        window.pin_pad.press(digit)
    window.pin_pad.submit()
    assert window.stack.currentWidget() is window.buddy
    assert window.role == Role.STAFF


def test_staff_corner_gesture_asks_for_the_staff_pin(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    for _ in range(5):
        tap_window(window, QPoint(10, 10))
    assert window.stack.currentWidget() is window.pin_pad
    assert window.pin_pad.role == Role.STAFF


@pytest.mark.parametrize("language", ["ar", "uk"])
def test_language_choice_switches_the_whole_app_and_my_language_toggles_a_step(
        qtbot, make_window, speaker, language) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, window.welcome.language_button)  # the languages are behind one button
    click(qtbot, window.welcome.language_buttons[language])
    assert window.t.language == language
    assert window.welcome.pages.currentWidget() is window.welcome.main_page
    assert speaker.said[-1] == (window.welcome.language_buttons[language].text(), language)
    assert (window.layoutDirection() == Qt.LayoutDirection.RightToLeft) == (language == "ar")
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")
    lesson = window.lesson
    translated = lesson.text.plain_text()
    assert lesson.language_button.isVisible()
    click(qtbot, lesson.language_button)
    assert lesson.text.plain_text() == lesson.step.text  # Dutch
    assert speaker.said[-1] == (lesson.step.text, "nl")
    click(qtbot, lesson.language_button)
    assert lesson.text.plain_text() == translated
    assert speaker.said[-1][1] == language


def test_text_size_grows_with_one_tap_and_the_lesson_stays(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken", 3)
    body = window.theme.body_px
    window.next_text_size()
    assert window.theme.body_px > body
    assert window.lesson.step.number == 3
    assert window.stack.currentWidget() is window.lesson




def test_the_resident_slows_the_voice_down_with_one_tap(qtbot, make_window, speaker) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    click(qtbot, window.welcome.begin_button)
    assert speaker.rate == "normal" and window.lessons.speed_button.text() == "Trager"
    click(qtbot, window.lessons.speed_button)
    assert speaker.rate == "slow" and window.lessons.speed_button.text() == "Gewoon"
    assert speaker.said[-1][0] == window.lessons.intro.label.plain_text()  # heard at once
    window.end_visit("stopped")
    assert speaker.rate == "normal"  # the next person starts at the configured speed


def test_the_picture_code_card_is_a_printable_pdf(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.begin()
    window.open_lesson("tikken")
    window.end_visit("stopped")
    card = window.code.card_pdf(tmp_path / "kaart.pdf")
    data = card.read_bytes()
    assert data.startswith(b"%PDF") and len(data) > 2000
    assert window.code.print_button.isVisible()
