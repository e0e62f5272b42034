"""The main window: one navigator that switches between the screens and answers their signals."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from PySide6.QtCore import QLibraryInfo, QLocale, Qt, QTranslator, Slot
from PySide6.QtGui import QCloseEvent
from PySide6.QtWidgets import QApplication, QMainWindow, QStackedWidget, QWidget

from kiosk import APP_NAME
from kiosk.core.catalog import Catalog
from kiosk.core.i18n import Translator
from kiosk.core.progress import ProgressService, ResumeOffer
from kiosk.core.settings import Settings
from kiosk.speech.speaker import Speaker
from kiosk.ui.screens.home import HomeScreen
from kiosk.ui.screens.lesson import LessonScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.theme import Theme

logger = logging.getLogger(__name__)


@dataclass
class Services:
    """What the screens depend on; made once by ``kiosk.app`` and passed in."""

    settings: Settings
    catalog: Catalog
    progress: ProgressService
    speaker: Speaker
    theme: Theme
    translator: Translator


class Navigator(QMainWindow):
    def __init__(self, services: Services, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.t = services.translator
        self.offer: ResumeOffer | None = None
        self.done_lesson = ""
        self._qt_translator: QTranslator | None = None
        theme = services.theme
        self.setWindowTitle(APP_NAME)
        self.setStyleSheet(theme.style_sheet())

        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        self.home = HomeScreen(theme, self.t, services.speaker, services.catalog, services.progress)
        self.lesson = LessonScreen(theme, self.t, services.speaker, services.progress,
                                   read_aloud=services.settings.read_aloud,
                                   keyboard_layout=services.settings.keyboard_layout)
        self.done = MessageScreen(theme, self.t, services.speaker, "good", "home", "again")
        self.resume = MessageScreen(theme, self.t, services.speaker, "resume", "resume", "new")
        for screen in (self.home, self.lesson, self.done, self.resume):
            self.stack.addWidget(screen)

        self.home.lessonChosen.connect(self.open_lesson)
        self.lesson.homeRequested.connect(self.show_home)
        self.lesson.finished.connect(self.show_done)
        self.done.primaryChosen.connect(self.show_home)
        self.done.secondaryChosen.connect(self.restart_lesson)
        self.resume.primaryChosen.connect(self.accept_resume)
        self.resume.secondaryChosen.connect(self.decline_resume)
        self.set_language(self.t.language)

    # -- screens ---------------------------------------------------------------------------

    def start(self) -> None:
        """The first screen: the resume offer when a lesson was interrupted, else home."""
        offer = self.services.progress.resume_offer()
        if offer is not None and self.services.catalog.get(offer.lesson_id) is not None:
            self.show_resume(offer)
        else:
            self.show_home()

    def show_resume(self, offer: ResumeOffer) -> None:
        self.offer = offer
        self._texts_resume()
        self.stack.setCurrentWidget(self.resume)
        if self.services.settings.read_aloud:
            self.resume.speak()

    @Slot()
    def show_home(self) -> None:
        self.services.speaker.stop()
        self.home.refresh()
        self.stack.setCurrentWidget(self.home)

    @Slot(str)
    def open_lesson(self, lesson_id: str, step: int | None = None) -> None:
        lesson = self.services.catalog.get(lesson_id)
        if lesson is None:
            logger.warning("lesson %s is not in the catalog", lesson_id)
            self.show_home()
            return
        progress = self.services.progress
        start = step if step is not None else progress.step_of(lesson_id)
        self.stack.setCurrentWidget(self.lesson)
        self.lesson.open(lesson, start)

    @Slot(str)
    def show_done(self, lesson_id: str) -> None:
        self.done_lesson = lesson_id
        self._texts_done()
        self.stack.setCurrentWidget(self.done)
        if self.services.settings.read_aloud:
            self.done.speak()

    @Slot()
    def restart_lesson(self) -> None:
        self.open_lesson(self.done_lesson, 1)

    @Slot()
    def accept_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is None:
            self.show_home()
            return
        self.services.progress.accept_resume(offer)
        self.open_lesson(offer.lesson_id, offer.step)

    @Slot()
    def decline_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is not None:
            self.services.progress.decline_resume(offer)
        self.show_home()

    # -- language --------------------------------------------------------------------------

    def set_language(self, language: str) -> None:
        self.t = Translator(language) if language != self.t.language else self.t
        app = QApplication.instance()
        direction = Qt.LayoutDirection.RightToLeft if self.t.rtl else Qt.LayoutDirection.LeftToRight
        if isinstance(app, QApplication):
            app.setLayoutDirection(direction)
            self._load_qt_translations(app, language)
        self.setLayoutDirection(direction)
        self.home.retranslate(self.t)
        self.lesson.retranslate(self.t)
        if self.stack.currentWidget() is self.done:
            self._texts_done()
        if self.stack.currentWidget() is self.resume:
            self._texts_resume()

    def _load_qt_translations(self, app: QApplication, language: str) -> None:
        if self._qt_translator is not None:
            app.removeTranslator(self._qt_translator)
            self._qt_translator = None
        translator = QTranslator(self)
        folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
        if translator.load(QLocale(language), "qtbase", "_", folder):
            app.installTranslator(translator)
            self._qt_translator = translator

    def _texts_done(self) -> None:
        t = self.t
        lesson = self.services.catalog.get(self.done_lesson)
        title = t.lesson(lesson.id, lesson.title) if lesson else ""
        self.done.set_texts(
            t, t.gettext("Goed gedaan!"),
            t.gettext("Je hebt de les „{title}” gedaan.").format(title=title),
            (t.gettext("Naar het begin"), t.gettext("Ga naar de lijst met lessen")),
            (t.gettext("Les opnieuw"), t.gettext("Begin deze les opnieuw")))

    def _texts_resume(self) -> None:
        t = self.t
        offer = self.offer
        lesson = self.services.catalog.get(offer.lesson_id) if offer else None
        if offer is None or lesson is None:
            return
        self.resume.set_texts(
            t, t.gettext("Welkom terug!"),
            t.gettext("Je was bezig met „{title}”. Je was bij stap {step} van {count}.").format(
                title=t.lesson(lesson.id, lesson.title), step=offer.step, count=len(lesson.steps)),
            (t.gettext("Verder gaan"), t.gettext("Ga verder waar je was")),
            (t.gettext("Nieuw begin"), t.gettext("Begin opnieuw bij de lijst met lessen")))

    def closeEvent(self, event: QCloseEvent) -> None:
        self.services.speaker.stop()
        super().closeEvent(event)
