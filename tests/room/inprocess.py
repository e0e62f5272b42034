"""PCs of a room in this test process: real ProgressService, SQLite file and room link each."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

from kiosk.core.progress import ProgressService
from kiosk.core.room import RoomConfig
from kiosk.core.sessions import pictograms
from kiosk.core.store import ProgressStore

KEYS = [p.key for p in pictograms()]


def until(condition: Callable[[], object], what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout:.0f} s: {what}")
        time.sleep(0.02)


def sent(*services: ProgressService) -> bool:
    return all(s.room_state()[2] == 0 for s in services)


def a_visit(service: ProgressService, lesson: str, reach: int, finish: bool = False) -> str:
    """A visit with steps (and the lesson finished); its picture code."""
    service.begin_session()
    service.open_lesson(lesson, 1, 9)
    for step in range(2, reach + 1):
        service.step_reached(lesson, step, 9)
    if finish:
        service.lesson_finished(lesson)
    code = service.end_session("stopped", KEYS)
    assert code
    return code


def pc_maker(folder: Path) -> Iterator[Callable[..., ProgressService]]:
    """Makes PCs (a data folder each, by name); all closed at the end."""
    made: list[ProgressService] = []

    def make(name: str, dsn: str, clock: Callable[[], float] = time.time,
             reach: bool = True) -> ProgressService:
        home = folder / name
        service = ProgressService.open(lambda: ProgressStore(home / "progress.sqlite3", clock),
                                       RoomConfig(dsn, pc_name=name))
        made.append(service)
        if reach:
            until(lambda: service.room_state()[0], f"{name} reaches the room")
        return service
    yield make
    for service in made:
        service.close()
