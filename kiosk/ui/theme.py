"""One place for the look: colours, sizes and the style sheet.

Sizes follow the low-literacy rules: touch targets of at least 64 px with 16 px between them,
body text of at least 24 px, headings of at least 32 px, text contrast of at least 7:1.
"""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.ui import fonts

TEXT_SCALES = {"A": 1.0, "A+": 1.25, "A++": 1.5}

TARGET = 64  # px, smallest side of anything to tap
GAP = 16  # px between targets
MARGIN = 24


@dataclass(frozen=True)
class Palette:
    name: str
    background: str
    surface: str
    text: str
    muted: str  # secondary text, still ≥ 7:1 on background
    primary: str  # main buttons (white text on it)
    primary_text: str
    secondary: str  # other buttons
    secondary_text: str
    border: str
    good: str  # success: with a ✓ shape and words, never colour alone
    good_text: str
    bad: str  # a wrong try: with a ✗ shape and words
    bad_text: str
    highlight: str  # background of the word being spoken
    highlight_text: str
    focus: str
    focus_on_primary: str  # the focus ring on a primary button: 3:1 against its fill


NORMAL = Palette(
    name="normal", background="#f7f4ee", surface="#ffffff", text="#1a1a1a", muted="#333333",
    primary="#0a4a85", primary_text="#ffffff", secondary="#ffffff", secondary_text="#1a1a1a",
    border="#4d4d4d", good="#0d5c1a", good_text="#ffffff", bad="#8a1c0a", bad_text="#ffffff",
    highlight="#ffe066", highlight_text="#000000", focus="#c2410c",
    focus_on_primary="#ffe066",
)
CONTRAST = Palette(
    name="contrast", background="#000000", surface="#000000", text="#ffffff", muted="#ffffff",
    primary="#ffff00", primary_text="#000000", secondary="#000000", secondary_text="#ffffff",
    border="#ffffff", good="#00ff66", good_text="#000000", bad="#ff9999", bad_text="#000000",
    highlight="#00ffff", highlight_text="#000000", focus="#ff00ff",
    focus_on_primary="#0000ff",
)
PALETTES = {"normal": NORMAL, "contrast": CONTRAST}


@dataclass(frozen=True)
class Theme:
    palette: Palette = NORMAL
    scale: float = 1.0

    @classmethod
    def named(cls, name: str, text_size: str = "A") -> Theme:
        return cls(PALETTES.get(name, NORMAL), TEXT_SCALES.get(text_size, 1.0))

    @property
    def text_size(self) -> str:
        """The name of this theme's text size ("A", "A+" or "A++")."""
        return next((k for k, v in TEXT_SCALES.items() if v == self.scale), "A")

    @property
    def body_px(self) -> int:
        return round(24 * self.scale)

    @property
    def heading_px(self) -> int:
        return round(32 * self.scale)

    @property
    def title_px(self) -> int:
        return round(40 * self.scale)

    @property
    def target_px(self) -> int:
        """Height of buttons: 64 px, or more when the text in them needs it."""
        return max(TARGET, round(self.body_px * 1.5 + 20))

    @property
    def keypad_px(self) -> int:
        """Side of a PIN key: all keys the same square, whatever the digit or the font; as high
        as other buttons, so that four rows fit under the heading at the largest text size."""
        return self.target_px

    def style_sheet(self) -> str:
        fonts.ensure_loaded()  # before the first widget asks for a family
        p = self.palette
        return f"""
        QWidget {{ background: {p.background}; color: {p.text};
                   font-family: {fonts.css_families()};
                   font-size: {self.body_px}px; }}
        QLabel {{ background: transparent; }}
        QLabel[role="lead"] {{ font-weight: bold; }}
        QLabel[role="heading"] {{ font-size: {self.heading_px}px; font-weight: bold; }}
        QLabel[role="title"] {{ font-size: {self.title_px}px; font-weight: bold; }}
        QLabel[role="muted"] {{ color: {p.muted}; }}
        QLabel[role="good"] {{ background: {p.good}; color: {p.good_text}; font-weight: bold;
                               border-radius: 8px; padding: 8px 12px; }}
        QLabel[role="bad"] {{ background: {p.bad}; color: {p.bad_text}; font-weight: bold;
                              border-radius: 8px; padding: 8px 12px; }}
        QFrame[role="panel"] {{ background: {p.surface}; border: 2px solid {p.border};
                                border-radius: 12px; }}
        QPushButton {{ background: {p.secondary}; color: {p.secondary_text};
                       border: 3px solid {p.border}; border-radius: 12px;
                       padding: 8px 20px; min-height: {self.target_px - 22}px;
                       font-weight: bold; }}
        QPushButton[role="primary"] {{ background: {p.primary}; color: {p.primary_text};
                                       border-color: {p.primary}; }}
        QPushButton[role="tile"] {{ background: {p.surface}; text-align: center; padding: 16px;
                                    min-height: {self.target_px - 38}px; }}
        QPushButton:disabled {{ border-style: dashed; color: {p.muted}; background: {p.background}; }}
        QPushButton:focus {{ outline: none; border: 5px solid {p.focus}; padding: 6px 18px; }}
        QPushButton[role="primary"]:focus {{ border-color: {p.focus_on_primary}; }}
        QPushButton:pressed {{ background: {p.highlight}; color: {p.highlight_text}; }}
        QPushButton[keypad="true"] {{ padding: 2px; min-width: {self.keypad_px - 10}px;
                                      min-height: {self.keypad_px - 10}px; }}
        QPushButton[keypad="true"]:focus {{ padding: 0px; }}
        QLineEdit {{ background: {p.surface}; color: {p.text}; border: 3px solid {p.border};
                     border-radius: 8px; padding: 8px; min-height: {self.target_px - 22}px; }}
        QLineEdit:focus {{ border: 5px solid {p.focus}; padding: 6px; }}
        """
