"""The progress store on a real SQLite file."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from kiosk.core.progress import ProgressService
from kiosk.core.store import SCHEMA_VERSION, ProgressStore, StoreError


def test_pragmas_and_schema_version(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite3")
    c = store.connection
    assert c.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert c.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert c.execute("PRAGMA secure_delete").fetchone()[0] == 1
    assert c.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    store.close()


def test_steps_finish_and_interrupted_lesson(tmp_path: Path) -> None:
    clock = iter(range(1000, 2000)).__next__
    store = ProgressStore(tmp_path / "p.sqlite3", clock=lambda: float(clock()))
    session = store.start_session()
    store.record_step(session, "tikken", 1, 8)
    store.record_step(session, "tikken", 4, 8, seconds=12.5)
    found = store.interrupted_lesson()
    assert found is not None and (found.lesson_id, found.step, found.step_count) == ("tikken", 4, 8)
    store.record_try(session, "tikken", 2)
    store.record_try(session, "tikken", 2)
    assert store.tries(session, "tikken") == {2: 2}
    store.finish_lesson(session, "tikken")
    assert store.finished_lessons(session) == {"tikken"}
    assert store.interrupted_lesson() is None
    store.close()


def test_ended_session_is_not_offered(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite3")
    session = store.start_session()
    store.record_step(session, "email", 3, 9)
    store.end_session(session, "not resumed")
    assert store.interrupted_lesson() is None
    store.close()


def test_reopening_keeps_progress(tmp_path: Path) -> None:
    path = tmp_path / "p.sqlite3"
    store = ProgressStore(path)
    session = store.start_session()
    store.record_step(session, "email", 5, 9)
    store.close()
    again = ProgressStore(path)
    progress = again.lesson_progress(session, "email")
    assert progress is not None and progress.step == 5
    again.close()


@pytest.mark.parametrize("damage", ["garbage", "truncated", "empty", "newer-schema"])
def test_p03_damaged_store_is_moved_aside_and_a_fresh_one_made(tmp_path: Path, damage: str,
                                                                caplog) -> None:  # type: ignore[no-untyped-def]
    path = tmp_path / "p.sqlite3"
    store = ProgressStore(path)
    store.record_step(store.start_session(), "email", 2, 9)
    store.close()
    data = path.read_bytes()
    if damage == "garbage":
        path.write_bytes(b"\x00not a database\xff" * 100)
    elif damage == "truncated":
        path.write_bytes(data[: len(data) // 3])
    elif damage == "empty":
        path.write_bytes(b"")
    else:
        c = sqlite3.connect(path)
        c.execute("PRAGMA user_version = 99")
        c.close()
    fresh = ProgressStore(path)
    assert fresh.interrupted_lesson() is None
    assert fresh.connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    fresh.close()
    if damage != "empty":  # an empty file is a valid empty database: it is simply set up
        assert list(tmp_path.glob("p.sqlite3.damaged-*")), "the damaged file was not kept aside"
        assert "moved it to" in caplog.text


@pytest.mark.parametrize("failure", ["read-only", "disk-full"])
def test_p04_unwritable_store_keeps_the_lesson_in_memory(tmp_path: Path, failure: str,
                                                          caplog) -> None:  # type: ignore[no-untyped-def]
    store = ProgressStore(tmp_path / "p.sqlite3")
    service = ProgressService(store)
    service.open_lesson("tikken", 1, 8)
    service.flush()
    assert service.saving
    # Tests run as root, where file permissions do not bite; SQLite's own switches give the
    # same errors a read-only or full disk gives.
    if failure == "read-only":
        store.connection.execute("PRAGMA query_only = ON")
    else:
        pages = store.connection.execute("PRAGMA page_count").fetchone()[0]
        store.connection.execute(f"PRAGMA max_page_count = {pages}")
    for step in range(2, 1000):
        service.step_reached("tikken", step, 1000)
        service.wrong_try("tikken", step)
    service.flush()
    assert service.step_of("tikken") == 999  # the lesson goes on
    assert not service.saving
    expected = "readonly" if failure == "read-only" else "full"
    failures = [r for r in caplog.records if "kept in memory" in r.getMessage()]
    assert len(failures) == 1 and expected in failures[0].getMessage()  # said once, not a thousand times
    service.close()


def test_write_failure_raises_store_error_not_sqlite_error(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite3")
    store.connection.close()
    with pytest.raises(StoreError):
        store.record_step(1, "x", 1, 1)


def test_p11_a_change_is_dated_when_asked_not_when_written(tmp_path: Path) -> None:
    """The writer thread may run behind; a visit that ended 31 days ago must still look 31 days
    old to the retention purge, or it outlives its time."""
    import threading

    now = [1_000_000.0]
    service = ProgressService.open(lambda: ProgressStore(tmp_path / "p.sqlite3",
                                                         clock=lambda: now[0]))
    try:
        service.begin_session()
        service.step_reached("tikken", 2, 8)
        held = threading.Event()
        service._submit(lambda store: held.wait(10))  # the writer is busy
        service.end_session("stopped")
        now[0] += 2 * 86400  # time goes on before the writer gets to the end of the visit
        held.set()
        service.flush()
        now[0] += 29 * 86400
        assert service.purge(30, now[0]) == 1
    finally:
        service.close()
