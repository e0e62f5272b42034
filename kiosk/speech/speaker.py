"""Read-aloud in the UI process: a ``Speaker`` that never blocks the UI thread.

Text becomes a WAV through the synthesis worker (or comes from the cache, or from a recorded file),
and plays with QtMultimedia. While it plays, a timer turns the playback position into the word
being spoken, for highlighting. ``say`` replaces whatever was playing; ``stop`` is immediate.

How playback stays clear of Qt's FFmpeg media plugin deadlock (PySide6 6.11): the plugin's audio
thread, when it tears down a renderer, calls into the Python wrapper of our ``QAudioOutput`` and so
needs Python's interpreter lock, while holding a Qt connection lock. A call from Python such as
``QMediaPlayer.stop()`` holds the interpreter lock and waits for that connection lock: neither
thread moves again. Hence:

- every call that controls a player is queued (``QMetaObject.invokeMethod``) and runs from the
  event loop, which holds no Python lock while it dispatches to Qt;
- the players are made once per process and never destroyed before it ends (tearing a player
  down is what starts the renderer teardown): ``Players`` below;
- each of the right/wrong chimes has its own player, loaded once, beside the speech player, so a
  chime never waits behind speech and never makes a player. (``QSoundEffect`` would be the usual
  choice; with a PulseAudio server it logged "Socket notifiers cannot be enabled or disabled from
  another thread" within a few plays and then "QSocketNotifier: Invalid socket" without end.)
"""

from __future__ import annotations

import logging
import os
import wave
import weakref
from pathlib import Path
from typing import TYPE_CHECKING, Any

# Loading QtMultimedia probes optional libraries (PipeWire, VA-API) and logs each one missing;
# FFmpeg dumps every stream it opens. Both are noise in a kiosk's log. The rule must be in place
# before the library loads, so it is set here rather than when the app starts.
_QUIET_RULES = "qt.multimedia.symbolsresolver=false;qt.multimedia.ffmpeg*=false"
os.environ["QT_LOGGING_RULES"] = ";".join(
    r for r in (os.environ.get("QT_LOGGING_RULES", ""), _QUIET_RULES) if r)

from PySide6.QtCore import (  # noqa: E402
    Q_ARG, QMetaObject, QObject, Qt, QTimer, QUrl, Signal, Slot)

from kiosk.core.paths import bundled
from kiosk.core.speech_plan import CachedSpeech, WordTiming, estimate_words, speakable, word_at
from kiosk.speech.client import SynthesisClient, SynthesisResult

from kiosk.speech.protocol import CHIMES, IDLE, PREPARING, SPEAKING, STATES, UNAVAILABLE

if TYPE_CHECKING:
    # QtMultimedia loads when the first player is made (``warm_up``, right after the home screen
    # is up), not at import: it and the libraries it probes cost the start-up some 15 ms.
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

__all__ = ["Speaker", "Players", "IDLE", "PREPARING", "SPEAKING", "UNAVAILABLE", "STATES"]

logger = logging.getLogger(__name__)
QUEUED = Qt.ConnectionType.QueuedConnection


def _queue(target: QObject, slot: str, *args: Any) -> None:
    """Calls a player's slot from the event loop (see the module's text for why)."""
    QMetaObject.invokeMethod(target, slot, QUEUED, *args)


