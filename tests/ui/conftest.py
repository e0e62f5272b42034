"""UI fixtures: real widgets, a recording speaker, the bundled lessons, a store on disk."""

from __future__ import annotations

from pathlib import Path

import pytest

from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.speech.silent import SilentSpeaker


class RecordingSpeaker(SilentSpeaker):
    """The real Speaker interface; remembers what it was asked to say instead of playing it."""

    def __init__(self) -> None:
        super().__init__()
        self.said: list[tuple[str, str]] = []
        self.chimes: list[str] = []

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        super().say(text, language, recorded, chime)
        self.said.append((text, language))
        self.chimes.append(chime)


@pytest.fixture
def speaker(qapp) -> RecordingSpeaker:  # type: ignore[no-untyped-def]
    return RecordingSpeaker()


@pytest.fixture
def make_window(qtbot, paths: AppPaths, speaker: RecordingSpeaker):  # type: ignore[no-untyped-def]
    """Builds the app's main window as ``kiosk`` would, on this test's own store."""
    from kiosk.app import build_services
    from kiosk.ui.navigator import Navigator

    made = []

    def make(settings: Settings | None = None, language: str | None = None,
             speaker_: RecordingSpeaker | None = None, clock=None,  # type: ignore[no-untyped-def]
             kiosk_mode: bool = False) -> Navigator:
        services = build_services(paths, settings or Settings(), language,
                                  speaker=speaker_ or speaker,
                                  **({"clock": clock} if clock is not None else {}))
        window = Navigator(services, kiosk_mode=kiosk_mode)
        qtbot.addWidget(window)
        window.resize(1366, 768)
        window.show()
        window.start()
        made.append(services)
        return window

    yield make
    for services in made:
        services.progress.close()


class FakeClock:
    """Wall-clock time that only moves when a test says so."""

    def __init__(self, start: float = 1_800_000_000.0) -> None:
        self.now = start

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()
