"""Screens with one message and two big choices: the resume offer and the lesson-done screen."""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtWidgets import QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.speech.protocol import Speaker
from kiosk.ui.icons import icon
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton
from kiosk.ui.widgets.spoken import SpokenText


class MessageScreen(QWidget):
    """A big symbol, a heading, a text read aloud, and a primary and a secondary button."""

    primaryChosen = Signal()
    secondaryChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker, symbol: str,
                 primary: str, secondary: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.speaker = speaker
        self.symbol = QLabel()
        side = round(theme.title_px * 3)
        color = theme.palette.good if symbol == "good" else theme.palette.primary
        if theme.palette.name != "normal":
            color = theme.palette.text
        self.symbol.setPixmap(icon(symbol, color, side=side).pixmap(QSize(side, side)))
        self.symbol.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.heading.setWordWrap(True)
        self.message = SpokenText(theme, translator, speaker)
        self.primary = BigButton(primary, theme, role="primary")
        self.primary.clicked.connect(self.primaryChosen)
        self.secondary = BigButton(secondary, theme)
        self.secondary.clicked.connect(self.secondaryChosen)

        buttons = QHBoxLayout()
        buttons.setSpacing(GAP * 2)
        buttons.addStretch(1)
        buttons.addWidget(self.secondary)
        buttons.addWidget(self.primary)
        buttons.addStretch(1)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(self.message, 4)
        middle.addStretch(1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP * 2)
        layout.addStretch(1)
        layout.addWidget(self.symbol)
        layout.addWidget(self.heading)
        layout.addLayout(middle)
        layout.addLayout(buttons)
        layout.addStretch(1)

    def set_texts(self, translator: Translator, heading: str, message: str,
                  primary: tuple[str, str], secondary: tuple[str, str]) -> None:
        self.t = translator
        self.heading.setText(heading)
        self.message.set_text(message, translator)
        self.primary.set_label(*primary)
        self.secondary.set_label(*secondary)
        rtl = translator.rtl
        self.primary.set_rtl(rtl)
        self.secondary.set_rtl(rtl)

    def speak(self) -> None:
        self.message.speak()
