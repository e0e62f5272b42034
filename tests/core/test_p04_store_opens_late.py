"""P4 at start, without Qt: a progress service whose store another program holds locked is
there at once; what needs the store waits for it (bounded) and then uses it as usual."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from kiosk.core.progress import ProgressService
from kiosk.core.store import ProgressStore


def held(path: Path) -> sqlite3.Connection:
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("PRAGMA locking_mode = EXCLUSIVE")
    holder.execute("BEGIN EXCLUSIVE")
    holder.execute("CREATE TABLE IF NOT EXISTS held (x)")
    return holder


def test_p04_a_locked_store_answers_later_and_a_visit_begun_meanwhile_is_kept(
        tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    first = ProgressService.open(lambda: ProgressStore(path))
    first.begin_session()
    first.step_reached("tikken", 2, 8)
    earlier = first.session_id
    first.close()

    holder = held(path)
    service = ProgressService.open(lambda: ProgressStore(path), wait=False)
    try:
        assert not service.answered()  # made at once, the store still locked
        assert not service.answered(0.2)
        threading.Timer(0.3, holder.close).start()
        service.begin_session()  # waits for the store to open
        assert service.answered()
        assert service.saving
        assert earlier is not None and service.session_id == earlier + 1  # numbered after the store's
        service.step_reached("tikken", 3, 8)
        service.flush()
    finally:
        holder.close()
        service.close()
    check = ProgressStore(path)
    try:
        assert check.session_steps(earlier + 1) == {"tikken": 3}
    finally:
        check.close()
