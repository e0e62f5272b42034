"""The navigator: routes each intent of a screen (a signal) to the visit and says which screen
shows next. What spans screens lives in ``kiosk.core.visit.Visit``; what the window does (the
stack, kiosk mode, the watch on input, the staff corner) in ``kiosk.ui.window``; which screens
exist and how they are wired in ``kiosk.ui.screenset``; the staff menu in ``kiosk.ui.staff``."""

from __future__ import annotations

import logging
import weakref
from pathlib import Path
from typing import Any

from PySide6.QtWidgets import QWidget

from kiosk.core.i18n import Translator, language_name
from kiosk.core.progress import ResumeOffer
from kiosk.core.roles import Action, Lockout, Role
from kiosk.core.sessions import CODE_LOCK_FILE, CODE_RULE, EXPIRED, WARNING
from kiosk.core.visit import FAREWELL_OVER, ROLE_EXPIRED, NotAllowed, Visit
from kiosk.ui.screenset import NAMES, Screens, done_texts, resume_texts
from kiosk.ui.services import Services
from kiosk.ui.staff import StaffDesk
from kiosk.ui.theme import TEXT_SCALES, Theme
from kiosk.ui.window import KioskWindow

logger = logging.getLogger(__name__)
START_WAIT = 0.3  # seconds the first screen waits for the progress store
__all__ = ["Navigator", "Services"]


