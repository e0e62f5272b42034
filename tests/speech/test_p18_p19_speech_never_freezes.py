"""P18: speech never freezes the UI; a hung worker is killed and replaced.
P19: without any speech engine the app starts and read-aloud shows as unavailable."""

from __future__ import annotations

import array
import os
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from heartbeat import Heartbeat

from kiosk.core.paths import AppPaths
from kiosk.core.speech_plan import SpeechCache
from kiosk.speech.client import SynthesisClient
from kiosk.speech.speaker import SPEAKING, UNAVAILABLE, Speaker

# The first worker hangs on its first request; the one started after it is the real worker.
HANGS_ONCE = """
import json, os, sys, time, runpy
marker = sys.argv[1]
if os.path.exists(marker):
    sys.argv = ["kiosk.speech.worker"]
    runpy.run_module("kiosk.speech.worker", run_name="__main__")
else:
    open(marker, "w").close()
    print(json.dumps({"ready": True, "engine": "pyttsx3-espeak", "voices": [
        {"id": "gmw/nl", "name": "Dutch", "languages": ["nl"]}]}), flush=True)
    sys.stdin.readline()
    time.sleep(3600)
"""


def test_p18_a_hung_worker_never_freezes_the_ui_and_is_replaced(qtbot, paths: AppPaths,  # type: ignore[no-untyped-def]
                                                                tmp_path: Path) -> None:
    command = [sys.executable, "-c", HANGS_ONCE, str(tmp_path / "hung-once")]
    client = SynthesisClient(SpeechCache(paths.speech_cache), command=command, deadline=1.5)
    speaker = Speaker(client)
    # Earlier tests leave thousands of widgets' wrappers for the garbage collector; collect them
    # now so the heartbeat measures speech, not this test process's history.
    speaker.warm_up()  # as the app does right after start
    qtbot.waitUntil(lambda: client.state == SynthesisClient.READY, timeout=20000)
    speaker.say("Tik op de groene knop.", "nl")  # the worker hangs on this one
    # On a machine without a sound server, Qt's audio backend spends a few hundred ms on the
    # UI thread around the first request (it retries the sound server); that is not the worker,
    # so the heartbeat starts once the request is out and the worker is hanging.
    qtbot.wait(400)
    heartbeat = Heartbeat()
    qtbot.waitUntil(lambda: client.restarts == 1, timeout=20000)
    speaker.say("Tik op de groene knop.", "nl")  # a new worker speaks it
    qtbot.waitUntil(lambda: speaker.state == SPEAKING, timeout=30000)
    heartbeat.stop()
    print(f"P18: worst UI heartbeat gap {heartbeat.worst * 1000:.0f} ms while the worker hung")
    assert heartbeat.worst < 0.25  # the promise's bound for a frozen UI, not a speed goal
    speaker.shutdown()


def test_p19_without_an_engine_the_speaker_says_unavailable(qtbot, paths: AppPaths) -> None:  # type: ignore[no-untyped-def]
    command = [sys.executable, "-c", "import sys; sys.exit(3)"]
    speaker = Speaker(SynthesisClient(SpeechCache(paths.speech_cache), command=command))
    qtbot.waitUntil(lambda: speaker.state == UNAVAILABLE, timeout=20000)
    assert speaker.available("nl") is False
    speaker.say("Hallo", "nl")
    assert speaker.state == UNAVAILABLE
    speaker.shutdown()


def test_p19_the_app_starts_without_an_engine_and_buttons_say_so(qtbot, paths: AppPaths,  # type: ignore[no-untyped-def]
                                                                  monkeypatch) -> None:
    from kiosk.app import build_services
    from kiosk.core.settings import Settings
    from kiosk.ui.navigator import Navigator

    monkeypatch.setenv("KIOSK_SPEECH_DRIVER", "no-such-engine")
    services = build_services(paths, Settings())
    window = Navigator(services)
    qtbot.addWidget(window)
    window.show()
    window.start()
    window.begin()
    window.open_lesson("tikken")
    qtbot.waitUntil(lambda: services.speaker.state == UNAVAILABLE, timeout=20000)
    button = window.lesson.speak_button
    assert not button.isEnabled() and button.text() == "Geen stem"
    window.lesson.go_next()
    assert window.lesson.step.number == 2  # the lesson goes on
    services.speaker.shutdown()
    services.progress.close()


# -- playback never deadlocks ------------------------------------------------------------------
# Qt's FFmpeg media plugin (PySide6 6.11) can deadlock the UI thread: a call such as
# QMediaPlayer.stop() holds Python's interpreter lock and waits for a Qt lock that the plugin's
# audio thread holds while it waits for the interpreter lock. Made-and-dropped players with stop()
# hung within 23 to 88 cycles here. The loop runs in a child process, so that a deadlock in C
# cannot stop the suite: no progress for STALL_S fails the test with the cycle it hung in.

CYCLES = 150
STALL_S = 20.0

SAY_STOP_SHUTDOWN = r"""
import os, sys, time
from pathlib import Path
from PySide6.QtCore import QCoreApplication, QEventLoop, QTimer
from kiosk.speech.speaker import Speaker

app = QCoreApplication([])
tone, cycles = Path(sys.argv[1]), int(sys.argv[2])


def spin(ms):
    loop = QEventLoop()
    QTimer.singleShot(ms, loop.quit)
    loop.exec()


for i in range(cycles):
    # as the test suite does (a speaker per test) and as the app does all day (say, stop)
    speaker = Speaker(None)
    speaker.say("Tik op de groene knop.", "nl", recorded=tone, chime="right" if i % 4 == 0 else "")
    spin(60 + (i * 37) % 90)
    speaker.stop()
    speaker.say("Goed zo!", "nl", recorded=tone)
    spin(20)
    speaker.shutdown()
    del speaker
    print(i, flush=True)
print("done", flush=True)
"""


