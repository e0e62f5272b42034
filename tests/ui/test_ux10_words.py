"""ux10: a hard word in a step text is marked, and a tap on it explains it with a picture and
the resident's own language, read aloud; one tap closes the card. Real widgets, real lessons."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QPoint, QRect, Qt
from PySide6.QtGui import QTextDocument
from PySide6.QtTest import QTest

from colours import background, contrast
from kiosk.core.i18n import Translator
from kiosk.core.settings import Settings
from kiosk.core.words import CONTEXT
from kiosk.ui.widgets.words import WordText


def word_position(label: WordText, index: int) -> QPoint:
    """Where the label draws the first letter of its index-th marked word."""
    start = label.marks[index].start
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    layout = doc.documentLayout()
    doc.size()  # lays the text out
    block = doc.findBlock(start)
    text_layout = block.layout()
    line = text_layout.lineForTextPosition(start - block.position())
    x = line.cursorToX(start - block.position())[0] + 4
    top = layout.blockBoundingRect(block).top()
    return QPoint(round(x) + label.contentsRect().left(),
                  round(top + line.y() + line.height() / 2) + label.contentsRect().top())


def inked_columns(widget) -> list[int]:  # type: ignore[no-untyped-def]
    """The x of every column in which the widget draws something darker than its background."""
    window = widget.window()
    image = window.grab(QRect(widget.mapTo(window, QPoint(0, 0)), widget.size())).toImage()
    ground = image.pixelColor(0, 0).lightness()
    return [x for x in range(image.width())
            if any(ground - image.pixelColor(x, y).lightness() > 100
                   for y in range(0, image.height(), 2))]


def open_step(window, lesson_id: str, number: int):  # type: ignore[no-untyped-def]
    window.begin()
    window.open_lesson(lesson_id, number)
    return window.lesson


def test_ux10_a_tap_on_a_marked_word_opens_its_card_read_aloud(make_window, speaker, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(language="fr")
    screen = open_step(window, "itsme", 1)
    label = screen.text
    assert "itsme" in label.marked_words()
    assert "text-decoration: underline" in label.text() and "<img" in label.text()  # not colour alone
    french = Translator("fr")
    word = label.marks[label.marked_words().index("itsme")].word
    speaker.said.clear()
    QTest.mouseClick(label, Qt.MouseButton.LeftButton, pos=word_position(
        label, label.marked_words().index("itsme")))
    card = screen.word_card
    assert card is not None and card.isVisible()
    assert card.geometry() == window.rect()
    assert card.heading.text() == french.lesson(CONTEXT, word.word)
    assert not card.picture.pixmap().isNull()
    explanation = french.lesson(CONTEXT, word.explain)
    assert explanation != word.explain  # the resident's language, not Dutch
    assert card.explanation.label.plain_text() == explanation
    assert speaker.said[-1] == (explanation, "fr")
    QTest.mouseClick(card, Qt.MouseButton.LeftButton, pos=QPoint(5, 5))  # one tap, anywhere
    assert not card.isVisible()
    assert speaker.state != "speaking"


def test_ux10_the_card_closes_with_its_button_and_speaks_arabic(make_window, speaker, qtbot) -> None:  # type: ignore[no-untyped-def]
    window = make_window(language="ar")
    screen = open_step(window, "apps", 2)
    label = screen.text
    assert label.marks, label.plain_text()
    label.linkActivated.emit("word:0")  # as the keyboard's Enter on the first marked word
    card = screen.word_card
    assert card.isVisible() and card.layoutDirection() == Qt.LayoutDirection.RightToLeft
    assert speaker.said[-1][1] == "ar"
    ink = inked_columns(card.heading)
    assert ink and min(ink) > card.heading.width() / 2, "the heading starts on the right"
    QTest.mouseClick(card.close_button, Qt.MouseButton.LeftButton)
    assert not card.isVisible()


def test_ux10_every_step_text_of_every_lesson_marks_the_words_it_uses(make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.begin()
    marked = set()
    for listed in window.services.catalog.lessons:
        for step in window.services.catalog.open(listed.id).steps:
            window.open_lesson(listed.id, step.number)
            marked |= {m.word.word for m in window.lesson.text.marks}
    assert {"app", "link", "wachtwoord", "pincode", "aanmelden", "eID", "itsme", "e-mail",
            "website", "scherm", "tikken"} <= marked


def _lines_of(label: WordText) -> list[str]:
    doc = QTextDocument()
    doc.setDefaultFont(label.font())
    doc.setDocumentMargin(0)
    doc.setHtml(label.text())
    doc.setTextWidth(label.contentsRect().width())
    doc.size()
    lines, block = [], doc.begin()
    while block.isValid():
        layout, plain = block.layout(), block.text()
        lines += [plain[line.textStart():line.textStart() + line.textLength()]
                  for line in (layout.lineAt(i) for i in range(layout.lineCount()))]
        block = block.next()
    return lines


@pytest.mark.parametrize("text_size", ["A", "A++"])
def test_ux10_the_mark_never_leaves_its_word_for_the_next_line(make_window, text_size) -> None:  # type: ignore[no-untyped-def]
    """Seen in Ukrainian itsme 8 at A: "Натисніть" at the end of a line, its ⓘ alone on the next."""
    alone = []
    marks = 0
    for language in ("nl", "uk", "ar", "tr"):
        window = make_window(Settings(text_size=text_size), language=language)
        window.begin()
        window.choose_language(language)
        for listed in window.services.catalog.lessons:
            for step in window.services.catalog.open(listed.id).steps:
                window.open_lesson(listed.id, step.number)
                label = window.lesson.text
                marks += len(label.marks)
                alone += [f"{language} {listed.id} {step.number}: {line[:30]!r}"
                          for line in _lines_of(label)[1:]
                          if line.lstrip("\u2060\u202f\u00a0 ").startswith("\ufffc")]
        window.close()
    assert marks > 500
    assert not alone, "\n".join(alone)


@pytest.mark.parametrize("theme", ["normal", "contrast"])
def test_ux10_the_mark_stands_out_3_to_1_in_each_theme(make_window, theme) -> None:  # type: ignore[no-untyped-def]
    """The ⓘ is a tap target: its coloured disc is 3:1 against the text's ground (rule 5), in
    the high-contrast theme too (black ground)."""
    window = make_window(Settings(theme=theme))
    label = open_step(window, "tikken", 2).text
    assert label.marks
    image = window.grab(QRect(label.mapTo(window, QPoint(0, 0)), label.size())).toImage()
    ground = background(image, image.rect())  # the text's ground
    disc = 0
    for y in range(0, image.height()):
        for x in range(0, image.width()):
            color = image.pixelColor(x, y)
            if color.hsvSaturation() > 150 and contrast(color, ground) >= 3:
                disc += 1
    side = round(window.services.theme.body_px * 0.8)  # the disc is this high
    assert disc > side * side // 4, (theme, disc)  # the disc is about 0.6 of its square
