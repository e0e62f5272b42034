"""One icon per meaning, used everywhere: Phosphor glyphs from the font that qtawesome ships.

The glyphs are drawn straight from qtawesome's font file and charmap: importing qtawesome itself pulls in qtpy and half of Qt, which doubled the start-up time.
"""

from __future__ import annotations

import importlib.util
import json
from functools import lru_cache
from pathlib import Path

from PySide6.QtCore import QPoint, QRect, QSize, Qt
from PySide6.QtGui import QColor, QFont, QFontDatabase, QIcon, QPainter, QPixmap

ICONS = {
    "back": "arrow-left-bold",
    "next": "arrow-right-bold",
    "home": "house-bold",
    "again": "arrow-counter-clockwise-bold",
    "speak": "speaker-high-bold",
    "stop": "stop-bold",
    "mute": "speaker-slash-bold",
    "good": "check-circle-bold",
    "bad": "x-circle-bold",
    "resume": "play-bold",
    "new": "plus-circle-bold",
    "more": "dots-three-outline-bold",
    "lesson": "book-open-bold",
    "choose": "circle-bold",
    "code": "key-bold",
    "buddy": "lifebuoy-bold",
    "size": "text-aa-bold",
    "print": "printer-bold",
    "erase": "backspace-bold",
    "delete": "trash-bold",
    "language": "translate-bold",
    "leave": "sign-out-bold",
    "lessons": "squares-four-bold",
    "settings": "gear-bold",
    "capital": "arrow-fat-up-bold",
    "slow": "person-simple-walk-bold",
    "normal": "person-simple-run-bold",
    "close": "x-bold",
}
# In a right-to-left layout "back" points right and "next" points left.
MIRRORED = {"back": "arrow-right-bold", "next": "arrow-left-bold"}

FONT_FILE = "phosphor-1.3.0.ttf"
CHARMAP_FILE = "phosphor-charmap-1.3.0.json"


def _font_folder() -> Path:
    spec = importlib.util.find_spec("qtawesome")  # finds the package without importing it
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("qtawesome is not installed; it provides the icon font")
    return Path(next(iter(spec.submodule_search_locations))) / "fonts"


@lru_cache(maxsize=1)
def _glyphs() -> tuple[str, dict[str, str]]:
    """The font family name and the code point of each icon name."""
    folder = _font_folder()
    font_id = QFontDatabase.addApplicationFont(str(folder / FONT_FILE))
    families = QFontDatabase.applicationFontFamilies(font_id) if font_id >= 0 else []
    if not families:
        raise RuntimeError(f"icon font {folder / FONT_FILE} cannot be loaded")
    charmap: dict[str, str] = json.loads((folder / CHARMAP_FILE).read_text(encoding="utf-8"))
    return families[0], charmap  # name → code point in hexadecimal


SMALL, LARGE = 48, 128  # pixmap sides; Qt scales from the nearest, and each one drawn costs time


def _glyph_pixmap(family: str, glyph: str, color: QColor, side: int) -> QPixmap:
    pixmap = QPixmap(side, side)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    painter.setRenderHint(QPainter.RenderHint.TextAntialiasing)
    font = QFont(family)
    font.setPixelSize(round(side * 0.9))
    painter.setFont(font)
    painter.setPen(color)
    painter.drawText(QRect(QPoint(0, 0), QSize(side, side)), Qt.AlignmentFlag.AlignCenter, glyph)
    painter.end()
    return pixmap


@lru_cache(maxsize=512)
def _icon(name: str, color: str, large: bool) -> QIcon:
    # Pixmaps at a few sizes, not a Python QIconEngine: Qt clones engines behind Python's back.
    family, glyphs = _glyphs()
    made = QIcon()
    for side in (SMALL, LARGE) if large else (SMALL,):
        made.addPixmap(_glyph_pixmap(family, chr(int(glyphs[name], 16)), QColor(color), side))
    return made


def icon(meaning: str, color: str, rtl: bool = False, side: int = SMALL) -> QIcon:
    """The icon of a meaning, for showing at about ``side`` pixels."""
    name = MIRRORED.get(meaning, ICONS[meaning]) if rtl else ICONS[meaning]
    return QIcon(_icon(name, color, side > SMALL))
