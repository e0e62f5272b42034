"""Room-mode benchmarks against a throwaway PostgreSQL server started here. Prints JSON.

- room_lag_p95_ms: a step saved on PC A, until PC B's digibuddy list shows it
- room_stall_max_ms: the longest UI heartbeat gap while visits go on and the room's server
  takes connections but never answers (room_stall_unreachable_ms), minus the longest gap of the
  same visits without a room (room_stall_baseline_ms), measured in turn in the same run;
  room_stall_in_room_code: of the moments the UI thread was 16 ms late with the server
  unreachable (room_stall_late_samples), how many it was in room code (the link or psycopg)
- room_30_pcs_steps_per_s: steps per second that 30 PCs, each at a brisk resident's pace,
  got into the room; room_30_pcs_pending: events still waiting on a PC at the end (goal 0)
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import threading
import time
import traceback
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "room"))

from pgserver import PASSWORD, Server  # noqa: E402

from kiosk.core.progress import ProgressService  # noqa: E402
from kiosk.core.room import RoomConfig  # noqa: E402
from kiosk.core.sessions import pictograms  # noqa: E402
from kiosk.core.store import ProgressStore  # noqa: E402


ROOM_CODE = str(Path("kiosk", "core", "room.py"))


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def pc(folder: Path, name: str, dsn: str | None) -> ProgressService:
    room = RoomConfig(dsn, pc_name=name) if dsn else None
    return ProgressService.open(lambda: ProgressStore(folder / name / "progress.sqlite3"), room)


def drained(services: list[ProgressService], timeout: float) -> int:
    deadline = time.monotonic() + timeout
    left = sum(s.room_state()[2] for s in services)
    while left and time.monotonic() < deadline:
        time.sleep(0.1)
        left = sum(s.room_state()[2] for s in services)
    return left


def lag(server: Server, folder: Path) -> dict[str, float]:
    dsn = server.dsn(server.new_database())
    a, b = pc(folder, "lag-a", dsn), pc(folder, "lag-b", dsn)
    drained([a, b], 10)
    a.begin_session()
    lags = []
    for step in range(1, 41):
        started = time.monotonic()
        a.step_reached("tikken", step, 40)
        while time.monotonic() - started < 10:
            if any(s.pc == "lag-a" and s.step == step for s in b.overview()):
                break
            time.sleep(0.005)
        lags.append(time.monotonic() - started)
    a.close()
    b.close()
    return {"room_lag_p95_ms": p95(lags) * 1000}


def stall(folder: Path, rounds: int = 3, seconds: float = 3.0) -> dict[str, float]:
    """The UI stall the room adds: the worst heartbeat gap while the room's server takes
    connections and never answers, minus the worst gap of the same visits with no room at all,
    in the same run (rounds of each, taken in turn, so that both see the same machine)."""
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance() or QCoreApplication(["bench"])
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    keys = [p.key for p in pictograms()]
    unreachable = f"postgresql://kiosk:{PASSWORD}@127.0.0.1:{silent.getsockname()[1]}/room"
    worst = {"baseline": 0.0, "unreachable": 0.0}
    ui, late, in_room = threading.get_ident(), [0], [0]
    watching, active = threading.Event(), threading.Event()

    def watch() -> None:  # where the UI thread is whenever the heartbeat is 16 ms late
        while not watching.wait(0.004):
            if active.is_set() and label == "unreachable" and \
                    time.monotonic() - last[0] > 0.016:
                frame = sys._current_frames().get(ui)
                files = {f.filename for f in traceback.extract_stack(frame)} if frame else set()
                late[0] += 1
                in_room[0] += any(name.endswith(ROOM_CODE) or "psycopg" in name
                                  for name in files)

    last, label = [time.monotonic()], "baseline"
    threading.Thread(target=watch, name="stall-watchdog", daemon=True).start()
    for number in range(rounds * 2):
        label = ("baseline", "unreachable")[number % 2]
        service = pc(folder, f"{label}-{number}", None if label == "baseline" else unreachable)
        gap = [0.0]

        def beat() -> None:
            now = time.monotonic()
            gap[0] = max(gap[0], now - last[0])
            last[0] = now

        step = [0]

        def act() -> None:  # a resident tapping on: steps, tries, codes, code typed in
            step[0] += 1
            if step[0] % 10 == 1:
                service.begin_session()
            service.step_reached("tikken", step[0] % 10 + 1, 10)
            service.wrong_try("tikken", step[0] % 10 + 1)
            if step[0] % 10 == 0:
                code = service.end_session("stopped", keys)
                if code:
                    service.resume_code(code)
                service.overview()

        heartbeat, driver = QTimer(), QTimer()
        heartbeat.timeout.connect(beat)
        driver.timeout.connect(act)
        heartbeat.start(2)
        driver.start(20)
        last[0] = time.monotonic()
        active.set()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)
        active.clear()
        heartbeat.stop()
        driver.stop()
        worst[label] = max(worst[label], gap[0])
        service.close()
    watching.set()
    silent.close()
    return {"room_stall_max_ms": (worst["unreachable"] - worst["baseline"]) * 1000,
            "room_stall_unreachable_ms": worst["unreachable"] * 1000,
            "room_stall_baseline_ms": worst["baseline"] * 1000,
            # of the moments the UI thread was 16 ms late with the server unreachable, how many
            # were in room code (goal 0)
            "room_stall_late_samples": float(late[0]),
            "room_stall_in_room_code": float(in_room[0])}


def thirty(server: Server, folder: Path, seconds: float = 20.0, pace: float = 1.0) -> dict[str, float]:
    dsn = server.dsn(server.new_database())
    services = [pc(folder, f"pc-{n:02}", dsn) for n in range(30)]
    drained(services, 30)
    for service in services:
        service.begin_session()
    started = time.monotonic()
    made = 0
    tick = 0
    while time.monotonic() - started < seconds:
        tick += 1
        for n, service in enumerate(services):  # one step per PC per ``pace`` seconds
            service.step_reached(f"lesson-{n % 5}", tick, 1000)
            made += 1
        time.sleep(max(0.0, started + tick * pace - time.monotonic()))
    elapsed = time.monotonic() - started
    left = drained(services, 60)
    database = dsn.rsplit("/", 1)[1]
    arrived = server.admin("SELECT COALESCE(sum(step), 0) FROM visit_lesson", database)[0][0]
    for service in services:
        service.close()
    return {"room_30_pcs_steps_per_s": arrived / elapsed, "room_30_pcs_offered_per_s":
            made / elapsed, "room_30_pcs_pending": float(left)}


def main() -> int:
    server = Server()
    try:
        with tempfile.TemporaryDirectory() as folder:
            results = {}
            results.update(lag(server, Path(folder)))
            results.update(stall(Path(folder)))
            results.update(thirty(server, Path(folder)))
    finally:
        server.close()
    print(json.dumps(results))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
