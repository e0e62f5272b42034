"""Anonymous learner sessions: picture codes to come back, and the idle policy.

A picture code is three pictures from the pictogram set; it names a resumable session on this PC
and nothing else. Wrong codes are slowed over the whole PC by ``CODE_RULE`` (see
``kiosk.core.roles.Lockout``): a stranger's few wrong tries cost the next resident nothing, but
trying every code would take weeks. The idle policy turns "time without input" into a spoken warning with a
countdown, then the end of the session. Time comes from an injected clock.
"""

from __future__ import annotations

import random
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.paths import bundled
from kiosk.core.roles import LockRule

CODE_LENGTH = 3
CODE_LOCK_FILE = "code-lock.json"  # in the data folder
# Ten wrong codes on this PC are free (two visits' worth); then each wrong code locks code entry
# for 10 s, 20 s, 40 s … up to 15 minutes. One wrong code is forgotten every 10 minutes, so a
# guesser gets about one try per 10 minutes (≈ 144 a day: 8,000 codes take some 55 days) and
# whoever comes after a stranger's five wrong tries is not slowed at all.
CODE_RULE = LockRule(free=10, first_lock=10.0, growth=2.0, longest=900.0, forget_seconds=600.0)
# Pictures that together could read as a religious or national symbol never share a code.
NEVER_TOGETHER = ({"moon", "star"},)
Clock = Callable[[], float]


@dataclass(frozen=True)
class Pictogram:
    key: str  # file stem, also what a code is made of
    name: str  # Dutch word, as a message to translate
    path: Path


def pictograms(folder: Path | None = None) -> list[Pictogram]:
    """The pictogram set, in a fixed order (names.toml gives the words)."""
    folder = folder or bundled("assets") / "pictograms"
    try:
        names = tomllib.loads((folder / "names.toml").read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError):
        names = {}
    found = []
    for path in sorted(folder.glob("*.svg")):
        found.append(Pictogram(path.stem, str(names.get(path.stem, path.stem)), path))
    return found


def code_text(keys: tuple[str, ...] | list[str]) -> str:
    return "-".join(keys)


def parse_code(text: str) -> tuple[str, ...]:
    return tuple(part for part in text.split("-") if part)


def new_code(keys: list[str], taken: set[str], rng: random.Random | None = None) -> str:
    """A code of three different pictures, not used by any live session."""
    rng = rng or random.SystemRandom()
    if len(keys) < CODE_LENGTH:
        raise ValueError("the pictogram set is too small for picture codes")
    for _ in range(10_000):
        chosen = rng.sample(keys, CODE_LENGTH)
        if any(pair <= set(chosen) for pair in NEVER_TOGETHER):
            continue
        code = code_text(chosen)
        if code not in taken:
            return code
    raise RuntimeError("no free picture code left: erase old sessions")


ACTIVE, WARNING, EXPIRED = "active", "warning", "expired"


class IdlePolicy:
    """After ``idle_seconds`` without input: a warning with a countdown of ``warning_seconds``;
    then the session expires. Any input during the warning cancels it."""

    def __init__(self, idle_seconds: float, warning_seconds: float, clock: Clock) -> None:
        self.idle_seconds = idle_seconds
        self.warning_seconds = warning_seconds
        self.clock = clock
        self.enabled = False
        self.last_input = clock()

    def start(self) -> None:
        self.enabled = True
        self.last_input = self.clock()

    def stop(self) -> None:
        self.enabled = False

    def on_input(self) -> None:
        self.last_input = self.clock()

    def state(self) -> str:
        if not self.enabled:
            return ACTIVE
        quiet = self.clock() - self.last_input
        if quiet < self.idle_seconds:
            return ACTIVE
        if quiet < self.idle_seconds + self.warning_seconds:
            return WARNING
        return EXPIRED

    def remaining(self) -> int:
        """Whole seconds left in the countdown (0 when expired)."""
        left = self.idle_seconds + self.warning_seconds - (self.clock() - self.last_input)
        return max(0, int(left + 0.999))
