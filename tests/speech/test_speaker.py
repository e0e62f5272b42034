"""Read-aloud in the UI: real synthesis, real QtMultimedia playback, words lit up as they play."""

from __future__ import annotations

from kiosk.speech.client import SynthesisClient
from kiosk.speech.speaker import IDLE, SPEAKING, Speaker

TEXT = "Tik op de groene knop en wacht even."


def test_say_plays_and_highlights_each_word_in_order(qtbot, client: SynthesisClient) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker(client)
    words: list[tuple[int, int]] = []
    speaker.wordChanged.connect(lambda start, length: words.append((start, length)))
    speaker.say(TEXT, "nl")
    qtbot.waitUntil(lambda: speaker.state == SPEAKING, timeout=20000)
    qtbot.waitUntil(lambda: speaker.state == IDLE, timeout=20000)
    spoken = [TEXT[s:s + n] for s, n in words if s >= 0]
    assert spoken[:3] == ["Tik", "op", "de"]
    assert len(spoken) >= 6
    assert words[-1] == (-1, 0)  # the highlight is cleared at the end
    starts = [s for s, _ in words if s >= 0]
    assert starts == sorted(starts)
    speaker.shutdown()


def test_stop_is_immediate_and_a_new_text_replaces_the_old(qtbot, client: SynthesisClient) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker(client)
    speaker.say(TEXT, "nl")
    qtbot.waitUntil(lambda: speaker.state == SPEAKING, timeout=20000)
    qtbot.waitUntil(lambda: speaker.sounding() == "speech", timeout=20000)
    speaker.stop()
    assert speaker.state == IDLE
    qtbot.waitUntil(lambda: speaker.sounding() == "", timeout=2000)  # the next event-loop pass
    speaker.say("Goed zo!", "nl")
    qtbot.waitUntil(lambda: speaker.state == SPEAKING, timeout=20000)
    assert speaker.text == "Goed zo!"
    speaker.shutdown()


def test_prefetch_fills_the_cache_so_say_needs_no_synthesis(qtbot, client: SynthesisClient) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker(client)
    text = "Dit staat al klaar."
    request = client.request_for(text, "nl")
    assert request is not None and client.cached(request) is None
    speaker.prefetch([text], "nl")
    qtbot.waitUntil(lambda: client.cached(request) is not None, timeout=20000)
    speaker.say(text, "nl")
    assert speaker.state == SPEAKING  # at once, from the cache
    speaker.shutdown()


def test_recorded_audio_wins_over_synthesis(qtbot, client: SynthesisClient, tmp_path) -> None:  # type: ignore[no-untyped-def]
    import shutil

    request = client.request_for("Opgenomen stem.", "nl")
    assert request is not None
    made = client.synthesize_now(request, 60)
    assert made.speech is not None
    recorded = tmp_path / "stap1-nl.wav"
    shutil.copyfile(made.speech.wav, recorded)
    speaker = Speaker(client)
    other = "Een heel andere tekst die niet in de cache staat."
    speaker.say(other, "nl", recorded=recorded)
    assert speaker.state == SPEAKING
    qtbot.waitUntil(lambda: speaker.sounding() == "speech", timeout=20000)
    qtbot.wait(300)
    assert client.cached(client.request_for(other, "nl")) is None  # nothing was synthesised
    speaker.shutdown()


def test_a_chime_plays_first_then_the_words(qtbot, client: SynthesisClient) -> None:  # type: ignore[no-untyped-def]
    speaker = Speaker(client)
    words: list[tuple[int, int]] = []
    speaker.wordChanged.connect(lambda start, length: words.append((start, length)))
    speaker.say("Goed zo!", "nl", chime="right")
    assert speaker.state == SPEAKING
    qtbot.waitUntil(lambda: any(s >= 0 for s, _ in words), timeout=20000)  # the words follow
    assert speaker.sounding() == "speech"
    speaker.shutdown()
