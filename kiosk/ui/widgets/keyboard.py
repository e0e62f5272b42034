"""A large on-screen keyboard, so a resident never needs the physical one.

Keys act on release like every button, take no focus (the field keeps it), and each has a
spoken-style accessible name. One tap on ⇧ makes the next letter a capital.
"""

from __future__ import annotations

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtWidgets import QHBoxLayout, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.ui.icons import icon
from kiosk.ui.theme import GAP, TARGET, Theme

LAYOUTS = {
    "azerty": ("azertyuiop", "qsdfghjklm", "wxcvbn"),
    "qwerty": ("qwertyuiop", "asdfghjkl", "zxcvbnm"),
}
DIGITS = "1234567890"
MARKS = "@.-_"


class OnScreenKeyboard(QWidget):
    typed = Signal(str)
    erased = Signal()
    submitted = Signal()

    def __init__(self, theme: Theme, translator: Translator, layout: str = "azerty",
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.capital = False
        self.letter_keys: list[QPushButton] = []
        self.digit_row = QWidget()
        rows = QVBoxLayout(self)
        rows.setContentsMargins(0, 0, 0, 0)
        rows.setSpacing(GAP)
        digits = QHBoxLayout(self.digit_row)
        digits.setContentsMargins(0, 0, 0, 0)
        digits.setSpacing(GAP)
        for character in DIGITS:
            digits.addWidget(self._key(character, character))
        rows.addWidget(self.digit_row)
        first, second, third = LAYOUTS.get(layout, LAYOUTS["azerty"])
        self.shift_key = self._special("", self.toggle_capital)
        self.erase_key = self._special("", self.erased.emit)
        self.space_key = self._special("␣", lambda: self.typed.emit(" "))
        self.space_key.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)
        self.done_key = self._special("", self.submitted.emit)
        self.done_key.setProperty("role", "primary")
        # Keys with a word ("Spatie", "Велика літера") are sized by it, in body text of at most
        # 30 px: a least width would let the row squeeze them below what the word needs in a
        # wider font, and larger words would not leave the letters their 64 px.
        for worded in (self.shift_key, self.erase_key, self.space_key, self.done_key):
            worded.setStyleSheet(self._key_style(worded=True))
        # Icons, not ⇧ ⌫ ✓ characters: not every font has those glyphs.
        side = 32
        p = theme.palette
        for key, meaning, color in ((self.shift_key, "capital", p.secondary_text),
                                    (self.erase_key, "erase", p.secondary_text),
                                    (self.done_key, "good", p.primary_text)):
            key.setIcon(icon(meaning, color))
            key.setIconSize(QSize(side, side))
        self.mark_keys = [self._key(mark, mark) for mark in MARKS]
        # Three rows, so the pictured screen keeps room above: letters, then ⇧ … @ . - space.
        layout_rows = (
            [self._letter(c) for c in first] + [self.erase_key],
            [self._letter(c) for c in second] + [self.done_key],
            [self.shift_key] + [self._letter(c) for c in third]
            + self.mark_keys + [self.space_key],
        )
        for keys in layout_rows:
            row = QHBoxLayout()
            row.setSpacing(GAP)
            for key in keys:
                row.addWidget(key, 1 if key is self.space_key else 0)
            rows.addLayout(row)
        # A Latin keyboard keeps its order in a right-to-left language too.
        self.setLayoutDirection(Qt.LayoutDirection.LeftToRight)
        self.retranslate(translator)

    def _button(self, text: str) -> QPushButton:
        button = QPushButton(text)
        button.setFocusPolicy(Qt.FocusPolicy.NoFocus)
        # Keys stay 64 px at every text size (the whole keyboard must fit under the picture);
        # their letters grow with the text size up to 36 px.
        button.setStyleSheet(self._key_style())
        return button

    def _key_style(self, worded: bool = False) -> str:
        inner = TARGET - 14  # the style sheet's sizes leave out border and padding
        if worded:
            return f"padding: 4px 8px; font-size: {min(30, self.theme.body_px)}px; " \
                   f"min-height: {inner}px;"
        letters = min(36, self.theme.heading_px)
        return f"padding: 4px; font-size: {letters}px; min-width: {inner}px; min-height: {inner}px;"

    def _key(self, label: str, character: str) -> QPushButton:
        button = self._button(label)
        button.setAccessibleName(character)
        button.clicked.connect(lambda _=False, c=character: self.typed.emit(c))
        return button

    def _letter(self, letter: str) -> QPushButton:
        button = self._button(letter)
        button.setAccessibleName(letter)
        button.clicked.connect(lambda _=False, b=button: self._type_letter(b.text()))
        self.letter_keys.append(button)
        return button

    def _special(self, label: str, action) -> QPushButton:  # type: ignore[no-untyped-def]
        button = self._button(label)
        button.clicked.connect(action)
        return button

    def retranslate(self, translator: Translator) -> None:
        self.t = translator
        self.shift_key.setText(translator.gettext("Hoofdletter"))
        self.shift_key.setAccessibleName(translator.gettext("Hoofdletter"))
        self.erase_key.setText(translator.gettext("Wissen"))
        self.erase_key.setAccessibleName(translator.gettext("Wissen"))
        self.space_key.setText(translator.gettext("Spatie"))
        self.space_key.setAccessibleName(translator.gettext("Spatie"))
        self.done_key.setText(translator.gettext("Klaar"))
        self.done_key.setAccessibleName(translator.gettext("Klaar met typen"))

    def show_digits(self, shown: bool, only: bool = False) -> None:
        """``only``: a code of digits needs no letters; the keyboard is one row lower."""
        self.digit_row.setVisible(shown)
        for key in self.letter_keys + self.mark_keys + [self.shift_key, self.space_key]:
            key.setVisible(not only)

    @Slot()
    def toggle_capital(self) -> None:
        self.set_capital(not self.capital)

    def set_capital(self, capital: bool) -> None:
        self.capital = capital
        for key in self.letter_keys:
            key.setText(key.text().upper() if capital else key.text().lower())
        self.shift_key.setProperty("role", "primary" if capital else "")
        self.shift_key.style().unpolish(self.shift_key)
        self.shift_key.style().polish(self.shift_key)

    def _type_letter(self, letter: str) -> None:
        self.typed.emit(letter)
        if self.capital:
            self.set_capital(False)
