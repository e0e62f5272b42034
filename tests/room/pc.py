"""One simulated PC of a room, in a process of its own with its own data folder: runs visits
through the real ProgressService (SQLite first, the outbox, the room link) and prints, as JSON
lines, what it confirmed (committed locally).

    python pc.py PLAN.json
PLAN: {"home", "dsn", "pc", "visits": [{"resume": CODE|null, "lessons": [[id, count, reach,
tries, finish]]}], "pace": s, "drain": s}
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.core.progress import ProgressService  # noqa: E402
from kiosk.core.room import RoomConfig  # noqa: E402
from kiosk.core.sessions import pictograms  # noqa: E402
from kiosk.core.store import ProgressStore  # noqa: E402


def say(**data: object) -> None:
    print(json.dumps(data), flush=True)


def main() -> int:
    plan = json.loads(Path(sys.argv[1]).read_text())
    home = Path(plan["home"])
    home.mkdir(parents=True, exist_ok=True)
    service = ProgressService.open(lambda: ProgressStore(home / "progress.sqlite3"),
                                   RoomConfig(plan["dsn"], pc_name=plan["pc"]))
    keys = [p.key for p in pictograms()]
    pace = float(plan.get("pace", 0))
    deadline = time.monotonic() + 10
    while plan["visits"] and service.codes_leased < 3 and time.monotonic() < deadline:
        time.sleep(0.02)  # the first lease, as a PC that was running a while has
    say(event="ready")
    for visit in plan["visits"]:
        start = None
        if visit.get("resume"):
            waited = time.monotonic()
            offer = None
            while offer is None and time.monotonic() - waited < 10:
                offer = service.resume_code(visit["resume"])
                if offer is None:
                    time.sleep(0.02)
            say(event="resumed", code=visit["resume"], lesson=offer and offer.lesson_id,
                step=offer and offer.step, after=time.monotonic() - waited)
            start = offer
        else:
            service.begin_session()
        for lesson, count, reach, tries, finish in visit["lessons"]:
            first = service.step_of(lesson)
            service.open_lesson(lesson, first, count)
            for step in range(first + 1, reach + 1):
                service.step_reached(lesson, step, count)
                time.sleep(pace)
            for _ in range(tries):
                service.wrong_try(lesson, reach)
                time.sleep(pace)
            if finish:
                service.lesson_finished(lesson)
        code = service.end_session("stopped", keys)
        service.flush()
        say(event="visit", code=code, resumed=bool(start), lessons=visit["lessons"])
    drain = float(plan.get("drain", 20))
    deadline = time.monotonic() + drain
    left = service.room_state()[2]
    while left and time.monotonic() < deadline:
        time.sleep(0.05)
        left = service.room_state()[2]
    say(event="done", pending=left)
    service.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
