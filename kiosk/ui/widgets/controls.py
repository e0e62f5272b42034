"""Buttons, the speaker button, the step counter with dots, and text that lights up as it is read."""

from __future__ import annotations

import html
import re

from PySide6.QtCore import QEvent, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QFontMetrics, QIcon, QKeyEvent, QPainter, QPaintEvent, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSizePolicy, QVBoxLayout, QWidget

from kiosk.ui.icons import icon
from kiosk.ui.theme import Theme


def arrow_moves_focus(widget: QWidget, event: QKeyEvent) -> bool:
    """Arrow keys go to the next or previous control, as Tab does; left and right follow the
    reading direction (mirrored in Arabic)."""
    key = event.key()
    forward_keys = {Qt.Key.Key_Down, Qt.Key.Key_Right}
    backward_keys = {Qt.Key.Key_Up, Qt.Key.Key_Left}
    if widget.layoutDirection() == Qt.LayoutDirection.RightToLeft:
        forward_keys = {Qt.Key.Key_Down, Qt.Key.Key_Left}
        backward_keys = {Qt.Key.Key_Up, Qt.Key.Key_Right}
    if event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier or \
            key not in forward_keys | backward_keys:
        return False
    return widget.focusNextPrevChild(key in forward_keys)


class KeyButton(QPushButton):
    """A key of a keypad or keyboard: a plain button that arrow keys move on from."""

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not arrow_moves_focus(self, event):
            super().keyPressEvent(event)


class BigButton(QPushButton):
    """A large button with an icon and a text label; acts on release, as every QPushButton does."""

    def __init__(self, meaning: str, theme: Theme, role: str = "", parent: QWidget | None = None):
        super().__init__(parent)
        self.meaning = meaning
        self.theme = theme
        self.rtl = False
        if role:
            self.setProperty("role", role)
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.setCursor(Qt.CursorShape.PointingHandCursor)
        side = round(theme.body_px * 1.4)
        self.setIconSize(QSize(side, side))
        self.refresh_icon()

    def set_meaning(self, meaning: str) -> None:
        self.meaning = meaning
        self.refresh_icon()

    def set_rtl(self, rtl: bool) -> None:
        self.rtl = rtl
        self.refresh_icon()

    def refresh_icon(self) -> None:
        p = self.theme.palette
        color = p.primary_text if self.property("role") == "primary" else p.secondary_text
        if not self.isEnabled():
            color = p.muted
        self.setIcon(icon(self.meaning, color, self.rtl, self.iconSize().width()))

    def setIconSize(self, size: QSize) -> None:  # type: ignore[override]
        super().setIconSize(size)
        self.refresh_icon()  # drawn for the new size

    def set_label(self, text: str, description: str = "") -> None:
        self.setText(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description or text)

    def sizeHint(self) -> QSize:
        """As wide as its icon and text need in the font in use, and never under a finger's
        width. No least width in the style sheet: layouts would squeeze a button down to it."""
        hint = super().sizeHint()
        return QSize(max(hint.width(), self.theme.target_px), hint.height())

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def setEnabled(self, enabled: bool) -> None:  # type: ignore[override]
        # Not changeEvent(): a Python override of it runs while Qt destroys the button.
        super().setEnabled(enabled)
        self.refresh_icon()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not arrow_moves_focus(self, event):
            super().keyPressEvent(event)


