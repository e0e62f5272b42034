"""P18: speech never freezes the UI; a hung worker is killed and replaced.
P19: without any speech engine the app starts and read-aloud shows as unavailable."""

from __future__ import annotations

import sys
from pathlib import Path

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
