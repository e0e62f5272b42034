"""The measurable low-literacy rules (shared/ux-rules.md) over every screen, in every shipped
language, at 1366×768 and 1920×1080 — and no text clipped at the largest text size."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterator

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QColor, QFontInfo, QImage, QPalette
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QLineEdit, QWidget

from kiosk.core.i18n import SHIPPED_LANGUAGES
from kiosk.core.settings import Settings
from kiosk.ui import fonts
from kiosk.ui.navigator import Navigator
from kiosk.ui.render import visit_screens
from kiosk.ui.theme import Theme
from kiosk.ui.widgets.controls import WrappingButton
from kiosk.ui.widgets.keyboard import OnScreenKeyboard

SIZES = [(1366, 768), (1920, 1080)]
CASES = [pytest.param(lang, size, id=f"{lang}-{size[0]}x{size[1]}")
         for lang in SHIPPED_LANGUAGES for size in SIZES]


def screens(make_window, language: str, size: tuple[int, int],  # type: ignore[no-untyped-def]
            theme: str = "normal", text_size: str = "A") -> Iterator[tuple[str, Navigator]]:
    window = make_window(Settings(theme=theme, text_size=text_size), language=language)
    window.resize(*size)
    app = QApplication.instance()
    for name in visit_screens(window):
        for _ in range(2):
            app.processEvents()  # type: ignore[union-attr]
        yield name, window


def shown(window: Navigator, kind: type) -> list:  # type: ignore[type-arg]
    """Widgets a person can see; under the idle warning only the warning counts."""
    top = window.idle_warning if window.idle_warning.isVisible() else window
    return [w for w in top.findChildren(kind) if w.isVisible() and w.window() is window]


def is_character_key(button: QAbstractButton) -> bool:
    """Keyboard and PIN keys: the character is the label."""
    parent = button.parentWidget()
    in_keyboard = any(isinstance(a, OnScreenKeyboard) for a in _ancestors(button))
    return (len(button.text()) == 1 or button.text() == "OK" or in_keyboard) and parent is not None


def is_picture_button(button: QAbstractButton) -> bool:
    """Pictogram buttons of the picture code: the picture is the label (named for screen readers)."""
    return not button.text() and not button.icon().isNull() and bool(button.accessibleName())


def _ancestors(widget: QWidget) -> Iterator[QWidget]:
    parent = widget.parentWidget()
    while parent is not None:
        yield parent
        parent = parent.parentWidget()


def collect(make_window, language, size, check: Callable[[str, Navigator], list[str]],  # type: ignore[no-untyped-def]
            **options) -> None:
    problems = []
    visited = 0
    for name, window in screens(make_window, language, size, **options):
        visited += 1
        problems += [f"{name}: {p}" for p in check(name, window)]
    assert visited >= 12
    assert not problems, "\n".join(problems[:30])


@pytest.mark.parametrize("language,size", CASES)
def test_ux01_targets_at_least_64px(make_window, language, size) -> None:  # type: ignore[no-untyped-def]
    def check(name: str, window: Navigator) -> list[str]:
        return [f"{b.text() or b.accessibleName()!r} is {b.width()}×{b.height()}"
                for b in shown(window, QAbstractButton) if b.width() < 64 or b.height() < 64]
    collect(make_window, language, size, check)


def _font_px(widget: QWidget) -> int:
    font = widget.font()
    return font.pixelSize() if font.pixelSize() > 0 else round(font.pointSizeF() * 96 / 72)


@pytest.mark.parametrize("language,size", CASES)
def test_ux04_body_text_24px_headings_32px(make_window, language, size) -> None:  # type: ignore[no-untyped-def]
    def check(name: str, window: Navigator) -> list[str]:
        found = []
        for widget in shown(window, QLabel) + shown(window, QAbstractButton):
            text = widget.text() if not isinstance(widget, WrappingButton) else ""
            if not text.strip():
                continue
            px = _font_px(widget)
            least = 32 if widget.property("role") in ("heading", "title") else 24
            if px < least:
                found.append(f"{text[:30]!r} is {px}px (at least {least})")
            if widget.font().italic():
                found.append(f"{text[:30]!r} is in italics")
        return found
    collect(make_window, language, size, check)


def _luminance(color: QColor) -> float:
    def channel(value: float) -> float:
        return value / 12.92 if value <= 0.03928 else ((value + 0.055) / 1.055) ** 2.4
    return (0.2126 * channel(color.redF()) + 0.7152 * channel(color.greenF())
            + 0.0722 * channel(color.blueF()))


def contrast(a: QColor, b: QColor) -> float:
    light, dark = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def _background(image: QImage, widget: QWidget, window: Navigator) -> QColor:
    """The most common colour under the widget, as drawn in the window."""
    top_left = widget.mapTo(window, widget.rect().topLeft())
    counts: Counter[int] = Counter()
    step = max(1, min(widget.width(), widget.height()) // 12)
    for x in range(top_left.x(), top_left.x() + widget.width(), step):
        for y in range(top_left.y(), top_left.y() + widget.height(), step):
            if 0 <= x < image.width() and 0 <= y < image.height():
                counts[image.pixel(x, y)] += 1
    return QColor.fromRgb(counts.most_common(1)[0][0])


@pytest.mark.parametrize("theme", ["normal", "contrast"])
@pytest.mark.parametrize("language,size", CASES)
def test_ux05_text_contrast_at_least_7_to_1(make_window, language, size, theme) -> None:  # type: ignore[no-untyped-def]
    def check(name: str, window: Navigator) -> list[str]:
        image = window.grab().toImage()
        found = []
        for widget in shown(window, QLabel) + shown(window, QAbstractButton):
            text = widget.accessibleName() if isinstance(widget, WrappingButton) else widget.text()
            if not text.strip() or widget.width() < 4:
                continue
            group = QPalette.ColorGroup.Active if widget.isEnabled() else QPalette.ColorGroup.Disabled
            role = widget.foregroundRole()
            ink = widget.palette().color(group, role)
            ground = _background(image, widget, window)
            ratio = contrast(ink, ground)
            if ratio < 7:
                found.append(f"{text[:30]!r}: {ink.name()} on {ground.name()} is {ratio:.1f}:1")
        return found
    collect(make_window, language, size, check, theme=theme)


@pytest.mark.parametrize("language,size", CASES)
def test_ux14_every_control_has_an_icon_and_a_label(make_window, language, size) -> None:  # type: ignore[no-untyped-def]
    def check(name: str, window: Navigator) -> list[str]:
        found = []
        for button in shown(window, QAbstractButton):
            if is_character_key(button) or is_picture_button(button):
                continue
            if isinstance(button, WrappingButton):
                has_icon = button.icon_label.pixmap() is not None and \
                    not button.icon_label.pixmap().isNull()
                label = button.text()
            else:
                has_icon, label = not button.icon().isNull(), button.text()
            if not has_icon or not label.strip():
                found.append(f"{label or button.accessibleName()!r}: icon={has_icon}")
        return found
    collect(make_window, language, size, check)


@pytest.mark.parametrize("language,size", CASES)
def test_ux24_accessible_names_and_keyboard_reach(make_window, language, size) -> None:  # type: ignore[no-untyped-def]
    def check(name: str, window: Navigator) -> list[str]:
        found = []
        chain, widget = set(), window.nextInFocusChain()
        while widget is not window and widget not in chain:
            chain.add(widget)
            widget = widget.nextInFocusChain()
        for control in shown(window, QAbstractButton) + shown(window, QLineEdit):
            if not control.accessibleName().strip():
                found.append(f"{control.text()!r} has no accessible name")
            on_screen_key = any(isinstance(a, OnScreenKeyboard) for a in _ancestors(control))
            if on_screen_key or not control.isEnabled():
                continue  # the physical keyboard types directly; disabled controls take no focus
            if not control.focusPolicy() & Qt.FocusPolicy.TabFocus or control not in chain:
                found.append(f"{control.text() or control.accessibleName()!r} is not reached by Tab")
        return found
    collect(make_window, language, size, check)


@pytest.fixture(params=[pytest.param("", id="shipped-fonts"),
                        pytest.param("DejaVu Sans", id="dejavu-sans")])
def font(request, monkeypatch: pytest.MonkeyPatch) -> str:  # type: ignore[no-untyped-def]
    """The app's own fonts, or an installed font of other metrics forced with KIOSK_FONT:
    the layout must fit its texts whatever the font."""
    if request.param:
        monkeypatch.setenv(fonts.ENV, request.param)
    else:
        monkeypatch.delenv(fonts.ENV, raising=False)
    return request.param or fonts.SHIPPED[0]


def assert_drawn_in(window: Navigator, family: str) -> None:
    label = next(iter(shown(window, QLabel)))
    assert QFontInfo(label.font()).family() == family, "the font under test is not the one drawn"


def _clipped(widget: QWidget) -> bool:
    if isinstance(widget, QLabel):
        if not widget.text().strip():
            return False
        if widget.wordWrap():
            # heightForWidth takes the widget's width and subtracts its own padding
            return widget.heightForWidth(widget.width()) > widget.height() + 2
        return widget.sizeHint().width() > widget.width() + 2
    if isinstance(widget, WrappingButton):
        return False  # its label is a wrapping QLabel, checked as one
    if isinstance(widget, QAbstractButton):
        return bool(widget.text()) and widget.sizeHint().width() > widget.width() + 2
    return False


@pytest.mark.parametrize("text_size", ["A", "A++"])
@pytest.mark.parametrize("language,size", CASES)
def test_no_text_is_clipped_in_any_language_or_text_size(make_window, language, size,  # type: ignore[no-untyped-def]
                                                         text_size, font) -> None:
    def check(name: str, window: Navigator) -> list[str]:
        assert_drawn_in(window, font)
        return [f"{w.text()[:40]!r} needs {w.sizeHint().width()}×"
                f"{w.heightForWidth(w.width()) if isinstance(w, QLabel) else w.sizeHint().height()}"
                f", has {w.width()}×{w.height()}"
                for w in shown(window, QLabel) + shown(window, QAbstractButton) if _clipped(w)]
    collect(make_window, language, size, check, text_size=text_size)


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


@pytest.mark.parametrize("text_size", ["A", "A+", "A++"])
@pytest.mark.parametrize("language", SHIPPED_LANGUAGES)
def test_every_step_of_every_lesson_fits_the_small_screen(make_window, language,  # type: ignore[no-untyped-def]
                                                          text_size, font) -> None:
    """Each step of each bundled lesson, and each question after a wrong answer, at 1366×768."""
    window = make_window(Settings(text_size=text_size), language=language)
    window.resize(1366, 768)
    app = QApplication.instance()
    window.begin()
    assert_drawn_in(window, font)
    problems, seen = [], 0
    catalog = window.services.catalog
    for listed in list(catalog.lessons):
        lesson = catalog.open(listed.id)
        assert lesson is not None
        for step in lesson.steps:
            window.open_lesson(lesson.id, step.number)
            answers = [None]
            if step.kind == "choose":
                answers.append(next(i for i, c in enumerate(step.choices) if not c.correct))
            for answer in answers:
                if answer is not None:
                    window.lesson.choose(answer)
                app.processEvents()  # type: ignore[union-attr]
                seen += 1
                problems += [f"{lesson.id} step {step.number}{' (wrong answer)' if answer is not None else ''}: "
                             f"{w.text()[:40]!r} has {w.width()}×{w.height()}"
                             for w in shown(window, QLabel) + shown(window, QAbstractButton)
                             if _clipped(w)]
    assert seen > 140
    assert not problems, "\n".join(problems[:20])
