"""One writer: every SQL statement of the progress store runs on the writer thread, never on the
UI thread, through a whole visit on real widgets (begin, steps, a wrong try, a picture code, the
code typed in again, the digibuddy list, an erase, the retention purge at start)."""

from __future__ import annotations

import sqlite3
import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

from PySide6.QtCore import Qt

from kiosk.core.settings import Settings


@contextmanager
def sql_calls() -> Iterator[list[tuple[str, str]]]:
    """(thread name, call) for every call into sqlite3 made by any thread meanwhile."""
    seen: list[tuple[str, str]] = []

    def profile(frame, event, arg):  # type: ignore[no-untyped-def]
        if event == "c_call":
            owner = getattr(arg, "__self__", None)
            if isinstance(owner, (sqlite3.Connection, sqlite3.Cursor)) or arg is sqlite3.connect:
                seen.append((threading.current_thread().name, arg.__name__))

    threading.setprofile(profile)
    sys.setprofile(profile)
    try:
        yield seen
    finally:
        sys.setprofile(None)
        threading.setprofile(None)  # type: ignore[arg-type]


def test_the_ui_thread_never_runs_sql_through_a_whole_visit(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    with sql_calls() as seen:
        window = make_window(Settings(retention_days=30))  # opens the store, purges, offers
        window.begin()
        window.open_lesson("tikken")
        lesson = window.lesson
        qtbot.mouseClick(lesson.next_button, Qt.MouseButton.LeftButton)
        window.services.progress.wrong_try("tikken", lesson.step.number)
        reached = lesson.step.number
        code = window.end_visit("stopped")
        assert code
        offer = window.services.progress.resume_code(code)
        assert offer is not None and offer.lesson_id == "tikken" and offer.step == reached
        window.end_visit("stopped")
        (summary,) = window.services.progress.overview()
        assert summary.code == code
        window.services.progress.erase(summary.session_id)
        assert window.services.progress.overview() == []
        window.services.progress.flush()
    on_ui = [call for name, call in seen if name == threading.main_thread().name]
    print(f"one writer: {len(seen)} sqlite3 calls, {len(on_ui)} on the UI thread")
    assert len(seen) > 20  # the hook saw the store at work
    assert {name for name, _ in seen} == {"progress-writer"}
    assert on_ui == []
