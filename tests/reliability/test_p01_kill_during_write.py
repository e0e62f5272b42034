"""P1: a kill -9 during progress writes never loses a confirmed step nor damages the store."""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
KILLS = 300

WRITER = """
import sys
from pathlib import Path
from kiosk.core.store import ProgressStore
store = ProgressStore(Path(sys.argv[1]))
session = store.start_session()
start = int(sys.argv[2])
n = start
while True:
    n += 1
    store.record_step(session, "tikken", n, 1000000)
    print(f"ACK {n}", flush=True)
"""


def highest_step(path: Path) -> int:
    connection = sqlite3.connect(path)
    try:
        assert connection.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        return int(connection.execute("SELECT COALESCE(MAX(step), 0) FROM lesson_progress")
                   .fetchone()[0])
    finally:
        connection.close()


def test_p01_kill_during_write_keeps_acked_steps(tmp_path: Path) -> None:
    path = tmp_path / "progress.sqlite3"
    rng = random.Random(1)
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    last_ack = 0
    for _ in range(KILLS):
        writer = subprocess.Popen([sys.executable, "-c", WRITER, str(path), str(last_ack)],
                                  stdout=subprocess.PIPE, text=True, env=env)
        assert writer.stdout is not None
        first = writer.stdout.readline()
        assert first.startswith("ACK"), first
        time.sleep(rng.uniform(0, 0.02))
        writer.send_signal(signal.SIGKILL)
        rest = writer.stdout.read()
        writer.stdout.close()
        writer.wait()
        acks = [int(line.split()[1]) for line in (first + rest).splitlines()
                if line.startswith("ACK ")]
        last_ack = max(acks)
        assert highest_step(path) >= last_ack
    print(f"P1: {KILLS} kills, last acknowledged step {last_ack}, store intact")
