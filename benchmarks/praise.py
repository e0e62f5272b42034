"""A right answer to the praise playing: the real window, speaker, synthesis worker (espeak-ng)
and QtMultimedia, on a cold speech cache. Called by ``run.py``; prints JSON.

    python benchmarks/praise.py [STEPS]

Each practice step is opened as a resident opens it (its speech is prepared in the background
while it shows), given a few seconds as a resident reads it, then answered right. Measured from
the answer to the chime playing (``praise_p95_ms``) and to the spoken praise playing after it
(``praise_words_p95_ms``). The baseline, in the same process and on the same sound output: a bare,
already loaded QMediaPlayer from ``play()`` to playing (``bare_play_p95_ms``).
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QUrl  # noqa: E402

from kiosk.app import build_services, make_application  # noqa: E402
from kiosk.core.paths import AppPaths, bundled  # noqa: E402
from kiosk.core.settings import Settings  # noqa: E402
from kiosk.core.speech_plan import SpeechCache, speakable  # noqa: E402
from kiosk.speech.client import SynthesisClient  # noqa: E402
from kiosk.speech.speaker import Speaker  # noqa: E402
from kiosk.ui.navigator import Navigator  # noqa: E402

READING_S = 4.0  # a resident reads the step before answering; the prefetch has this long


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))] if ordered else -1.0


def until(app, condition, seconds: float) -> bool:  # type: ignore[no-untyped-def]
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        app.processEvents()
        if condition():
            return True
        time.sleep(0.0005)
    return False


def answer_right(lesson) -> bool:  # type: ignore[no-untyped-def]
    """Answers the shown step right, as a tap, a typed answer or a chosen answer would."""
    run, step = lesson.run, lesson.step
    if step.kind == "tap" and run.target_centre is not None:
        lesson.tap_at(*run.target_centre)
    elif step.kind == "choose":
        lesson.choose(next(i for i, c in enumerate(step.choices) if c.correct))
    elif step.kind == "type" and step.answer:
        lesson.picture.field.setText(step.answer)
        lesson.check_typed()
    else:
        return False
    return True


def bare_plays(app, runs: int) -> list[float]:  # type: ignore[no-untyped-def]
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    player = QMediaPlayer()
    output = QAudioOutput()
    player.setAudioOutput(output)
    player.setSource(QUrl.fromLocalFile(str(bundled("assets") / "sounds" / "right.wav")))
    until(app, lambda: player.mediaStatus() == QMediaPlayer.MediaStatus.LoadedMedia, 5)
    playing = QMediaPlayer.PlaybackState.PlayingState
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        player.play()
        if until(app, lambda: player.playbackState() == playing, 5):
            samples.append((time.perf_counter() - started) * 1000)
        player.pause()
        player.setPosition(0)
        until(app, lambda: False, 0.3)
    return samples


def praise(steps: int = 30) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as home:
        paths = AppPaths.under(Path(home))
        app = make_application(["bench"])
        client = SynthesisClient(SpeechCache(paths.speech_cache))
        speaker = Speaker(client)
        services = build_services(paths, Settings(read_aloud=False), speaker=speaker)
        window = Navigator(services)
        window.resize(1366, 768)
        window.show()
        window.start()
        speaker.warm_up()
        until(app, lambda: client.state != SynthesisClient.STARTING, 30)
        window.begin()
        chime_ms: list[float] = []
        words_ms: list[float] = []
        unprepared = 0
        for lesson in services.catalog.lessons:
            for step in lesson.steps:
                if len(chime_ms) >= steps or not step.is_practice:
                    continue
                window.open_lesson(lesson.id, step.number)
                screen = window.lesson
                if screen.run is None or screen.step.number != step.number:
                    continue
                run = screen.run
                texts = [speakable(t)[0] for t in run.words().feedback()[:1]]
                until(app, lambda: False, READING_S)
                ready = all(client.cached(r) is not None for r in
                            (client.request_for(t, run.language) for t in texts) if r is not None)
                unprepared += not ready
                started = time.perf_counter()
                if not answer_right(screen):
                    continue
                if until(app, lambda: speaker.sounding() != "", 5):
                    chime_ms.append((time.perf_counter() - started) * 1000)
                if until(app, lambda: speaker.sounding() == "speech", 10):
                    words_ms.append((time.perf_counter() - started) * 1000)
                speaker.stop()
        bare = bare_plays(app, max(10, len(chime_ms)))
        speaker.shutdown()
        services.progress.close()
    return {"praise_p95_ms": p95(chime_ms), "praise_words_p95_ms": p95(words_ms),
            "bare_play_p95_ms": p95(bare), "praise_delta_ms": p95(chime_ms) - p95(bare),
            "praise_steps": float(len(chime_ms)), "praise_unprepared": float(unprepared)}


if __name__ == "__main__":
    print(json.dumps(praise(int(sys.argv[1]) if len(sys.argv) > 1 else 30)))
