"""P12: the app never opens a network connection, except to the room database when one is
configured. A whole visit runs in the real app with the real speech worker under ``strace -f``,
which sees every connect() of every process and thread (Python sockets, libpq, Qt alike)."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

VISIT = Path(__file__).resolve().parent / "p12_visit.py"
ROOT = Path(__file__).resolve().parents[2]
INET = re.compile(r'sa_family=AF_INET6?, sin6?_port=htons\((\d+)\).*?'
                  r'(?:inet_addr\("([^"]+)"\)|inet_pton\(AF_INET6, "([^"]+)")')


def watched_visit(tmp_path: Path, *room: str) -> tuple[dict, list[tuple[str, int]], str]:  # type: ignore[type-arg]
    strace = shutil.which("strace")
    assert strace, "strace is installed by .ci/system-packages"
    log = tmp_path / "connects.log"
    env = {**os.environ, "PYTHONPATH": str(ROOT), "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([strace, "-f", "-qq", "-e", "trace=connect,execve", "-e",
                           "signal=none", "-o", str(log), sys.executable, str(VISIT),
                           str(tmp_path / "home"), *room], env=env, capture_output=True,
                          text=True, timeout=180)
    assert done.returncode == 0, done.stderr[-3000:]
    result = json.loads(done.stdout.strip().splitlines()[-1])
    trace = log.read_text()
    targets = [(m.group(2) or m.group(3), int(m.group(1))) for line in trace.splitlines()
               if "connect(" in line for m in [INET.search(line)] if m]
    unparsed = [line for line in trace.splitlines() if "connect(" in line
                and "AF_UNIX" not in line and not INET.search(line)]
    assert unparsed == [], unparsed  # every connect is either local IPC or read here
    return result, targets, trace


def test_p12_a_whole_visit_with_real_speech_opens_no_network_connection(tmp_path: Path) -> None:
    result, targets, trace = watched_visit(tmp_path)
    assert "kiosk.speech.worker" in trace  # the worker process was started, and watched
    assert result["spoken"] and result["code"] and result["resumed"]
    print(f"P12: {trace.count('connect(')} connect calls, {len(targets)} to the network")
    assert targets == []


def test_p12_in_a_room_the_only_connection_is_to_the_room_database(tmp_path: Path, pg,  # type: ignore[no-untyped-def]
                                                                    room_dsn) -> None:
    result, targets, trace = watched_visit(tmp_path, room_dsn)
    assert "kiosk.speech.worker" in trace
    assert result["spoken"] and result["resumed"] and result["room"] and result["waiting"] == 0
    print(f"P12: {len(targets)} network connections, all to {set(targets)}")
    assert targets and set(targets) == {("127.0.0.1", pg.port)}
