"""Roles and PINs: learner (default), digibuddy (PIN), staff (PIN). Digibuddy rights ⊂ staff rights.

``RIGHTS`` is the one table of what each role may do; every screen action that needs a role asks
``allowed(role, action)``. PINs are stored only as salted scrypt hashes in ``pins.toml`` in the
user config folder. Wrong PINs, and wrong picture codes, are slowed by a ``Lockout``: a few
failures are free, each further one locks for longer, and failures are forgotten again with time.
The lock is kept in the data folder, so a restart does not lift it; during a lock even the right
PIN or code is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import math
import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

from kiosk.core.files import atomic_write

logger = logging.getLogger(__name__)

PINS_FILE = "pins.toml"
LOCK_FILE = "pin-lock.json"
MAX_FAILURES = 5  # the fifth wrong PIN in a row locks the role
LOCKOUT_SECONDS = 300.0
MIN_PIN_LENGTH = 4
SCRYPT = {"n": 2**14, "r": 8, "p": 1}


class Role(Enum):
    LEARNER = "learner"
    BUDDY = "buddy"
    STAFF = "staff"


class Action(Enum):
    LEARN = "learn"
    SEE_SESSIONS = "see sessions"
    OPEN_SESSION = "open a session for a learner"
    ERASE_SESSION = "erase a session"
    LEAVE_KIOSK = "leave kiosk mode"
    TEST_VOICE = "test the voice"
    SEE_LESSON_REPORT = "see the lesson check report"
    CHANGE_SETTINGS = "change languages, idle times and text size"
    SEE_LOGS = "see the log folder"


RIGHTS: dict[Role, frozenset[Action]] = {
    Role.LEARNER: frozenset({Action.LEARN}),
    Role.BUDDY: frozenset({Action.LEARN, Action.SEE_SESSIONS, Action.OPEN_SESSION,
                           Action.ERASE_SESSION}),
}
RIGHTS[Role.STAFF] = RIGHTS[Role.BUDDY] | frozenset({
    Action.LEAVE_KIOSK, Action.TEST_VOICE, Action.SEE_LESSON_REPORT, Action.CHANGE_SETTINGS,
    Action.SEE_LOGS})


def allowed(role: Role, action: Action, rights: dict[Role, frozenset[Action]] | None = None) -> bool:
    """Whether ``role`` may do ``action``: the one gate. ``rights`` defaults to ``RIGHTS``."""
    return action in (RIGHTS if rights is None else rights)[role]


@dataclass(frozen=True)
class LockRule:
    """How failures slow the next try.

    The first ``free`` failures cost nothing; failure ``free + n`` locks for ``first_lock *
    growth ** (n - 1)`` seconds, never more than ``longest``. One failure is forgotten for every
    ``forget_seconds`` that pass, so a lock left by someone else fades instead of staying.
    """

    free: int
    first_lock: float
    growth: float
    longest: float
    forget_seconds: float

    def lock_for(self, failures: float) -> float:
        excess = math.ceil(failures - 1e-9) - self.free
        if excess <= 0:
            return 0.0
        return min(self.longest, self.first_lock * self.growth ** (excess - 1))


PIN_RULE = LockRule(free=MAX_FAILURES - 1, first_lock=LOCKOUT_SECONDS, growth=2.0,
                    longest=3600.0, forget_seconds=LOCKOUT_SECONDS)


class Lockout:
    """Failures of one kind of secret (a role's PIN, picture codes), kept in a JSON file so that
    a restart does not lift a lock. An unreadable file counts as no failures; one that cannot be
    written is logged and the lock holds in memory for as long as the app runs."""

    def __init__(self, path: Path, name: str, rule: LockRule, clock: Callable[[], float]) -> None:
        self.path = path
        self.name = name
        self.rule = rule
        self.clock = clock
        self._memory: dict[str, float] | None = None

    def _all(self) -> dict[str, dict[str, float]]:
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _state(self) -> tuple[float, float]:
        """(failures now, after forgetting; locked until)."""
        state = self._memory if self._memory is not None else self._all().get(self.name, {})
        if not isinstance(state, dict):
            state = {}
        now = self.clock()
        try:
            failures = float(state.get("failures", 0))
            until = float(state.get("until", 0))
            since = float(state.get("at", now))
        except (TypeError, ValueError):
            return 0.0, 0.0
        forgotten = max(0.0, now - max(since, until)) / self.rule.forget_seconds
        return max(0.0, failures - forgotten), until

    def _save(self, failures: float, until: float) -> None:
        entries = self._all()
        state = {"failures": failures, "until": until, "at": self.clock()}
        if failures <= 0 and until <= self.clock():
            entries.pop(self.name, None)
        else:
            entries[self.name] = state
        self._memory = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps(entries))
        except OSError as exc:
            self._memory = state
            logger.error("%s lock cannot be saved in %s: %s", self.name, self.path, exc)

    def wait(self) -> int:
        """Whole seconds until the next try may be checked (0: now)."""
        left = self._state()[1] - self.clock()
        return int(left + 0.999) if left > 0 else 0

    def failures(self) -> float:
        return self._state()[0]

    def failed(self) -> int:
        """Counts a failure; returns the seconds of the lock it brings (0: none)."""
        failures = self._state()[0] + 1
        lock = self.rule.lock_for(failures)
        self._save(failures, self.clock() + lock if lock else 0.0)
        return int(lock + 0.999)

    def succeeded(self) -> None:
        """Forgets the failures (after the right PIN)."""
        self._save(0.0, 0.0)


class PinError(ValueError):
    pass


def hash_pin(pin: str, salt: bytes | None = None) -> str:
    salt = salt or secrets.token_bytes(16)
    digest = hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=32, **SCRYPT)
    return f"scrypt${salt.hex()}${digest.hex()}"


def verify_pin(pin: str, stored: str) -> bool:
    try:
        method, salt_hex, digest_hex = stored.split("$")
        if method != "scrypt":
            return False
        salt, digest = bytes.fromhex(salt_hex), bytes.fromhex(digest_hex)
    except ValueError:
        return False
    candidate = hashlib.scrypt(pin.encode("utf-8"), salt=salt, dklen=len(digest), **SCRYPT)
    return hmac.compare_digest(candidate, digest)


@dataclass
class CheckResult:
    ok: bool
    locked_seconds: int = 0  # > 0 when the role is locked


class PinBook:
    """The PINs of the buddy and staff roles, and the lockout after failures."""

    def __init__(self, config_dir: Path, data_dir: Path, clock: Callable[[], float]) -> None:
        self.path = config_dir / PINS_FILE
        self.lock_path = data_dir / LOCK_FILE
        self.clock = clock
        self._lockouts: dict[Role, Lockout] = {}

    def _hashes(self) -> dict[str, str]:
        try:
            data = tomllib.loads(self.path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return {}
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            logger.error("PIN file %s cannot be read: %s", self.path, exc)
            return {}
        return {k: v for k, v in data.items() if isinstance(v, str)}

    def is_set(self, role: Role) -> bool:
        return role.value in self._hashes()

    def set_pin(self, role: Role, pin: str) -> None:
        if role == Role.LEARNER:
            raise PinError("learners have no PIN")
        if not pin.isdigit() or len(pin) < MIN_PIN_LENGTH:
            raise PinError(f"a PIN is at least {MIN_PIN_LENGTH} digits")
        hashes = self._hashes()
        hashes[role.value] = hash_pin(pin)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        text = "# PINs of Stap voor Stap, as salted scrypt hashes. Set with: kiosk set-pin buddy|staff\n"
        text += "".join(f'{key} = "{value}"\n' for key, value in sorted(hashes.items()))
        atomic_write(self.path, text)

    def lockout(self, role: Role) -> Lockout:
        if role not in self._lockouts:
            self._lockouts[role] = Lockout(self.lock_path, role.value, PIN_RULE,
                                           lambda: self.clock())
        return self._lockouts[role]

    def check(self, role: Role, pin: str) -> CheckResult:
        """Tries a PIN. Staff's PIN also opens the buddy role (buddy ⊂ staff)."""
        lock = self.lockout(role)
        wait = lock.wait()
        if wait:
            logger.warning("PIN for %s refused: locked", role.value,
                           extra={"event": "pin_locked"})
            return CheckResult(False, wait)
        hashes = self._hashes()
        candidates = [hashes.get(role.value)]
        if role == Role.BUDDY:
            candidates.append(hashes.get(Role.STAFF.value))
        if any(stored and verify_pin(pin, stored) for stored in candidates):
            lock.succeeded()
            return CheckResult(True)
        locked = lock.failed()
        logger.warning("wrong PIN for %s (%d recent)", role.value, round(lock.failures()),
                       extra={"event": "pin_failed"})
        return CheckResult(False, locked)
