"""One visit: what spans screens for one person at the PC, from the first tap to the home screen.

A ``Visit`` begins, resumes (by picture code, by an interrupted lesson offered at start, or opened
by a digibuddy) and ends; it runs its own idle policy, so no screen has to start or stop one. It
holds the role at the PC (learner, digibuddy, staff) with the role's own shorter idle limit, the
picture-code tries of this visit, the choices that last only for this visit (language, home
language, text size, speaking speed) and the lesson being run. A role never outlives the visit,
nor a return to the home screen. Every action that needs a role is checked with
``kiosk.core.roles.allowed``. No Qt: time comes from an injected clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol

from kiosk.core.i18n import SOURCE_LANGUAGE
from kiosk.core.roles import RIGHTS, Action, Lockout, Role, allowed
from kiosk.core.sessions import ACTIVE, EXPIRED, WARNING, IdlePolicy
from kiosk.core.settings import Settings

if TYPE_CHECKING:
    from kiosk.core.lesson_run import LessonRun
    from kiosk.core.progress import ResumeOffer

logger = logging.getLogger(__name__)

MAX_CODE_TRIES = 5  # wrong picture codes in one visit; then "ask the digibuddy"
ROLE_EXPIRED = "role expired"  # a state of ``Visit.tick`` besides the idle policy's own
FAREWELL_OVER = "farewell over"  # the picture code of a visit that ended was left on screen


class VisitProgress(Protocol):
    """What a visit asks of the progress service (``kiosk.core.progress.ProgressService``)."""

    session_id: int | None

    def begin_session(self) -> None: ...

    def end_session(self, reason: str, pictogram_keys: list[str] | None = None) -> str | None: ...

    def resume_code(self, code: str) -> ResumeOffer | None: ...

    def resume_session(self, session_id: int) -> ResumeOffer | None: ...

    def accept_resume(self, offer: ResumeOffer) -> None: ...

    def decline_resume(self, offer: ResumeOffer) -> None: ...

    def erase(self, session_id: int) -> None: ...


class NotAllowed(PermissionError):
    """The role at the PC may not do this (see ``kiosk.core.roles.RIGHTS``)."""


@dataclass(frozen=True)
class CodeAnswer:
    """What a picture code brings: ``kind`` is "resumed" (``offer`` set), "unknown" (a wrong
    code), "too many" (this visit has had its tries) or "wait" (the PC is slowing wrong codes
    down: ``wait_seconds``)."""

    kind: str
    offer: ResumeOffer | None = None
    wait_seconds: int = 0


class Visit:
    def __init__(self, progress: VisitProgress, settings: Settings, clock: Callable[[], float],
                 code_lock: Lockout | None = None, pictogram_keys: Sequence[str] = (),
                 rights: dict[Role, frozenset[Action]] | None = None) -> None:
        self.progress = progress
        self.settings = settings
        self.clock = clock
        self.code_lock = code_lock
        self.pictogram_keys = list(pictogram_keys)
        self.rights = RIGHTS if rights is None else rights
        self.idle = IdlePolicy(settings.idle_seconds, settings.idle_warning_seconds, clock)
        self.role_idle = IdlePolicy(settings.role_idle_seconds, 0, clock)
        # After a visit ends its picture code shows; left alone, it goes so the next person
        # does not find it.
        self.farewell = IdlePolicy(settings.idle_seconds, 0, clock)
        self.role = Role.LEARNER
        self.code_tries = 0
        self.lesson_run: LessonRun | None = None
        self.language = settings.default_language
        self.home_language = SOURCE_LANGUAGE
        self.text_size = settings.text_size
        self.speech_rate = settings.speech_rate

    # -- settings staff change while the app runs ------------------------------------------

    def use_settings(self, settings: Settings) -> None:
        """New settings (from the staff menu): idle limits at once, the rest for the next visit."""
        self.settings = settings
        self.idle.idle_seconds = settings.idle_seconds
        self.idle.warning_seconds = settings.idle_warning_seconds
        self.role_idle.idle_seconds = settings.role_idle_seconds
        self.farewell.idle_seconds = settings.idle_seconds

    # -- life cycle --------------------------------------------------------------------------

    @property
    def started(self) -> bool:
        """A learner's visit is running (a session to keep progress in)."""
        return self.progress.session_id is not None

    def begin(self) -> None:
        """A new learner's visit from the start."""
        self.progress.begin_session()
        self._learner()
        self.farewell.stop()
        self.idle.start()

    def ensure_begun(self) -> None:
        """A lesson opens: a visit runs from now on, if none did."""
        if not self.started:
            self.begin()
        elif not self.idle.enabled:
            self.idle.start()

    def approach(self) -> None:
        """Someone left the home screen (to enter a code or a PIN): the idle policy watches from
        now on, so a screen left half-way returns home by itself."""
        self.farewell.stop()
        if not self.idle.enabled:
            self.idle.start()

    def accept_resume(self, offer: ResumeOffer) -> None:
        """The interrupted lesson offered at start is taken up."""
        self.progress.accept_resume(offer)
        self._learner()
        self.idle.start()

    def decline_resume(self, offer: ResumeOffer) -> None:
        self.progress.decline_resume(offer)

    def try_code(self, code: str) -> CodeAnswer:
        """A picture code entered: at most ``MAX_CODE_TRIES`` wrong ones per visit, and over the
        whole PC wrong codes slow the next try (``code_lock``)."""
        self.approach()
        if self.code_tries >= MAX_CODE_TRIES:
            logger.info("picture code refused: too many tries in this visit",
                        extra={"event": "code_refused"})
            return CodeAnswer("too many")
        wait = self.code_lock.wait() if self.code_lock is not None else 0
        if wait:
            logger.warning("picture code refused: %d s to wait", wait,
                           extra={"event": "code_locked"})
            return CodeAnswer("wait", wait_seconds=wait)
        offer = self.progress.resume_code(code)
        if offer is None:
            self.code_tries += 1
            locked = self.code_lock.failed() if self.code_lock is not None else 0
            logger.info("wrong picture code (%d in this visit)", self.code_tries,
                        extra={"event": "code_wrong"})
            return CodeAnswer("unknown", wait_seconds=locked)
        self.code_tries = 0
        self._learner()
        self.idle.start()
        return CodeAnswer("resumed", offer)

    def end(self, reason: str) -> str | None:
        """Ends the visit: returns its picture code when it has progress to come back to. The
        role, the code tries, the lesson run and this visit's choices go with it. A code shown
        (any end but being idle) stays until the home screen, or ``idle_seconds`` untouched."""
        self.idle.stop()
        code = self.progress.end_session(reason, self.pictogram_keys)
        self._forget()
        if code and reason != "idle":
            self.farewell.start()
        return code

    def home(self) -> None:
        """The home screen shows: whoever comes now is a new learner. A visit still running
        (a staff member took over mid-visit, say) ends; the role ends too."""
        if self.started:
            self.end("home")
        self.idle.stop()
        self.farewell.stop()
        self._forget()

    def _forget(self) -> None:
        self._learner()
        self.code_tries = 0
        self.lesson_run = None
        self.language = self.settings.default_language
        self.home_language = SOURCE_LANGUAGE
        self.text_size = self.settings.text_size
        self.speech_rate = self.settings.speech_rate

    # -- the lesson of this visit ----------------------------------------------------------

    def run_lesson(self, run: LessonRun) -> LessonRun:
        """A lesson opens in this visit (one at a time); a visit begins if none runs."""
        self.ensure_begun()
        self.lesson_run = run
        return run

    def close_lesson(self) -> None:
        self.lesson_run = None

    # -- roles -------------------------------------------------------------------------------

    def may(self, action: Action) -> bool:
        return allowed(self.role, action, self.rights)

    def check(self, action: Action) -> None:
        """Raises ``NotAllowed`` unless the role at the PC may do ``action``."""
        if not self.may(action):
            logger.warning("%s may not %s", self.role.value, action.value,
                           extra={"event": "not_allowed"})
            raise NotAllowed(f"{self.role.value} may not {action.value}")

    def enter_role(self, role: Role) -> None:
        """The PIN of ``role`` was right: the role holds until its screen is left alone for
        ``role_idle_seconds``, is left, or the visit ends."""
        self.role = role
        if role == Role.LEARNER:
            self.role_idle.stop()
        else:
            self.role_idle.start()
            logger.info("%s mode opened", role.value, extra={"event": "role_opened"})

    def leave_role(self) -> None:
        if self.role != Role.LEARNER:
            logger.info("%s mode closed", self.role.value, extra={"event": "role_closed"})
        self._learner()

    def _learner(self) -> None:
        self.role = Role.LEARNER
        self.role_idle.stop()

    def open_for_learner(self, session_id: int) -> ResumeOffer | None:
        """A digibuddy opens a learner's visit; from now on the PC is the learner's."""
        self.check(Action.OPEN_SESSION)
        offer = self.progress.resume_session(session_id)
        self._learner()
        self.code_tries = 0
        self.idle.start()
        return offer

    def erase(self, session_id: int) -> None:
        self.check(Action.ERASE_SESSION)
        self.progress.erase(session_id)

    # -- time ----------------------------------------------------------------------------------

    def on_input(self) -> None:
        self.idle.on_input()
        self.role_idle.on_input()
        self.farewell.on_input()

    def stay(self) -> None:
        """"I am still here" in the idle warning."""
        self.on_input()

    def tick(self) -> str:
        """What time has done: ``ROLE_EXPIRED`` (a role's screen was left alone) or
        ``FAREWELL_OVER`` (the picture code of an ended visit was): the caller goes home; else
        the idle policy's ACTIVE, WARNING or EXPIRED (the caller ends the visit)."""
        if not self.started and self.farewell.state() == EXPIRED:
            logger.info("picture code left on screen; back to the home screen",
                        extra={"event": "farewell_over"})
            self.farewell.stop()
            return FAREWELL_OVER
        if self.role != Role.LEARNER and self.role_idle.state() == EXPIRED:
            logger.info("%s mode closed after being idle", self.role.value,
                        extra={"event": "role_idle"})
            self._learner()
            return ROLE_EXPIRED
        if self.role != Role.LEARNER:
            return ACTIVE  # the learner's countdown waits while a digibuddy or staff works
        state = self.idle.state()
        return state if state in (WARNING, EXPIRED) else ACTIVE

    def remaining(self) -> int:
        return self.idle.remaining()

    def left_alone(self, seconds: float) -> None:
        """As if nobody touched the PC for the last ``seconds`` (for pictures of the idle
        warning and for checks; a real visit only ages with the clock)."""
        self.idle.last_input = self.clock() - seconds
        self.role_idle.last_input = self.clock() - seconds
        self.farewell.last_input = self.clock() - seconds
