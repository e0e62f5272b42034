"""The app draws its texts in its own fonts, for every shipped script, on any PC."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QFont, QFontDatabase, QFontInfo, QRawFont
from PySide6.QtWidgets import QLabel, QWidget

from kiosk.core.paths import bundled
from kiosk.ui import fonts
from kiosk.ui.theme import Theme

SAMPLES = {"Atkinson Hyperlegible Next": "Il1 0O ğşİ éç", "Noto Sans": "Пробіл Ґ Є Ї",
           "Noto Naskh Arabic UI": "اضغط على الزر"}


def test_shipped_fonts_are_loaded_and_cover_latin_cyrillic_and_arabic(qapp, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.delenv(fonts.ENV, raising=False)
    fonts.ensure_loaded()
    assert set(fonts.SHIPPED) <= set(QFontDatabase.families())
    for family, text in SAMPLES.items():
        raw = QFontDatabase.font(family, "Regular", 24)
        assert QFontInfo(raw).family() == family
        glyphs = QRawFont.fromFont(raw).glyphIndexesForString(text.replace(" ", ""))
        assert glyphs and all(glyphs), f"{family} lacks letters of {text!r}"
        assert "Bold" in QFontDatabase.styles(family)


@pytest.mark.parametrize("forced,drawn", [("", "Atkinson Hyperlegible Next"),
                                          ("DejaVu Sans", "DejaVu Sans")])
def test_the_style_sheet_draws_in_the_shipped_or_the_forced_font(qapp, qtbot, monkeypatch,  # type: ignore[no-untyped-def]
                                                                  forced, drawn) -> None:
    if forced:
        monkeypatch.setenv(fonts.ENV, forced)
    else:
        monkeypatch.delenv(fonts.ENV, raising=False)
    holder = QWidget()
    qtbot.addWidget(holder)
    holder.setStyleSheet(Theme.named("normal", "A").style_sheet())
    label = QLabel("Lees voor", holder)
    holder.show()
    assert QFontInfo(label.font()).family() == drawn
    # Pictures name the generic sans-serif family: it resolves to the same font.
    assert QFontInfo(QFont("sans-serif")).family() == drawn
    shipped_loaded = "Atkinson Hyperlegible Next" in QFontDatabase.families()
    assert shipped_loaded == (not forced), "a forced font must not fall back to the shipped ones"


def test_the_source_tree_carries_the_fonts_and_their_licences() -> None:
    folder = bundled("assets") / "fonts"
    assert len(list(folder.glob("*.ttf"))) == 6
    assert len(list(folder.glob("OFL-*.txt"))) == 3
    listed = (bundled("assets") / "README.md").read_text(encoding="utf-8")
    assert all(path.name.split("-")[0] in listed for path in folder.glob("*.ttf"))
