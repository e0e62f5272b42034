"""The main window: one navigator that switches between the screens and answers their signals.

It also owns what spans screens: the visit (session) and its idle policy, the language, the text
size, the digibuddy and staff roles, and kiosk mode's lock on the keys that would close the app.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator, Slot
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLayout, QMainWindow, QStackedWidget, QWidget

from kiosk import APP_NAME
from kiosk.core.catalog import Catalog
from kiosk.core.i18n import SHIPPED_LANGUAGES, SOURCE_LANGUAGE, Translator, language_name
from kiosk.core.progress import ProgressService, ResumeOffer
from kiosk.core.roles import PinBook, Role
from kiosk.core.sessions import ACTIVE, EXPIRED, WARNING, IdlePolicy, Pictogram
from kiosk.core.settings import Settings, save_staff_choice
from kiosk.speech.speaker import Speaker
from kiosk.ui.screens.lessons import LessonListScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.theme import TEXT_SCALES, Theme

if TYPE_CHECKING:
    # Imported when first needed: most visits never see these screens (start-up time).
    from kiosk.ui.screens.buddy import BuddyScreen, IdleWarning, PinPad
    from kiosk.ui.screens.code import CodeEntryScreen, CodeScreen
    from kiosk.ui.screens.lesson import LessonScreen

logger = logging.getLogger(__name__)

MAX_CODE_TRIES = 5
LAZY_SCREENS = ("lessons", "lesson", "code", "code_entry", "pin_pad", "buddy")
SCREEN_NAMES = ("welcome", "done", "resume", *LAZY_SCREENS)
STAFF_TAPS = 5
STAFF_TAP_SECONDS = 3.0
STAFF_CORNER_PX = 80
INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel}
CLOSING_KEYS = [QKeySequence("Alt+F4"), QKeySequence("Ctrl+W"), QKeySequence("Ctrl+Q"),
                QKeySequence("Escape"), QKeySequence("F11"), QKeySequence("Ctrl+F4")]


@dataclass
class Services:
    """What the screens depend on; made once by ``kiosk.app`` and passed in."""

    settings: Settings
    catalog: Catalog
    progress: ProgressService
    speaker: Speaker
    theme: Theme
    translator: Translator
    pins: PinBook | None = None
    pictograms: list[Pictogram] = field(default_factory=list)
    clock: Callable[[], float] = time.time
    log_folder: str = ""
    config_folder: str = ""  # where staff choices are kept (the user config folder)


class Navigator(QMainWindow):
    def __init__(self, services: Services, kiosk_mode: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.services = services
        self.t = services.translator
        self.theme = services.theme
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self.offer: ResumeOffer | None = None
        self.done_lesson = ""
        self.role = Role.LEARNER
        self.home_language = SOURCE_LANGUAGE
        self.code_tries = 0
        self._corner_taps: list[float] = []
        self._staff_problem = ""
        self._qt_translator: QTranslator | None = None
        settings = services.settings
        self.idle = IdlePolicy(settings.idle_seconds, settings.idle_warning_seconds,
                               services.clock)
        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        # The screen decides the window's size, not what a screen shows for a moment: while one
        # step gives way to the next, both may want room, and a window that grew past the screen
        # would not shrink back.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self._build_screens()
        self.idle_timer = QTimer(self)
        self.idle_timer.setInterval(1000)
        self.idle_timer.timeout.connect(self.check_idle)
        self.idle_timer.start()
        self._watched: QObject | None = None
        self.set_language(self.t.language)

    # -- building --------------------------------------------------------------------------

    def _build_screens(self) -> None:
        s, theme, t = self.services, self.theme, self.t
        self.setStyleSheet(theme.style_sheet())
        self.welcome = WelcomeScreen(theme, t, s.speaker, s.settings.languages)
        self.done = MessageScreen(theme, t, s.speaker, "good", "lessons", "again")
        self.resume = MessageScreen(theme, t, s.speaker, "resume", "resume", "new")
        self.screens: list[QWidget] = [self.welcome, self.done, self.resume]
        for screen in self.screens:
            self.stack.addWidget(screen)
        # Screens most visits never see are made the first time they are needed (start-up time).
        self._lazy_screens: dict[str, QWidget] = {}
        self._idle_warning: IdleWarning | None = None

        self.welcome.beginChosen.connect(self.begin)
        self.welcome.resumeChosen.connect(self.ask_code)
        self.welcome.languageChosen.connect(self.choose_language)
        self.welcome.helpChosen.connect(lambda: self.ask_pin(Role.BUDDY))
        self.welcome.textSizeChosen.connect(self.next_text_size)
        self.done.primaryChosen.connect(self.show_lessons)
        self.done.secondaryChosen.connect(self.restart_lesson)
        self.resume.primaryChosen.connect(self.accept_resume)
        self.resume.secondaryChosen.connect(self.decline_resume)

    def _lazy(self, name: str) -> QWidget:
        made = self._lazy_screens.get(name)
        if made is not None:
            return made
        s, theme, t = self.services, self.theme, self.t
        made: QWidget
        if name == "lessons":
            lessons = LessonListScreen(theme, t, s.speaker, s.catalog, s.progress)
            lessons.lessonChosen.connect(self.open_lesson)
            lessons.stopChosen.connect(lambda: self.end_visit("stopped"))
            lessons.textSizeChosen.connect(self.next_text_size)
            lessons.speedChosen.connect(self.toggle_speed)
            lessons.show_speed(s.speaker.rate == "slow")
            lessons.retranslate(t)
            made = lessons
        elif name == "lesson":
            from kiosk.ui.screens.lesson import LessonScreen

            player = LessonScreen(theme, t, s.speaker, s.progress,
                                  read_aloud=s.settings.read_aloud,
                                  keyboard_layout=s.settings.keyboard_layout)
            player.homeRequested.connect(self.show_lessons)
            player.finished.connect(self.show_done)
            player.home_language = self.home_language
            player.retranslate(t)
            made = player
        elif name == "code":
            from kiosk.ui.screens.code import CodeScreen

            code = CodeScreen(theme, t, s.speaker, s.pictograms)
            code.doneChosen.connect(self.show_welcome)
            made = code
        elif name == "code_entry":
            from kiosk.ui.screens.code import CodeEntryScreen

            entry = CodeEntryScreen(theme, t, s.speaker, s.pictograms)
            entry.codeEntered.connect(self.try_code)
            entry.backChosen.connect(self.show_welcome)
            made = entry
        elif name == "pin_pad":
            from kiosk.ui.screens.buddy import PinPad

            pad = PinPad(theme, t)
            pad.pinEntered.connect(self.try_pin)
            pad.backChosen.connect(self.show_welcome)
            made = pad
        else:
            from kiosk.ui.screens.buddy import BuddyScreen

            buddy = BuddyScreen(theme, t, s.catalog, s.pictograms)
            buddy.openChosen.connect(self.open_for_learner)
            buddy.eraseChosen.connect(self.erase_session)
            buddy.backChosen.connect(self.leave_role)
            buddy.staff.quitChosen.connect(self.staff_quit)
            buddy.staff.voiceTestChosen.connect(self.test_voice)
            buddy.staff.idleChanged.connect(self.change_idle)
            buddy.staff.textSizeChosen.connect(self.staff_text_size)
            buddy.staff.languageToggled.connect(self.toggle_language)
            made = buddy
        self._lazy_screens[name] = made
        self.screens.append(made)
        self.stack.addWidget(made)
        return made

    @property
    def idle_warning(self) -> IdleWarning:
        """The overlay that asks whether the resident is still there, made when first needed."""
        if self._idle_warning is None:
            from kiosk.ui.screens.buddy import IdleWarning

            warning = IdleWarning(self.theme, self.t, self.services.speaker, self)
            warning.stayChosen.connect(self.stay)
            warning.retranslate(self.t)
            warning.setGeometry(self.rect())
            self._idle_warning = warning
        return self._idle_warning

    def _hide_idle_warning(self) -> None:
        if self._idle_warning is not None:
            self._idle_warning.hide()

    @property
    def lesson(self) -> LessonScreen:
        """The lesson player, made when the first lesson opens."""
        return self._lazy("lesson")  # type: ignore[return-value]

    def _player(self) -> LessonScreen | None:
        """The lesson player if it was made already."""
        return self._built("lesson")  # type: ignore[return-value]

    @property
    def lessons(self) -> LessonListScreen:
        return self._lazy("lessons")  # type: ignore[return-value]

    @property
    def code(self) -> CodeScreen:
        return self._lazy("code")  # type: ignore[return-value]

    @property
    def code_entry(self) -> CodeEntryScreen:
        return self._lazy("code_entry")  # type: ignore[return-value]

    @property
    def pin_pad(self) -> PinPad:
        return self._lazy("pin_pad")  # type: ignore[return-value]

    @property
    def buddy(self) -> BuddyScreen:
        return self._lazy("buddy")  # type: ignore[return-value]

    def _built(self, name: str) -> QWidget | None:
        """A screen if it exists already (without making a lazy one)."""
        if name in LAZY_SCREENS:
            return self._lazy_screens.get(name)
        widget = getattr(self, name, None)
        return widget if isinstance(widget, QWidget) else None

    def apply_theme(self, theme: Theme) -> None:
        """Rebuilds every screen in a new theme or text size; the lesson stays where it was."""
        current = self.stack.currentWidget()
        current_name = next((name for name in SCREEN_NAMES
                             if self._built(name) is current and current is not None), "welcome")
        player = self._player()
        lesson = player.lesson if player is not None else None
        number, solved = (player.number, set(player.solved)) if player is not None else (1, set())
        content_language = player.content_language if player is not None else None
        self.services.speaker.stop()
        for screen in self.screens:
            self.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
        if self._idle_warning is not None:
            self._idle_warning.hide()
            self._idle_warning.deleteLater()
        self.theme = theme
        self.services.theme = theme
        self._build_screens()
        self.set_language(self.t.language)
        if lesson is not None:
            self.lesson.content_language = content_language
            self.lesson.open(lesson, number, speak=False, solved=solved)
        if current_name == "done":
            self._texts_done()
        if current_name == "buddy":
            self._fill_buddy()
        self.stack.setCurrentWidget(getattr(self, current_name, self.welcome))

    @Slot()
    def toggle_speed(self) -> None:
        """Slow or normal reading, for this visit; then read something at the new speed."""
        speaker = self.services.speaker
        speaker.set_rate("normal" if speaker.rate == "slow" else "slow")
        self.lessons.show_speed(speaker.rate == "slow")
        self.lessons.intro.speak()

    @Slot()
    def next_text_size(self) -> None:
        sizes = list(TEXT_SCALES)
        following = sizes[(sizes.index(self.theme.text_size) + 1) % len(sizes)]
        self.apply_theme(Theme.named(self.theme.palette.name, following))

    # -- screens ---------------------------------------------------------------------------

    def start(self) -> None:
        """The first screen: purge old visits; offer an interrupted lesson; else the welcome."""
        settings = self.services.settings
        self.services.progress.purge(settings.retention_days, self.services.clock())
        offer = self.services.progress.resume_offer()
        if offer is not None and self.services.catalog.get(offer.lesson_id) is not None:
            self.show_resume(offer)
        else:
            self.show_welcome()

    def _show(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)

    @Slot()
    def show_welcome(self) -> None:
        self.services.speaker.stop()
        if "code_entry" in self._lazy_screens:
            self.code_entry.clear()
        self._show(self.welcome)

    @Slot()
    def begin(self) -> None:
        self.services.progress.begin_session()
        self.idle.start()
        self.show_lessons()

    @Slot()
    def show_lessons(self) -> None:
        self.services.speaker.stop()
        self.lessons.refresh()
        self._show(self.lessons)

    @Slot(str)
    def open_lesson(self, lesson_id: str, step: int | None = None) -> None:
        lesson = self.services.catalog.open(lesson_id)
        if lesson is None:
            logger.warning("lesson %s is not in the catalog", lesson_id)
            self.show_lessons()
            return
        progress = self.services.progress
        if progress.session_id is None:
            progress.begin_session()
            self.idle.start()
        start = step if step is not None else progress.step_of(lesson_id)
        self._show(self.lesson)
        self.lesson.open(lesson, start)

    @Slot(str)
    def show_done(self, lesson_id: str) -> None:
        self.done_lesson = lesson_id
        self._texts_done()
        self._show(self.done)
        if self.services.settings.read_aloud:
            self.done.speak()

    @Slot()
    def restart_lesson(self) -> None:
        self.open_lesson(self.done_lesson, 1)

    def show_resume(self, offer: ResumeOffer) -> None:
        self.offer = offer
        self._texts_resume()
        self._show(self.resume)
        if self.services.settings.read_aloud:
            self.resume.speak()

    @Slot()
    def accept_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is None:
            self.show_welcome()
            return
        self.services.progress.accept_resume(offer)
        self.idle.start()
        self.open_lesson(offer.lesson_id, offer.step)

    @Slot()
    def decline_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is not None:
            self.services.progress.decline_resume(offer)
        self.show_welcome()

    # -- the end of a visit, and coming back -----------------------------------------------

    def end_visit(self, reason: str) -> str | None:
        """Ends the visit; shows its picture code (unless it ended by being idle)."""
        self.idle.stop()
        self._hide_idle_warning()
        keys = [p.key for p in self.services.pictograms]
        code = self.services.progress.end_session(reason, keys)
        self.clear_traces()
        if code and reason != "idle":
            self.code.show_code(code, self.t)
            self._show(self.code)
            if self.services.settings.read_aloud:
                self.code.speak()
        else:
            self.show_welcome()
        return code

    def clear_traces(self) -> None:
        """Nothing of the last visit stays on screen, in the clipboard or in the speech queue."""
        self.services.speaker.stop()
        self.services.speaker.forget()
        player = self._player()
        if player is not None:
            player.close_lesson()
            player.home_language = SOURCE_LANGUAGE
        if "code_entry" in self._lazy_screens:
            self.code_entry.clear()
        self.done_lesson = ""
        self.home_language = SOURCE_LANGUAGE
        self.services.speaker.set_rate(self.services.settings.speech_rate)
        self.lessons.show_speed(self.services.speaker.rate == "slow")
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        if self.t.language != self.services.settings.default_language:
            self.set_language(self.services.settings.default_language)
        if self.theme.text_size != self.services.settings.text_size:
            # The next person starts at the usual text size, not the last person's.
            self.apply_theme(Theme.named(self.theme.palette.name, self.services.settings.text_size))
        self.lessons.show_page(0)

    @Slot()
    def ask_code(self) -> None:
        self.code_entry.clear()
        self.code_entry.retranslate(self.t)
        self._show(self.code_entry)
        if self.services.settings.read_aloud:
            self.code_entry.message.speak()

    @Slot(str)
    def try_code(self, code: str) -> None:
        t = self.t
        if self.code_tries >= MAX_CODE_TRIES:
            self.code_entry.clear()
            self.code_entry.say(t.gettext("Dat lukt nu niet. Vraag hulp aan de digibuddy."))
            return
        offer = self.services.progress.resume_code(code)
        if offer is None:
            self.code_tries += 1
            self.code_entry.clear()
            self.code_entry.say(t.gettext("Die prenten ken ik niet. Geen probleem: probeer het "
                                          "nog eens of vraag hulp."))
            return
        self.code_tries = 0
        self.idle.start()
        if offer.lesson_id and self.services.catalog.get(offer.lesson_id) is not None:
            self.open_lesson(offer.lesson_id, offer.step)
        else:
            self.show_lessons()

    # -- idle ------------------------------------------------------------------------------

    @Slot()
    def check_idle(self) -> None:
        state = self.idle.state()
        if state == ACTIVE:
            self._hide_idle_warning()
            return
        if state == WARNING:
            self.idle_warning.set_remaining(self.idle.remaining())
            if not self.idle_warning.isVisible():
                self.idle_warning.retranslate(self.t)
                self.idle_warning.set_remaining(self.idle.remaining())
                self.idle_warning.setGeometry(self.rect())
                self.idle_warning.show()
                self.idle_warning.raise_()
                logger.info("idle warning shown", extra={"event": "idle_warning"})
                self.idle_warning.speak()
            return
        if state == EXPIRED:
            logger.info("visit ended after being idle", extra={"event": "idle_reset"})
            self.end_visit("idle")

    @Slot()
    def stay(self) -> None:
        self.idle.on_input()
        self._hide_idle_warning()
        self.services.speaker.stop()

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.idle.on_input()
            if kind == QEvent.Type.MouseButtonRelease:
                self._count_corner_tap(event)
        if self.kiosk_mode and not self.allow_close and kind in (QEvent.Type.KeyPress,
                                                                 QEvent.Type.ShortcutOverride):
            if isinstance(event, QKeyEvent) and self._is_closing_key(event):
                logger.info("kiosk mode ignored a closing key", extra={"event": "key_blocked"})
                return True
        return super().eventFilter(watched, event)

    @staticmethod
    def _is_closing_key(event: QKeyEvent) -> bool:
        pressed = QKeySequence(event.keyCombination())
        return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch
                   for key in CLOSING_KEYS)

    def _count_corner_tap(self, event: QEvent) -> None:
        position = getattr(event, "globalPosition", None)
        if position is None:
            return
        local = self.mapFromGlobal(position().toPoint())
        if not (0 <= local.x() <= STAFF_CORNER_PX and 0 <= local.y() <= STAFF_CORNER_PX):
            self._corner_taps.clear()
            return
        now = time.monotonic()
        self._corner_taps = [t for t in self._corner_taps if now - t < STAFF_TAP_SECONDS] + [now]
        if len(self._corner_taps) >= STAFF_TAPS:
            self._corner_taps.clear()
            self.ask_pin(Role.STAFF)

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._watch_input()

    def _watch_input(self) -> None:
        """Watches input on the window rather than the whole application: every tap and key of
        the kiosk passes through its one window first. An application-wide filter would also see
        Qt's internal objects, and giving each a Python type costs about 30 ms at start-up."""
        handle = self.windowHandle()
        if handle is not None and handle is not self._watched:
            handle.installEventFilter(self)
            self._watched = handle

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        if self._idle_warning is not None:
            self._idle_warning.setGeometry(self.rect())

    # -- roles -----------------------------------------------------------------------------

    def ask_pin(self, role: Role) -> None:
        self.pin_pad.ask(role)
        self._show(self.pin_pad)

    def try_pin(self, role: Role, pin: str) -> None:
        pins = self.services.pins
        if pins is None:
            self.pin_pad.refuse(0)
            return
        result = pins.check(role, pin)
        if not result.ok:
            self.pin_pad.refuse(result.locked_seconds)
            return
        self.role = role
        logger.info("%s mode opened", role.value, extra={"event": "role_opened"})
        self._fill_buddy()
        self._show(self.buddy)

    def _fill_buddy(self) -> None:
        settings = self.services.settings
        self.buddy.show_role(self.role)
        self.buddy.staff.show_languages(settings.languages, settings.default_language)
        self.buddy.staff.show_report(self.staff_report())
        self.buddy.show_sessions(self.services.progress.overview())

    def staff_report(self) -> list[str]:
        t, s = self.t, self.services
        catalog = s.catalog
        lines = [t.gettext("Lessen: {ok} in orde, {broken} weggelaten").format(
            ok=len(catalog.lessons), broken=len(catalog.broken))]
        lines += [f"✗ {b.lesson_id}: {b.errors[0]}" for b in catalog.broken[:3]]
        lines.append(t.gettext("Waarschuwing na {idle} minuten, nog {warning} minuten om te "
                               "antwoorden").format(idle=round(self.idle.idle_seconds / 60),
                                                    warning=round(self.idle.warning_seconds / 60)))
        if s.log_folder:
            # A path reads left to right inside right-to-left text too (Unicode isolate).
            lines.append(t.gettext("Logboek: {folder}").format(folder=f"\u2066{s.log_folder}\u2069"))
        if self._staff_problem:
            lines.append(f"✗ {self._staff_problem}")
        return lines

    def _keep_staff_choice(self, name: str, value: object) -> None:
        """What staff change in the staff menu holds for the next start too."""
        self.services.settings = replace(self.services.settings, **{name: value})
        logger.info("staff changed %s", name, extra={"event": "staff_setting", "key": name})
        folder = self.services.config_folder
        self._staff_problem = save_staff_choice(Path(folder), name, value) if folder else ""

    @Slot(str)
    def toggle_language(self, code: str) -> None:
        """Staff: offer a language on the home screen, or stop offering it (not the default)."""
        settings = self.services.settings
        if self.role != Role.STAFF or code == settings.default_language:
            return
        offered = [c for c in SHIPPED_LANGUAGES
                   if (c in settings.languages) != (c == code)]
        offered += [c for c in settings.languages if c not in SHIPPED_LANGUAGES]
        self._keep_staff_choice("languages", offered)
        self.apply_theme(self.theme)  # the home screen is built anew with these languages

    @Slot()
    def staff_text_size(self) -> None:
        """Staff: the next text size, which is also where every visit starts from now on."""
        if self.role != Role.STAFF:
            return
        self.next_text_size()
        self._keep_staff_choice("text_size", self.theme.text_size)
        self.buddy.staff.show_report(self.staff_report())

    @Slot()
    def test_voice(self) -> None:
        if self.role != Role.STAFF:
            return
        self.services.speaker.say(self.t.gettext("Dit is de stem van Stap voor Stap."),
                                  self.t.language)

    @Slot(int)
    def change_idle(self, minutes: int) -> None:
        if self.role != Role.STAFF:
            return
        self.idle.idle_seconds = max(60, self.idle.idle_seconds + 60 * minutes)
        self._keep_staff_choice("idle_seconds", self.idle.idle_seconds)
        self.buddy.staff.show_report(self.staff_report())

    @Slot()
    def staff_quit(self) -> None:
        if self.role != Role.STAFF:
            return
        self.leave_kiosk_mode()
        logger.info("staff closed the app", extra={"event": "staff_quit"})
        QApplication.exit(3)  # kiosk.app.EXIT_STAFF_QUIT: supervisors do not restart it

    @Slot()
    def leave_role(self) -> None:
        self.role = Role.LEARNER
        self.show_welcome()

    @Slot(int)
    def open_for_learner(self, session_id: int) -> None:
        if self.role == Role.LEARNER:
            return
        self.role = Role.LEARNER
        offer = self.services.progress.resume_session(session_id)
        self.idle.start()
        if offer is not None and offer.lesson_id and self.services.catalog.get(offer.lesson_id):
            self.open_lesson(offer.lesson_id, offer.step)
        else:
            self.show_lessons()

    @Slot(int)
    def erase_session(self, session_id: int) -> None:
        if self.role == Role.LEARNER:
            return
        self.services.progress.erase(session_id)
        self.buddy.show_sessions(self.services.progress.overview())

    # -- language --------------------------------------------------------------------------

    @Slot(str)
    def choose_language(self, language: str) -> None:
        """The resident's home language: the app speaks it, lessons can switch to Dutch."""
        self.home_language = language
        player = self._player()
        if player is not None:
            player.home_language = language
        self.set_language(language)
        # The language's own name, read in that language: the resident hears they chose right.
        self.services.speaker.say(language_name(language), language)

    def set_language(self, language: str) -> None:
        self.t = Translator(language) if language != self.t.language else self.t
        app = QApplication.instance()
        direction = Qt.LayoutDirection.RightToLeft if self.t.rtl else Qt.LayoutDirection.LeftToRight
        if isinstance(app, QApplication):
            app.setLayoutDirection(direction)
            self._load_qt_translations(app, language)
        self.setLayoutDirection(direction)
        self.welcome.retranslate(self.t)
        for name, screen in self._lazy_screens.items():
            if name == "code":
                if self.stack.currentWidget() is screen and self.code.code:
                    self.code.show_code(self.code.code, self.t)
            else:
                screen.retranslate(self.t)  # type: ignore[attr-defined]
        if self._idle_warning is not None:
            self._idle_warning.retranslate(self.t)
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
            (t.gettext("Naar de lessen"), t.gettext("Ga naar de lijst met lessen")),
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
            (t.gettext("Nieuw begin"), t.gettext("Begin opnieuw bij het begin")))

    # -- kiosk mode and recovery --------------------------------------------------------------

    def enter_kiosk_mode(self) -> None:
        """Fullscreen and frameless on the primary screen, above other windows; keys that would
        close the app are ignored (see eventFilter) and so are close requests."""
        self.kiosk_mode = True
        self.allow_close = False
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def leave_kiosk_mode(self) -> None:
        """Staff only: the app may be closed again."""
        self.allow_close = True
        logger.info("staff left kiosk mode", extra={"event": "kiosk_left"})

    def recover(self) -> None:
        """After an unexpected error: end the visit cleanly and show the home screen."""
        self._hide_idle_warning()
        self.role = Role.LEARNER
        if self.services.progress.session_id is not None:
            self.end_visit("error")
        else:
            self.clear_traces()
            self.show_welcome()

    # -- closing ---------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            logger.info("kiosk mode ignored a request to close", extra={"event": "close_blocked"})
            event.ignore()
            return
        self.services.speaker.stop()
        super().closeEvent(event)

