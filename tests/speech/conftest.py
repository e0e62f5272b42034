"""Speech fixtures: the real synthesis worker with pyttsx3, on this test's own cache folder."""

from __future__ import annotations

import array
import wave
from pathlib import Path

import pytest

from kiosk.core.paths import AppPaths
from kiosk.core.speech_plan import SpeechCache
from kiosk.speech.client import SynthesisClient


@pytest.fixture
def client(paths: AppPaths):  # type: ignore[no-untyped-def]
    made = SynthesisClient(SpeechCache(paths.speech_cache))
    assert made.wait_ready(60), made.unavailable_reason
    yield made
    made.close()


@pytest.fixture
def measure():  # type: ignore[no-untyped-def]
    return loudness


def loudness(path: Path) -> tuple[float, float]:
    """Duration in seconds and RMS level (0–32767) of a 16-bit mono WAV."""
    with wave.open(str(path), "rb") as f:
        assert f.getsampwidth() == 2 and f.getnchannels() == 1
        frames = f.readframes(f.getnframes())
        rate = f.getframerate()
    samples = array.array("h", frames)
    rms = (sum(s * s for s in samples) / max(1, len(samples))) ** 0.5
    return len(samples) / rate, rms


def pytest_collection_modifyitems(items) -> None:  # type: ignore[no-untyped-def]
    """Speech tests drive QtMultimedia and a worker process, both of which have hung before:
    past the limit the run dumps every thread's stack and fails instead of waiting forever."""
    for item in items:
        if "tests/speech/" in str(item.fspath) and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(180, method="thread"))