class Navigator(KioskWindow):
    def __init__(self, services: Services, kiosk_mode: bool = False,
                 parent: QWidget | None = None) -> None:
        super().__init__(kiosk_mode, parent)
        self.services = services
        self.t = services.translator
        self.theme = services.theme
        self.offer: ResumeOffer | None = None
        self.done_lesson = ""
        s = services
        code_lock = (Lockout(Path(s.data_folder) / CODE_LOCK_FILE, "codes", CODE_RULE,
                             lambda: s.clock()) if s.data_folder else None)
        self.visit = Visit(s.progress, s.settings, lambda: s.clock(), code_lock,
                           [p.key for p in s.pictograms])
        self.visit.language = self.t.language
        # The parts hold the window weakly: no reference cycle, so a closed window goes at once,
        # not at some later garbage collection in the middle of another window's painting.
        me = weakref.proxy(self)
        self.staff = StaffDesk(me)
        self.screens = Screens(self, services, me, lambda: me.t)
        self.screens.build(self.theme)
        self.set_language(self.t.language)

    def __getattr__(self, name: str) -> Any:
        """The screens by name (``window.lessons``), made when first asked for."""
        screens = self.__dict__.get("screens")
        if screens is not None and name in NAMES:
            return screens.get(name)
        if screens is not None and name == "idle_warning":
            return screens.idle_warning
        raise AttributeError(name)

    @property
    def role(self) -> Role:
        return self.visit.role

    # -- the window's own events -------------------------------------------------------------

    def input_seen(self) -> None:
        self.visit.on_input()

    def staff_corner(self) -> None:
        self.staff.ask_pin(Role.STAFF)

    def before_close(self) -> None:
        self.services.speaker.stop()

    def tick(self) -> None:
        self.check_idle()

    # -- look ------------------------------------------------------------------------------

    def apply_theme(self, theme: Theme) -> None:
        """Rebuilds every screen in a new theme or text size; the lesson stays where it was."""
        self.theme = theme
        self.visit.text_size = theme.text_size
        showing = self.screens.rebuild(theme)
        self.set_language(self.t.language)
        if self.visit.lesson_run is not None:
            self.lesson.attach(self.visit.lesson_run)  # as it was: step, answers, language
        if showing == "buddy":
            self.staff.fill()
        self.show_screen(self.screens.get(showing))

    def next_text_size(self) -> None:
        sizes = list(TEXT_SCALES)
        following = sizes[(sizes.index(self.theme.text_size) + 1) % len(sizes)]
        self.apply_theme(Theme.named(self.theme.palette.name, following))

    def toggle_speed(self) -> None:
        """Slow or normal reading, for this visit; then read something at the new speed."""
        self.visit.speech_rate = "normal" if self.visit.speech_rate == "slow" else "slow"
        self.services.speaker.set_rate(self.visit.speech_rate)
        self.lessons.show_speed(self.visit.speech_rate == "slow")
        self.lessons.intro.speak()

    def choose_language(self, language: str) -> None:
        """The resident's home language: the app speaks it, lessons can switch to Dutch."""
        self.visit.home_language = language
        player = self.screens.built("lesson")
        if player is not None:
            player.home_language = language
        self.set_language(language)
        # The language's own name, read in that language: the resident hears they chose right.
        self.services.speaker.say(language_name(language), language)

    def set_language(self, language: str) -> None:
        self.t = Translator(language) if language != self.t.language else self.t
        self.visit.language = language
        self.lay_out(self.t.rtl, language)
        self.screens.retranslate(self.t)
        self._texts()

    # -- a learner's screens ---------------------------------------------------------------

    def start(self) -> None:
        """The first screen: an interrupted lesson to take up, else the welcome. A store that
        has not answered within ``START_WAIT`` (another program holds it locked) does not keep
        the home screen away: the welcome shows, and the offer comes once the store answers,
        if nobody has started a visit by then."""
        if not self.services.progress.answered(START_WAIT):
            self.show_welcome()
        self.screens.when_store_answers(self._first_screen)

    def _first_screen(self) -> None:
        progress = self.services.progress
        progress.purge(self.services.settings.retention_days, self.services.clock())
        if self.visit.started or self.current_screen() not in (None, self.welcome):
            return
        offer = progress.resume_offer()
        if offer is not None and self.services.catalog.get(offer.lesson_id) is not None:
            self.show_resume(offer)
        else:
            self.show_welcome()

    def show_welcome(self) -> None:
        """Home: whoever taps next is a new learner (a role or a visit still open ends)."""
        was_started = self.visit.started
        self.visit.home()
        self.screens.hide_idle_warning()
        if was_started:
            self.clear_traces()
        self.services.speaker.stop()
        if self.screens.built("code_entry") is not None:
            self.code_entry.clear()
        self.show_screen(self.welcome)

    def begin(self) -> None:
        self.visit.begin()
        self.show_lessons()

    def show_lessons(self) -> None:
        self.services.speaker.stop()
        self.lessons.refresh()
        self.show_screen(self.lessons)

    def open_lesson(self, lesson_id: str, step: int | None = None) -> None:
        if not self.visit.may(Action.LEARN):  # the one gate: kiosk.core.roles.RIGHTS
            return
        lesson = self.services.catalog.open(lesson_id)
        if lesson is None:
            logger.warning("lesson %s is not in the catalog", lesson_id)
            self.show_lessons()
            return
        self.visit.ensure_begun()
        start = step if step is not None else self.services.progress.step_of(lesson_id)
        self.show_screen(self.lesson)
        self.lesson.home_language = self.visit.home_language
        self.visit.run_lesson(self.lesson.open(lesson, start))

    def show_done(self, lesson_id: str) -> None:
        self.done_lesson = lesson_id
        self._texts()
        self.screens.show_and_say("done")

    def restart_lesson(self) -> None:
        self.open_lesson(self.done_lesson, 1)

    def show_resume(self, offer: ResumeOffer) -> None:
        self.offer = offer
        self._texts()
        self.screens.show_and_say("resume")

    def accept_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is None:
            self.show_welcome()
            return
        self.visit.accept_resume(offer)
        self.open_lesson(offer.lesson_id, offer.step)

    def decline_resume(self) -> None:
        offer, self.offer = self.offer, None
        if offer is not None:
            self.visit.decline_resume(offer)
        self.show_welcome()

    def _resumed(self, offer: ResumeOffer | None) -> None:
        if offer is not None and offer.lesson_id and self.services.catalog.get(offer.lesson_id):
            self.open_lesson(offer.lesson_id, offer.step)
        else:
            self.show_lessons()

    def ask_code(self) -> None:
        self.visit.approach()
        self.code_entry.clear()
        self.code_entry.retranslate(self.t)
        self.screens.show_and_say("code_entry")

    def try_code(self, code: str) -> None:
        answer = self.visit.try_code(code)
        if answer.kind == "resumed":
            self._resumed(answer.offer)
        else:  # a wrong code, too many tries in this visit, or the PC slows wrong codes down
            self.code_entry.refuse(answer.kind)

    # -- the end of a visit, and being idle --------------------------------------------------

    def stop_visit(self) -> None:
        self.end_visit("stopped")

    def end_visit(self, reason: str) -> str | None:
        """Ends the visit; shows its picture code (unless it ended by being idle)."""
        self.screens.hide_idle_warning()
        s, learner = self.services, self.t  # the resident's language, for the code screen
        finished = [(x.id, x.title) for x in s.catalog.lessons if s.progress.is_finished(x.id)]
        code = self.visit.end(reason)
        self.clear_traces()
        if code and reason != "idle":
            self.code.show_code(code, learner, finished)
            self.screens.show_and_say("code")
        else:
            self.show_welcome()
        return code

    def clear_traces(self) -> None:
        """Nothing of the last visit stays on screen, in the clipboard or in the speech queue;
        the next person starts in the usual language, text size and speed."""
        self.screens.forget_visit(self.visit.speech_rate)
        self.done_lesson = ""
        if self.t.language != self.visit.language:
            self.set_language(self.visit.language)
        if self.theme.text_size != self.visit.text_size:
            self.apply_theme(Theme.named(self.theme.palette.name, self.visit.text_size))

    def check_idle(self) -> None:
        state = self.visit.tick()
        if state in (ROLE_EXPIRED, FAREWELL_OVER):
            self.show_welcome()
        elif state == WARNING:
            self.screens.show_idle_warning(self.visit.remaining())
        elif state == EXPIRED:
            logger.info("visit ended after being idle", extra={"event": "idle_reset"})
            self.end_visit("idle")
        else:
            self.screens.hide_idle_warning()

    def stay(self) -> None:
        self.visit.stay()
        self.screens.hide_idle_warning()
        self.services.speaker.stop()

    def recover(self) -> None:
        """After an unexpected error: end the visit cleanly and show the home screen."""
        self.screens.hide_idle_warning()
        if self.visit.started:
            self.end_visit("error")
        else:
            self.clear_traces()
            self.show_welcome()

    # -- roles -----------------------------------------------------------------------------

    def leave_role(self) -> None:
        self.visit.leave_role()
        self.show_welcome()

    def open_for_learner(self, session_id: int) -> None:
        try:
            offer = self.visit.open_for_learner(session_id)
        except NotAllowed:
            return
        self._resumed(offer)

    def _texts(self) -> None:
        """The message screens' texts for this lesson, offer and language."""
        done_texts(self.done, self.t, self.services.catalog.get(self.done_lesson))
        resume_texts(self.resume, self.t, self.services.catalog, self.offer)
