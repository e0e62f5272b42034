"""The staff menu: what staff change there holds now and after a restart; visitors cannot."""

from __future__ import annotations

import tomllib

from PySide6.QtCore import Qt

from kiosk.core.paths import AppPaths
from kiosk.core.roles import PinBook, Role
from kiosk.core.settings import STAFF_FILE, Settings, settings_files

PIN = "97531"


def open_staff_menu(window, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    window.staff.ask_pin(Role.STAFF)
    for digit in PIN:
        window.pin_pad.press(digit)
    window.pin_pad.submit()
    assert window.role == Role.STAFF and window.buddy.showing_settings()


def settings_at_start(paths: AppPaths) -> Settings:
    return Settings.load(settings_files(paths.site_config, paths.user_config, None))


def test_staff_choices_hold_now_and_after_a_restart(qtbot, make_window, paths) -> None:  # type: ignore[no-untyped-def]
    PinBook(paths.user_config, paths.data, lambda: 0.0).set_pin(Role.STAFF, PIN)
    window = make_window(settings_at_start(paths))
    open_staff_menu(window, paths)
    staff = window.buddy.staff

    qtbot.mouseClick(staff.language_buttons["tr"], Qt.MouseButton.LeftButton)
    assert "tr" not in window.services.settings.languages
    assert "tr" not in window.welcome.language_buttons  # the home screen no longer offers it
    staff = window.buddy.staff  # the screens were built anew
    assert window.stack.currentWidget() is window.buddy and window.buddy.showing_settings()
    assert window.role == Role.STAFF
    assert staff.language_buttons["tr"].meaning == "bad"
    assert not staff.language_buttons["nl"].isEnabled()  # the default language stays offered

    qtbot.mouseClick(staff.longer_button, Qt.MouseButton.LeftButton)
    assert window.visit.idle.idle_seconds == 360
    qtbot.mouseClick(window.buddy.staff.size_button, Qt.MouseButton.LeftButton)
    assert window.theme.scale > 1.0

    saved = tomllib.loads((paths.user_config / STAFF_FILE).read_text(encoding="utf-8"))
    assert saved == {"languages": ["nl", "fr", "en", "ar", "uk"], "idle_seconds": 360,
                     "text_size": "A+"}
    again = settings_at_start(paths)
    assert (again.languages, again.idle_seconds, again.text_size) == (
        ["nl", "fr", "en", "ar", "uk"], 360, "A+")

    # Switching back offers the language again, in its usual place.
    qtbot.mouseClick(window.buddy.staff.language_buttons["tr"], Qt.MouseButton.LeftButton)
    assert settings_at_start(paths).languages == ["nl", "fr", "en", "ar", "tr", "uk"]


def test_a_staff_choice_that_cannot_be_saved_is_said_and_still_holds(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                     paths) -> None:
    PinBook(paths.user_config, paths.data, lambda: 0.0).set_pin(Role.STAFF, PIN)
    (paths.user_config / STAFF_FILE).mkdir(parents=True)  # a folder where the file should be
    window = make_window()
    open_staff_menu(window, paths)
    qtbot.mouseClick(window.buddy.staff.shorter_button, Qt.MouseButton.LeftButton)
    assert window.visit.idle.idle_seconds == 240
    report = window.buddy.staff.report.text()
    assert "staff.toml: the staff choice cannot be saved" in report
    assert report.count("\n✗") == 1


def test_buddies_and_visitors_cannot_change_staff_settings(qtbot, make_window, paths) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.staff.open_role(Role.BUDDY)  # as after the digibuddy PIN
    window.staff.toggle_language("fr")
    window.staff.change_idle(1)
    window.staff.text_size()
    assert window.services.settings == Settings()
    assert not (paths.user_config / STAFF_FILE).exists()


def test_the_next_visit_starts_at_the_usual_text_size(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.begin()
    qtbot.mouseClick(window.lessons.size_button, Qt.MouseButton.LeftButton)
    assert window.theme.scale > 1.0
    window.end_visit("stopped")
    assert window.theme.scale == 1.0