class Players(QObject):
    """The process's audio: one media player for speech and one per chime.

    Made at the first need and kept until the process ends; the speaker that last spoke owns
    them and hears their status."""

    _made: Players | None = None

    @classmethod
    def get(cls) -> Players:
        if cls._made is None:
            cls._made = cls()
        return cls._made

    def __init__(self) -> None:
        from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

        super().__init__()
        self.player: QMediaPlayer = QMediaPlayer(self)
        self.output: QAudioOutput = QAudioOutput(self)
        self.player.setAudioOutput(self.output)
        self.player.mediaStatusChanged.connect(self._on_status)
        self.player.errorOccurred.connect(self._on_error)
        self.source = QUrl()  # what was last asked for: the player's own source changes later
        self.effects: dict[str, QMediaPlayer] = {}
        self.lengths_ms: dict[str, int] = {}
        for chime in CHIMES:
            path = bundled("assets") / "sounds" / f"{chime}.wav"
            try:
                with wave.open(str(path), "rb") as f:
                    self.lengths_ms[chime] = round(1000 * f.getnframes() / f.getframerate())
            except (OSError, wave.Error, EOFError) as error:
                logger.warning("chime %s cannot be played: %s", path, error)
                continue
            effect = QMediaPlayer(self)
            effect.setAudioOutput(QAudioOutput(effect))
            effect.setSource(QUrl.fromLocalFile(str(path)))
            self.effects[chime] = effect
        self._owner: weakref.ref[Speaker] | None = None

    def claim(self, speaker: Speaker) -> None:
        self._owner = weakref.ref(speaker)

    def owner(self) -> Speaker | None:
        return self._owner() if self._owner is not None else None

    def release(self, speaker: Speaker) -> None:
        if self.owner() is speaker:
            self._owner = None

    def play(self, path: Path) -> None:
        self.source = QUrl.fromLocalFile(str(path))
        _queue(self.player, "setSource", Q_ARG(QUrl, self.source))
        _queue(self.player, "play")

    def pause(self) -> None:
        # Never QMediaPlayer.stop(), even queued: pause() halts the sound and keeps the player's
        # engine, so nothing is torn down on the plugin's threads.
        if not self.source.isEmpty():
            _queue(self.player, "pause")

    def chime(self, chime: str) -> int:
        """Sounds a chime; returns its length in ms (0 when there is none to play)."""
        effect = self.effects.get(chime)
        if effect is None:
            return 0
        _queue(effect, "setPosition", Q_ARG("qint64", 0))  # from the start, also when it is playing
        _queue(effect, "play")
        return self.lengths_ms[chime]

    def speech_playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return (self.player.source() == self.source
                and self.player.playbackState() == QMediaPlayer.PlaybackState.PlayingState)

    def chime_playing(self) -> bool:
        from PySide6.QtMultimedia import QMediaPlayer

        return any(effect.playbackState() == QMediaPlayer.PlaybackState.PlayingState
                   for effect in self.effects.values())

    def _on_status(self, status: QMediaPlayer.MediaStatus) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        owner = self.owner()
        if owner is None or self.player.source() != self.source:
            return  # the end of a sound that was already replaced
        if status in (QMediaPlayer.MediaStatus.EndOfMedia, QMediaPlayer.MediaStatus.InvalidMedia):
            owner._played_out()

    def _on_error(self, error: QMediaPlayer.Error, message: str) -> None:
        from PySide6.QtMultimedia import QMediaPlayer

        owner = self.owner()
        if error != QMediaPlayer.Error.NoError and owner is not None:
            logger.warning("audio playback failed: %s", message)
            owner._played_out()


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
        self._spoken = ""
        self._where: list[int] = []
        self._word: WordTiming | None = None
        self._players: Players | None = None
        self._pending_say: tuple[str, str, Path | None] | None = None
        self._prefetch_queue: list[tuple[str, str]] = []
        self._synthesized.connect(self._on_synthesized)
        self._tick = QTimer(self)
        self._tick.setInterval(40)
        self._tick.timeout.connect(self._follow_position)
        self._after_chime = QTimer(self)  # the words follow the chime once it has sounded
        self._after_chime.setSingleShot(True)
        self._after_chime.timeout.connect(self._say_after_chime)
        self._said_after_chime: tuple[str, str, Path | None] | None = None
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
        if chime:
            length = self._audio().chime(chime)
            if length:
                # The chime sounds at once on its own player; the words start as it ends,
                # and are made meanwhile if they were not prepared.
                if recorded is None or not recorded.is_file():
                    self.prefetch([text], language)
                self._said_after_chime = (text, language, recorded)
                self._after_chime.start(length)
                self.text, self.language = text, language
                self._set_state(SPEAKING)
                return
        self._speak(text, language, recorded)

    def _speak(self, text: str, language: str, recorded: Path | None) -> None:
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

    def stop(self) -> None:
        self._token += 1
        self._after_chime.stop()
        self._said_after_chime = None
        self._pending_say = None
        self._tick.stop()
        if self._players is not None and self._players.owner() is self:
            self._players.pause()
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
        self._audio()

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
        if self._players is not None:
            self._players.release(self)
        if self.client is not None:
            self.client.close()

    def sounding(self) -> str:
        """What this speaker's players are playing right now: "speech", "chime" or ""."""
        if self._players is None:
            return ""
        if self._players.owner() is self and self._players.speech_playing():
            return "speech"
        return "chime" if self._players.chime_playing() else ""

    def position_ms(self) -> int:
        """How far the speech being played is (0 when none is)."""
        if self._players is None or self._players.owner() is not self:
            return 0
        return self._players.player.position()

    # -- inside ------------------------------------------------------------------------------

    def _audio(self) -> Players:
        if self._players is None:
            self._players = Players.get()
        self._players.claim(self)
        return self._players

    @Slot()
    def _say_after_chime(self) -> None:
        said, self._said_after_chime = self._said_after_chime, None
        if said is not None:
            self._speak(*said)

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

    def _play(self, path: Path, words: list[WordTiming], estimate: bool) -> None:
        players = self._audio()
        self._words = words
        self._estimate = estimate
        players.play(path)
        self._set_state(SPEAKING)
        self._tick.start()

    @Slot()
    def _follow_position(self) -> None:
        if self._players is None or self._players.owner() is not self:
            return
        player = self._players.player
        if player.source() != self._players.source:
            return  # the new sound is not loaded yet
        if self._estimate and not self._words and player.duration() > 0:
            self._words = estimate_words(self._spoken, player.duration())
        self._set_word(word_at(self._words, player.position()))

    def _played_out(self) -> None:
        """The sound ended (or could not play): the highlight goes, the state is idle."""
        self._tick.stop()
        self._set_word(None)
        if self.state == SPEAKING and not self._after_chime.isActive():
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
