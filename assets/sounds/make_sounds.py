"""Makes the two feedback sounds: a rising two-note chime (right) and a soft low note (try again).

Run once: python assets/sounds/make_sounds.py. The WAVs are committed; this shows how they were made.
"""

from __future__ import annotations

import math
import struct
import wave
from pathlib import Path

RATE = 22050


def tone(frequencies: list[tuple[float, float]], volume: float) -> bytes:
    frames = bytearray()
    for frequency, seconds in frequencies:
        count = int(RATE * seconds)
        for n in range(count):
            fade = min(1.0, n / (RATE * 0.01), (count - n) / (RATE * 0.04))  # no clicks
            value = volume * fade * math.sin(2 * math.pi * frequency * n / RATE)
            frames += struct.pack("<h", int(value * 32767))
    return bytes(frames)


def write(path: Path, data: bytes) -> None:
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(RATE)
        f.writeframes(data)


if __name__ == "__main__":
    here = Path(__file__).resolve().parent
    write(here / "right.wav", tone([(660, 0.09), (990, 0.14)], 0.35))
    write(here / "try-again.wav", tone([(330, 0.18)], 0.25))