class StepDots(QWidget):
    """Progress dots: done steps filled, the current one larger with a ring, later ones hollow."""

    def __init__(self, theme: Theme, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self.count = 1
        self.current = 1
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)

    def set_step(self, current: int, count: int) -> None:
        self.current, self.count = current, max(1, count)
        self.updateGeometry()
        self.update()

    def _dot(self) -> int:
        return 14  # the same at every text size: the counter beside it carries the words

    def sizeHint(self) -> QSize:
        dot = self._dot()
        return QSize(self.count * dot * 2, dot * 2)

    def paintEvent(self, event: QPaintEvent) -> None:
        p = self.theme.palette
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        dot = self._dot()
        for index in range(self.count):
            number = index + 1
            if self.layoutDirection() == Qt.LayoutDirection.RightToLeft:
                index = self.count - 1 - index
            x = index * dot * 2 + dot / 2
            rect = QRectF(x, dot / 2, dot, dot)
            painter.setPen(QPen(QColor(p.text), 3))
            if number < self.current:
                painter.setBrush(QColor(p.text))
            elif number == self.current:
                painter.setBrush(QColor(p.primary if p.name == "normal" else p.text))
                rect = rect.adjusted(-dot * 0.35, -dot * 0.35, dot * 0.35, dot * 0.35)
            else:
                painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.drawEllipse(rect)
        painter.end()


LINE_HEIGHT = 1.5  # × the text's size, from one line to the next in a paragraph (rule 6)


def line_px(widget: QWidget) -> float:
    """The distance between the lines of a paragraph in ``widget``'s font."""
    font = widget.font()
    size = font.pixelSize() if font.pixelSize() > 0 else font.pointSizeF() * 96 / 72
    return round(LINE_HEIGHT * size, 1)


# A space between digits does not break a line: a phone number is read as one piece.
DIGIT_SPACE = re.compile(r"(?<=\d) (?=\d)")
# Invisible marks: those that keep a phone number or an address in its order inside Arabic text,
# and the word joiner that keeps a word's ⓘ beside it. Many fonts lack them, and the fallback font
# Qt takes for them is taller: its line would sit lower than the others. At 1 px they cannot raise
# a line.
INVISIBLE_MARKS = re.compile("([\u061c\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069])")


def paragraph_html(escaped: str, line: float) -> str:
    """Escaped text as one paragraph whose lines are ``line`` px apart: a fixed distance, since
    a proportional one would multiply the font's own spacing (≈ 1.3 × its size) instead."""
    body = DIGIT_SPACE.sub("\u00a0", escaped.replace("\n", "<br>"))  # 02 572 57 57 on one line
    body = INVISIBLE_MARKS.sub(r'<span style="font-size: 1px;">\1</span>', body)
    return f'<div style="line-height: {line:g}px;">{body}</div>'


class Paragraph(QLabel):
    """Text that wraps onto more lines: lines 1.5 × the text's size apart, aligned to the start
    of the line (the right in Arabic), never justified. ``text()`` is the text as set, without
    the markup; the markup follows the font the style sheet gives the label."""

    def __init__(self, text: str = "", parent: QWidget | None = None, max_chars: int = 0) -> None:
        """``max_chars``: at most about that many characters a line (a long text across a wide
        screen), however large the font."""
        super().__init__(parent)
        self._plain = ""
        self._max_chars = max_chars
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignVCenter)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)
        self.setText(text)
        self._limit_width()

    def setText(self, text: str) -> None:  # type: ignore[override]
        self._plain = text
        super().setText(paragraph_html(html.escape(text, quote=False), line_px(self))
                        if text else "")

    def text(self) -> str:  # type: ignore[override]
        return self._plain

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange:
            self.setText(self._plain)
            self._limit_width()

    def heightForWidth(self, width: int) -> int:
        return super().heightForWidth(min(width, self.maximumWidth()))  # as wide as it gets

    def _limit_width(self) -> None:
        if self._max_chars:
            self.setMaximumWidth(QFontMetrics(self.font()).averageCharWidth() * self._max_chars)


