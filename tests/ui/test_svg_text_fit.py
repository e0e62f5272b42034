"""Text in lesson pictures fits its box in every language.

Each ``<text>`` of every lesson SVG, translated as the lesson screen translates it, is measured
by Qt's own SVG renderer (the app's shipped fonts stand in for ``sans-serif``) and compared
with the box it sits in: the smallest rectangle of the picture, after transforms, that holds the
start of its first line (rectangles of one height side by side count as one box); a text in no
rectangle must stay inside the picture. A text that comes closer than 1 unit to the inner edge
of its box's border, or runs past it, fails, with the file, the language, the text and by how
much. Only the width is measured (the height of a line does not depend on the translation);
the middle of the text must lie inside the box.
"""

from __future__ import annotations

import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from PySide6.QtCore import QByteArray, QPointF, QRectF
from PySide6.QtGui import QFont, QFontInfo
from PySide6.QtSvg import QSvgRenderer

from kiosk.core.i18n import SHIPPED_LANGUAGES, Translator
from kiosk.core.paths import bundled
from kiosk.core.svg import SVG_NS, element_text, translated_svg
from kiosk.ui import fonts

PICTURES = sorted(bundled("lessons").glob("*/*.svg"))
PADDING = 1.0  # picture units a text keeps from the border: touching it is running over


def _stroke(el: ET.Element) -> float:
    if el.get("stroke") in (None, "none"):
        return 0.0
    try:
        return float(el.get("stroke-width", "1"))
    except ValueError:
        return 1.0


def _merge_side_by_side(boxes: list[tuple[QRectF, float]]) -> list[QRectF]:
    """The inside of each box. Rectangles of one height side by side, at most 12 units apart
    (a split button, the words of a text marked one by one) are one box, in place of their
    parts."""
    groups = [[outer, border] for outer, border in boxes]
    joined = True
    while joined:
        joined = False
        for a in groups:
            for b in groups:
                if (a is not b and abs(a[0].top() - b[0].top()) < 1
                        and abs(a[0].height() - b[0].height()) < 1
                        and -5 <= b[0].left() - a[0].right() <= 12):
                    a[0], a[1] = a[0].united(b[0]), max(a[1], b[1])
                    groups.remove(b)
                    joined = True
                    break
            if joined:
                break
    return [outer.adjusted(border, border, -border, -border) for outer, border in groups]


def overflows(data: bytes) -> list[tuple[str, float]]:
    """Each text that runs out of its box, with by how many picture units."""
    ET.register_namespace("", SVG_NS[1:-1])
    root = ET.fromstring(data)
    texts: list[tuple[str, ET.Element]] = []
    rects: list[tuple[str, ET.Element]] = []
    for number, el in enumerate(root.iter()):
        tag = el.tag.rsplit("}", 1)[-1]
        if tag in ("text", "rect"):
            el.set("id", f"fit-{number}")
            (texts if tag == "text" else rects).append((f"fit-{number}", el))
    renderer = QSvgRenderer(QByteArray(ET.tostring(root)))
    assert renderer.isValid()

    def bounds(element_id: str) -> QRectF:
        return renderer.transformForElement(element_id).mapRect(
            renderer.boundsOnElement(element_id))

    # Qt's bounds hold half the border outside the shape; the inside starts after the border.
    inner = [box for box in _merge_side_by_side([(bounds(i), _stroke(el)) for i, el in rects])
             if box.width() > 0 and box.height() > 0]
    found = []
    for element_id, el in texts:
        text = element_text(el)
        if not text:
            continue
        drawn = bounds(element_id)
        size = float(el.get("font-size", "16"))
        start = renderer.transformForElement(element_id).map(
            QPointF(float(el.get("x", "0")), float(el.get("y", "0")) - size * 0.35))
        holders = [box for box in inner if box.contains(start)]
        box = min(holders, key=lambda b: b.width() * b.height()) if holders \
            else renderer.viewBoxF()
        over = max(box.left() - drawn.left(), drawn.right() - box.right(),
                   box.top() - drawn.center().y(), drawn.center().y() - box.bottom()) + PADDING
        if over > 0:
            found.append((text, over))
    return found


@pytest.fixture(scope="module")
def shipped_fonts(qapp):  # type: ignore[no-untyped-def]
    fonts.ensure_loaded()
    family = QFontInfo(QFont("sans-serif")).family()
    assert family in fonts.SHIPPED, f"pictures would be drawn in {family}, not the app's fonts"


def test_the_measure_finds_a_text_that_runs_out_of_its_button(shipped_fonts) -> None:  # type: ignore[no-untyped-def]
    def picture(label: str) -> bytes:
        return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 800 600">'
                f'<rect x="100" y="100" width="200" height="80" stroke="#000" stroke-width="4"/>'
                f'<text x="120" y="150" font-family="sans-serif" font-size="30">{label}</text>'
                f'<rect x="400" y="100" width="100" height="80"/>'
                f'<rect x="501" y="100" width="200" height="80"/>'
                f'<text x="410" y="150" font-family="sans-serif" font-size="30">Op twee delen</text>'
                f'</svg>').encode()
    assert overflows(picture("Klaar")) == []
    found = overflows(picture("Volgende bladzijde"))
    assert [text for text, _ in found] == ["Volgende bladzijde"] and found[0][1] > 20


@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_picture_text_fits_its_box(shipped_fonts, language: str) -> None:  # type: ignore[no-untyped-def]
    t = Translator(language)
    problems = []
    for path in PICTURES:
        lesson_id = path.parent.name
        data = translated_svg(path.read_bytes(), lambda s, i=lesson_id: t.lesson(i, s))
        problems += [f"{Path(lesson_id) / path.name}: {text!r} comes {over:.1f} too far (past its box or against its border)"
                     for text, over in overflows(data)]
    assert len(PICTURES) > 100
    assert not problems, f"{language}:\n" + "\n".join(problems)
