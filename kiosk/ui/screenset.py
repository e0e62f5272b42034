"""The screens of the window: which exist, how each is made, and which of its signals goes to
which intent of the navigator. The home screen and the two message screens are made at once;
the others (most visits never see them) when first needed, and all of them anew when the theme
or text size changes."""

from __future__ import annotations

import logging
import weakref
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QTimer
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from kiosk.core.catalog import Catalog
from kiosk.core.i18n import SOURCE_LANGUAGE, Translator
from kiosk.core.lessons import Lesson
from kiosk.core.progress import ResumeOffer
from kiosk.ui.screens.lessons import LessonListScreen
from kiosk.ui.screens.message import MessageScreen
from kiosk.ui.screens.welcome import WelcomeScreen
from kiosk.ui.theme import Theme
from kiosk.ui.window import KioskWindow

if TYPE_CHECKING:
    from kiosk.ui.screens.buddy import IdleWarning
    from kiosk.ui.services import Services

logger = logging.getLogger(__name__)

EAGER = ("welcome", "done", "resume")
LAZY = ("lessons", "lesson", "code", "code_entry", "pin_pad", "buddy")
NAMES = (*EAGER, *LAZY)

# signal of a screen (a dotted path below it) → the navigator's intent it asks for (a dotted path
# below the navigator: "staff." intents are the staff menu's, ``kiosk.ui.staff``)
WIRING: dict[str, tuple[tuple[str, str], ...]] = {
    "welcome": (("beginChosen", "begin"), ("resumeChosen", "ask_code"),
                ("languageChosen", "choose_language"), ("helpChosen", "staff.ask_buddy_pin"),
                ("textSizeChosen", "next_text_size")),
    "done": (("primaryChosen", "show_lessons"), ("secondaryChosen", "restart_lesson")),
    "resume": (("primaryChosen", "accept_resume"), ("secondaryChosen", "decline_resume")),
    "lessons": (("lessonChosen", "open_lesson"), ("stopChosen", "stop_visit"),
                ("textSizeChosen", "next_text_size"), ("speedChosen", "toggle_speed")),
    "lesson": (("homeRequested", "show_lessons"), ("finished", "show_done")),
    "code": (("doneChosen", "show_welcome"),),
    "code_entry": (("codeEntered", "try_code"), ("backChosen", "show_welcome")),
    "pin_pad": (("pinEntered", "staff.try_pin"), ("backChosen", "show_welcome")),
    "buddy": (("openChosen", "open_for_learner"), ("eraseChosen", "staff.erase"),
              ("backChosen", "leave_role"), ("staff.quitChosen", "staff.quit"),
              ("staff.voiceTestChosen", "staff.test_voice"), ("staff.idleChanged",
                                                              "staff.change_idle"),
              ("staff.textSizeChosen", "staff.text_size"),
              ("staff.languageToggled", "staff.toggle_language")),
}


def _follow(start: object, path: str) -> Any:
    for part in path.split("."):
        start = getattr(start, part)
    return start


def done_texts(screen: MessageScreen, t: Translator, lesson: Lesson | None) -> None:
    title = t.lesson(lesson.id, lesson.title) if lesson else ""
    screen.set_texts(
        t, t.gettext("Goed gedaan!"),
        t.gettext("Je hebt de les „{title}” gedaan.").format(title=title),
        (t.gettext("Naar de lessen"), t.gettext("Ga naar de lijst met lessen")),
        (t.gettext("Les opnieuw"), t.gettext("Begin deze les opnieuw")))


def resume_texts(screen: MessageScreen, t: Translator, catalog: Catalog,
                 offer: ResumeOffer | None) -> None:
    lesson = catalog.get(offer.lesson_id) if offer else None
    if offer is None or lesson is None:
        return
    screen.set_texts(
        t, t.gettext("Welkom terug!"),
        t.gettext("Je was bezig met „{title}”. Je was bij stap {step} van {count}.").format(
            title=t.lesson(lesson.id, lesson.title), step=offer.step, count=len(lesson.steps)),
        (t.gettext("Verder gaan"), t.gettext("Ga verder waar je was")),
        (t.gettext("Nieuw begin"), t.gettext("Begin opnieuw bij het begin")))


def _make(name: str, s: Services, theme: Theme, t: Translator) -> QWidget:
    if name == "welcome":
        return WelcomeScreen(theme, t, s.speaker, s.settings.languages)
    if name == "done":
        return MessageScreen(theme, t, s.speaker, "good", "lessons", "again")
    if name == "resume":
        return MessageScreen(theme, t, s.speaker, "resume", "resume", "new")
    if name == "lessons":
        lessons = LessonListScreen(theme, t, s.speaker, s.catalog, s.progress)
        lessons.show_speed(s.speaker.rate == "slow")
        return lessons
    if name == "lesson":
        from kiosk.ui.screens.lesson import LessonScreen

        return LessonScreen(theme, t, s.speaker, s.progress, read_aloud=s.settings.read_aloud,
                            keyboard_layout=s.settings.keyboard_layout)
    if name == "code":
        from kiosk.ui.screens.code import CodeScreen

        return CodeScreen(theme, t, s.speaker, s.pictograms)
    if name == "code_entry":
        from kiosk.ui.screens.code import CodeEntryScreen

        return CodeEntryScreen(theme, t, s.speaker, s.pictograms)
    if name == "pin_pad":
        from kiosk.ui.screens.buddy import PinPad

        return PinPad(theme, t)
    from kiosk.ui.screens.buddy import BuddyScreen

    room = s.progress.room
    return BuddyScreen(theme, t, s.catalog, s.pictograms,
                       room_name=None if room is None else room.room_name)


