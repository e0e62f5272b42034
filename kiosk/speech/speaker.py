"""Read-aloud in the UI process: a ``Speaker`` that never blocks the UI thread.

Text becomes a WAV through the synthesis worker (or comes from the cache, or from a recorded file),
and plays with QtMultimedia. While it plays, a timer turns the playback position into the word
being spoken, for highlighting. ``say`` replaces whatever was playing; ``stop`` is immediate.
"""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import TYPE_CHECKING

# Loading QtMultimedia probes optional libraries (PipeWire, VA-API) and logs each one missing;
# FFmpeg dumps every stream it opens. Both are noise in a kiosk's log. The rule must be in place
# before the library loads, so it is set here rather than when the app starts.
_QUIET_RULES = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg*=false"
os.environ["QT_LOGGING_RULES"] = ";".join(
    r for r in (os.environ.get("QT_LOGGING_RULES", ""), _QUIET_RULES) if r)

from PySide6.QtCore import QObject, QTimer, QUrl, Signal, Slot  # noqa: E402

from kiosk.core.paths import bundled
from kiosk.core.speech_plan import CachedSpeech, WordTiming, estimate_words, speakable, word_at
from kiosk.speech.client import SynthesisClient, SynthesisResult

if TYPE_CHECKING:
    # QtMultimedia loads when the first player is made (``warm_up``, right after the home screen
    # is up), not at import: it and the libraries it probes cost the start-up some 15 ms.
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

logger = logging.getLogger(__name__)

IDLE, PREPARING, SPEAKING, UNAVAILABLE = "idle", "preparing", "speaking", "unavailable"


def _finished(status: QMediaPlayer.MediaStatus) -> bool:
    from PySide6.QtMultimedia import QMediaPlayer

    return status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia)


