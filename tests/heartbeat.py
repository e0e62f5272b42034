"""A 5 ms timer on the UI thread; its longest gap is how long the UI was frozen (P18, P27)."""

from __future__ import annotations

import time

from PySide6.QtCore import QTimer


class Heartbeat:
    def __init__(self, interval_ms: int = 5) -> None:
        self.last = time.monotonic()
        self.worst = 0.0
        self.timer = QTimer()
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.beat)
        self.timer.start()

    def beat(self) -> None:
        now = time.monotonic()
        self.worst = max(self.worst, now - self.last)
        self.last = now

    def stop(self) -> float:
        """Stops the timer; the worst gap in seconds."""
        self.timer.stop()
        return self.worst
