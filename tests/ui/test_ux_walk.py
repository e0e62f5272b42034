"""The measurable low-literacy rules (shared/ux-rules.md) on real widgets: every screen of
``kiosk screens`` and every step of every bundled lesson (a wrong answer too), in the six
languages, at 1366×768 and 1920×1080, at text sizes A and A++; and on the small screen at A++ in
a font of other metrics (DejaVu Sans) and at A+ in the high-contrast theme.

The walk is made once per module: each state of the window is looked at once, and every rule
that can be measured there is checked on the same widgets. A test per rule then reads its
findings. Rules that need a picture of the screen (contrast, focus ring, dots) or a key press
look at the screens of ``kiosk screens`` and at the lesson steps at text size A.
"""

from __future__ import annotations

import math
import re
import time
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from PySide6.QtCore import SIGNAL, QAbstractAnimation, QEvent, QPoint, QPointF, QRect, Qt, QTimer
from PySide6.QtGui import (
    QColor,
    QFont,
    QFontInfo,
    QFontMetrics,
    QImage,
    QKeyEvent,
    QPalette,
    QTextDocument,
)
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from colours import background, contrast

from kiosk.core.i18n import SHIPPED_LANGUAGES
from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.core.svg import parse_svg_bytes
from kiosk.speech.speaker import IDLE, SPEAKING
from kiosk.ui import fonts
from kiosk.ui.icons import ICONS
from kiosk.ui.navigator import Navigator
from kiosk.speech.silent import SilentSpeaker
from kiosk.ui.render import visit_screens
from kiosk.ui.screens.buddy import PinPad
from kiosk.ui.screens.code import CodeEntryScreen
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.controls import BigButton, ElidedLabel, StepDots, WrappingButton
from kiosk.ui.widgets.keyboard import OnScreenKeyboard
from kiosk.ui.widgets.spoken import SpeakButton
from kiosk.ui.widgets.words import WordCard

SIZES = [(1366, 768), (1920, 1080)]
TEXT_SIZES = ["A", "A++"]
# Screens behind a PIN, for digibuddies and staff, who read: rules 12 and 14's "used everywhere"
# are about what residents see; rule 8 counts a resident's choices.
VOLUNTEER_SCREENS = ("11-", "12-", "13-")
RULES = ["ux01", "ux02", "ux03", "ux04", "ux05", "ux06", "ux08", "ux12", "ux13", "ux14",
         "ux15", "ux16", "ux17", "ux18", "ux19", "ux20", "ux21", "ux22", "ux24", "clipped"]


