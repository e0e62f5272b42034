"""One icon per meaning, used everywhere (qtawesome's Phosphor set)."""

from __future__ import annotations

from PySide6.QtGui import QIcon

ICONS = {
    "back": "ph.arrow-left-bold",
    "next": "ph.arrow-right-bold",
    "home": "ph.house-bold",
    "again": "ph.arrow-counter-clockwise-bold",
    "speak": "ph.speaker-high-bold",
    "stop": "ph.stop-bold",
    "mute": "ph.speaker-slash-bold",
    "wait": "ph.hourglass-bold",
    "good": "ph.check-circle-bold",
    "bad": "ph.x-circle-bold",
    "hint": "ph.lightbulb-bold",
    "resume": "ph.play-bold",
    "new": "ph.plus-circle-bold",
    "more": "ph.dots-three-outline-bold",
    "lesson": "ph.book-open-bold",
    "choose": "ph.circle-bold",
}
# In a right-to-left layout "back" points right and "next" points left.
MIRRORED = {"back": "ph.arrow-right-bold", "next": "ph.arrow-left-bold"}


def icon(meaning: str, color: str, rtl: bool = False) -> QIcon:
    import qtawesome  # needs a QApplication; imported late to keep start-up light

    name = MIRRORED.get(meaning, ICONS[meaning]) if rtl else ICONS[meaning]
    return qtawesome.icon(name, color=color)
