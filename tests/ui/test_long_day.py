"""A kiosk runs all day: nothing may leak references to None (a PySide6 6.12.0 bug made the
interpreter abort after some thousands of steps on Python 3.11)."""

from __future__ import annotations

import gc
import sys


def test_a_thousand_steps_keep_none_alive(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.begin()
    window.open_lesson("tikken")
    lesson = window.lesson
    steps = range(1, len(lesson.lesson.steps) + 1)
    for number in steps:  # first visits fill caches
        lesson.show_step(number)
    # Garbage left by earlier tests holds references to None too; collect it first so that only
    # what these steps do is counted.
    gc.collect()
    before = sys.getrefcount(None)
    for round_ in range(125):
        for number in steps:
            lesson.show_step(number)
            window.repaint()
    gc.collect()
    after = sys.getrefcount(None)
    # New objects may hold a few references to None; a leak loses thousands.
    assert after > before - 500, f"None lost {before - after} references over 1,000 steps"
