"""What a screen may ask of a speaker: the ``Speaker`` protocol.

Screens are given a speaker through ``__init__`` and use only what is listed here. Two classes
implement it: ``kiosk.speech.speaker.Speaker`` (synthesis and QtMultimedia playback) and
``kiosk.speech.silent.SilentSpeaker`` (no sound; pictures of screens and tests of screens).

A ``typing.Protocol`` cannot describe Qt signals, so this part is a promise in words, checked by
the tests rather than by a type checker: a speaker is a ``QObject`` with two signals,

- ``stateChanged(str)``: the new state, one of ``IDLE``, ``PREPARING``, ``SPEAKING``,
  ``UNAVAILABLE``; it is also emitted with the same state when availability becomes known, so
  that read-aloud buttons redraw;
- ``wordChanged(int, int)``: start and length, in the text given to ``say``, of the word being
  spoken; ``(-1, 0)`` when no word is.

The protocol declares them as ``SignalInstance`` attributes so that code using them reads as it
should; their argument types are this docstring's, not the checker's.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol, runtime_checkable

from PySide6.QtCore import SignalInstance

IDLE, PREPARING, SPEAKING, UNAVAILABLE = "idle", "preparing", "speaking", "unavailable"
STATES = (IDLE, PREPARING, SPEAKING, UNAVAILABLE)
CHIMES = ("right", "try-again")


@runtime_checkable
class Speaker(Protocol):
    """Speaks one text at a time, in the background; no call waits for sound."""

    stateChanged: SignalInstance
    wordChanged: SignalInstance
    state: str  # one of STATES
    rate: str  # "normal" or "slow"
    text: str  # the last text asked for ("" after ``forget``)

    def available(self, language: str) -> bool | None:
        """True: a voice speaks this language; False: none does; None: not known yet."""

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        """Replaces whatever is playing with this text. ``recorded`` is a step's own recording,
        played instead of synthesis when the file exists; ``chime`` (one of CHIMES) sounds first."""

    def stop(self) -> None:
        """Silence now; the state becomes IDLE (or stays UNAVAILABLE)."""

    def prefetch(self, texts: list[str], language: str) -> None:
        """Prepares these texts in the background so that a later ``say`` starts at once."""

    def warm_up(self) -> None:
        """Makes the audio players now (the first costs a few hundred ms), not at the first tap."""

    def forget(self) -> None:
        """Drops what waits to be said or prepared (the end of a visit)."""

    def set_rate(self, rate: str) -> None:
        """"normal" or "slow", for the texts said from now on."""

    def shutdown(self) -> None:
        """Stops for good: the app is closing."""
