"""What staff rely on: one instance (P5), kiosk keys (P13), crash recovery (P17), no network
(P12), the staff log (P22), recovery of a damaged store (P3), writing only in its folders (P9),
and `kiosk doctor`."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from PySide6.QtCore import Qt, QTimer
from window_input import press_window

from kiosk.core.logs import BACKUPS, MAX_BYTES, configure_logging
from kiosk.core.paths import AppPaths
from kiosk.core.roles import Role

ROOT = Path(__file__).resolve().parents[2]
CANARY = "Kanarie4242"


def kiosk_env(home: Path) -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": str(ROOT), "KIOSK_HOME": str(home),
            "QT_QPA_PLATFORM": "offscreen"}


def quiet(store: Path) -> int:
    """The store's time stamp once the store and its log have stopped changing for 0.5 s (the
    app opens its store while its window is made, and reads it once the window is up)."""
    def stamp() -> tuple[int, ...]:
        files = (store, store.with_name(store.name + "-wal"))
        return tuple(f.stat().st_mtime_ns if f.exists() else 0 for f in files)

    deadline = time.monotonic() + 30
    last = stamp()
    while time.monotonic() < deadline:
        time.sleep(0.5)
        now = stamp()
        if now == last and now[0]:
            return now[0]
        last = now
    raise AssertionError(f"the first app's store {store} never settled")


def test_p05_a_second_start_says_so_and_exits_while_the_first_runs(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = kiosk_env(home)
    first = subprocess.Popen([sys.executable, "-m", "kiosk", "--windowed"], env=env,
                             stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        lock = home / "data" / "kiosk.lock"
        deadline = time.monotonic() + 60
        while not lock.exists() and time.monotonic() < deadline:
            time.sleep(0.1)
        assert lock.exists(), "the first app never started"
        store = home / "data" / "progress.sqlite3"
        before = quiet(store)  # the first app has opened its store and looked at it
        second = subprocess.run([sys.executable, "-m", "kiosk", "--windowed"], env=env,
                                capture_output=True, text=True, timeout=60)
        assert second.returncode == 4
        assert "already running" in second.stderr and "Traceback" not in second.stderr
        assert first.poll() is None, "the first app stopped"
        assert store.stat().st_mtime_ns == before
    finally:
        first.kill()
        first.wait()


def test_p13_kiosk_mode_ignores_closing_keys_and_close(qtbot, make_window, caplog) -> None:  # type: ignore[no-untyped-def]
    caplog.set_level(logging.INFO)
    window = make_window(kiosk_mode=True)
    window.enter_kiosk_mode()
    qtbot.waitUntil(window.isFullScreen)
    keys = [(Qt.Key.Key_F4, Qt.KeyboardModifier.AltModifier),
            (Qt.Key.Key_W, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Q, Qt.KeyboardModifier.ControlModifier),
            (Qt.Key.Key_Escape, Qt.KeyboardModifier.NoModifier),
            (Qt.Key.Key_F11, Qt.KeyboardModifier.NoModifier)]
    for key, modifier in keys:
        press_window(window, key, modifier)
        assert window.isVisible() and window.isFullScreen(), key
    assert caplog.text.count("kiosk mode ignored a closing key") >= len(keys)
    assert window.close() is False
    assert window.isVisible() and window.isFullScreen()
    flags = window.windowFlags()
    assert flags & Qt.WindowType.FramelessWindowHint and flags & Qt.WindowType.WindowStaysOnTopHint
    window.leave_kiosk_mode()
    assert window.close() is True


@pytest.mark.qt_no_exception_capture
def test_p17_an_exception_in_a_slot_or_timer_is_logged_and_the_app_goes_home(
        qtbot, make_window, caplog) -> None:  # type: ignore[no-untyped-def]
    from kiosk.app import install_crash_handler

    window = make_window()
    previous = sys.excepthook
    install_crash_handler(window)
    try:
        window.begin()
        window.open_lesson("tikken")
        assert window.stack.currentWidget() is window.lesson

        def boom() -> None:
            raise RuntimeError("test hook: a bug in a slot")

        window.lesson.next_button.clicked.connect(boom)
        window.lesson.next_button.click()
        qtbot.waitUntil(lambda: window.stack.currentWidget() is not window.lesson)
        assert "test hook: a bug in a slot" in caplog.text
        window.begin()
        QTimer.singleShot(0, boom)
        qtbot.waitUntil(lambda: window.stack.currentWidget() in (window.welcome, window.code))
        assert caplog.text.count("unexpected error") == 2
    finally:
        sys.excepthook = previous


def scripted_visit(window, qtbot) -> None:  # type: ignore[no-untyped-def]
    """A whole visit: begin, a lesson with taps and typing, a picture code, idle reset."""
    window.begin()
    window.open_lesson("typen")
    lesson = window.lesson
    while True:
        step = lesson.step
        if step.kind == "tap":
            x, y, w, h = step.target
            lesson.tap_at(x + w / 2, y + h / 2)
        elif step.kind == "type":
            lesson.picture.field.setText(CANARY)
            lesson.check_typed()
            lesson.picture.field.setText(step.answer)
            lesson.check_typed()
        elif step.kind == "choose":
            lesson.choose(next(i for i, c in enumerate(step.choices) if c.correct))
        if step.number == len(lesson.lesson.steps):
            lesson.go_next()
            break
        lesson.go_next()
    window.end_visit("stopped")
    window.begin()
    window.open_lesson("tikken")
    window.visit.left_alone(10_000)
    window.check_idle()
    window.services.progress.flush()


def test_p22_staff_log_is_capped_rotated_has_events_and_no_learner_text(
        qtbot, make_window, paths: AppPaths, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    log_file = configure_logging(paths.log)
    assert log_file is not None
    try:
        store = paths.store_file
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_bytes(b"this is not a database" * 50)
        window = make_window()
        scripted_visit(window, qtbot)
        window.services.pins.set_pin(Role.BUDDY, "1357")
        window.services.pins.check(Role.BUDDY, "0000")
        noisy = logging.getLogger("kiosk.test.synthetic")
        for n in range(10_000):
            noisy.info("synthetic event %d with some padding to fill the log quickly", n,
                       extra={"event": "synthetic"})
        for handler in logging.getLogger("kiosk").handlers:
            handler.flush()
        files = sorted(paths.log.glob("kiosk.log*"))
        total = sum(f.stat().st_size for f in files)
        print(f"P22: 10,000 events, {len(files)} files, {total} bytes")
        assert len(files) <= BACKUPS + 1
        assert total <= (BACKUPS + 1) * MAX_BYTES
        raw = b"".join(f.read_bytes() for f in files)
        assert CANARY.encode() not in raw
        events = set()
        for f in files:
            for line in f.read_text(encoding="utf-8").splitlines():
                events.add(json.loads(line)["event"])
        # the oldest lines rotate away; the visit's events are in the newest files or kept
        assert "synthetic" in events
    finally:
        configure_logging(None)


def test_p22_visit_events_are_logged(qtbot, make_window, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    configure_logging(paths.log)
    try:
        paths.store_file.parent.mkdir(parents=True, exist_ok=True)
        paths.store_file.write_bytes(b"garbage" * 100)
        window = make_window()
        assert window.stack.currentWidget() is window.welcome  # P3: the app starts anyway
        scripted_visit(window, qtbot)
        window.services.pins.set_pin(Role.BUDDY, "1357")
        window.services.pins.check(Role.BUDDY, "0000")
        for handler in logging.getLogger("kiosk").handlers:
            handler.flush()
        raw = (paths.log / "kiosk.log").read_text(encoding="utf-8")
        events = {json.loads(line)["event"] for line in raw.splitlines()}
        assert {"store_recovered", "session_start", "session_end", "idle_reset",
                "pin_failed"} <= events, events
        assert CANARY not in raw
    finally:
        configure_logging(None)


P9_SCRIPT = """
import os, sys
from pathlib import Path
from kiosk.app import build_services, make_application
from kiosk.core.logs import configure_logging
from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.ui.navigator import Navigator
paths = AppPaths.default()
configure_logging(paths.log)
app = make_application(["kiosk"])
services = build_services(paths, Settings())
window = Navigator(services)
window.show()
window.start()
window.begin()
window.open_lesson("tikken")
lesson = window.lesson
for _ in range(3):
    if lesson.step.kind == "tap":
        x, y, w, h = lesson.step.target
        lesson.tap_at(x + w / 2, y + h / 2)
    lesson.go_next()
