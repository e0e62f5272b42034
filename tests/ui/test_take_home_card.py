"""The take-home card: the picture code, and "Ik kan: …" with each lesson finished, in the
learner's language, without a name (P10); the digibuddy sees each lesson's guide note."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtGui import QImage
from PySide6.QtWidgets import QLabel

from kiosk.core.i18n import Translator
from kiosk.core.store import SessionSummary


def finish(window, lesson_id: str) -> None:  # type: ignore[no-untyped-def]
    window.open_lesson(lesson_id)
    window.services.progress.lesson_finished(lesson_id)


def ink(path: Path, top: float) -> int:
    """Dark pixels below ``top`` (a fraction of the height) of a PNG."""
    image = QImage(str(path))
    return sum(1 for y in range(round(image.height() * top), image.height(), 3)
               for x in range(0, image.width(), 3) if image.pixelColor(x, y).lightness() < 128)


def test_p10_the_card_lists_finished_lessons_in_the_learners_language(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                                      tmp_path) -> None:
    window = make_window()
    window.begin()
    window.choose_language("ar")
    finish(window, "tikken")
    finish(window, "typen")
    window.open_lesson("email")  # begun, not finished: not on the card
    code = window.end_visit("stopped")
    assert code
    arabic = Translator("ar")
    lines = window.code.card_lines()
    assert lines[3] == arabic.gettext("Ik kan:") != "Ik kan:"
    titles = lines[4:]
    assert titles == [arabic.lesson("tikken", "Tikken en scrollen"),
                      arabic.lesson("typen", "Typen op het scherm")]
    assert "Tikken en scrollen" not in titles  # translated, not the Dutch source
    # Nothing else about the person: the three picture names, the heading, the titles.
    assert len(lines) == 3 + 1 + 2
    card = window.code.card_image(tmp_path / "kaart.png")
    assert ink(card, 0.7) > 0
    pdf = window.code.card_pdf(tmp_path / "kaart.pdf")
    assert pdf.read_bytes().startswith(b"%PDF")


def test_without_a_finished_lesson_the_card_has_only_the_code(qtbot, make_window,  # type: ignore[no-untyped-def]
                                                              tmp_path) -> None:
    window = make_window()
    window.begin()
    window.open_lesson("tikken")
    assert window.end_visit("stopped")
    assert len(window.code.card_lines()) == 3 and "Ik kan:" not in window.code.card_lines()
    bare = window.code.card_image(tmp_path / "zonder.png")
    window.code.finished = (("tikken", "Tikken en scrollen"),)
    listed = window.code.card_image(tmp_path / "met.png")
    assert ink(listed, 0.75) > ink(bare, 0.75)  # the list is drawn in the lower part


def test_a_long_list_still_fits_on_the_card(qtbot, make_window, tmp_path) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    window.begin()
    for lesson in window.services.catalog.lessons:
        finish(window, lesson.id)
    window.end_visit("stopped")
    count = len(window.services.catalog.lessons)
    assert len(window.code.card_lines()) == 3 + 1 + count
    window.code.card_image(tmp_path / "lang.png")  # paints without error; looked at by eye


def test_the_buddy_row_shows_the_guide_note_of_the_current_lesson(qtbot, make_window) -> None:  # type: ignore[no-untyped-def]
    window = make_window()
    buddy = window.screens.get("buddy")
    itsme = window.services.catalog.get("itsme")
    assert itsme is not None and itsme.guide
    buddy.show_sessions([SessionSummary(1, "", 0.0, 0.0, True, 0, "itsme", 3, 10, ()),
                         SessionSummary(2, "", 0.0, 0.0, True, 0, "", 0, 0, ())])
    notes = [label.text() for label in buddy.findChildren(QLabel, "guide")]
    assert notes == [itsme.guide]  # one note: the visit in no lesson has none
