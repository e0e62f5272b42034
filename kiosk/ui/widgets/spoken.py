"""A text with its own speaker button: reads it aloud and lights up each word as it is spoken."""

from __future__ import annotations

from PySide6.QtCore import Slot
from PySide6.QtWidgets import QHBoxLayout, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.speech.protocol import PREPARING, SPEAKING, UNAVAILABLE, Speaker
from kiosk.ui.theme import GAP, Theme
from kiosk.ui.widgets.controls import BigButton, SpokenLabel


class SpeakButton(BigButton):
    """Reads a text aloud; while it speaks it becomes a stop button; shows when there is no voice."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__("speak", theme, parent=parent)
        self.speaking = False

    def show_state(self, state: str, available: bool | None, t: Translator) -> None:
        self.speaking = state in (SPEAKING, PREPARING)
        if available is False or state == UNAVAILABLE:
            self.set_meaning("mute")
            self.set_label(t.gettext("Geen stem"), t.gettext("Voorlezen werkt niet op deze computer"))
            self.setEnabled(False)
        elif self.speaking:
            self.set_meaning("stop")
            self.set_label(t.gettext("Stop"), t.gettext("Stop met voorlezen"))
            self.setEnabled(True)
        else:
            self.set_meaning("speak")
            self.set_label(t.gettext("Lees voor"), t.gettext("Lees deze tekst voor"))
            self.setEnabled(True)


class SpokenText(QWidget):
    """A speaker button above a text. Only the panel that started speaking follows the words."""

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 role: str = "lead", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.t = translator
        self.speaker = speaker
        self.button = SpeakButton(theme)
        self.button.clicked.connect(self.toggle)
        self.label = SpokenLabel(theme, role=role)
        self._mine = False
        row = QHBoxLayout()
        row.addWidget(self.button)
        row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(GAP)
        layout.addLayout(row)
        layout.addWidget(self.label)
        speaker.stateChanged.connect(self._on_state)
        speaker.wordChanged.connect(self._on_word)
        self._on_state(speaker.state)

    def set_text(self, text: str, translator: Translator) -> None:
        self.t = translator
        self.label.set_plain(text)
        self._on_state(self.speaker.state)

    def speak(self) -> None:
        self.speaker.say(self.label.plain_text(), self.t.language)
        self._mine = True  # after say(): its stop() ends whoever spoke before
        self._on_state(self.speaker.state)  # say() may have started playing already: show "Stop"

    @Slot()
    def toggle(self) -> None:
        if self.button.speaking and self._mine:
            self.speaker.stop()
        else:
            self.speak()

    @Slot(str)
    def _on_state(self, state: str) -> None:
        if state not in (SPEAKING, PREPARING):
            self._mine = False
        shown = state if self._mine or state in (UNAVAILABLE,) else "idle"
        self.button.show_state(shown, self.speaker.available(self.t.language), self.t)

    @Slot(int, int)
    def _on_word(self, start: int, length: int) -> None:
        self.label.highlight(start if self._mine else -1, length)
