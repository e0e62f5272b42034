"""P2: an upgrade of the schema killed midway leaves the old or the new schema, never a mix."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from kiosk.core.store import MIGRATIONS, SCHEMA_VERSION

ROOT = Path(__file__).resolve().parents[2]
KILLS = 60

# The real migration, slowed down inside SQLite's own loop so that kills land in the middle of it.
UPGRADER = """
import sys, time
from pathlib import Path
from kiosk.core import store as store_module
original = store_module.ProgressStore._migrate
def slow_migrate(connection):
    connection.set_progress_handler(lambda: time.sleep(0.0005) or 0, 50)
    print("MIGRATING", flush=True)
    original(connection)
store_module.ProgressStore._migrate = staticmethod(slow_migrate)
store_module.ProgressStore(Path(sys.argv[1])).close()
print("DONE", flush=True)
"""


def make_old_store(path: Path) -> None:
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA journal_mode = WAL")
    for statement in MIGRATIONS[0].split(";"):
        if statement.strip():
            connection.execute(statement)
    connection.execute("PRAGMA user_version = 1")
    for n in range(2000):
        connection.execute("INSERT INTO session (started_at, last_seen_at) VALUES (?, ?)", (n, n))
    connection.close()


def schema_state(path: Path) -> tuple[int, set[str]]:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        indexes = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")}
        rows = connection.execute("SELECT COUNT(*) FROM session").fetchone()[0]
        assert rows == 2000
        return version, indexes
    finally:
        connection.close()


def test_p02_kill_during_migration_leaves_old_or_new_schema(tmp_path: Path) -> None:
    assert SCHEMA_VERSION >= 2
    rng = random.Random(2)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    seen = {1: 0, 2: 0}
    for attempt in range(KILLS):
        path = tmp_path / f"p{attempt}.sqlite3"
        make_old_store(path)
        upgrader = subprocess.Popen([sys.executable, "-c", UPGRADER, str(path)],
                                    stdout=subprocess.PIPE, text=True, env=env)
        assert upgrader.stdout is not None
        assert upgrader.stdout.readline().strip() == "MIGRATING"
        time.sleep(rng.uniform(0, 0.4))
        upgrader.send_signal(signal.SIGKILL)
        upgrader.stdout.close()
        upgrader.wait()
        version, indexes = schema_state(path)
        assert version in (1, 2)
        if version == 1:
            assert indexes == set(), indexes
        else:
            assert indexes == {"session_last_seen", "progress_started"}, indexes
        seen[version] += 1
    print(f"P2: {KILLS} kills during migration: {seen[1]} left old, {seen[2]} left new")
    assert seen[1] and seen[2], "the kills never landed on both sides; the test proves little"
