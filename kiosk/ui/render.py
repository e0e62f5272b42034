"""Rendering screens and lesson steps to PNG, exactly as a learner sees them, for authors and reviewers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

from PySide6.QtGui import QColor, QImage, QPainter
from PySide6.QtWidgets import QApplication, QWidget

from kiosk.core.lessons import Lesson
from kiosk.core.progress import ResumeOffer
from kiosk.core.roles import Role
from kiosk.core.store import SessionSummary
from kiosk.ui.navigator import Navigator, Services


def settle(app: QApplication) -> None:
    for _ in range(3):
        app.processEvents()


def grab(widget: QWidget, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    settle(QApplication.instance())  # type: ignore[arg-type]
    if not widget.grab().save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def make_window(services: Services, size: tuple[int, int]) -> Navigator:
    window = Navigator(services)
    window.resize(*size)
    window.show()
    return window


def render_lesson(window: Navigator, lesson: Lesson, out: Path) -> list[Path]:
    """One PNG per step, plus a contact sheet of all steps."""
    written = []
    window.open_lesson(lesson.id, 1)
    for number in range(1, len(lesson.steps) + 1):
        window.lesson.show_step(number)
        written.append(grab(window, out / f"{lesson.id}-step{number:02d}.png"))
    written.append(contact_sheet(written, out / f"{lesson.id}-sheet.png"))
    return written


def contact_sheet(images: list[Path], path: Path, columns: int = 3, width: int = 640) -> Path:
    pictures = [QImage(str(p)) for p in images]
    pictures = [p.scaledToWidth(width) for p in pictures if not p.isNull()]
    if not pictures:
        raise OSError("nothing to put on a contact sheet")
    cell_h = max(p.height() for p in pictures)
    rows = -(-len(pictures) // columns)
    gap = 12
    sheet = QImage(columns * (width + gap) + gap, rows * (cell_h + gap) + gap,
                   QImage.Format.Format_RGB32)
    sheet.fill(QColor("#808080"))
    painter = QPainter(sheet)
    for index, picture in enumerate(pictures):
        x = gap + (index % columns) * (width + gap)
        y = gap + (index // columns) * (cell_h + gap)
        painter.drawImage(x, y, picture)
    painter.end()
    if not sheet.save(str(path)):
        raise OSError(f"cannot write {path}")
    return path


def visit_screens(window: Navigator) -> Iterator[str]:
    """Shows every screen in turn and yields its name: welcome, lessons, a step of each kind
    (with feedback), done, idle warning, picture code, code entry, resume offer, PIN pad and the
    digibuddy's list. Used for pictures and for the checks of the low-literacy rules."""
    window.show_welcome()
    yield "01-welcome"
    window.welcome.show_languages()
    yield "01-welcome-languages"
    window.welcome.show_main()
    window.begin()
    yield "02-lessons"
    catalog = window.services.catalog
    if len(catalog.lessons) > 4:
        window.lessons.next_page()
        yield "02-lessons-more"
        window.lessons.show_page(0)
    kinds: set[str] = set()
    for listed in list(catalog.lessons):
        lesson = catalog.open(listed.id)
        for step in lesson.steps if lesson is not None else ():
            kind = step.kind
            if kind == "choose" and step.image is None and step.choices \
                    and all(choice.image is not None for choice in step.choices):
                kind = "choose-pictures"  # answers drawn as picture cards
            if kind in kinds:
                continue
            kinds.add(kind)
            window.open_lesson(lesson.id, step.number)
            yield f"03-step-{kind}"
            if step.kind == "choose":
                wrong = next(i for i, choice in enumerate(step.choices) if not choice.correct)
                window.lesson.choose(wrong)
                yield f"04-step-{kind}-wrong"
            if step.kind == "tap" and step.target is not None:
                x, y, w, h = step.target
                view = window.lesson.picture.view_box()
                beside = x + w + 40 if x + w + 40 < view.right() else x - 40
                window.lesson.tap_at(beside, y + h / 2)
                yield "04-step-tap-wrong"
                window.lesson.tap_at(x + w / 2, y + h / 2)
                yield "05-step-tap-right"
    if catalog.lessons:
        lesson = catalog.lessons[0]
        window.show_done(lesson.id)
        yield "06-done"
        window.visit.begin()
        window.visit.left_alone(window.visit.idle.idle_seconds + 1)
        window.check_idle()
        yield "07-idle-warning"
        window.stay()
        done = [(x.id, x.title) for x in catalog.lessons[:3]]  # the take-home card lists them
        window.code.show_code("-".join(p.key for p in window.services.pictograms[:3]), window.t,
                              done)
        window.show_screen(window.code)
        yield "08-picture-code"
        window.ask_code()
        for pictogram in window.services.pictograms[:2]:
            window.code_entry.pick(pictogram.key)
        yield "09-code-entry"
        window.show_resume(ResumeOffer(0, lesson.id, min(2, len(lesson.steps)),
                                       len(lesson.steps)))
        yield "10-resume"
    window.staff.ask_pin(Role.BUDDY)
    window.pin_pad.press("1")
    window.pin_pad.press("2")
    yield "11-pin-pad"
    window.staff.open_role(Role.BUDDY)
    window.buddy.show_sessions(window.services.progress.overview() or _example_sessions(window))
    yield "12-digibuddy"
    window.staff.open_role(Role.STAFF)
    window.buddy.show_sessions(window.services.progress.overview() or _example_sessions(window))
    yield "13-staff"
    window.leave_role()


def render_screens(window: Navigator, out: Path) -> list[Path]:
    """One PNG per screen (see ``visit_screens``)."""
    written = []
    for name in visit_screens(window):
        written.append(grab(window, out / f"{name}.png"))
        if name == "08-picture-code":  # and the card to take home, as it is printed
            written.append(window.code.card_image(out / "08-take-home-card.png"))
    return written


def _example_sessions(window: Navigator) -> list[SessionSummary]:
    """Two made-up visits, so the digibuddy's list can be seen without a store."""
    keys = [p.key for p in window.services.pictograms]
    lessons = [lesson.id for lesson in window.services.catalog.lessons] or ["tikken"]
    now = time.time()
    return [
        SessionSummary(1, "-".join(keys[0:3]), now - 7200, now - 3600, True, 2, lessons[0], 3, 8,
                       ((lessons[0], 2, 4),)),
        SessionSummary(2, "-".join(keys[3:6]), now - 90000, now - 86400, True, 0, "", 0, 0, ()),
    ]
