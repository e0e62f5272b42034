"""P4 at start: a store that cannot be opened, or that another program holds locked, leaves the
resident a working app (progress kept in memory) and the staff log one line that says so."""

from __future__ import annotations

import sqlite3
import time

from PySide6.QtCore import Qt

from kiosk.core.paths import AppPaths


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def a_lesson_goes_on(qtbot, window) -> None:  # type: ignore[no-untyped-def]
    assert window.current_screen() is window.welcome
    click(qtbot, window.welcome.begin_button)
    window.open_lesson("tikken")
    lesson = window.lesson
    click(qtbot, lesson.next_button)
    assert lesson.step.number == 2
    x, y, w, h = lesson.step.target
    lesson.tap_at(x + w / 2, y + h / 2)
    click(qtbot, lesson.next_button)
    assert lesson.step.number == 3
    assert window.services.progress.step_of("tikken") == 3  # kept in memory


def test_p04_a_store_that_cannot_be_opened(qtbot, make_window, paths: AppPaths, caplog) -> None:  # type: ignore[no-untyped-def]
    paths.store_file.mkdir(parents=True)  # a folder where the database file should be
    window = make_window()
    assert not window.services.progress.saving
    a_lesson_goes_on(qtbot, window)
    lines = [r for r in caplog.records if getattr(r, "event", "") == "store_unavailable"]
    assert len(lines) == 1 and str(paths.store_file) in lines[0].getMessage()


def test_p04_a_store_locked_by_another_program(qtbot, make_window, paths: AppPaths,  # type: ignore[no-untyped-def]
                                               caplog) -> None:
    paths.data.mkdir(parents=True)
    holder = sqlite3.connect(paths.store_file, isolation_level=None)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("CREATE TABLE held (x)")
    holder.execute("BEGIN EXCLUSIVE")
    try:
        started = time.monotonic()
        window = make_window()
        waited = time.monotonic() - started
        print(f"P4: started in {waited:.1f} s with the store locked")
        a_lesson_goes_on(qtbot, window)
        window.services.progress.flush()
        problems = [r for r in caplog.records if r.levelname == "ERROR"
                    and getattr(r, "event", "").startswith("store_")]
        assert problems, "the staff log says the store could not be used"
    finally:
        holder.close()
