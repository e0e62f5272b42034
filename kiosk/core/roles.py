"""Roles and PINs: learner (default), digibuddy (PIN), staff (PIN). Digibuddy rights ⊂ staff rights.

PINs are stored only as salted scrypt hashes in ``pins.toml`` in the user config folder. After
``MAX_FAILURES`` wrong tries in a row a role is locked for ``LOCKOUT_SECONDS``, also across restarts
(the lock is kept in the data folder); during a lock even the right PIN is refused.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import logging
import os
import secrets
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from enum import Enum
from pathlib import Path

logger = logging.getLogger(__name__)

PINS_FILE = "pins.toml"
LOCK_FILE = "pin-lock.json"
MAX_FAILURES = 5
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


def allowed(role: Role, action: Action) -> bool:
    return action in RIGHTS[role]


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
        partial = self.path.with_name(self.path.name + ".part")
        partial.write_text(text, encoding="utf-8")
        os.replace(partial, self.path)

    def _locks(self) -> dict[str, dict[str, float]]:
        try:
            data = json.loads(self.lock_path.read_text(encoding="utf-8"))
            return data if isinstance(data, dict) else {}
        except (OSError, ValueError):
            return {}

    def _save_locks(self, locks: dict[str, dict[str, float]]) -> None:
        try:
            self.lock_path.parent.mkdir(parents=True, exist_ok=True)
            self.lock_path.write_text(json.dumps(locks), encoding="utf-8")
        except OSError as exc:
            logger.error("PIN lock cannot be saved: %s", exc)

    def check(self, role: Role, pin: str) -> CheckResult:
        """Tries a PIN. Staff's PIN also opens the buddy role (buddy ⊂ staff)."""
        now = self.clock()
        locks = self._locks()
        state = locks.get(role.value, {})
        until = float(state.get("until", 0))
        if until > now:
            logger.warning("PIN for %s refused: locked", role.value,
                           extra={"event": "pin_locked"})
            return CheckResult(False, int(until - now + 0.999))
        hashes = self._hashes()
        candidates = [hashes.get(role.value)]
        if role == Role.BUDDY:
            candidates.append(hashes.get(Role.STAFF.value))
        if any(stored and verify_pin(pin, stored) for stored in candidates):
            locks.pop(role.value, None)
            self._save_locks(locks)
            return CheckResult(True)
        failures = int(state.get("failures", 0)) + 1
        logger.warning("wrong PIN for %s (%d in a row)", role.value, failures,
                       extra={"event": "pin_failed"})
        if failures >= MAX_FAILURES:
            locks[role.value] = {"failures": 0, "until": now + LOCKOUT_SECONDS}
            self._save_locks(locks)
            return CheckResult(False, int(LOCKOUT_SECONDS))
        locks[role.value] = {"failures": failures, "until": 0}
        self._save_locks(locks)
        return CheckResult(False)