window.end_visit("stopped")
for _ in range(50):
    app.processEvents()
services.speaker.shutdown()
services.progress.close()
window.leave_kiosk_mode()
window.close()
print("VISIT DONE")
"""


def test_p09_writes_only_in_its_platformdirs_folders_and_cleans_temp(tmp_path: Path) -> None:
    home, temp, runtime = tmp_path / "home", tmp_path / "tmp", tmp_path / "run"
    for folder in (home, temp, runtime):
        folder.mkdir(mode=0o700)
    env = {k: v for k, v in os.environ.items()
           if not k.startswith("XDG_") and k not in ("KIOSK_HOME",)}
    # A desktop session always has a runtime folder; the sound library keeps its socket there.
    env.update({"HOME": str(home), "TMPDIR": str(temp), "XDG_RUNTIME_DIR": str(runtime),
                "PYTHONPATH": str(ROOT),
                "QT_QPA_PLATFORM": "offscreen", "PYTHONDONTWRITEBYTECODE": "1"})
    before = {p for p in tmp_path.rglob("*")}
    done = subprocess.run([sys.executable, "-c", P9_SCRIPT], env=env, cwd=tmp_path,
                          capture_output=True, text=True, timeout=120)
    assert "VISIT DONE" in done.stdout, done.stderr[-2000:]
    made = {p for p in tmp_path.rglob("*") if p.is_file()} - before
    allowed = [home / ".local" / "share" / "kiosk", home / ".cache" / "kiosk",
               home / ".local" / "state" / "kiosk", home / ".config" / "kiosk"]
    strays = [p for p in made if not any(p.is_relative_to(a) for a in allowed)
              and not p.is_relative_to(home / ".cache" / "fontconfig")
              and not p.is_relative_to(runtime)]
    assert strays == [], strays
    assert list(temp.rglob("*")) == [], "temp files were left behind"
    assert any(p.name == "progress.sqlite3" for p in made)


def test_doctor_lists_each_check_and_exits_1_on_problems(tmp_path: Path) -> None:
    home = tmp_path / "home"
    config = tmp_path / "bad.toml"
    config.write_text('idle_seconds = "lang"\nonbekend = 1\n', encoding="utf-8")
    env = kiosk_env(home)
    env.pop("QT_QPA_PLATFORM")
    env.pop("DISPLAY", None)
    done = subprocess.run([sys.executable, "-m", "kiosk", "--config", str(config), "doctor"],
                          env=env, capture_output=True, text=True, timeout=180)
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.strip().splitlines()
    assert all(line[0] in "✓✗" for line in lines[:-1]), lines
    text = done.stdout
    assert "✗ settings:" in text and "'idle_seconds' must be a whole number" in text
    assert "unknown key 'onbekend'" in text
    assert "✗ PIN for staff: not set — run 'kiosk set-pin staff'" in text
    bundled = sum(1 for folder in (Path(__file__).parents[2] / "lessons").iterdir()
                  if (folder / "lesson.toml").is_file())
    assert f"✓ lessons: {bundled} valid, 0 left out" in text
    assert "✓ voice for Nederlands (nl)" in text
