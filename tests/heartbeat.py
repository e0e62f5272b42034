"""A 5 ms timer on the UI thread; its longest gap is how long the UI was frozen (P18, P27).

A watchdog thread looks at the UI thread whenever the timer is late, so that a test that finds
a freeze can say where the UI thread was (``where``)."""

from __future__ import annotations

import collections
import sys
import threading
import time
import traceback

from PySide6.QtCore import QTimer

LATE = 0.05  # seconds without a beat before the watchdog notes where the UI thread is


class Heartbeat:
    def __init__(self, interval_ms: int = 5) -> None:
        self.last = time.monotonic()
        self.worst = 0.0
        self.seen: collections.Counter[str] = collections.Counter()
        self._ui = threading.get_ident()
        self._stopped = threading.Event()
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.beat)
        self.timer.start()
        threading.Thread(target=self._watch, name="heartbeat-watchdog", daemon=True).start()

    def beat(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def _watch(self) -> None:
        while not self._stopped.wait(0.01):
            if time.monotonic() - self.last > LATE:
                frame = sys._current_frames().get(self._ui)
                if frame is not None:
                    stack = traceback.StackSummary.extract(traceback.walk_stack(frame),
                                                           limit=8, lookup_lines=False)
                    self.seen[" < ".join(f"{f.name} ({_short(f.filename)}:{f.lineno})"
                                         for f in stack)] += 1

    def stop(self) -> float:
        """Stops the timer and the watchdog; the worst gap in seconds."""
        self.timer.stop()
        self._stopped.set()
        return self.worst

    def seen_in(self, *parts: str) -> int:
        """How often the UI thread was found late in a file whose path holds one of ``parts``."""
        return sum(count for stack, count in self.seen.items()
                   if any(part in stack for part in parts))

    def where(self) -> str:
        """Where the UI thread was while the timer was late, most often first."""
        return "; ".join(f"{count}× {stack}" for stack, count in self.seen.most_common(3)) \
            or "nowhere in Python (the process was not scheduled, or Qt itself)"


def _short(path: str) -> str:
    """A frame's file as package/module (kiosk/core/room.py, psycopg/connection.py)."""
    return "/".join(path.replace("\\", "/").rsplit("/", 3)[-3:])
