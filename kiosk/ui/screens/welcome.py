"""The home screen: "Begin" for a new visit, "Verder gaan" with a picture code, and the languages."""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtWidgets import QGridLayout, QHBoxLayout, QLabel, QSizePolicy, QVBoxLayout, QWidget

from kiosk import APP_NAME
from kiosk.core.i18n import Translator, language_name
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton
from kiosk.ui.widgets.spoken import SpokenText


class WelcomeScreen(QWidget):
    beginChosen = Signal()
    resumeChosen = Signal()
    languageChosen = Signal(str)
    helpChosen = Signal()
    textSizeChosen = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 languages: list[str], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.speaker = speaker
        self.title = QLabel(APP_NAME)
        self.title.setProperty("role", "title")
        self.title.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.intro = SpokenText(theme, translator, speaker)
        self.begin_button = BigButton("new", theme, role="primary")
        self.begin_button.clicked.connect(self.beginChosen)
        big = round(theme.target_px * 1.6)
        self.begin_button.setMinimumHeight(big)
        self.begin_button.setIconSize(QSize(big // 2, big // 2))
        self.resume_button = BigButton("resume", theme)
        self.resume_button.clicked.connect(self.resumeChosen)
        self.resume_button.setMinimumHeight(big)
        self.resume_button.setIconSize(QSize(big // 2, big // 2))
        for button in (self.begin_button, self.resume_button):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.help_button = BigButton("buddy", theme)
        self.help_button.clicked.connect(self.helpChosen)
        self.size_button = BigButton("size", theme)
        self.size_button.clicked.connect(self.textSizeChosen)

        self.language_buttons: dict[str, BigButton] = {}
        languages_grid = QGridLayout()
        languages_grid.setSpacing(GAP)
        columns = 3 if len(languages) > 4 else max(1, len(languages))
        for index, code in enumerate(languages):
            button = BigButton("language", theme)
            button.setText(language_name(code))
            button.setLocale(QLocale(code))
            button.clicked.connect(lambda _=False, c=code: self.languageChosen.emit(c))
            self.language_buttons[code] = button
            languages_grid.addWidget(button, index // columns, index % columns)
        languages_row = QHBoxLayout()
        languages_row.addStretch(1)
        languages_row.addLayout(languages_grid)
        languages_row.addStretch(1)

        top = QHBoxLayout()
        top.addWidget(self.size_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.help_button)
        choices = QHBoxLayout()
        choices.setSpacing(GAP * 2)
        choices.addWidget(self.begin_button, 1)
        choices.addWidget(self.resume_button, 1)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP * 2)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addStretch(1)
        layout.addLayout(choices)
        layout.addStretch(1)
        layout.addLayout(languages_row)
        self.retranslate(translator)

    def retranslate(self, translator: Translator) -> None:
        self.t = t = translator
        self.intro.set_text(t.gettext("Welkom! Hier leer je werken met de computer. "
                                      "Tik op Begin."), t)
        self.begin_button.set_label(t.gettext("Begin"), t.gettext("Begin een nieuw bezoek"))
        self.resume_button.set_label(t.gettext("Verder gaan"),
                                     t.gettext("Ga verder met je drie prenten"))
        self.help_button.set_label(t.gettext("Hulp"), t.gettext("Voor de digibuddy"))
        self.size_button.set_label(t.gettext("Tekst"), t.gettext("Maak de tekst groter"))
        for code, button in self.language_buttons.items():
            chosen = code == t.language
            button.setProperty("role", "primary" if chosen else "")
            button.set_label(language_name(code), t.gettext("Kies deze taal"))
            button.style().unpolish(button)
            button.style().polish(button)
            button.refresh_icon()