class Speaker(QObject):
    """Speaks one text at a time. Signals report the state and the word being spoken."""

    stateChanged = Signal(str)
    wordChanged = Signal(int, int)  # start and length in the spoken text; -1 when none
    _synthesized = Signal(object)

    def __init__(self, client: SynthesisClient | None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.client = client
        self.rate = "normal"
        self.state = IDLE if client is not None else UNAVAILABLE
        self.text = ""
        self.language = ""
        self._token = 0
        self._words: list[WordTiming] = []
        self._estimate = False
        self._chime_player: QMediaPlayer | None = None
        self._chime_output: QAudioOutput | None = None
        self._after_chime = None
        self._spoken = ""
        self._where: list[int] = []
        self._word: WordTiming | None = None
        self._player: QMediaPlayer | None = None
        self._output: QAudioOutput | None = None
        self._pending_say: tuple[str, str, Path | None] | None = None
        self._prefetch_queue: list[tuple[str, str]] = []
        self._synthesized.connect(self._on_synthesized)
        self._tick = QTimer(self)
        self._tick.setInterval(40)
        self._tick.timeout.connect(self._follow_position)
        self._wait_ready = QTimer(self)
        self._wait_ready.setInterval(100)
        self._wait_ready.timeout.connect(self._check_ready)
        if client is not None:
            # The worker starts once the event loop runs, so the home screen is drawn first.
            QTimer.singleShot(0, client.start)
            self._wait_ready.start()

    # -- what the UI asks --------------------------------------------------------------------

    def available(self, language: str) -> bool | None:
        """True: a voice speaks it; False: no voice; None: not known yet (the engine is starting)."""
        if self.client is None or self.client.state == SynthesisClient.UNAVAILABLE:
            return False
        if self.client.state != SynthesisClient.READY:
            return None
        return self.client.has_voice(language)

    def say(self, text: str, language: str, recorded: Path | None = None,
            chime: str = "") -> None:
        """Speaks a text; with ``chime`` ("right" or "try-again") a short sound comes first."""
        self.stop()
        if chime and self._play_chime(chime, lambda: self.say(text, language, recorded)):
            return
        self._token += 1
        self.text, self.language = text, language
        self._spoken, self._where = speakable(text)
        if recorded is not None and recorded.is_file():
            self._play(recorded, [], estimate=True)
            return
        if self.client is None:
            self._set_state(UNAVAILABLE)
            return
        if self.client.state == SynthesisClient.STARTING:
            self._pending_say = (text, language, recorded)
            self._set_state(PREPARING)
            self._wait_ready.start()  # also when a replaced worker is starting again
            return
        request = self.client.request_for(self._spoken, language, self.rate)
        if request is None or self.client.state == SynthesisClient.UNAVAILABLE:
            self._set_state(UNAVAILABLE)
            return
        cached = self.client.cached(request)
        if cached is not None:
            self._play_cached(cached)
            return
        self._set_state(PREPARING)
        token = self._token
        self.client.synthesize(request, lambda result: self._synthesized.emit((token, result)))

    def _play_chime(self, chime: str, then) -> bool:  # type: ignore[no-untyped-def]
        path = bundled("assets") / "sounds" / f"{chime}.wav"
        if not path.is_file():
            return False
        self.warm_up()
        assert self._chime_player is not None
        self._after_chime = then
        self._chime_player.setSource(QUrl.fromLocalFile(str(path)))
        self._chime_player.play()
        self._set_state(SPEAKING)
        return True

    def _on_chime_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if _finished(status):
            then, self._after_chime = self._after_chime, None
            if then is not None:
                then()

    def stop(self) -> None:
        self._token += 1
        self._after_chime = None
        # Never QMediaPlayer.stop(): without a sound server, Qt's FFmpeg plugin deadlocks in it
        # (about one stop in 20 in a loop); pause() halts the sound and never blocked.
        if self._chime_player is not None:
            self._chime_player.pause()
        self._pending_say = None
        self._tick.stop()
        if self._player is not None and not self._player.source().isEmpty():
            self._player.pause()
        self._set_word(None)
        if self.state in (SPEAKING, PREPARING):
            self._set_state(IDLE)

    def prefetch(self, texts: list[str], language: str) -> None:
        """Prepares these texts in the cache, so a later ``say`` plays at once."""
        if self.client is None:
            return
        if self.client.state != SynthesisClient.READY:
            self._prefetch_queue.extend((t, language) for t in texts)
            self._wait_ready.start()
            return
        for text in texts:
            request = self.client.request_for(speakable(text)[0], language, self.rate)
            if request is not None and self.client.cached(request) is None:
                self.client.synthesize(request, lambda result: None)

    def warm_up(self) -> None:
        """Creates the audio players now: the first one costs a few hundred ms (the sound system
        is contacted), which the app spends right after start rather than at the first tap."""
        self._ensure_player()
        if self._chime_player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._chime_player = QMediaPlayer(self)
            self._chime_output = QAudioOutput(self)
            self._chime_player.setAudioOutput(self._chime_output)
            self._chime_player.mediaStatusChanged.connect(self._on_chime_status)

    def forget(self) -> None:
        """Drops everything waiting to be said or prepared (the end of a visit)."""
        self._pending_say = None
        self._prefetch_queue.clear()
        self.text = ""

    def set_rate(self, rate: str) -> None:
        self.rate = rate

    def shutdown(self) -> None:
        self.stop()
        self._wait_ready.stop()
        if self.client is not None:
            self.client.close()

    # -- inside ------------------------------------------------------------------------------

    @Slot()
    def _check_ready(self) -> None:
        assert self.client is not None
        if self.client.state == SynthesisClient.STARTING:
            return
        self._wait_ready.stop()
        if self.client.state == SynthesisClient.UNAVAILABLE and self.state != SPEAKING:
            self._set_state(UNAVAILABLE)
        elif self.state == UNAVAILABLE:
            self._set_state(IDLE)
        else:
            self.stateChanged.emit(self.state)  # availability is now known: let buttons redraw
        pending, self._pending_say = self._pending_say, None
        queued, self._prefetch_queue = self._prefetch_queue, []
        if pending is not None:
            self.say(*pending)
        for text, language in queued:
            self.prefetch([text], language)

    @Slot(object)
    def _on_synthesized(self, payload: tuple[int, SynthesisResult]) -> None:
        token, result = payload
        if token != self._token:
            return  # the learner moved on; the file stays in the cache for later
        if result.speech is None:
            logger.warning("read-aloud failed: %s", result.error)
            self._set_state(UNAVAILABLE if self.client is not None
                            and self.client.state == SynthesisClient.UNAVAILABLE else IDLE)
            return
        self._play_cached(result.speech)

    def _play_cached(self, speech: CachedSpeech) -> None:
        self._play(speech.wav, speech.words, estimate=not speech.words)

    def _ensure_player(self) -> QMediaPlayer:
        if self._player is None:
            from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

            self._player = QMediaPlayer(self)
            self._output = QAudioOutput(self)
            self._player.setAudioOutput(self._output)
            self._player.mediaStatusChanged.connect(self._on_status)
            self._player.errorOccurred.connect(self._on_error)
        return self._player

    def _play(self, path: Path, words: list[WordTiming], estimate: bool) -> None:
        player = self._ensure_player()
        self._words = words
        self._estimate = estimate
        player.setSource(QUrl.fromLocalFile(str(path)))
        player.play()
        self._set_state(SPEAKING)
        self._tick.start()

    @Slot()
    def _follow_position(self) -> None:
        if self._player is None:
            return
        if self._estimate and not self._words and self._player.duration() > 0:
            self._words = estimate_words(self._spoken, self._player.duration())
        self._set_word(word_at(self._words, self._player.position()))

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        if _finished(status):
            self._tick.stop()
            self._set_word(None)
            if self.state == SPEAKING:
                self._set_state(IDLE)

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        if error != QMediaPlayer.Error.NoError:
            logger.warning("audio playback failed: %s", message)
            self._tick.stop()
            self._set_word(None)
            self._set_state(IDLE)

    def _set_word(self, word: WordTiming | None) -> None:
        if word == self._word:
            return
        self._word = word
        if word is None or not self._where:
            self.wordChanged.emit(-1, 0)
            return
        # Offsets are in the spoken text; the screen shows the original.
        first = self._where[min(word.start, len(self._where) - 1)]
        last = self._where[min(word.start + word.length, len(self._where)) - 1]
        self.wordChanged.emit(first, last - first + 1)

    def _set_state(self, state: str) -> None:
        if state != self.state:
            self.state = state
            self.stateChanged.emit(state)
