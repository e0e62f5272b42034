"""One measured start: a bare PySide6 window or the kiosk home screen, reported as JSON.

Run by ``run.py`` in a fresh process each time: ``python probe.py bare|kiosk [SPAWNED]``. The
clock starts when ``run.py`` spawned the process (SPAWNED, its ``time.monotonic()``, a clock
shared by all processes), so interpreter and import time count; without SPAWNED it starts when
the operating system created the process (to 10 ms).
"""

from __future__ import annotations

import json
import os
import resource
import sys
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")


def process_age() -> float:
    """Seconds since this process was created (Linux: /proc/self/stat field 22)."""
    ticks = os.sysconf("SC_CLK_TCK")
    with open("/proc/self/stat") as f:
        started = int(f.read().rsplit(")", 1)[1].split()[19]) / ticks
    with open("/proc/uptime") as f:
        uptime = float(f.read().split()[0])
    return uptime - started


def main() -> None:
    which = sys.argv[1]
    from PySide6.QtCore import QTimer
    from PySide6.QtWidgets import QApplication, QLabel, QMainWindow

    shown_at = []
    if which == "bare":
        app = QApplication([])
        window = QMainWindow()
        window.setCentralWidget(QLabel("Stap voor Stap"))
        window.resize(1366, 768)
        window.show()
        cleanup = lambda: None  # noqa: E731
    else:
        sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
        from kiosk.app import build_services, make_application
        from kiosk.core.paths import AppPaths
        from kiosk.core.settings import Settings
        from kiosk.ui.navigator import Navigator

        app = make_application(["kiosk"])
        services = build_services(AppPaths.default(), Settings(read_aloud=False))
        window = Navigator(services)
        window.resize(1366, 768)
        window.show()
        window.start()

        def cleanup() -> None:
            services.speaker.shutdown()
            services.progress.close()

    spawned = float(sys.argv[2]) if len(sys.argv) > 2 else None

    def interactive() -> None:  # the first turn of the event loop after showing: input is handled
        shown_at.append(time.monotonic() - spawned if spawned is not None else process_age())
        app.quit()

    QTimer.singleShot(0, interactive)
    app.exec()
    cleanup()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB → MiB on Linux
    print(json.dumps({"which": which, "seconds": shown_at[0], "peak_rss_mib": peak}))


if __name__ == "__main__":
    main()