class Screens:
    """The screens in ``window``'s stack, each wired to the intents of ``router``."""

    def __init__(self, window: KioskWindow, services: Services, router: object,
                 translator: Callable[[], Translator]) -> None:
        self._window = weakref.ref(window)  # the window holds these screens, not the reverse
        self.services = services
        self.router = router
        self.translator = translator
        self.made: dict[str, QWidget] = {}
        self._idle_warning: IdleWarning | None = None

    @property
    def window(self) -> KioskWindow:
        window = self._window()
        assert window is not None, "the screens outlived their window"
        return window

    def build(self, theme: Theme) -> None:
        """Drops every screen and makes the eager ones in ``theme``."""
        for screen in self.made.values():
            self.window.stack.removeWidget(screen)
            screen.hide()
            screen.deleteLater()
        self.made.clear()
        if self._idle_warning is not None:
            self.window.overlays.remove(self._idle_warning)
            self._idle_warning.hide()
            self._idle_warning.deleteLater()
            self._idle_warning = None
        self.window.setStyleSheet(theme.style_sheet())
        for name in EAGER:
            self.get(name)

    def get(self, name: str) -> Any:
        screen = self.made.get(name)
        if screen is None:
            screen = _make(name, self.services, self.services.theme, self.translator())
            for path, intent in WIRING[name]:
                _follow(screen, path).connect(_follow(self.router, intent))
            if name not in (*EAGER, "code"):
                screen.retranslate(self.translator())
            self.made[name] = screen
            self.window.stack.addWidget(screen)
        return screen

    def built(self, name: str) -> Any:
        """A screen if it was made already (without making it)."""
        return self.made.get(name)

    def name_of(self, widget: QWidget | None) -> str:
        return next((name for name, screen in self.made.items() if screen is widget), "welcome")

    @property
    def idle_warning(self) -> IdleWarning:
        """The overlay that asks whether the resident is still there."""
        if self._idle_warning is None:
            from kiosk.ui.screens.buddy import IdleWarning

            warning = IdleWarning(self.services.theme, self.translator(), self.services.speaker,
                                  self.window)
            warning.stayChosen.connect(getattr(self.router, "stay"))
            warning.retranslate(self.translator())
            warning.setGeometry(self.window.rect())
            self.window.overlays.append(warning)
            self._idle_warning = warning
        return self._idle_warning

    def show_idle_warning(self, remaining: int) -> None:
        """"Ben je er nog?" over the whole window, spoken when it first shows."""
        warning = self.idle_warning
        warning.set_remaining(remaining)
        if not warning.isVisible():
            warning.retranslate(self.translator())
            warning.setGeometry(self.window.rect())
            warning.show()
            warning.raise_()
            logger.info("idle warning shown", extra={"event": "idle_warning"})
            warning.speak()

    def show_and_say(self, name: str) -> None:
        """Shows a message screen and reads it aloud (when the app reads aloud)."""
        screen = self.get(name)
        self.window.show_screen(screen)
        if self.services.settings.read_aloud:
            screen.speak()

    def when_store_answers(self, then: Callable[[], None]) -> None:
        """Calls ``then`` once the progress store has answered (at once when it has), looking
        again every 50 ms from the event loop; the store's open has a time limit."""
        if self.services.progress.answered():
            then()
        else:
            QTimer.singleShot(50, self.window, lambda: self.when_store_answers(then))

    def rebuild(self, theme: Theme) -> str:
        """Every screen anew in ``theme``, nothing speaking meanwhile; returns the name of the
        screen that showed, for the router to fill and show again."""
        showing = self.name_of(self.window.current_screen())
        self.services.speaker.stop()
        self.services.theme = theme
        self.build(theme)
        return showing

    def forget_visit(self, rate: str) -> None:
        """Nothing of the last visit stays on a screen, in the clipboard or in the speech queue:
        no lesson, no half-entered code; the list of lessons back at its first page, speech and
        the speed button at ``rate``."""
        speaker = self.services.speaker
        speaker.stop()
        speaker.forget()
        speaker.set_rate(rate)
        clipboard = QGuiApplication.clipboard()
        if clipboard is not None:
            clipboard.clear()
        player = self.built("lesson")
        if player is not None:
            player.close_lesson()
            player.home_language = SOURCE_LANGUAGE
        if self.built("code_entry") is not None:
            self.get("code_entry").clear()
        lessons = self.get("lessons")
        lessons.show_speed(rate == "slow")
        lessons.show_page(0)

    def hide_idle_warning(self) -> None:
        if self._idle_warning is not None:
            self._idle_warning.hide()

    def retranslate(self, t: Translator) -> None:
        """Every screen made so far in ``t``'s language (the picture code keeps its code)."""
        for name, screen in self.made.items():
            if name == "code":
                if self.window.current_screen() is screen and screen.code:
                    screen.show_code(screen.code, t)
            elif name not in ("done", "resume"):
                screen.retranslate(t)
        if self._idle_warning is not None:
            self._idle_warning.retranslate(t)
