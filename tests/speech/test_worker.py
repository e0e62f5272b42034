"""The synthesis worker with the real pyttsx3 engine writes real speech."""

from __future__ import annotations

import sys
import threading

import pytest

from kiosk.core.paths import AppPaths
from kiosk.core.speech_plan import SpeechCache
from kiosk.speech.client import SynthesisClient, SynthesisResult

SENTENCES = {
    "nl": "Tik één keer op de groene knop.",
    "fr": "Touchez une fois le bouton vert.",
    "en": "Tap the green button once.",
    "ar": "اُنْقُرْ مَرَّةً وَاحِدَةً عَلَى الزِّرِّ الأَخْضَرِ.",
    "tr": "Yeşil düğmeye bir kez dokunun.",
    "uk": "Натисніть один раз на зелену кнопку.",
}


@pytest.mark.parametrize("language", sorted(SENTENCES))
def test_each_offered_language_produces_real_speech(client: SynthesisClient, language: str,
                                                    measure) -> None:  # type: ignore[no-untyped-def]
    text = SENTENCES[language]
    request = client.request_for(text, language)
    assert request is not None, f"no voice for {language}"
    result = client.synthesize_now(request, 60)
    assert result.speech is not None, result.error
    seconds, rms = measure(result.speech.wav)
    assert 0.8 < seconds < 10, seconds
    assert rms > 500, f"{language}: the WAV is (nearly) silent, rms={rms:.0f}"
    assert abs(result.speech.duration_ms - seconds * 1000) < 50
    words = result.speech.words
    assert len(words) >= len(text.split()) - 1
    starts = [w.ms for w in words]
    assert starts == sorted(starts) and starts[-1] < result.speech.duration_ms
    first = words[0]
    assert text[first.start:first.start + first.length] == text.split()[0]


def test_second_request_is_served_from_the_cache(client: SynthesisClient) -> None:
    request = client.request_for("Goed zo!", "nl")
    assert request is not None
    first = client.synthesize_now(request, 60)
    assert first.speech is not None
    assert client.cached(request) == first.speech


def test_one_request_never_swallows_another(client: SynthesisClient) -> None:
    texts = ["Een.", "Dit is een veel langere zin met meer woorden erin.", "Drie woorden hier."]
    done = threading.Event()
    results: list[SynthesisResult] = []

    def keep(result: SynthesisResult) -> None:
        results.append(result)
        if len(results) == len(texts):
            done.set()

    for text in texts:
        request = client.request_for(text, "nl")
        assert request is not None
        client.synthesize(request, keep)
    assert done.wait(60)
    assert {r.request.text for r in results} == set(texts)
    durations = {r.request.text: r.speech.duration_ms for r in results if r.speech}
    assert len(durations) == 3
    assert durations[texts[1]] > 2 * durations[texts[0]]


def test_p19_a_worker_that_fails_at_start_makes_speech_unavailable(paths: AppPaths) -> None:
    broken = SynthesisClient(SpeechCache(paths.speech_cache),
                             command=[sys.executable, "-c", "import sys; sys.exit(3)"])
    assert not broken.wait_ready(30)
    assert broken.state == SynthesisClient.UNAVAILABLE
    broken.close()


