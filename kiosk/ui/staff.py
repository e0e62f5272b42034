"""The digibuddy's and staff's intents: the PIN, their screen, the visits on this PC, and the
staff menu (what each choice does, shows, and keeps for the next start). Every intent asks the
rights table first (``kiosk.core.visit.Visit.may``); a role without the right gets nothing done."""

from __future__ import annotations

import logging
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtWidgets import QApplication

from kiosk.core.i18n import SHIPPED_LANGUAGES, Translator
from kiosk.core.roles import Action, Role
from kiosk.core.settings import save_staff_choice
from kiosk.core.visit import NotAllowed

if TYPE_CHECKING:
    from kiosk.ui.navigator import Navigator

logger = logging.getLogger(__name__)

EXIT_STAFF_QUIT = 3  # kiosk.app's code for "closed on purpose": supervisors do not restart it


def duration(t: Translator, seconds: float) -> str:
    """"30 seconden", "1 minuut", "5 minuten": whole minutes when it is whole minutes."""
    whole = round(seconds)
    if whole % 60:
        return t.ngettext("{n} seconde", "{n} seconden", whole).format(n=whole)
    return t.ngettext("{n} minuut", "{n} minuten", whole // 60).format(n=whole // 60)


class StaffDesk:
    def __init__(self, window: Navigator) -> None:
        self.window = window
        self.problem = ""  # a staff choice that could not be kept, shown in the report

    def ask_buddy_pin(self) -> None:
        self.ask_pin(Role.BUDDY)

    def ask_pin(self, role: Role) -> None:
        """The PIN pad for ``role`` (the digibuddy's from the home screen, staff's from the
        corner); the idle policy watches from now on, so a pad left half-way goes home."""
        self.window.visit.approach()
        self.window.pin_pad.ask(role)
        self.window.show_screen(self.window.pin_pad)

    def try_pin(self, role: Role, pin: str) -> None:
        w = self.window
        pins = w.services.pins
        result = pins.check(role, pin) if pins is not None else None
        if result is None or not result.ok:
            w.pin_pad.refuse(result.locked_seconds if result is not None else 0)
            return
        self.open_role(role)

    def open_role(self, role: Role) -> None:
        """The digibuddy or staff screen, as after that role's right PIN."""
        self.window.visit.enter_role(role)
        self.fill()
        self.window.show_screen(self.window.buddy)

    def erase(self, session_id: int) -> None:
        w = self.window
        try:
            w.visit.erase(session_id)
        except NotAllowed:
            return
        w.buddy.show_sessions(w.services.progress.overview())

    def fill(self) -> None:
        """The digibuddy or staff screen as the role at the PC may see it."""
        w = self.window
        settings = w.services.settings
        buddy = w.buddy
        buddy.show_role(w.visit.role, settings=w.visit.may(Action.CHANGE_SETTINGS))
        buddy.staff.show_languages(settings.languages, settings.default_language)
        buddy.staff.show_report(self.report(), self.log_line())
        seen = w.visit.may(Action.SEE_SESSIONS)
        buddy.show_sessions(w.services.progress.overview() if seen else [])

    def report(self) -> list[str]:
        w = self.window
        t, s, visit = w.t, w.services, w.visit
        catalog = s.catalog
        lines: list[str] = []
        if w.visit.may(Action.SEE_LESSON_REPORT):
            lines.append(t.gettext("Lessen: {ok} in orde, {broken} weggelaten").format(
                ok=len(catalog.lessons), broken=len(catalog.broken)))
            lines += [f"✗ {b.lesson_id}: {b.errors[0]}" for b in catalog.broken[:3]]
        if w.visit.may(Action.CHANGE_SETTINGS):
            lines.append(t.gettext("Waarschuwing na {idle}, nog {warning} om te antwoorden")
                         .format(idle=duration(t, visit.idle.idle_seconds),
                                 warning=duration(t, visit.idle.warning_seconds)))
            lines.append(t.gettext("Dit scherm sluit na {time} zonder aanraking").format(
                time=duration(t, visit.role_idle.idle_seconds)))
        if self.problem:
            lines.append(f"✗ {self.problem}")
        return lines

    def log_line(self) -> str:
        """Where the log is, for staff: a line of its own (a path does not wrap)."""
        w = self.window
        if not w.services.log_folder or not w.visit.may(Action.SEE_LOGS):
            return ""
        # A path reads left to right inside right-to-left text too (Unicode isolate).
        folder = f"\u2066{w.services.log_folder}\u2069"
        return w.t.gettext("Logboek: {folder}").format(folder=folder)

    def _keep(self, name: str, value: object) -> None:
        """What staff change in the staff menu holds for the next start too."""
        w = self.window
        w.services.settings = replace(w.services.settings, **{name: value})
        w.visit.use_settings(w.services.settings)
        logger.info("staff changed %s", name, extra={"event": "staff_setting", "key": name})
        folder = w.services.config_folder
        self.problem = save_staff_choice(Path(folder), name, value) if folder else ""

    def toggle_language(self, code: str) -> None:
        """Offer a language on the home screen, or stop offering it (not the default)."""
        w = self.window
        settings = w.services.settings
        if not w.visit.may(Action.CHANGE_SETTINGS) or code == settings.default_language:
            return
        offered = [c for c in SHIPPED_LANGUAGES if (c in settings.languages) != (c == code)]
        offered += [c for c in settings.languages if c not in SHIPPED_LANGUAGES]
        self._keep("languages", offered)
        w.apply_theme(w.theme)  # the home screen is built anew with these languages

    def text_size(self) -> None:
        """The next text size, which is also where every visit starts from now on."""
        w = self.window
        if not w.visit.may(Action.CHANGE_SETTINGS):
            return
        w.next_text_size()
        self._keep("text_size", w.theme.text_size)
        w.buddy.staff.show_report(self.report(), self.log_line())

    def test_voice(self) -> None:
        w = self.window
        if w.visit.may(Action.TEST_VOICE):
            w.services.speaker.say(w.t.gettext("Dit is de stem van Stap voor Stap."),
                                   w.t.language)

    def change_idle(self, minutes: int) -> None:
        w = self.window
        if not w.visit.may(Action.CHANGE_SETTINGS):
            return
        self._keep("idle_seconds", max(60, w.visit.idle.idle_seconds + 60 * minutes))
        w.buddy.staff.show_report(self.report(), self.log_line())

    def quit(self) -> None:
        w = self.window
        if not w.visit.may(Action.LEAVE_KIOSK):
            return
        w.leave_kiosk_mode()
        logger.info("staff closed the app", extra={"event": "staff_quit"})
        QApplication.exit(EXIT_STAFF_QUIT)
