"""A speaker that never makes a sound: for pictures of screens and for tests of screens.

It is a real ``Speaker`` (the same signals and methods), with a voice for every language, so
screens draw their read-aloud buttons as they would with a working engine.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject

from kiosk.speech.speaker import IDLE, Speaker


class SilentSpeaker(Speaker):
    """Remembers the last text it was asked to say; plays nothing."""

    def __init__(self, parent: QObject | None = None) -> None:
        super().__init__(None, parent)
        self.state = IDLE
        self.chime = ""

    def available(self, language: str) -> bool | None:
        return True

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        self.text, self.language, self.chime = text, language, chime

    def prefetch(self, texts: list[str], language: str) -> None:
        pass

    def warm_up(self) -> None:
        pass