def test_p19_engine_library_missing_is_reported_by_the_worker(paths: AppPaths,
                                                              monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KIOSK_SPEECH_DRIVER", "no-such-driver")
    missing = SynthesisClient(SpeechCache(paths.speech_cache))
    assert not missing.wait_ready(30)
    assert "no speech engine" in missing.unavailable_reason
    missing.close()


def test_p18_a_hung_worker_is_killed_and_replaced(paths: AppPaths) -> None:
    hang = ("import json, sys, time\n"
            "print(json.dumps({'ready': True, 'engine': 'hang', 'voices': "
            "[{'id': 'v', 'name': 'v', 'languages': ['nl']}]}), flush=True)\n"
            "sys.stdin.readline(); time.sleep(3600)\n")
    client = SynthesisClient(SpeechCache(paths.speech_cache), command=[sys.executable, "-c", hang],
                             deadline=1.0)
    assert client.wait_ready(30)
    request = client.request_for("Hallo", "nl")
    assert request is not None
    result = client.synthesize_now(request, 30)
    assert result.speech is None and "stopped" in result.error
    assert client.restarts == 2  # killed, tried once more on a fresh worker, killed again
    client.close()


def test_a_long_run_of_requests_never_goes_silent(client: SynthesisClient,
                                                  measure) -> None:  # type: ignore[no-untyped-def]
    """pyttsx3's own run loop cancelled about one request in a hundred (an empty WAV); the
    worker's direct use of espeak-ng must make every one."""
    silent = []
    for n in range(150):
        request = client.request_for(f"Tik op de groene knop, nummer {n}.", "nl")
        assert request is not None
        result = client.synthesize_now(request, 60)
        if result.speech is None or measure(result.speech.wav)[1] < 500:
            silent.append((n, result.error))
    assert not silent
    assert client.restarts == 0


# A worker speaking the real protocol: voice "bad" always fails, the first request of all makes it
# report a stuck engine and end (as the real worker does), everything else gets a real WAV.
FAKE_WORKER = """
import json, sys, wave, pathlib
marker = pathlib.Path(sys.argv[1])
print(json.dumps({"ready": True, "engine": "fake", "voices": [
    {"id": "bad", "name": "bad", "languages": ["nl"]},
    {"id": "good", "name": "good", "languages": ["nl"]}]}), flush=True)
for line in sys.stdin:
    r = json.loads(line)
    if not marker.exists():
        marker.write_text("stuck once")
        print(json.dumps({"id": r["id"], "ok": False, "error": "stuck", "restart": True}),
              flush=True)
        sys.exit(4)
    if r["voice"] == "bad":
        print(json.dumps({"id": r["id"], "ok": False, "error": "no sound"}), flush=True)
        continue
    pathlib.Path(r["wav"]).parent.mkdir(parents=True, exist_ok=True)
    with wave.open(r["wav"], "wb") as f:
        f.setnchannels(1); f.setsampwidth(2); f.setframerate(22050)
        f.writeframes(b"\x10\x20" * 22050)
    pathlib.Path(r["meta"]).write_text(json.dumps({"duration_ms": 1000, "words": []}))
    print(json.dumps({"id": r["id"], "ok": True, "duration_ms": 1000}), flush=True)
"""


def test_a_stuck_engine_gets_a_fresh_worker_and_the_request_is_tried_again(
        paths: AppPaths, tmp_path) -> None:  # type: ignore[no-untyped-def]
    command = [sys.executable, "-c", FAKE_WORKER, str(tmp_path / "stuck")]
    client = SynthesisClient(SpeechCache(paths.speech_cache), command=command,
                             voices={"nl": "good"})
    assert client.wait_ready(30)
    request = client.request_for("Hallo", "nl")
    assert request is not None and request.voice == "good"
    result = client.synthesize_now(request, 30)
    assert result.speech is not None, result.error
    assert client.restarts == 1
    client.close()


def test_a_voice_that_fails_twice_falls_back_to_another_voice_and_is_logged(
        paths: AppPaths, tmp_path, caplog) -> None:  # type: ignore[no-untyped-def]
    (tmp_path / "stuck").write_text("not this time")
    command = [sys.executable, "-c", FAKE_WORKER, str(tmp_path / "stuck")]
    client = SynthesisClient(SpeechCache(paths.speech_cache), command=command,
                             voices={"nl": "bad"})
    assert client.wait_ready(30)
    request = client.request_for("Tik op Verder.", "nl")
    assert request is not None and request.voice == "bad"
    with caplog.at_level("WARNING", logger="kiosk.speech.client"):
        result = client.synthesize_now(request, 30)
    assert result.speech is not None and result.request.voice == "good"
    assert any("Tik op Verder." in r.getMessage() and "no sound" in r.getMessage()
               for r in caplog.records)
    client.close()


def test_the_espeak_ng_shipped_in_the_wheel_speaks_too(paths: AppPaths, monkeypatch,
                                                        measure) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("KIOSK_ESPEAK", "bundled")
    bundled = SynthesisClient(SpeechCache(paths.cache / "bundled"))
    assert bundled.wait_ready(60), bundled.unavailable_reason
    request = bundled.request_for(SENTENCES["nl"], "nl")
    assert request is not None
    result = bundled.synthesize_now(request, 60)
    assert result.speech is not None, result.error
    seconds, rms = measure(result.speech.wav)
    assert seconds > 0.8 and rms > 500
    bundled.close()
