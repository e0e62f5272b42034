"""P13 on a real X server with a window manager: the app in kiosk mode, real key events (XTEST,
through openbox, which turns Alt+F4 into a close request), and the window stays fullscreen.
The same Alt+F4 closes the app outside kiosk mode, so the keys do arrive."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TOOLS = ("Xvfb", "openbox", "xdotool", "xprop")
KEYS = ("alt+F4", "ctrl+w", "ctrl+q", "Escape", "F11", "ctrl+F4")


def wait_for(what, timeout: float = 20.0, every: float = 0.1):  # type: ignore[no-untyped-def]
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        found = what()
        if found:
            return found
        time.sleep(every)
    return what()


@pytest.fixture
def x_display(tmp_path: Path) -> Iterator[dict[str, str]]:
    missing = [tool for tool in TOOLS if shutil.which(tool) is None]
    if missing:
        pytest.fail(f"missing {', '.join(missing)}: install them (.ci/system-packages does)")
    read, write = os.pipe()
    server = subprocess.Popen(["Xvfb", "-displayfd", str(write), "-screen", "0", "1366x768x24",
                               "-nolisten", "tcp"], pass_fds=(write,),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    os.close(write)
    number = b""
    with os.fdopen(read, "rb") as pipe:
        while not number.endswith(b"\n"):
            chunk = pipe.read(1)
            if not chunk:
                break
            number += chunk
    assert number.strip(), "Xvfb did not start"
    env = {**os.environ, "DISPLAY": f":{number.decode().strip()}", "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "xcb", "HOME": str(tmp_path)}
    manager = subprocess.Popen(["openbox"], env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    assert wait_for(lambda: subprocess.run(["xprop", "-root", "_NET_SUPPORTING_WM_CHECK"],
                                           env=env, capture_output=True, text=True
                                           ).stdout.count("window id") > 0), "no window manager"
    try:
        yield env
    finally:
        for process in (manager, server):
            process.terminate()
            try:
                process.wait(10)
            except subprocess.TimeoutExpired:
                process.kill()


def start_app(env: dict[str, str], home: Path, *args: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen([sys.executable, "-m", "kiosk", *args],
                            env={**env, "KIOSK_HOME": str(home)}, cwd=ROOT,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)


def app_window(env: dict[str, str], process: subprocess.Popen[bytes]) -> str:
    def find() -> str:
        done = subprocess.run(["xdotool", "search", "--onlyvisible", "--pid", str(process.pid)],
                              env=env, capture_output=True, text=True)
        return done.stdout.split()[-1] if done.stdout.split() else ""

    window = wait_for(find, timeout=60)
    assert window, "the app's window did not show"
    return window


def fullscreen(env: dict[str, str], window: str) -> bool:
    state = subprocess.run(["xprop", "-id", window, "_NET_WM_STATE"], env=env,
                           capture_output=True, text=True).stdout
    geometry = subprocess.run(["xdotool", "getwindowgeometry", window], env=env,
                              capture_output=True, text=True).stdout
    return "_NET_WM_STATE_FULLSCREEN" in state and "1366x768" in geometry


def press(env: dict[str, str], window: str, key: str) -> None:
    subprocess.run(["xdotool", "windowactivate", "--sync", window], env=env, check=False,
                   capture_output=True)
    subprocess.run(["xdotool", "key", "--clearmodifiers", key], env=env, check=True)


def events(home: Path) -> list[str]:
    log = home / "log" / "kiosk.log"
    if not log.is_file():
        return []
    return [json.loads(line).get("event", "") for line in log.read_text("utf-8").splitlines()]


def test_p13_closing_keys_on_a_real_x_server_leave_kiosk_mode_standing(x_display, tmp_path) -> None:  # type: ignore[no-untyped-def]
    env = x_display
    # Outside kiosk mode the window manager's Alt+F4 closes the app: the keys arrive.
    home = tmp_path / "plain"
    plain = start_app(env, home)
    try:
        window = app_window(env, plain)
        time.sleep(1.0)
        press(env, window, "alt+F4")
        assert plain.wait(30) == 0
    finally:
        plain.kill()
    # In kiosk mode, none of them do.
    home = tmp_path / "kiosk"
    app = start_app(env, home, "--kiosk")
    try:
        window = app_window(env, app)
        assert wait_for(lambda: fullscreen(env, window)), "kiosk mode is not fullscreen"
        time.sleep(1.0)
        for key in KEYS:
            press(env, window, key)
            time.sleep(0.5)
            assert app.poll() is None, f"{key} closed the app"
            assert fullscreen(env, window), f"{key} left fullscreen"
        seen = wait_for(lambda: events(home).count("key_blocked") >= 4, timeout=10)
        found = events(home)
        print(f"P13 on X: {len(KEYS)} keys, {found.count('key_blocked')} ignored by the key "
              f"lock, {found.count('close_blocked')} close requests refused")
        assert seen, found
        assert "close_blocked" in found  # openbox turned Alt+F4 into a close request
    finally:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
