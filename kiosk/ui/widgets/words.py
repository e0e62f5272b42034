"""Words explained on a tap: step text that marks the glossary's words, and the card a tap opens.

A marked word is underlined with a small mark after it (never colour alone). A tap on it, or
Enter on it from the keyboard, opens a large card over the window: the word, its picture and its
explanation, read aloud in the resident's language. One tap anywhere on the card closes it.
"""

from __future__ import annotations

import html
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QSize, Qt, Signal, Slot
from PySide6.QtGui import QColor, QIcon, QMouseEvent, QPainter, QPaintEvent
from PySide6.QtWidgets import QFrame, QHBoxLayout, QLabel, QVBoxLayout, QWidget

from kiosk.core.i18n import Translator
from kiosk.core.paths import bundled
from kiosk.core.words import CONTEXT, Glossary, Match, Word, load_glossary
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import GAP, MARGIN, Theme
from kiosk.ui.widgets.controls import BigButton, SpokenLabel, line_px, paragraph_html
from kiosk.ui.widgets.spoken import SpokenText

MARK_FILES = {"normal": "word-mark.svg", "contrast": "word-mark-contrast.svg"}  # per theme
MARK_WIDTH = 44 / 32  # its width to its height
CARD_PICTURE_PX = 240


@lru_cache(maxsize=8)
def glossary_of(library: Path) -> Glossary:
    """The words beside the lessons of one library folder (read once)."""
    return load_glossary([library])


class WordText(SpokenLabel):
    """Step text in which every glossary word is marked and can be tapped."""

    wordTapped = Signal(object)  # Word

    def __init__(self, theme: Theme, role: str = "", parent: QWidget | None = None) -> None:
        self.glossary = Glossary()
        self.translator: Translator | None = None
        self.marks: list[Match] = []
        self._marked: tuple[str, Glossary, Translator | None] | None = None  # what marks are of
        super().__init__(theme, role=role, parent=parent)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.LinksAccessibleByMouse
                                     | Qt.TextInteractionFlag.LinksAccessibleByKeyboard)
        self.setOpenExternalLinks(False)
        self.linkActivated.connect(self._on_link)

    def set_words(self, glossary: Glossary, translator: Translator | None) -> None:
        """The words to mark; ``translator`` is the language the text is shown in."""
        self.glossary, self.translator = glossary, translator

    def marked_words(self) -> list[str]:
        return [self._plain[m.start:m.start + m.length] for m in self.marks]

    def _translate(self, message: str) -> str:
        return self.translator.lesson(CONTEXT, message) if self.translator is not None else message

    def _render(self) -> None:
        p = self.theme.palette
        text = self._plain
        marked = self._marked
        if marked is None or marked[0] != text or marked[1] is not self.glossary \
                or marked[2] is not self.translator:  # not again for every word read aloud
            self.marks = self.glossary.find(text, self._translate if self.translator else None)
            self._marked = (text, self.glossary, self.translator)
        lit = self._word
        cuts = {0, len(text)}
        for m in self.marks:
            cuts |= {m.start, m.start + m.length}
        if lit is not None:
            cuts |= {max(0, lit[0]), min(len(text), lit[0] + lit[1])}
        edges = sorted(c for c in cuts if 0 <= c <= len(text))
        side = round(self.theme.body_px * 0.8)
        mark = (bundled("assets") / MARK_FILES.get(p.name, MARK_FILES["normal"])).as_posix()
        parts = []
        for start, end in zip(edges, edges[1:]):
            piece = html.escape(text[start:end])
            if lit is not None and lit[0] <= start < lit[0] + lit[1]:
                piece = (f'<span style="background:{p.highlight}; color:{p.highlight_text}; '
                         f'text-decoration: underline;">{piece}</span>')
            index = next((i for i, m in enumerate(self.marks)
                          if m.start <= start < m.start + m.length), None)
            if index is not None:
                if end == self.marks[index].start + self.marks[index].length:
                    # a word joiner, not a space: Qt breaks a line at a no-break space before
                    # an image, which left the mark alone at the start of the next line (the
                    # picture has its own air on both sides)
                    piece += (f'\u2060<img src="{mark}" width="{round(side * MARK_WIDTH)}" '
                              f'height="{side}">')
                piece = (f'<a href="word:{index}" style="color:{p.text}; '
                         f'text-decoration: underline;">{piece}</a>')
            parts.append(piece)
        self.setText(paragraph_html("".join(parts), line_px(self)))

    @Slot(str)
    def _on_link(self, link: str) -> None:
        if link.startswith("word:"):
            index = int(link.split(":", 1)[1])
            if 0 <= index < len(self.marks):
                self.wordTapped.emit(self.marks[index].word)


