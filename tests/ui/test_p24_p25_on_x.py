"""P24 and P25 as a resident meets them: the app in kiosk mode on a real X server with a window
manager, real taps (XTEST). Staff mode opened by the corner and the PIN closes by itself; a
stranger's wrong picture codes do not stop the next resident's right one."""

from __future__ import annotations

import subprocess
import time
from pathlib import Path

from test_p13_kiosk_mode_on_x import app_window, events, fullscreen, start_app, wait_for
from test_p13_kiosk_mode_on_x import x_display as x_display  # noqa: F401 - the fixture

from kiosk.core.paths import AppPaths
from kiosk.core.progress import ProgressService
from kiosk.core.roles import PinBook, Role
from kiosk.core.sessions import pictograms
from kiosk.core.store import ProgressStore

STAFF_PIN = "97531"
# Where things are on a 1366×768 screen at text size A (see `kiosk screens --size 1366x768`).
PIN_KEYS = {"1": (602, 275), "2": (682, 275), "3": (762, 275), "4": (602, 381), "5": (682, 381),
            "6": (762, 381), "7": (602, 487), "8": (682, 487), "9": (762, 487), "0": (682, 593)}
PIN_OK = (762, 593)
RESUME = (1008, 425)  # "Verder gaan" on the home screen
BACK = (121, 712)  # "Terug" on the code screen
CODE_COLUMNS = (104, 233, 361, 490, 619, 747, 876, 1004, 1133, 1261)
CODE_ROWS = (371, 572)


def tap(env: dict[str, str], x: int, y: int) -> None:
    subprocess.run(["xdotool", "mousemove", str(x), str(y), "click", "1"], env=env, check=True)
    time.sleep(0.25)


def tap_code(env: dict[str, str], code: list[str], keys: list[str]) -> None:
    for key in code:
        index = keys.index(key)
        tap(env, CODE_COLUMNS[index % 10], CODE_ROWS[index // 10])


def a_visit_with_a_code(home: Path) -> str:
    paths = AppPaths.under(home)
    service = ProgressService.open(lambda: ProgressStore(paths.store_file))
    service.begin_session()
    service.open_lesson("tikken", 1, 8)
    service.step_reached("tikken", 3, 8)
    code = service.end_session("stopped", [p.key for p in pictograms()])
    service.close()
    assert code
    return code


def test_p24_p25_staff_mode_closes_and_wrong_codes_do_not_block_on_a_real_x_server(  # type: ignore[no-untyped-def]
        x_display, tmp_path: Path) -> None:  # noqa: F811
    env = x_display
    home = tmp_path / "home"
    paths = AppPaths.under(home)
    paths.user_config.mkdir(parents=True)
    (paths.user_config / "settings.toml").write_text(
        "idle_seconds = 30\nidle_warning_seconds = 120\nrole_idle_seconds = 10\n"
        "read_aloud = false\n", encoding="utf-8")
    PinBook(paths.user_config, paths.data, time.time).set_pin(Role.STAFF, STAFF_PIN)
    code = a_visit_with_a_code(home)
    keys = [p.key for p in pictograms()]
    app = start_app(env, home, "--kiosk")
    try:
        window = app_window(env, app)
        assert wait_for(lambda: fullscreen(env, window)), "kiosk mode is not fullscreen"
        time.sleep(1.5)
        # P24: five taps in the corner, the staff PIN, then nobody touches the staff screen.
        for _ in range(5):
            tap(env, 10, 10)
        for digit in STAFF_PIN:
            tap(env, *PIN_KEYS[digit])
        tap(env, *PIN_OK)
        assert wait_for(lambda: "role_opened" in events(home), timeout=10), events(home)
        opened = time.monotonic()
        assert wait_for(lambda: "role_idle" in events(home), timeout=30), events(home)
        print(f"P24 on X: staff mode closed by itself {time.monotonic() - opened:.1f} s after "
              f"it opened (role_idle_seconds = 10)")
        # P25: a stranger tries six wrong codes, then leaves; the next resident's code works.
        tap(env, *RESUME)
        others = [k for k in keys if k not in code.split("-")]
        for attempt in range(6):
            tap_code(env, others[attempt:attempt + 3], keys)
            time.sleep(0.5)
        found = events(home)
        assert found.count("code_wrong") == 5 and "code_refused" in found, found
        tap(env, *BACK)
        time.sleep(1.0)
        tap(env, *RESUME)
        tap_code(env, code.split("-"), keys)
        assert wait_for(lambda: "session_resume" in events(home), timeout=10), events(home)
        assert app.poll() is None
        print(f"P25 on X: {found.count('code_wrong')} wrong codes and "
              f"{found.count('code_refused')} refused, then the right code resumed the visit")
    finally:
        app.terminate()
        try:
            app.wait(15)
        except subprocess.TimeoutExpired:
            app.kill()