class PlayingSpeaker(SilentSpeaker):
    """The real Speaker interface; "plays" until stopped, as a long text would, so that a test
    sees what a resident sees while the app speaks by itself."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[tuple[str, str]] = []
        self.chimes: list[str] = []

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        super().say(text, language, recorded, chime)
        self.said.append((text, language))
        self.chimes.append(chime)
        self.state = SPEAKING
        self.stateChanged.emit(SPEAKING)

    def stop(self) -> None:
        if self.state != IDLE:
            self.state = IDLE
            self.stateChanged.emit(IDLE)


@dataclass
class Walk:
    problems: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    seen: Counter[str] = field(default_factory=Counter)
    icons: dict[tuple[str, str], set[str]] = field(default_factory=lambda: defaultdict(set))
    seconds: float = 0.0
    fonts: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))  # as drawn

    def add(self, rule: str, where: str, problem: str) -> None:
        if len(self.problems[rule]) < 200:
            self.problems[rule].append(f"{where}: {problem}")


def _ancestors(widget: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def shown(window: Navigator, kind: type) -> list:  # type: ignore[type-arg]
    """Widgets a person can see; under the idle warning only the warning counts."""
    covers = [w for w in window.overlays if w.isVisible()]  # the idle warning
    covers += [c for c in window.findChildren(WordCard) if c.isVisible()]
    top = covers[0] if covers else window
    return [w for w in top.findChildren(kind) if w.isVisible() and w.window() is window]


def is_key(button: QAbstractButton) -> bool:
    """A key of the on-screen keyboard, the PIN pad or the picture-code grid: its character or
    pictogram is its label."""
    return any(isinstance(a, (OnScreenKeyboard, PinPad)) for a in _ancestors(button)) or (
        any(isinstance(a, CodeEntryScreen) for a in _ancestors(button))
        and not button.text() and not button.icon().isNull())


def font_px(widget: QWidget) -> int:
    font = widget.font()
    return font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)


def rect_in(widget: QWidget, window: QWidget) -> QRect:
    return QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())


def gap(a: QRect, b: QRect) -> float:
    dx = max(b.left() - a.right() - 1, a.left() - b.right() - 1, 0)
    dy = max(b.top() - a.bottom() - 1, a.top() - b.bottom() - 1, 0)
    return math.hypot(dx, dy)


def text_of(widget: QWidget) -> str:
    if isinstance(widget, WrappingButton):
        return widget.label.text()
    return widget.text() if isinstance(widget, (QLabel, QAbstractButton)) else ""


def plain(text: str) -> str:
    doc = QTextDocument()
    doc.setHtml(text)
    return doc.toPlainText()


def drawn(label: QLabel) -> str:
    """The text Qt draws, markup included (a Python subclass may give the plain text as text())."""
    return QLabel.text(label)


def is_rich(label: QLabel) -> bool:
    return label.textFormat() == Qt.TextFormat.RichText or (
        label.textFormat() == Qt.TextFormat.AutoText and "<" in drawn(label))


def letters(text: str) -> int:
    """Characters as a reader counts them: the vowel marks of Arabic sit on their letter."""
    return sum(1 for c in text if not unicodedata.combining(c) and c != "\ufffc")


def text_lines(label: QLabel) -> list[tuple[float, int]]:
    """(line height in px, characters) of each line the label draws."""
    width = label.contentsRect().width() - 2 * label.margin() - 2 * label.indent() \
        if label.indent() > 0 else label.contentsRect().width() - 2 * label.margin()
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    if is_rich(label):
        doc.setHtml(drawn(label))
    else:
        doc.setPlainText(drawn(label))
    doc.setTextWidth(max(1, width))
    layout_of_document = doc.documentLayout()
    doc.size()  # lays the text out; before that a block has no lines
    lines = []
    block = doc.begin()
    plain_spacing = QFontMetrics(label.font()).lineSpacing()
    while block.isValid():
        layout = block.layout()
        for index in range(layout.lineCount()):
            line = layout.lineAt(index)
            if is_rich(label):
                # baseline to baseline: a line with a taller glyph sits lower, not farther
                below = layout.lineAt(index + 1) if index + 1 < layout.lineCount() else None
                height = (below.y() + below.ascent() - line.y() - line.ascent()
                          if below is not None else None)
            else:
                height = plain_spacing  # a plain label draws lines at the font's own spacing
            shown = block.text()[line.textStart():line.textStart() + line.textLength()]
            lines.append((height, letters(shown)))
        block = block.next()
    return [(h, n) for h, n in lines if h is not None] or [(math.inf, n) for _, n in lines]


ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u0652\u0670]+")
ARABIC_MARK = re.compile("[\u064b-\u0652]")


def unvowelled(text: str) -> list[str]:
    """Arabic words of two letters or more without a single vowel mark (the article before a
    Latin word, "الـ", carries none)."""
    return [word for word in ARABIC_WORD.findall(text) if len(ARABIC_MARK.sub("", word)) >= 2
            and not ARABIC_MARK.search(word) and word.rstrip("\u0640") != "ال"]


def clipped(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        if not widget.text().strip() or isinstance(widget, ElidedLabel):
            return False
        if widget.wordWrap():
            return widget.heightForWidth(widget.width()) > widget.height() + 2  # margins counted once
        return widget.sizeHint().width() > widget.width() + 2
    if isinstance(widget, WrappingButton):
        return False  # its label is a wrapping QLabel, checked as one
    if isinstance(widget, QAbstractButton):
        return bool(widget.text()) and widget.sizeHint().width() > widget.width() + 2
    return False


def overrides_mouse(widget: QWidget) -> list[str]:
    """Mouse handlers a kiosk class adds that could act on press, on a double click or a drag."""
    found = []
    for klass in type(widget).__mro__:
        if not klass.__module__.startswith("kiosk."):
            continue
        found += [name for name in ("mousePressEvent", "mouseDoubleClickEvent", "mouseMoveEvent")
                  if name in vars(klass)]
    return found


class Checker:
    def __init__(self, walk: Walk, window: Navigator, config: str, detailed: bool) -> None:
        self.walk, self.window, self.config, self.detailed = walk, window, config, detailed
        self.speaker: PlayingSpeaker = window.services.speaker  # type: ignore[assignment]
        self.language = window.t.language

    def state(self, name: str, step=None) -> None:  # type: ignore[no-untyped-def]
        walk, window = self.walk, self.window
        self.volunteer = name.startswith(VOLUNTEER_SCREENS)
        where = f"{self.config} {name}"
        walk.seen["states"] += 1
        # what the app said on its own on the way here, before the checks below tap anything
        self.last_said = (self.speaker.said[-1:] or [None])[0]
        self.last_chime = (self.speaker.chimes[-1:] or [None])[0]
        buttons = shown(window, QAbstractButton)
        labels = shown(window, QLabel)
        edits = shown(window, QLineEdit)
        rects = {id(w): rect_in(w, window) for w in buttons + edits}
        self._targets(where, buttons, edits, rects, step)
        self._text(where, labels, buttons)
        self._choices(where, buttons)
        self._icons(where, buttons)
        self._timers(where)
        self._names(where, buttons, edits)
        if step is not None:
            self._step(where, step, labels)
        if self.detailed:
            image = window.grab().toImage()
            self._contrast(where, image, labels, buttons, edits, rects)
            if step is not None:
                self._dots(where, step)
        self._auto_audio(where, buttons)
        self._speaker_buttons(where, labels, buttons)
        self._ways_back(where, name, step, buttons)
        self._mirrored(where, step, labels, buttons)
        if name.startswith("07-idle-warning"):
            self._idle_warning(where)
        if "wrong" in name:
            self._feedback(where, name, step, buttons)
        if self.detailed and step is None:
            self._keyboard(where, buttons, edits)

    # ux01, ux02, ux03 ------------------------------------------------------------------
    def _targets(self, where, buttons, edits, rects, step) -> None:  # type: ignore[no-untyped-def]
        add = self.walk.add
        for b in buttons:
            if b.width() < 64 or b.height() < 64:
                add("ux01", where, f"{text_of(b) or b.accessibleName()!r} is {b.width()}×{b.height()}")
            if b.autoRepeat():
                add("ux03", where, f"{text_of(b)!r} repeats while held")
            if b.receivers(SIGNAL("pressed()")) > 0:
                add("ux03", where, f"{text_of(b) or b.accessibleName()!r} acts on press")
        for w in shown(self.window, QWidget):
            for handler in overrides_mouse(w):
                add("ux03", where, f"{type(w).__name__} handles {handler}")
        if step is not None and step.kind == "tap" and step.target is not None:
            target = self.window.lesson.picture.widget_rect(step.target)
            if target.width() < 44 or target.height() < 44:
                add("ux01", where, f"the target in the picture is {target.width():.0f}×"
                    f"{target.height():.0f}")
        controls = buttons + edits
        for i, a in enumerate(controls):
            ra = rects[id(a)]
            for b in controls[i + 1:]:
                rb = rects[id(b)]
                if ra.intersects(rb):
                    continue  # one inside the other (a field in a picture), not side by side
                if gap(ra, rb) < 16:
                    add("ux02", where, f"{text_of(a) or a.accessibleName()!r} and "
                        f"{text_of(b) or b.accessibleName()!r} are {gap(ra, rb):.0f} px apart")

    # ux04, ux06, clipped -----------------------------------------------------------------
    def _text(self, where, labels, buttons) -> None:  # type: ignore[no-untyped-def]
        add = self.walk.add
        for widget in labels + buttons:
            text = text_of(widget) if not isinstance(widget, WrappingButton) else ""
            if not text.strip():
                continue
            px = font_px(widget)
            least = 32 if widget.property("role") in ("heading", "title") else 24
            if px < least:
                add("ux04", where, f"{text[:30]!r} is {px}px (at least {least})")
            if widget.font().italic():
                add("ux04", where, f"{text[:30]!r} is in italics")
            if widget.font().capitalization() in (QFont.Capitalization.AllUppercase,
                                                  QFont.Capitalization.SmallCaps):
                add("ux04", where, f"{text[:30]!r} is set in capitals")
            shows = plain(text) if isinstance(widget, QLabel) and is_rich(widget) else text
            if any(len(w) >= 5 and w.isupper() for w in re.findall(r"\w+", shows)) \
                    and not is_key(widget):  # type: ignore[arg-type]
                add("ux04", where, f"{shows[:40]!r} has words in capitals")
            if clipped(widget):
                add("clipped", where, f"{text[:40]!r} does not fit in {widget.width()}×"
                    f"{widget.height()}")
        for label in labels:
            if not label.wordWrap() or not label.text().strip():
                continue
            lines = text_lines(label)
            alignment = label.alignment()
            if alignment & Qt.AlignmentFlag.AlignJustify or "justify" in drawn(label):
                add("ux06", where, f"{label.text()[:30]!r} is justified")
            if len(lines) < 2:
                continue
            px = font_px(label)
            short = min(h for h, _ in lines)
            if short < 1.5 * px - 0.5:
                add("ux06", where, f"{plain(label.text())[:30]!r}: lines {short:.0f} px apart "
                    f"for {px} px text (at least 1.5×)")
            longest = max(n for _, n in lines)
            if longest > 70:
                add("ux06", where, f"{plain(label.text())[:30]!r}: a line of {longest} characters")
            horizontal = alignment & Qt.AlignmentFlag.AlignHorizontal_Mask
            rtl = label.layoutDirection() == Qt.LayoutDirection.RightToLeft
            if self.language == "ar" and not rtl and re.search("[\u0600-\u06ff]", label.text()):
                add("ux06", where, f"{plain(label.text())[:30]!r} is not laid out right to left")
            if horizontal & (Qt.AlignmentFlag.AlignHCenter | Qt.AlignmentFlag.AlignAbsolute) or \
                    (horizontal & Qt.AlignmentFlag.AlignRight):
                add("ux06", where, f"{plain(label.text())[:30]!r}: a paragraph not aligned to "
                    f"the start of the line ({int(horizontal)})")

    # ux08 ----------------------------------------------------------------------------------
    def _choices(self, where, buttons) -> None:  # type: ignore[no-untyped-def]
        """At most five answers or lessons side by side, and at most five alternatives of one
        kind (languages, …) on a resident's screen. Keys of a keypad are one control."""
        tiles = [b for b in buttons if isinstance(b, WrappingButton)]
        if len(tiles) > 5:
            self.walk.add("ux08", where, f"{len(tiles)} choices")
        if self.volunteer:
            return  # staff switch each language on or off, one toggle per language
        kinds = Counter(getattr(b, "meaning", "") for b in buttons
                        if not is_key(b) and not isinstance(b, WrappingButton))
        for meaning, count in kinds.items():
            if count > 5:
                self.walk.add("ux08", where, f"{count} choices of one kind ({meaning})")

    # ux14 ----------------------------------------------------------------------------------
    def _icons(self, where, buttons) -> None:  # type: ignore[no-untyped-def]
        for button in buttons:
            if is_key(button):
                continue
            if isinstance(button, WrappingButton):
                pixmap = button.icon_label.pixmap()
                has_icon = pixmap is not None and not pixmap.isNull()
            else:
                has_icon = not button.icon().isNull()
            label = text_of(button)
            if not has_icon or not label.strip():
                self.walk.add("ux14", where, f"{label or button.accessibleName()!r}: "
                              f"icon={has_icon}")
            meaning = getattr(button, "meaning", None)
            if meaning is None:
                self.walk.add("ux14", where, f"{label!r} has an icon of no meaning")
            elif not self.volunteer and (not isinstance(button, WrappingButton)
                                         or meaning != "choose"):
                self.walk.icons[(self.language, label)].add(meaning)

    # ux19 ----------------------------------------------------------------------------------
    def _timers(self, where) -> None:  # type: ignore[no-untyped-def]
        window = self.window
        for timer in window.findChildren(QTimer):
            if timer.isActive() and timer is not window.clock_timer:  # the idle countdown
                self.walk.add("ux19", where, f"a timer runs: {timer.objectName() or timer}")
        for animation in window.findChildren(QAbstractAnimation):
            if animation.state() == QAbstractAnimation.State.Running:
                self.walk.add("ux19", where, f"an animation runs: {animation}")

    # ux24 ----------------------------------------------------------------------------------
    def _names(self, where, buttons, edits) -> None:  # type: ignore[no-untyped-def]
        window = self.window
        chain, widget = set(), window.nextInFocusChain()
        while widget is not window and widget not in chain:
            chain.add(widget)
            widget = widget.nextInFocusChain()
        for control in buttons + edits:
            name = text_of(control) or control.accessibleName()
            if not control.accessibleName().strip():
                self.walk.add("ux24", where, f"{name!r} has no accessible name")
            on_screen_key = any(isinstance(a, OnScreenKeyboard) for a in _ancestors(control))
            if on_screen_key or not control.isEnabled():
                continue  # the physical keyboard types directly; disabled controls take no focus
            if not control.focusPolicy() & Qt.FocusPolicy.TabFocus or control not in chain:
                self.walk.add("ux24", where, f"{name!r} is not reached by Tab")

    def _keyboard(self, where, buttons, edits) -> None:  # type: ignore[no-untyped-def]
        """Arrow keys move on from every control, and the control with focus has a ring."""
        app = QApplication.instance()
        window = self.window
        window.activateWindow()
        app.processEvents()  # type: ignore[union-attr]
        for control in buttons + edits:
            if not control.isEnabled() or not control.focusPolicy() & Qt.FocusPolicy.TabFocus:
                continue
            name = text_of(control) or control.accessibleName()
            control.setFocus(Qt.FocusReason.TabFocusReason)
            if not control.hasFocus():
                self.walk.add("ux24", where, f"{name!r} does not take the focus")
                continue
            rect = rect_in(control, window).adjusted(-4, -4, 4, 4)
            focused = window.grab(rect).toImage()
            if isinstance(control, QAbstractButton):
                forward = Qt.Key.Key_Left if window.t.rtl else Qt.Key.Key_Right
                app.sendEvent(control, QKeyEvent(QEvent.Type.KeyPress, forward,  # type: ignore[union-attr]
                                                 Qt.KeyboardModifier.NoModifier))
                if control.hasFocus():
                    self.walk.add("ux24", where, f"the arrow key does not move on from {name!r}")
            window.setFocus()
            ring = self._ring(focused, window.grab(rect).toImage())
            if ring is not None:
                self.walk.add("ux24", where, f"{name!r}: {ring}")
            self.walk.seen["focus rings"] += 1

    @staticmethod
    def _ring(focused: QImage, unfocused: QImage) -> str | None:
        """A focus ring (WCAG 2.4.13): on every side of the control a band at least 2 px thick
        whose colour changes by at least 3:1 between focused and not focused."""
        w, h = focused.width(), focused.height()
        sides = {"left": lambda d: (4 + d, h // 2), "right": lambda d: (w - 5 - d, h // 2),
                 "top": lambda d: (w // 2, 4 + d), "bottom": lambda d: (w // 2, h - 5 - d)}
        for side, at in sides.items():
            ratios = [contrast(QColor(focused.pixel(*at(d))), QColor(unfocused.pixel(*at(d))))
                      for d in range(0, 8)]
            if not any(a >= 3 and b >= 3 for a, b in zip(ratios, ratios[1:])):
                return f"no visible focus ring on the {side} ({max(ratios):.1f}:1 at most)"
        return None

    # ux05 ----------------------------------------------------------------------------------
    def _contrast(self, where, image, labels, buttons, edits, rects) -> None:  # type: ignore[no-untyped-def]
        window = self.window
        for widget in labels + buttons:
            text = widget.accessibleName() if isinstance(widget, WrappingButton) else text_of(widget)
            if not text.strip() or widget.width() < 4:
                continue
            group = QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled
            ink = widget.palette().color(group, widget.foregroundRole())
            ground = background(image, rect_in(widget, window))
            ratio = contrast(ink, ground)
            if ratio < 7:
                self.walk.add("ux05", where, f"{text[:30]!r}: {ink.name()} on {ground.name()} "
                              f"is {ratio:.1f}:1")
        for control in buttons + edits:
            if not control.isEnabled() or is_key(control) and not control.text():
                continue
            rect = rects[id(control)]
            edge = QColor(image.pixel(rect.left() + 1, rect.center().y()))
            outside = QColor(image.pixel(max(0, rect.left() - 3), rect.center().y()))
            inside = QColor(image.pixel(rect.left() + 10, rect.center().y()))
            best = max(contrast(edge, outside), contrast(inside, outside))
            if best < 3:
                self.walk.add("ux05", where, f"{text_of(control) or control.accessibleName()!r}: "
                              f"edge {edge.name()} on {outside.name()} is {best:.1f}:1")

    # ux12, ux13 ----------------------------------------------------------------------------
    def _auto_audio(self, where, buttons) -> None:  # type: ignore[no-untyped-def]
        if self.speaker.state != SPEAKING:
            return
        self.walk.seen["spoke by itself"] += 1
        stops = [b for b in buttons if isinstance(b, BigButton) and b.meaning == "stop"
                 and b.isEnabled()]
        if not stops:
            self.walk.add("ux13", where, "speaks by itself with no stop button on screen")
            self.speaker.stop()
            return
        stops[0].click()
        if self.speaker.state != IDLE:
            self.walk.add("ux13", where, f"one tap on {text_of(stops[0])!r} does not stop it")

    def _speaker_buttons(self, where, labels, buttons) -> None:  # type: ignore[no-untyped-def]
        texts = [label for label in labels
                 if label.property("role") not in ("heading", "title")
                 and len(plain(label.text()).split()) >= 3
                 and not any(isinstance(a, QAbstractButton) for a in _ancestors(label))
                 and not re.fullmatch(r"\D*\d+\D+\d+\D*", plain(label.text()))]  # "Stap 3 van 6"
        if not texts or self.volunteer:
            return
        said = []
        for button in buttons:
            if isinstance(button, SpeakButton) and button.isEnabled():
                before = len(self.speaker.said)
                button.click()
                said += [text for text, _ in self.speaker.said[before:]]
                self.speaker.stop()
        heard = {w.lower() for text in said for w in re.findall(r"\w+", text)}
        for label in texts:
            words = [w.lower() for w in re.findall(r"\w+", plain(label.text()))]
            missing = [w for w in words if w not in heard]
            if len(missing) > len(words) // 3:
                self.walk.add("ux12", where, f"no speaker button reads {plain(label.text())[:40]!r}")

    # ux15 ----------------------------------------------------------------------------------
    def _idle_warning(self, where) -> None:  # type: ignore[no-untyped-def]
        """The warning shows, is spoken in the resident's language, and leaves at least two
        minutes (the walk opens it one second after the idle time)."""
        warning = self.window.idle_warning
        if not warning.isVisible():
            self.walk.add("ux15", where, "the idle warning does not show")
            return
        minutes, seconds = (int(n) for n in re.findall(r"\d+", warning.countdown.text())[:2])
        if minutes * 60 + seconds + 1 < 120:
            self.walk.add("ux15", where, f"the warning gives {warning.countdown.text()!r}")
        spoken = warning.message.label.plain_text()
        if self.last_said != (spoken, self.language):
            self.walk.add("ux15", where, "the idle warning is not read aloud")

    # ux16 ----------------------------------------------------------------------------------
    def _ways_back(self, where, name, step, buttons) -> None:  # type: ignore[no-untyped-def]
        """Every step has "Terug"; a step to practise has "Opnieuw"; a finished lesson can be
        done again."""
        meanings = {getattr(b, "meaning", "") for b in buttons if b.isEnabled()}
        wanted = set()
        if step is not None and "word card" not in name:
            wanted.add("back")
            if step.kind in ("tap", "type", "choose"):
                wanted.add("again")
        if name.startswith("06-done"):
            wanted.add("again")
        for meaning in sorted(wanted - meanings):
            self.walk.add("ux16", where, f"no {meaning!r} button")

    # ux22 ----------------------------------------------------------------------------------
    def _mirrored(self, where, step, labels, buttons) -> None:  # type: ignore[no-untyped-def]
        """Arabic text carries its vowels, and the layout mirrors: "Terug" is on the side a
        reader starts from."""
        rtl = self.window.t.rtl
        if (self.window.layoutDirection() == Qt.LayoutDirection.RightToLeft) != rtl:
            self.walk.add("ux22", where, f"the window is laid out {self.window.layoutDirection()}")
        if step is not None:
            lesson = self.window.lesson
            back = rect_in(lesson.back_button, self.window).center().x()
            on = rect_in(lesson.next_button, self.window).center().x()
            if (back > on) != rtl:
                self.walk.add("ux22", where, "\"Terug\" is on the side of \"Volgende\"")
        if self.language != "ar":
            return
        for widget in labels + buttons:
            for word in unvowelled(plain(text_of(widget))):
                self.walk.add("ux22", where, f"{word!r} has no vowel marks")

    # ux18, ux20 ----------------------------------------------------------------------------
    def _feedback(self, where, name, step, buttons) -> None:  # type: ignore[no-untyped-def]
        """A wrong try: a line with the shape ✗ and words, its chime, and the answers still open
        for another go."""
        lesson = self.window.lesson
        line = plain(lesson.feedback.text())
        if not lesson.feedback.isVisible() or len(line.split()) < 3:
            self.walk.add("ux18", where, f"the feedback line is {line!r}")
        if not line.startswith("✗ "):
            self.walk.add("ux20", where, f"the feedback line has no ✗: {line!r}")
        if self.last_chime != "try-again":
            self.walk.add("ux18", where, f"no chime before the hint: {self.last_chime!r}")
        if step is not None and step.kind == "choose":
            open_ = [b for b in buttons if isinstance(b, WrappingButton) and b.isEnabled()]
            if len(open_) < len(step.choices):
                self.walk.add("ux18", where, "the answers are closed after a wrong try")

    # ux17, ux21 ----------------------------------------------------------------------------
    def _step(self, where, step, labels) -> None:  # type: ignore[no-untyped-def]
        lesson_screen = self.window.lesson
        count = len(lesson_screen.lesson.steps)
        dots = [d for d in shown(self.window, StepDots)]
        counter = lesson_screen.counter
        if len(dots) != 1 or (dots[0].count, dots[0].current) != (count, step.number):
            self.walk.add("ux17", where, f"no progress dots for step {step.number} of {count}")
        numbers = re.findall(r"\d+", counter.text())
        if not counter.isVisible() or numbers != [str(step.number), str(count)]:
            self.walk.add("ux17", where, f"the counter says {counter.text()!r}")
        if step.kind == "type":
            wanted = step.answer.lower()
            texts = [plain(label.text()).lower() for label in labels]
            if step.image is not None:
                document = parse_svg_bytes(step.image.read_bytes(), str(step.image))
                texts += [lesson_screen.lesson_text(t).lower() for t in document.texts()]
            if not any(wanted in text for text in texts):
                self.walk.add("ux21", where, f"{step.answer!r} to type is not on the step")

    def _dots(self, where, step) -> None:  # type: ignore[no-untyped-def]
        """Count what is drawn: a filled dot per step done and for this step, a ring per step
        to come (two crossings of the middle line)."""
        dots = self.window.lesson.dots
        image = dots.grab().toImage()
        y = image.height() // 2
        ground = QColor(image.pixel(0, 0))  # a corner: outside every dot
        runs, inside = 0, False
        for x in range(image.width()):
            ink = contrast(QColor(image.pixel(x, y)), ground) >= 3
            if ink and not inside:
                runs += 1
            inside = ink
        count = dots.count
        wanted = step.number + 2 * (count - step.number)
        if runs != wanted:
            self.walk.add("ux17", where, f"the dots draw {runs} marks across, not {wanted} "
                          f"(step {step.number} of {count})")


def lesson_states(window: Navigator, language: str) -> Iterator[tuple[str, object]]:
    """Every step of every lesson in ``language`` (the screens before may have ended the visit,
    and a new visit starts in the default language)."""
    window.begin()
    window.choose_language(language)
    assert window.t.language == language
    catalog = window.services.catalog
    explained = False
    for listed in list(catalog.lessons):
        lesson = catalog.open(listed.id)
        assert lesson is not None
        for step in lesson.steps:
            window.open_lesson(lesson.id, step.number)
            yield f"{lesson.id} step {step.number}", step
            if window.lesson.text.marks and not explained:
                window.lesson.text.linkActivated.emit("word:0")
                yield f"{lesson.id} step {step.number} (word card)", None
                window.lesson.word_card.close_card()
                explained = True
            if step.kind == "choose":
                wrong = next(i for i, c in enumerate(step.choices) if not c.correct)
                window.lesson.choose(wrong)
                yield f"{lesson.id} step {step.number} (wrong answer)", step


@dataclass(frozen=True)
class Config:
    language: str
    size: tuple[int, int]
    text_size: str
    theme: str = "normal"
    font: str = ""  # an installed font of other metrics, forced with KIOSK_FONT

    @property
    def detailed(self) -> bool:
        """Checks that need a picture of the screen: at text size A, and in the contrast theme."""
        return self.text_size == "A" or self.theme == "contrast"

    def __str__(self) -> str:
        extra = f" {self.theme}" * (self.theme != "normal") + f" {self.font}" * bool(self.font)
        return f"{self.language} {self.size[0]}×{self.size[1]} {self.text_size}{extra}"


# Each language at both screen sizes and at A and A++; then, on the small screen, A++ in a font of
# other metrics than ours (DejaVu Sans, wider), and the high-contrast theme at A+.
CONFIGS = [Config(language, size, text_size) for language in SHIPPED_LANGUAGES
           for size in SIZES for text_size in TEXT_SIZES] + [
    extra for language in SHIPPED_LANGUAGES for extra in (
        Config(language, SIZES[0], "A++", font="DejaVu Sans"),
        Config(language, SIZES[0], "A+", theme="contrast"))]


@pytest.fixture(scope="module")
def walk(qapp, tmp_path_factory) -> Walk:  # type: ignore[no-untyped-def]
    from kiosk.app import build_services

    found = Walk()
    started = time.perf_counter()
    with pytest.MonkeyPatch.context() as patch:
        for config in CONFIGS:
            home = tmp_path_factory.mktemp(f"walk-{config.language}")
            patch.setenv("KIOSK_HOME", str(home))
            if config.font:
                patch.setenv(fonts.ENV, config.font)
            else:
                patch.delenv(fonts.ENV, raising=False)
            services = build_services(AppPaths.under(home),
                                      Settings(text_size=config.text_size, theme=config.theme),
                                      config.language, speaker=PlayingSpeaker())
            window = Navigator(services)
            window.resize(*config.size)
            window.show()
            window.start()
            checker = Checker(found, window, str(config), detailed=config.detailed)
            try:
                label = next(w for w in window.findChildren(QLabel) if w.text().strip())
                found.fonts[config.font or "shipped"].add(QFontInfo(label.font()).family())
                for name in visit_screens(window):
                    qapp.processEvents()
                    checker.state(name)
                for name, step in lesson_states(window, config.language):
                    qapp.processEvents()
                    checker.state(name, step)
            finally:
                window.close()
                services.progress.close()
                window.deleteLater()
                qapp.processEvents()
    found.seconds = time.perf_counter() - started
    return found


def _report(walk: Walk, rule: str) -> None:
    assert walk.seen["states"] > 24 * 150, walk.seen
    problems = walk.problems.get(rule, [])
    assert not problems, f"{len(problems)} faults:\n" + "\n".join(problems[:25])


def test_ux01_targets_at_least_64px_and_targets_in_pictures_at_least_44px(walk: Walk) -> None:
    _report(walk, "ux01")


def test_ux02_16px_between_targets(walk: Walk) -> None:
    _report(walk, "ux02")


def test_ux03_everything_acts_on_release(walk: Walk) -> None:
    _report(walk, "ux03")


def test_ux04_text_size_no_italics_no_capitals(walk: Walk) -> None:
    _report(walk, "ux04")


def test_ux05_text_7_to_1_and_control_edges_3_to_1(walk: Walk) -> None:
    _report(walk, "ux05")


def test_ux06_line_height_alignment_and_line_length(walk: Walk) -> None:
    _report(walk, "ux06")


def test_ux08_at_most_five_main_choices_on_a_screen(walk: Walk) -> None:
    _report(walk, "ux08")


def test_ux12_every_text_has_a_speaker_button(walk: Walk) -> None:
    _report(walk, "ux12")


def test_ux13_audio_that_starts_by_itself_stops_with_one_tap(walk: Walk) -> None:
    assert walk.seen["spoke by itself"] > 100  # steps are read aloud when they open
    _report(walk, "ux13")


def test_ux14_icon_and_label_on_every_control_one_icon_per_meaning(walk: Walk) -> None:
    found = [f"{language}: {label!r} has icons {sorted(meanings)}"
             for (language, label), meanings in walk.icons.items() if len(meanings) > 1]
    labels: dict[tuple[str, str], set[str]] = defaultdict(set)
    for (language, label), meanings in walk.icons.items():
        for meaning in meanings:
            labels[(language, ICONS[meaning])].add(label)
    assert len(set(ICONS.values())) == len(ICONS), "two meanings share one icon"
    assert not found, "\n".join(found[:20])
    _report(walk, "ux14")


def test_ux15_the_idle_warning_is_shown_spoken_and_gives_two_minutes(walk: Walk) -> None:
    _report(walk, "ux15")


def test_ux16_back_and_again_on_every_step(walk: Walk) -> None:
    _report(walk, "ux16")


def test_ux17_step_counter_and_progress_dots_on_every_step(walk: Walk) -> None:
    _report(walk, "ux17")


def test_ux18_a_wrong_try_gets_a_chime_a_hint_and_another_go(walk: Walk) -> None:
    _report(walk, "ux18")


def test_ux19_no_timer_or_animation_moves_anything(walk: Walk) -> None:
    _report(walk, "ux19")


def test_ux20_a_wrong_try_is_marked_with_a_shape_not_colour_alone(walk: Walk) -> None:
    _report(walk, "ux20")


def test_ux21_a_typing_step_shows_what_to_type(walk: Walk) -> None:
    _report(walk, "ux21")


def test_ux22_arabic_is_vowelled_and_the_layout_mirrors(walk: Walk) -> None:
    _report(walk, "ux22")


def test_ux24_names_tab_arrows_and_focus_ring(walk: Walk) -> None:
    assert walk.seen["focus rings"] > 500
    _report(walk, "ux24")


def test_no_text_is_clipped_in_any_language_text_size_or_font(walk: Walk) -> None:
    assert walk.fonts["DejaVu Sans"] == {"DejaVu Sans"}, "the font under test is not the one drawn"
    assert "DejaVu Sans" not in walk.fonts["shipped"], walk.fonts
    _report(walk, "clipped")
    print(f"walk: {walk.seen['states']} states in {walk.seconds:.0f} s")


def test_ux03_a_press_alone_does_nothing_the_release_acts(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    from PySide6.QtTest import QTest

    window = make_window()
    window.begin()
    lesson = window.services.catalog.open("tikken")
    step = next(s for s in lesson.steps if s.kind == "tap")
    window.open_lesson("tikken", step.number)
    screen = window.lesson
    x, y, w, h = step.target
    point = screen.picture.to_widget(QPointF(x + w / 2, y + h / 2)).toPoint()
    QTest.mousePress(screen.picture, Qt.MouseButton.LeftButton, pos=point)
    assert step.number not in screen.solved and not screen.feedback.isVisible()
    QTest.mouseRelease(screen.picture, Qt.MouseButton.LeftButton, pos=point)
    assert step.number in screen.solved
    button = screen.next_button
    QTest.mousePress(button, Qt.MouseButton.LeftButton)
    assert screen.number == step.number  # pressed, not yet released
    QTest.mouseRelease(button, Qt.MouseButton.LeftButton)
    assert screen.number == step.number + 1


def test_ux19_nothing_on_screen_moves_without_input(make_window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """Each screen, left alone for a moment, looks the same; only the idle countdown (the
    warning itself) may change."""
    window = make_window()
    window.resize(1366, 768)
    still = 0
    for name in visit_screens(window):
        if name == "07-idle-warning":
            continue
        QApplication.processEvents()
        before = window.grab().toImage()
        qtbot.wait(700)
        after = window.grab().toImage()
        assert before == after, f"{name} changes by itself"
        still += 1
    assert still >= 12


def test_the_theme_meets_its_own_numbers() -> None:
    for name in ("normal", "contrast"):
        for size in ("A", "A+", "A++"):
            theme = Theme.named(name, size)
            assert theme.body_px >= 24 and theme.heading_px >= 32 and theme.target_px >= 64
        p = Theme.named(name).palette
        for ink, ground in ((p.text, p.background), (p.text, p.surface),
                            (p.primary_text, p.primary), (p.secondary_text, p.secondary),
                            (p.good_text, p.good), (p.bad_text, p.bad), (p.muted, p.background),
                            (p.highlight_text, p.highlight)):
            assert contrast(QColor(ink), QColor(ground)) >= 7, (name, ink, ground)
