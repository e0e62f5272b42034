"""Room-mode benchmarks against a throwaway PostgreSQL server started here. Prints JSON.

- room_lag_p95_ms: a step saved on PC A, until PC B's digibuddy list shows it
- room_stall_max_ms: the longest UI heartbeat gap while a visit goes on and the room's server
  takes connections but never answers (room_stall_baseline_ms: the same visit without a room)
- room_30_pcs_steps_per_s: steps per second that 30 PCs, each at a brisk resident's pace,
  got into the room; room_30_pcs_pending: events still waiting on a PC at the end (goal 0)
"""

from __future__ import annotations

import json
import os
import socket
import sys
import tempfile
import time
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


def stall(folder: Path) -> dict[str, float]:
    from PySide6.QtCore import QCoreApplication, QTimer

    app = QCoreApplication.instance() or QCoreApplication(["bench"])
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(64)
    keys = [p.key for p in pictograms()]
    results = {}
    for label, dsn in (("room_stall_baseline_ms", None),
                       ("room_stall_max_ms", f"postgresql://kiosk:{PASSWORD}@127.0.0.1:"
                                             f"{silent.getsockname()[1]}/room")):
        service = pc(folder, label, dsn)
        worst, last = [0.0], [time.monotonic()]

        def beat() -> None:
            now = time.monotonic()
            worst[0] = max(worst[0], now - last[0])
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
        deadline = time.monotonic() + 4.0
        while time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.001)
        heartbeat.stop()
        driver.stop()
        results[label] = worst[0] * 1000
        service.close()
    silent.close()
    results["room_stall_over_baseline_ms"] = (results["room_stall_max_ms"]
                                              - results["room_stall_baseline_ms"])
    return results


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