class SpokenLabel(QLabel):
    """Word-wrapped text in which the word being read aloud is highlighted (background and underline)."""

    def __init__(self, theme: Theme, role: str = "", parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.theme = theme
        self._plain = ""
        self._word: tuple[int, int] | None = None
        if role:
            self.setProperty("role", role)
        self.setWordWrap(True)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        self.setTextInteractionFlags(Qt.TextInteractionFlag.NoTextInteraction)

    def plain_text(self) -> str:
        return self._plain

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.FontChange and self._plain:
            self._render()

    def set_plain(self, text: str) -> None:
        self._plain = text
        self._word = None
        self.setAccessibleName(text)
        self._render()

    def highlight(self, start: int, length: int) -> None:
        self._word = (start, length) if start >= 0 else None
        self._render()

    def highlighted_word(self) -> str:
        if self._word is None:
            return ""
        start, length = self._word
        return self._plain[start:start + length]

    def _render(self) -> None:
        p = self.theme.palette
        text = self._plain
        if self._word is not None:
            start, length = self._word
            before, word, after = text[:start], text[start:start + length], text[start + length:]
            body = (html.escape(before)
                    + f'<span style="background:{p.highlight}; color:{p.highlight_text}; '
                      f'text-decoration: underline;">{html.escape(word)}</span>'
                    + html.escape(after))
        else:
            body = html.escape(text)
        self.setText(paragraph_html(body, line_px(self)))


class ElidedLabel(QLabel):
    """One line of text; what does not fit ends in "…". The whole text stays the accessible name.

    For a heading beside controls (the lesson's name above its steps), where a second line
    would take the room the step needs at the largest text size.
    """

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._full = ""
        self.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

    def set_full_text(self, text: str) -> None:
        self._full = text
        self.setAccessibleName(text)
        self._elide()

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        self._elide()

    def _elide(self) -> None:
        width = self.contentsRect().width()
        shown = self.fontMetrics().elidedText(self._full, Qt.TextElideMode.ElideRight, width) \
            if width > 0 else self._full
        if shown != self.text():
            self.setText(shown)


class WrappingButton(QPushButton):
    """A big button whose label wraps onto more lines instead of being cut off (answers)."""

    def __init__(self, meaning: str, theme: Theme, parent: QWidget | None = None,
                 stacked: bool = False) -> None:
        """``stacked``: the picture above the label, both centred (a card), instead of beside."""
        super().__init__(parent)
        self.theme = theme
        self.meaning = meaning
        self.setProperty("role", "tile")
        self.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
        self.icon_label = QLabel()
        self.icon_label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        self.label = Paragraph()
        self.label.setAttribute(Qt.WidgetAttribute.WA_TransparentForMouseEvents)
        row = QVBoxLayout(self) if stacked else QHBoxLayout(self)
        air = 12 if theme.scale < 1.5 else 4  # the largest text has air in its line height
        row.setContentsMargins(20, air, 20, air)
        row.setSpacing(12)
        if stacked:
            self.icon_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
            self.icon_label.setSizePolicy(QSizePolicy.Policy.Preferred, QSizePolicy.Policy.Fixed)
            self.label.setAlignment(Qt.AlignmentFlag.AlignLeading | Qt.AlignmentFlag.AlignTop)
        row.addWidget(self.icon_label)
        row.addWidget(self.label, 1)
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Preferred)
        self.set_icon(meaning)

    def set_icon(self, meaning: str, image: QIcon | None = None, side: int = 0) -> None:
        size = side or round(self.theme.body_px * 1.4)
        chosen = image or icon(meaning, self.theme.palette.secondary_text, side=size)
        self.icon_label.setPixmap(chosen.pixmap(QSize(size, size)))

    def set_label(self, text: str, description: str = "") -> None:
        self.label.setText(text)
        self.setAccessibleName(text)
        self.setAccessibleDescription(description or text)
        self.updateGeometry()

    def text(self) -> str:  # type: ignore[override]
        return self.label.text()

    def keyPressEvent(self, event: QKeyEvent) -> None:
        if not arrow_moves_focus(self, event):
            super().keyPressEvent(event)

    def hasHeightForWidth(self) -> bool:
        return True

    def heightForWidth(self, width: int) -> int:
        layout = self.layout()
        return max(self.theme.target_px, layout.heightForWidth(width) if layout else 0)

    def sizeHint(self) -> QSize:
        hint = self.layout().sizeHint() if self.layout() else QSize(200, 64)
        return QSize(hint.width(), max(self.theme.target_px, hint.height()))

    def minimumSizeHint(self) -> QSize:
        return QSize(self.theme.target_px * 2, self.theme.target_px)
