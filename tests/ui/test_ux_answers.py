"""Rules 16, 18, 20 and 22 where a walk over screens cannot see them: every practice step of every
bundled lesson answered by taps on the real widgets, then walked back; the ✓ and ✗ drawn on a
picture; and the Arabic catalogs."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QColor, QImage

from kiosk.core.lessons import Step
from kiosk.ui.navigator import Navigator
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.controls import WrappingButton
from kiosk.ui.widgets.picture import StepPicture

ROOT = Path(__file__).resolve().parents[2]
ARABIC_WORD = re.compile("[\u0621-\u064a\u064b-\u0652\u0670]+")
ARABIC_MARK = re.compile("[\u064b-\u0652]")


def click(qtbot, button) -> None:  # type: ignore[no-untyped-def]
    assert button.isVisible() and button.isEnabled(), button.text()
    qtbot.mouseClick(button, Qt.MouseButton.LeftButton)


def answer(qtbot, window: Navigator, step: Step, right: bool) -> None:  # type: ignore[no-untyped-def]
    """Answers the step as a resident would: a tap on the picture, a tap on an answer, or typing."""
    lesson = window.lesson
    if step.kind == "choose":
        index = next(i for i, c in enumerate(step.choices) if c.correct == right)
        tiles = [b for b in lesson.findChildren(WrappingButton) if b.isVisible()]
        click(qtbot, tiles[index])
    elif step.kind == "tap":
        assert step.target is not None
        x, y, w, h = step.target
        view = lesson.picture.view_box()
        point = (x + w / 2, y + h / 2) if right else (
            (view.left() + 4 if x - view.left() > view.right() - (x + w) else view.right() - 4),
            view.top() + 4)
        spot = lesson.picture.to_widget(QPointF(*point)).toPoint()
        qtbot.mouseClick(lesson.picture, Qt.MouseButton.LeftButton, pos=spot)
    else:
        field = lesson.picture.field
        field.clear()
        qtbot.keyClicks(field, step.answer if right else "qqq")
        qtbot.keyClick(field, Qt.Key.Key_Return)


@pytest.mark.parametrize("language", ["nl", "ar"])
def test_ux16_ux18_every_practice_step_answered_then_walked_back(qtbot, make_window, speaker,  # type: ignore[no-untyped-def]
                                                              language) -> None:
    """Each practice step: a wrong try gets a chime, a ✗ line with a hint and another go; the
    right answer a chime and a ✓ line. Going back to step 1 afterwards loses nothing."""
    window = make_window(language=language)
    window.begin()
    window.choose_language(language)
    catalog = window.services.catalog
    problems: list[str] = []
    for listed in catalog.lessons:
        lesson = catalog.open(listed.id)
        assert lesson is not None
        window.open_lesson(lesson.id, 1)
        screen = window.lesson
        solved = []
        for step in lesson.steps:
            where = f"{language} {lesson.id} step {step.number}"
            assert screen.step.number == step.number, where
            if step.kind in ("tap", "type", "choose"):
                for right, mark, chime in ((False, "✗", "try-again"), (True, "✓", "right")):
                    answer(qtbot, window, step, right)
                    line = screen.feedback.plain_text()
                    if not (screen.feedback.isVisible() and line.startswith(f"{mark} ")
                            and len(line.split()) >= 3):
                        problems.append(f"{where}: after a {'right' if right else 'wrong'} "
                                        f"answer the line is {line!r}")
                    if speaker.chimes[-1] != chime:
                        problems.append(f"{where}: chime {speaker.chimes[-1]!r}, not {chime!r}")
                    if not right and screen.next_button.isEnabled():
                        problems.append(f"{where}: a wrong try opens the way on")
                solved.append(step.number)
            if step.number < len(lesson.steps):
                click(qtbot, screen.next_button)
        for number in reversed(range(1, len(lesson.steps))):
            click(qtbot, screen.back_button)
            assert screen.step.number == number
            if number in solved and not (screen.next_button.isEnabled()
                                         and screen.feedback.plain_text().startswith("✓ ")):
                problems.append(f"{language} {lesson.id} step {number}: lost after going back")
    assert not problems, "\n".join(problems[:30])


def _ink(image: QImage, centre: QPointF, radius: float) -> set[tuple[int, int]]:
    """The pixels of the glyph inside a mark: inside the circle, and at 3:1 or more against the
    mark's own fill (read beside the glyph, inside the ring) in grey."""
    def grey(x: int, y: int) -> int:
        return QColor(image.pixel(x, y)).lightness()

    fill = grey(round(centre.x() - radius * 0.8), round(centre.y()))
    pixels = set()
    r = int(radius * 0.75)
    for dy in range(-r, r + 1):
        for dx in range(-r, r + 1):
            if dx * dx + dy * dy <= r * r:
                x, y = round(centre.x()) + dx, round(centre.y()) + dy
                if abs(grey(x, y) - fill) > 60:
                    pixels.add((dx, dy))
    return pixels


@pytest.mark.parametrize("theme_name", ["normal", "contrast"])
def test_ux20_right_and_wrong_marks_differ_in_shape_in_grey(qtbot, theme_name) -> None:  # type: ignore[no-untyped-def]
    """On a picture, the mark of a right and of a wrong tap differ by their shape, seen without
    colour: a person who cannot tell green from red still tells ✓ from ✗."""
    theme = Theme.named(theme_name)
    view = StepPicture(theme)
    qtbot.addWidget(view)
    view.set_image(ROOT / "lessons" / "tikken" / "knop.svg")
    view.resize(900, 600)
    view.show()
    point = QPointF(view.view_box().center())
    centre = view.to_widget(point)
    radius = max(28.0, theme.body_px * 1.3)
    glyphs = []
    for kind in ("good", "bad"):
        view.mark(kind, point.x(), point.y())
        image = view.grab().toImage().convertToFormat(QImage.Format.Format_Grayscale8)
        glyphs.append(_ink(image, centre, radius))
    good, bad = glyphs
    assert len(good) > 50 and len(bad) > 50, (len(good), len(bad))
    differ = len(good ^ bad) / len(good | bad)
    assert differ > 0.5, f"✓ and ✗ share {1 - differ:.0%} of their ink"


def _catalog_strings(path: Path) -> list[str]:
    strings = []
    with path.open("rb") as handle:
        for message in read_po(handle):
            # the forms of a glossary word are looked for, never shown or spoken (and the
            # search leaves vowel marks out)
            forms = any(c.startswith("forms of ") for c in message.auto_comments)
            if message.id and message.string and not forms:
                value = message.string
                strings += [value] if isinstance(value, str) else list(value)
    return strings


def test_ux22_every_arabic_word_in_the_catalogs_carries_vowel_marks() -> None:
    """espeak-ng reads Arabic right only with its vowels: every word of two letters or more in
    the app's, the lessons' and the words' Arabic catalogs has them (the article "الـ" before a
    Latin word is the exception)."""
    bare = []
    for path in sorted((ROOT / "translations" / "ar" / "LC_MESSAGES").glob("*.po")):
        for text in _catalog_strings(path):
            for word in ARABIC_WORD.findall(text):
                if (len(ARABIC_MARK.sub("", word)) >= 2 and not ARABIC_MARK.search(word)
                        and word.rstrip("\u0640") != "ال"):
                    bare.append(f"{path.name}: {word!r} in {text[:50]!r}")
    assert len(list((ROOT / "translations" / "ar" / "LC_MESSAGES").glob("*.po"))) >= 2
    assert not bare, "\n".join(bare)
