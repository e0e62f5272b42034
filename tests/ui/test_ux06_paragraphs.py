"""Paragraph text (rule 6): a phone number stays on one line, and the invisible marks that keep
it in order inside Arabic text do not move a line, whatever font the PC has."""

from __future__ import annotations

import html

import pytest
from PySide6.QtGui import QFont, QTextDocument

from kiosk.ui.widgets.controls import paragraph_html

NUMBER = "02 572 57 57"
DUTCH = f"De FOD Financiën helpt je gratis. Bel naar {NUMBER}. Dat kost niets."
ARABIC = ("نُقْطَةُ الْمُسَاعَدَةِ الرَّقْمِيَّةِ (digipunt) تَشْرَحُ الْمَوْقِع. لٰكِنَّهَا لَا تَمْلَأُ "
          f"شَيْئًا. وِزَارَةُ الْمَالِيَّةِ تُسَاعِدُكَ مَجَّانًا: \u2066{NUMBER}\u2069.")


def _lines(text: str, width: int, family: str, px: int = 36) -> list[tuple[str, float]]:
    """(text, baseline) of each line of ``text`` laid out as the app lays out a paragraph."""
    doc = QTextDocument()
    font = QFont(family)
    font.setPixelSize(px)
    doc.setDefaultFont(font)
    doc.setDocumentMargin(0)
    doc.setHtml(paragraph_html(html.escape(text), 1.5 * px))
    doc.setTextWidth(width)
    doc.size()
    block = doc.begin()
    layout, plain = block.layout(), block.text()
    return [(plain[line.textStart():line.textStart() + line.textLength()], line.y() + line.ascent())
            for line in (layout.lineAt(i) for i in range(layout.lineCount()))]


@pytest.mark.parametrize("text", [DUTCH, ARABIC])
def test_ux06_a_phone_number_is_never_broken_over_two_lines(qapp, text: str) -> None:  # type: ignore[no-untyped-def]
    digits = NUMBER.replace(" ", "")
    for width in range(260, 900, 20):
        lines = _lines(text, width, "DejaVu Sans")
        assert len(lines) > 1
        holding = [t for t, _ in lines if any(c.isdigit() for c in t)]
        assert len(holding) == 1 and digits in "".join(c for c in holding[0] if c.isdigit()), \
            (width, [t for t, _ in lines])


def test_ux06_bidi_marks_in_a_font_without_them_keep_the_lines_15_apart(qapp) -> None:  # type: ignore[no-untyped-def]
    for width in (500, 700):
        baselines = [y for _, y in _lines(ARABIC, width, "DejaVu Sans")]
        gaps = [b - a for a, b in zip(baselines, baselines[1:])]
        assert len(gaps) >= 1 and all(abs(g - 54) < 0.5 for g in gaps), (width, gaps)
