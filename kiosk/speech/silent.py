"""A speaker that never makes a sound: for pictures of screens and for tests of screens.

It implements the ``Speaker`` protocol (``kiosk.speech.protocol``) without any audio: no
QtMultimedia, no synthesis worker. It has a voice for every language, so screens draw their
read-aloud buttons as they would with a working engine.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Signal

from kiosk.speech.protocol import IDLE


class SilentSpeaker(QObject):
    """Remembers the last text it was asked to say; plays nothing."""

    stateChanged = Signal(str)
    wordChanged = Signal(int, int)

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.state = IDLE
        self.rate = "normal"
        self.text = ""
        self.language = ""
        self.chime = ""

    def available(self, language: str) -> bool | None:
        return True

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        self.text, self.language, self.chime = text, language, chime

    def stop(self) -> None:
        self._set_state(IDLE)

    def prefetch(self, texts: list[str], language: str) -> None:
        pass

    def warm_up(self) -> None:
        pass

    def forget(self) -> None:
        self.text = ""

    def set_rate(self, rate: str) -> None:
        self.rate = rate

    def shutdown(self) -> None:
        self.stop()

    def _set_state(self, state: str) -> None:
        """As the playing speaker reports a change: subclasses in tests of screens play a part."""
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