class WordCard(QWidget):
    """Covers the window: a large card with the word, its picture and its explanation, read
    aloud. One tap anywhere closes it."""

    closed = Signal()

    def __init__(self, theme: Theme, translator: Translator, speaker: Speaker,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.t = translator
        self.speaker = speaker
        self.word: Word | None = None
        self.setAttribute(Qt.WidgetAttribute.WA_StyledBackground, True)
        panel = QFrame()
        panel.setProperty("role", "panel")
        self.heading = QLabel()
        self.heading.setProperty("role", "title")
        self.picture = QLabel()
        self.picture.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.explanation = SpokenText(theme, translator, speaker)
        self.close_button = BigButton("close", theme, role="primary")
        self.close_button.clicked.connect(self.close_card)
        inner = QVBoxLayout(panel)
        inner.setContentsMargins(MARGIN * 2, MARGIN, MARGIN * 2, MARGIN)
        inner.setSpacing(GAP * 2)
        inner.addWidget(self.heading)
        row = QHBoxLayout()
        row.setSpacing(MARGIN)
        row.addWidget(self.picture)
        row.addWidget(self.explanation, 1)
        inner.addLayout(row)
        bottom = QHBoxLayout()
        bottom.addStretch(1)
        bottom.addWidget(self.close_button)
        inner.addLayout(bottom)
        outer = QVBoxLayout(self)
        outer.addStretch(1)
        middle = QHBoxLayout()
        middle.addStretch(1)
        middle.addWidget(panel, 4)
        middle.addStretch(1)
        outer.addLayout(middle)
        outer.addStretch(1)
        self.panel = panel
        self.hide()

    def open_word(self, word: Word, translator: Translator) -> None:
        """Shows the card over the whole window and reads the explanation aloud."""
        self.word, self.t = word, translator
        self.heading.setText(translator.lesson(CONTEXT, word.word))
        side = round(CARD_PICTURE_PX * min(self.theme.scale, 1.25))
        self.picture.setPixmap(QIcon(str(word.picture)).pixmap(QSize(side, side)))
        self.picture.setAccessibleName(self.heading.text())
        self.explanation.set_text(translator.lesson(CONTEXT, word.explain), translator)
        self.close_button.set_label(translator.gettext("Sluiten"),
                                    translator.gettext("Sluit de uitleg"))
        self.setLayoutDirection(Qt.LayoutDirection.RightToLeft if translator.rtl
                                else Qt.LayoutDirection.LeftToRight)
        parent = self.parentWidget()
        if parent is not None:
            self.setGeometry(parent.rect())
        self.show()
        self.raise_()
        self.close_button.setFocus()
        self.explanation.speak()

    @Slot()
    def close_card(self) -> None:
        if self.isVisible():
            self.speaker.stop()
            self.hide()
            self.closed.emit()

    def mouseReleaseEvent(self, event: QMouseEvent) -> None:
        """A tap anywhere on the card but its speaker button closes it (on release)."""
        if event.button() == Qt.MouseButton.LeftButton:
            self.close_card()
        super().mouseReleaseEvent(event)

    def paintEvent(self, event: QPaintEvent) -> None:
        painter = QPainter(self)
        shade = QColor(0, 0, 0, 170 if self.theme.palette.name == "normal" else 220)
        painter.fillRect(self.rect(), shade)
        painter.end()