def write_tone(path: Path, seconds: float = 1.0, rate: int = 22050) -> Path:
    """A 440 Hz tone at half of full scale: loud enough to find in a recording."""
    import math
    import wave

    samples = array.array("h", (int(16000 * math.sin(2 * math.pi * 440 * n / rate))
                                for n in range(int(seconds * rate))))
    with wave.open(str(path), "wb") as f:
        f.setnchannels(1)
        f.setsampwidth(2)
        f.setframerate(rate)
        f.writeframes(samples.tobytes())
    return path


def run_watched(command: list[str], env: dict[str, str], log: Path) -> tuple[int | None, list[str]]:
    """Runs the loop, its error output to ``log``; kills it when it makes no progress for
    STALL_S. Returns the exit code (None when it hung) and the lines it printed."""
    import subprocess
    import threading

    lines: list[str] = []
    moved = threading.Event()
    with open(log, "w") as errors, subprocess.Popen(command, env=env, stdout=subprocess.PIPE,
                                                     stderr=errors, text=True) as process:
        def read() -> None:
            assert process.stdout is not None
            for line in process.stdout:
                lines.append(line.strip())
                moved.set()

        reader = threading.Thread(target=read, daemon=True)
        reader.start()
        code = None
        while True:
            moved.clear()
            if process.poll() is not None:
                code = process.returncode
                break
            if not moved.wait(STALL_S) and process.poll() is None:
                process.kill()  # hung: a C-level deadlock cannot be interrupted otherwise
                break
        process.wait(10)
        reader.join(10)
    return code, lines


@contextmanager
def sound_server(folder: Path):  # type: ignore[no-untyped-def]
    """A PulseAudio server with a null sink, its monitor recorded to ``folder/rec.wav``."""
    import shutil
    import subprocess

    env = {**os.environ, "PULSE_RUNTIME_PATH": str(folder)}
    assert shutil.which("pulseaudio") and shutil.which("parec"), \
        "PulseAudio is needed (.ci/system-packages installs pulseaudio and pulseaudio-utils)"
    server = subprocess.Popen(["pulseaudio", "-n", "--daemonize=no", "--exit-idle-time=-1",
                               "-L", "module-null-sink", "-L", "module-native-protocol-unix"],
                              env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    recorder = None
    try:
        deadline = time.monotonic() + 15
        while subprocess.run(["pactl", "info"], env=env, capture_output=True).returncode:
            assert server.poll() is None and time.monotonic() < deadline, "PulseAudio did not start"
            time.sleep(0.2)
        recorder = subprocess.Popen(["parec", "-d", "null.monitor", "--file-format=wav",
                                     str(folder / "rec.wav")], env=env)
        time.sleep(0.5)
        yield env
    finally:
        for process in (recorder, server):
            if process is not None:
                process.terminate()
                process.wait(10)


def loud_seconds(path: Path) -> float:
    """Seconds of a 16-bit recording whose level is above a quiet room's."""
    import wave

    with wave.open(str(path), "rb") as f:
        rate, channels = f.getframerate(), f.getnchannels()
        samples = array.array("h", f.readframes(f.getnframes()))
    block = rate * channels // 10
    loud = 0
    for start in range(0, len(samples) - block + 1, block):
        part = samples[start:start + block]
        if (sum(s * s for s in part[::4]) / len(part[::4])) ** 0.5 > 1000:
            loud += 1
    return loud / 10


def check_loop(env: dict[str, str], tone: Path) -> list[str]:
    log = tone.with_suffix(".log")
    code, lines = run_watched(
        [sys.executable, "-c", SAY_STOP_SHUTDOWN, str(tone), str(CYCLES)], env, log)
    cycles = [line for line in lines if line.isdigit()]
    assert code is not None, (f"playback deadlocked after {len(cycles)} of {CYCLES} say/stop/"
                              f"shutdown cycles (no progress for {STALL_S:.0f} s)")
    assert code == 0 and lines[-1:] == ["done"], log.read_text()[-2000:]
    return cycles


@pytest.mark.timeout(300, method="thread")
def test_p18_say_stop_shutdown_in_a_loop_never_deadlocks_without_a_sound_server(
        tmp_path: Path) -> None:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen",
           "PULSE_RUNTIME_PATH": str(tmp_path / "no-pulse"),
           "PULSE_SERVER": f"unix:{tmp_path / 'no-pulse' / 'native'}",
           "PYTHONPATH": os.pathsep.join(sys.path)}
    assert len(check_loop(env, write_tone(tmp_path / "tone.wav"))) == CYCLES


@pytest.mark.timeout(300, method="thread")
def test_p18_say_stop_shutdown_in_a_loop_never_deadlocks_and_sounds_with_a_server(
        tmp_path: Path) -> None:
    folder = tmp_path / "pulse"
    folder.mkdir()
    with sound_server(folder) as env:
        env = {**env, "QT_QPA_PLATFORM": "offscreen", "PYTHONPATH": os.pathsep.join(sys.path)}
        env.pop("PULSE_SERVER", None)
        assert len(check_loop(env, write_tone(tmp_path / "tone.wav"))) == CYCLES
        time.sleep(0.5)
    heard = loud_seconds(folder / "rec.wav")
    print(f"P18: {heard:.1f} s of sound recorded from the sink over {CYCLES} cycles")
    # each cycle plays the tone for 60 to 150 ms before stop, less the start of playback (some
    # 50 ms on a null sink); a silent player would record nothing loud at all
    assert heard >= 0.02 * CYCLES
