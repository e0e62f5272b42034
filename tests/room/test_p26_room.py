"""P26: in a room, no confirmed step is lost or counted twice, whatever fails. Simulated PCs are
separate processes with separate data folders, against one real PostgreSQL server."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

PC = Path(__file__).resolve().parent / "pc.py"
ROOT = Path(__file__).resolve().parents[2]


def start_pc(tmp_path: Path, name: str, dsn: str, visits: list, pace: float = 0.0,  # type: ignore[type-arg]
             drain: float = 20.0) -> subprocess.Popen[str]:
    plan = tmp_path / f"{name}-{time.monotonic_ns()}.json"
    plan.write_text(json.dumps({"home": str(tmp_path / name), "dsn": dsn, "pc": name,
                                "visits": visits, "pace": pace, "drain": drain}))
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(PC), str(plan)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env=env)


def finish(process: subprocess.Popen[str], timeout: float = 60) -> list[dict]:  # type: ignore[type-arg]
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, err[-2000:]
    assert "Traceback" not in err, err[-2000:]
    return [json.loads(line) for line in out.splitlines() if line.startswith("{")]


def wait_for(process: subprocess.Popen[str], event: str) -> None:
    assert process.stdout is not None
    for line in process.stdout:
        if json.loads(line).get("event") == event:
            return
    raise AssertionError(f"the PC ended before {event}")


def room(pg, dsn: str, sql: str) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    return pg.admin(sql, dsn.rsplit("/", 1)[1])


def local(home: Path, sql: str) -> list[tuple]:  # type: ignore[type-arg]
    connection = sqlite3.connect(home / "progress.sqlite3")
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def test_p26_two_pcs_share_a_visit_through_the_room(pg, room_dsn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    (visit,) = [e for e in finish(start_pc(tmp_path, "pc-a", room_dsn,
                                           [{"lessons": [["tikken", 6, 3, 2, False]]}]))
                if e["event"] == "visit"]
    code = visit["code"]
    assert code
    events = finish(start_pc(tmp_path, "pc-b", room_dsn, [
        {"resume": code, "lessons": [["tikken", 6, 6, 1, True]]}]))
    (resumed,) = [e for e in events if e["event"] == "resumed"]
    print(f"P26: code typed on PC B answered {resumed['after'] * 1000:.0f} ms after asking")
    assert (resumed["lesson"], resumed["step"]) == ("tikken", 3)  # where PC A stopped
    assert events[-1]["pending"] == 0
    ((uid, pc, room_code),) = room(pg, room_dsn, "SELECT uid, pc, code FROM visit")
    assert (pc, room_code) == ("pc-b", code)
    assert room(pg, room_dsn, "SELECT lesson_id, step, finished_at IS NOT NULL FROM "
                              "visit_lesson") == [("tikken", 6, True)]
    assert room(pg, room_dsn, "SELECT step, tries FROM visit_tries ORDER BY step") == \
        [(3, 2), (6, 1)]


def test_p26_ten_pcs_codes_unique_every_step_once_resume_anywhere(pg, room_dsn,  # type: ignore[no-untyped-def]
                                                                  tmp_path: Path) -> None:
    names = [f"pc-{n}" for n in range(10)]
    plans = {name: [{"lessons": [["tikken", 6, 2 + (n + v) % 4, (n * v) % 3, v == 1],
                                 ["typen", 8, 3, 1, False]]} for v in range(3)]
             for n, name in enumerate(names)}
    running = [start_pc(tmp_path, name, room_dsn, plans[name]) for name in names]
    results = {name: finish(p, timeout=120) for name, p in zip(names, running)}
    codes = [e["code"] for name in names for e in results[name] if e["event"] == "visit"]
    assert len(codes) == 30 and None not in codes
    assert len(set(codes)) == 30  # unique across the room
    assert all(results[name][-1]["pending"] == 0 for name in names)
    want_tries = sum(t + 1 for name in names for v in plans[name] for _, _, _, t, _ in
                     v["lessons"][:1]) + 0
    got = room(pg, room_dsn, "SELECT count(*), (SELECT sum(tries) FROM visit_tries), "
                             "(SELECT count(*) FROM visit_lesson WHERE finished_at IS NOT NULL),"
                             " (SELECT sum(step) FROM visit_lesson) FROM visit")
    want_steps = sum(reach for name in names for v in plans[name]
                     for _, _, reach, _, _ in v["lessons"])
    assert got == [(30, want_tries, 10, want_steps)]
    # every PC resumes a visit another PC saved, and finishes it there
    second = [start_pc(tmp_path, name, room_dsn, [
        {"resume": results[names[n - 1]][1]["code"], "lessons": [["typen", 8, 8, 0, True]]}])
        for n, name in enumerate(names)]
    for process in second:
        events = finish(process, timeout=120)
        (resumed,) = [e for e in events if e["event"] == "resumed"]
        assert (resumed["lesson"], resumed["step"]) == ("typen", 3)
    assert room(pg, room_dsn, "SELECT count(*) FROM visit_lesson WHERE lesson_id = 'typen' "
                              "AND finished_at IS NOT NULL AND step = 8") == [(10,)]
    assert room(pg, room_dsn, "SELECT count(*), sum(tries) FROM visit_tries") == \
        room(pg, room_dsn, "SELECT count(*), sum(tries) FROM visit_tries")
    assert room(pg, room_dsn, "SELECT sum(tries) FROM visit_tries") == [(want_tries,)]


@pytest.mark.parametrize("fault", ["stop", "kill"])
def test_p26_server_stopped_or_killed_mid_visit_nothing_lost(pg, room_dsn, tmp_path: Path,  # type: ignore[no-untyped-def]
                                                             fault: str) -> None:
    visits = [{"lessons": [["tikken", 80, 80, 40, True]]}, {"lessons": [["typen", 8, 5, 3, False]]}]
    process = start_pc(tmp_path, "pc-f", room_dsn, visits, pace=0.01, drain=30)
    wait_for(process, "ready")
    time.sleep(0.3)
    try:
        pg.stop() if fault == "stop" else pg.kill()
        time.sleep(1.5)  # the PC goes on alone
    finally:
        pg.start()
    events = finish(process, timeout=90)
    assert events[-1]["pending"] == 0  # the outbox drained once the server was back
    assert room(pg, room_dsn, "SELECT lesson_id, step, finished_at IS NOT NULL FROM visit_lesson "
                              "ORDER BY lesson_id") == [("tikken", 80, True), ("typen", 5, False)]
    assert room(pg, room_dsn, "SELECT sum(tries), count(DISTINCT uid) FROM visit_tries") == \
        [(43, 2)]
    assert room(pg, room_dsn, "SELECT count(*) FROM visit WHERE code IS NOT NULL") == [(2,)]


def test_p26_a_pc_killed_while_sending_counts_nothing_twice(pg, room_dsn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    home = tmp_path / "pc-k"
    before = 0
    for round_ in range(3):
        process = start_pc(tmp_path, "pc-k", room_dsn,
                           [{"lessons": [["tikken", 9, 9, 300, False]]}])
        wait_for(process, "ready")
        # killed once the room has taken part of this PC's events and more wait
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            taken = room(pg, room_dsn, "SELECT COALESCE(sum(tries), 0) FROM visit_tries")[0][0]
            if taken > before + 10 * round_ and \
                    local(home, "SELECT count(*) FROM outbox")[0][0] > 0:
                break
            time.sleep(0.005)
        before = taken
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=10)
        process.stdout.close()  # type: ignore[union-attr]
        process.stderr.close()  # type: ignore[union-attr]
    events = finish(start_pc(tmp_path, "pc-k", room_dsn, []))
    assert events[-1]["pending"] == 0
    confirmed = local(home, "SELECT COALESCE(sum(tries), 0), count(*) FROM step_tries")[0]
    in_room = room(pg, room_dsn, "SELECT COALESCE(sum(tries), 0), count(*) FROM visit_tries")[0]
    print(f"P26: {confirmed[0]} tries confirmed on the PC, {in_room[0]} in the room")
    assert in_room == confirmed
    assert room(pg, room_dsn, "SELECT count(*) FROM visit")[0][0] == \
        local(home, "SELECT count(*) FROM session")[0][0]
