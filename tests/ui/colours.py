"""Colours in pictures of the screen, as the low-literacy rules measure them (WCAG 2 contrast)."""

from __future__ import annotations

from collections import Counter

from PySide6.QtCore import QRect
from PySide6.QtGui import QColor, QImage


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def background(image: QImage, rect: QRect) -> QColor:
    """The most common colour in a rectangle of the window's picture."""
    counts: Counter[int] = Counter()
    step = max(1, min(rect.width(), rect.height()) // 12)
    for x in range(rect.left(), rect.right(), step):
        for y in range(rect.top(), rect.bottom(), step):
            if 0 <= x < image.width() and 0 <= y < image.height():
                counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0]) if counts else QColor("white")
