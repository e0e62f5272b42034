"""A whole visit in the real app, with the real speech worker, for the P12 test to watch from
outside (every process, every connect): begin, a lesson with taps and typing read aloud, a
picture code, the code typed in again, the digibuddy list. Prints one JSON line.

    python p12_visit.py HOME [ROOM_DSN]
"""

from __future__ import annotations

import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from kiosk.app import build_services, make_application  # noqa: E402
from kiosk.core.paths import AppPaths  # noqa: E402
from kiosk.core.settings import Settings  # noqa: E402
from kiosk.ui.navigator import Navigator  # noqa: E402


def pump(app, seconds: float, until=lambda: False) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline and not until():
        app.processEvents()
        time.sleep(0.01)


def main() -> int:
    home = Path(sys.argv[1])
    paths = AppPaths.under(home)
    settings = Settings(room=sys.argv[2] if len(sys.argv) > 2 else "")
    app = make_application(["p12"])
    services = build_services(paths, settings)
    window = Navigator(services)
    window.resize(1366, 768)
    window.show()
    window.start()
    services.speaker.warm_up()
    window.begin()
    window.open_lesson("typen")
    lesson = window.lesson
    while True:
        step = lesson.step
        pump(app, 0.3)
        if step.kind == "tap":
            x, y, w, h = step.target
            lesson.tap_at(x + w / 2, y + h / 2)
        elif step.kind == "type":
            lesson.picture.field.setText(step.answer)
            lesson.check_typed()
        elif step.kind == "choose":
            lesson.choose(next(i for i, c in enumerate(step.choices) if c.correct))
        last = step.number == len(lesson.lesson.steps)
        lesson.go_next()
        if last:
            break
    spoken = lambda: any(paths.speech_cache.rglob("*.wav"))  # noqa: E731
    pump(app, 60, spoken)
    code = window.end_visit("stopped")
    offer = services.progress.resume_code(code) if code else None
    overview = services.progress.overview()
    window.end_visit("stopped")
    if settings.room:
        pump(app, 60, lambda: services.progress.room_state()[:3:2] == (True, 0))
    state = services.progress.room_state()
    print(json.dumps({"spoken": spoken(), "code": code, "resumed": offer is not None,
                      "visits": len(overview), "room": state[0], "waiting": state[2]}))
    services.speaker.shutdown()
    services.progress.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
