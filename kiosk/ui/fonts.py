"""The app's own fonts, so that every PC shows the same letters and the same line lengths.

Atkinson Hyperlegible Next (Latin, with Turkish and French letters) was drawn for readers with low
vision: I, l and 1 differ, 0 and O differ, letters are open. It has no Cyrillic or Arabic, so
Noto Sans (its Cyrillic letters) and Noto Naskh Arabic UI follow it in the family list: Naskh is
the style of Arabic schoolbooks, and its UI cut keeps lines as high as Latin ones (1.36 em, not
1.7), so that Arabic screens fit as Dutch ones do. All are in ``assets/fonts`` (SIL Open Font
License) and are loaded once, before the first style sheet.

``KIOSK_FONT=FAMILY`` uses an installed font instead (for example ``KIOSK_FONT="DejaVu Sans"``):
to check that the layout holds with other fonts, or to match a library's own look.
"""

from __future__ import annotations

import logging
import os

from PySide6.QtGui import QFont, QFontDatabase, QGuiApplication

from kiosk.core.paths import bundled

logger = logging.getLogger(__name__)

SHIPPED = ("Atkinson Hyperlegible Next", "Noto Sans", "Noto Naskh Arabic UI")
# After the shipped ones, for characters none of them has (the platform's own sans fonts).
FALLBACK = ("Segoe UI", "DejaVu Sans", "Arial")
ENV = "KIOSK_FONT"

_loaded: list[int] = []


def forced() -> str:
    """The installed family asked for with ``KIOSK_FONT``, or ""."""
    return os.environ.get(ENV, "").strip()


def families() -> tuple[str, ...]:
    """Font families in the order the app asks for them."""
    family = forced()
    return (family,) if family else SHIPPED + FALLBACK


def css_families() -> str:
    """The families as a style-sheet ``font-family`` value."""
    return ", ".join(f'"{name}"' for name in families()) + ", sans-serif"


def ensure_loaded() -> None:
    """Registers the shipped fonts with Qt once (or drops them when another font is forced).

    Pictures name the generic family ``sans-serif``; it is pointed at the same families, so
    the text in lesson pictures is drawn in the app's fonts too.
    """
    if QGuiApplication.instance() is None:
        return
    if forced():
        while _loaded:
            QFontDatabase.removeApplicationFont(_loaded.pop())
    elif not _loaded:
        folder = bundled("assets") / "fonts"
        for path in sorted(folder.glob("*.ttf")):
            font_id = QFontDatabase.addApplicationFont(str(path))
            if font_id < 0:
                logger.warning("font %s could not be loaded; using the system's fonts", path,
                               extra={"event": "font_missing"})
            else:
                _loaded.append(font_id)
    QFont.removeSubstitutions("sans-serif")
    QFont.insertSubstitutions("sans-serif", list(families()))
