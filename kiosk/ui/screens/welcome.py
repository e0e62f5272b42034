"""The home screen: "Begin" for a new visit, "Verder gaan" with a picture code, and one button
for the language.

The languages sit behind that one button (rule 8: at most five main choices on a screen). Its
label says "language" in every offered language, each in its own script, so that a resident
who reads no Dutch still finds it; a tap shows the other languages, each by its own name.
"""

from __future__ import annotations

from PySide6.QtCore import QLocale, QSize, Qt, Signal
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedLayout,
    QVBoxLayout,
    QWidget,
)

from kiosk import APP_NAME
from kiosk.core.i18n import Translator, language_name
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton
from kiosk.ui.widgets.spoken import SpokenText

# The word "language" in each language, in its own script: the label of the language button.
LANGUAGE_WORDS = {"nl": "Taal", "fr": "Langue", "en": "Language", "ar": "اَللُّغَة", "tr": "Dil",
                  "uk": "Мова", "de": "Sprache", "es": "Idioma", "pl": "Język", "ro": "Limba"}
MOST_LANGUAGES = 5  # on the language page at once; more behind "Meer"


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

        self.languages = list(languages)
        self.language_button = BigButton("language", theme)
        self.language_button.clicked.connect(self.show_languages)
        self.language_buttons: dict[str, BigButton] = {}
        for code in languages:
            button = BigButton("language", theme)
            button.setText(language_name(code))
            button.setLocale(QLocale(code))
            button.clicked.connect(lambda _=False, c=code: self._chose(c))
            self.language_buttons[code] = button
        self.languages_heading = QLabel()
        self.languages_heading.setProperty("role", "title")
        self.languages_heading.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.languages_grid = QGridLayout()
        self.languages_grid.setSpacing(GAP * 2)
        self.more_button = BigButton("more", theme)
        self.more_button.clicked.connect(self._next_languages)
        self.languages_back = BigButton("back", theme)
        self.languages_back.clicked.connect(self.show_main)
        self._first = 0  # the first language on the language page

        top = QHBoxLayout()
        top.addWidget(self.size_button)
        top.addWidget(self.title, 1)
        top.addWidget(self.help_button)
        choices = QHBoxLayout()
        choices.setSpacing(GAP * 2)
        choices.addWidget(self.begin_button, 1)
        choices.addWidget(self.resume_button, 1)
        main = QWidget()
        layout = QVBoxLayout(main)
        layout.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        layout.setSpacing(GAP * 2)
        layout.addLayout(top)
        layout.addWidget(self.intro)
        layout.addStretch(1)
        layout.addLayout(choices)
        layout.addStretch(1)
        language_row = QHBoxLayout()
        language_row.addStretch(1)
        language_row.addWidget(self.language_button)
        language_row.addStretch(1)
        layout.addLayout(language_row)

        picker = QWidget()
        page = QVBoxLayout(picker)
        page.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        page.setSpacing(GAP * 2)
        page.addWidget(self.languages_heading)
        page.addStretch(1)
        grid_row = QHBoxLayout()
        grid_row.addStretch(1)
        grid_row.addLayout(self.languages_grid, 6)
        grid_row.addStretch(1)
        page.addLayout(grid_row)
        page.addStretch(1)
        bottom = QHBoxLayout()
        bottom.addWidget(self.languages_back)
        bottom.addStretch(1)
        page.addLayout(bottom)

        self.pages = QStackedLayout(self)
        self.pages.addWidget(main)
        self.pages.addWidget(picker)
        self.main_page, self.language_page = main, picker
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
        words = [LANGUAGE_WORDS[c] for c in [t.language, *self.languages]
                 if c in LANGUAGE_WORDS and (c in self.languages or c == t.language)]
        label = " · ".join(dict.fromkeys(words)) or language_name(t.language)
        self.language_button.set_label(label, t.gettext("Kies je taal"))
        self.languages_heading.setText(t.gettext("Kies je taal"))
        self.more_button.set_label(t.gettext("Meer talen"), t.gettext("Toon andere talen"))
        self.languages_back.set_label(t.gettext("Terug"), t.gettext("Ga terug naar het begin"))
        self.languages_back.set_rtl(t.rtl)
        for code, button in self.language_buttons.items():
            button.set_label(language_name(code), t.gettext("Kies deze taal"))
        if self.pages.currentWidget() is self.language_page:
            self._fill_languages()

    def others(self) -> list[str]:
        """The languages the language page offers: all but the one in use."""
        return [c for c in self.languages if c != self.t.language]

    def show_languages(self) -> None:
        self._first = 0
        self._fill_languages()
        self.pages.setCurrentWidget(self.language_page)
        shown = self._shown_languages()
        (self.language_buttons[shown[0]] if shown else self.languages_back).setFocus()

    def show_main(self) -> None:
        self.pages.setCurrentWidget(self.main_page)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        """Coming back to the home screen starts on its main page."""
        self.show_main()
        super().showEvent(event)

    def _shown_languages(self) -> list[str]:
        others = self.others()
        if len(others) <= MOST_LANGUAGES:
            return others
        room = MOST_LANGUAGES - 1  # one place for "Meer"
        return others[self._first:self._first + room]

    def _fill_languages(self) -> None:
        while self.languages_grid.count():
            item = self.languages_grid.takeAt(0)
            if item.widget() is not None:
                item.widget().hide()
        shown = self._shown_languages()
        items = [self.language_buttons[c] for c in shown]
        if len(self.others()) > MOST_LANGUAGES:
            items.append(self.more_button)
        columns = 3 if len(items) > 4 else 2 if len(items) > 1 else 1
        for column in range(3):  # one width for all: no language looks more important
            self.languages_grid.setColumnStretch(column, 1 if column < columns else 0)
        for index, button in enumerate(items):
            button.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
            self.languages_grid.addWidget(button, index // columns, index % columns)
            button.show()

    def _next_languages(self) -> None:
        self._first += MOST_LANGUAGES - 1
        if self._first >= len(self.others()):
            self._first = 0
        self._fill_languages()

    def _chose(self, code: str) -> None:
        self.show_main()
        self.languageChosen.emit(code)
