"""The synthesis worker: a separate process that owns the pyttsx3 engine and writes WAV files.

pyttsx3 is not safe to drive from a GUI (``runAndWait`` can return before the file exists, a
second ``say`` can swallow the first, ``stop`` can hang), so it lives here, one request at a time.

With espeak-ng, pyttsx3 only starts the engine and lists the voices; the worker synthesises by
calling espeak-ng itself. pyttsx3's own loop cancels requests: each ``runAndWait`` queues an
``endLoop`` that calls ``stop()``, which sees espeak-ng still busy (with the voice and rate just
set, or the tail of the previous text) and marks the driver "stopping"; the loop then calls
``espeak_Cancel`` right after queueing the new text, and espeak-ng drops it. pyttsx3 still writes
its (empty) buffer, so the file appears with no sound in it. Calling ``espeak_Synth`` directly and
waiting for its own end-of-message event never cancels anything.

A request that makes no progress for ``STALL_SECONDS`` fails at once; the worker then exits, so
the client starts a fresh engine and tries again.

Piper voices (``piper:NAME``, from the folder in ``KIOSK_VOICE_FOLDER``) are loaded once, before
the worker says it is ready, and speak requests for them; see ``piper_voices``.

Protocol: JSON lines. The worker first prints ``{"ready": true, "engine": …, "voices": […],
"problems": […]}`` (problems: voice files it could not use) or ``{"ready": false, "error": …}``. Then for each request line
``{"id": n, "text": …, "voice": …, "rate": …, "wav": path, "meta": path}`` it writes the WAV and a
JSON file with word timings (both atomically: written aside, then renamed), and answers
``{"id": n, "ok": true, "duration_ms": …}`` or ``{"id": n, "ok": false, "error": …}``. A Piper
request also reports ``{"id": n, "progress": true}`` after each sentence and every quarter
second in which the worker computed.
Run it as ``python -m kiosk.speech.worker``.
"""

from __future__ import annotations

import ctypes
import json
import os
import sys
import time
import wave
from pathlib import Path
from typing import Any, TextIO

from kiosk.core.files import atomic_write
from kiosk.core.speech_plan import WordTiming, estimate_words

FILE_WAIT_SECONDS = 10.0
STALL_SECONDS = 1.0  # espeak-ng reports audio at least every 1000 ms of speech: silence = stuck
SAMPLE_RATE = 22050
VOICE_FOLDER_VARIABLE = "KIOSK_VOICE_FOLDER"  # the folder of Piper voices, set by the client
HEARTBEAT_SECONDS = 0.25


class Stalled(RuntimeError):
    """The engine stopped answering; only a new process brings it back."""


def _make_espeak_loadable() -> None:
    """Use the system's libespeak-ng when there is one, else the one the espeakng-loader wheel ships.

    ``KIOSK_ESPEAK=bundled`` uses the wheel's copy even when the system has one.
    """
    if not sys.platform.startswith("linux"):
        return
    if os.environ.get("KIOSK_ESPEAK") != "bundled":
        try:
            ctypes.CDLL("libespeak-ng.so.1")
            return
        except OSError:
            pass
    try:
        import espeakng_loader
    except ImportError:
        return
    # Loaded by path, its soname lets pyttsx3's own lookup of "libespeak-ng.so.1" find it. Kept
    # local: Piper's phonemiser has its own espeak-ng inside and must not bind to this one.
    ctypes.CDLL(espeakng_loader.get_library_path(), mode=ctypes.RTLD_LOCAL)
    os.environ["ESPEAK_DATA_PATH"] = espeakng_loader.get_data_path()


class Engine:
    def __init__(self) -> None:
        _make_espeak_loadable()
        import pyttsx3

        driver = os.environ.get("KIOSK_SPEECH_DRIVER") or None
        self.engine = pyttsx3.init(driverName=driver)
        self.driver_name = type(self.engine.proxy._driver).__module__.rsplit(".", 1)[-1]
        self.words: list[tuple[int, int, int]] = []
        self._hook_espeak_words()

    def _hook_espeak_words(self) -> None:
        """Takes espeak-ng's callback from pyttsx3: audio, word positions and the end of a text
        arrive here (on espeak-ng's own thread)."""
        if self.driver_name != "espeak":
            return
        import threading

        from pyttsx3.drivers import _espeak

        self._espeak = _espeak
        self._audio = bytearray()
        self._ended = threading.Event()
        self._progress = time.monotonic()
        self._serial = 0

        def on_synth(wav: Any, samples: int, events: Any) -> int:
            self._progress = time.monotonic()
            if samples > 0:
                self._audio += ctypes.string_at(wav, samples * ctypes.sizeof(ctypes.c_short))
            i = 0
            while events[i].type != _espeak.EVENT_LIST_TERMINATED:
                event = events[i]
                if (event.user_data or 0) == self._serial:
                    if event.type == _espeak.EVENT_WORD and event.length > 0:
                        self.words.append(
                            (event.text_position - 1, event.length, event.audio_position))
                    elif event.type == _espeak.EVENT_MSG_TERMINATED:
                        self._ended.set()
                i += 1
            return 0

        self._on_synth = on_synth  # kept alive: espeak-ng holds only a C pointer to it
        _espeak.SetSynthCallback(on_synth)

    def _espeak_synthesize(self, text: str, voice: str, rate: int, wav: Path) -> list[WordTiming]:
        espeak = self._espeak
        self._wait_idle()
        if voice and espeak.SetVoiceByName(voice.encode("utf-8")) != 0:
            raise ValueError(f"espeak-ng has no voice {voice!r}")
        espeak.SetParameter(espeak.RATE, rate, 0)
        self.words.clear()
        self._audio = bytearray()
        self._ended.clear()
        self._serial += 1
        self._progress = time.monotonic()
        if espeak.Synth(text.encode("utf-8"), flags=espeak.ENDPAUSE | espeak.CHARS_UTF8,
                        user_data=self._serial) != 0:
            raise RuntimeError("espeak-ng refused the text")
        while not self._ended.wait(0.02):
            if time.monotonic() - self._progress > STALL_SECONDS:
                raise Stalled(f"the speech engine stopped for {STALL_SECONDS:.0f} s")
        audio = bytes(self._audio)
        if not audio:
            raise RuntimeError("the speech engine made no sound")
        with wave.open(str(wav), "wb") as f:
            f.setnchannels(1)
            f.setsampwidth(2)
            f.setframerate(SAMPLE_RATE)
            f.writeframes(audio)
        duration_ms = len(audio) // 2 * 1000 // SAMPLE_RATE
        if self.words:
            return [WordTiming(s, n, ms) for s, n, ms in self.words]
        return estimate_words(text, duration_ms)

    def _wait_idle(self) -> None:
        """espeak-ng may still be closing the previous text; the voice must not change under it."""
        deadline = time.monotonic() + STALL_SECONDS
        while self._espeak.IsPlaying():
            if time.monotonic() > deadline:
                raise Stalled("the speech engine did not finish the previous text")
            time.sleep(0.002)

    def voices(self) -> list[dict[str, Any]]:
        found = []
        for voice in self.engine.getProperty("voices"):
            languages = [_language_text(lang) for lang in (voice.languages or [])]
            found.append({"id": voice.id, "name": voice.name or voice.id,
                          "languages": [lang for lang in languages if lang], "kind": "pyttsx3"})
        return found

    def synthesize(self, text: str, voice: str, rate: int, wav: Path) -> list[WordTiming]:
        if self.driver_name == "espeak":
            return self._espeak_synthesize(text, voice, rate, wav)
        self.words.clear()
        if voice:
            self.engine.setProperty("voice", voice)
        self.engine.setProperty("rate", rate)
        wav.unlink(missing_ok=True)
        self.engine.save_to_file(text, str(wav))
        self.engine.runAndWait()
        duration_ms = _wait_for_wav(wav)
        if self.words:
            return [WordTiming(s, n, ms) for s, n, ms in self.words]
        return estimate_words(text, duration_ms)


def _language_text(value: Any) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = str(value).lstrip("\x00\x01\x02\x03\x04\x05")
    return text.strip()


def _wait_for_wav(path: Path) -> int:
    """Waits until the engine has really written the file; returns its duration in ms."""
    deadline = time.monotonic() + FILE_WAIT_SECONDS
    last_size = -1
    while time.monotonic() < deadline:
        try:
            size = path.stat().st_size
            if size == last_size and size > 44:
                with wave.open(str(path), "rb") as f:
                    frames, rate = f.getnframes(), f.getframerate()
                if frames > 0 and rate > 0:
                    return frames * 1000 // rate
            last_size = size
        except (OSError, EOFError, wave.Error):
            pass
        time.sleep(0.02)
    raise RuntimeError("the speech engine wrote no sound")


class Heartbeat:
    """While Piper computes, says "progress" every ``HEARTBEAT_SECONDS`` in which this process
    used the processor. A long sentence on a busy machine is slow, not stuck; a model that hangs
    uses no processor, stops the heartbeat, and the client's watchdog replaces the worker."""

    def __init__(self, beat: Any) -> None:
        import threading

        self._beat = beat
        self._done = threading.Event()
        self._thread = threading.Thread(target=self._run, name="piper-heartbeat", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._done.set()
        self._thread.join()

    def _run(self) -> None:
        used = time.process_time()
        while not self._done.wait(HEARTBEAT_SECONDS):
            now = time.process_time()
            if now - used > 0.005:
                self._beat()
            used = now


def serve(requests: TextIO, replies: TextIO, voice_folder: Path | None = None) -> int:
    import threading

    lock = threading.Lock()  # the heartbeat thread writes too

    def reply(message: dict[str, Any]) -> None:
        with lock:
            replies.write(json.dumps(message, ensure_ascii=False) + "\n")
            replies.flush()

    from kiosk.speech.piper_voices import PREFIX, PiperEngine

    piper = PiperEngine(voice_folder)
    piper.load_all()
    engine: Engine | None = None
    voices: list[dict[str, Any]] = [voice.describe() for voice in piper.voices]
    try:
        engine = Engine()
        voices += engine.voices()
    except Exception as exc:  # no engine: the app runs without a voice, or with Piper's alone
        if not piper.voices:
            reply({"ready": False, "error": f"{type(exc).__name__}: {exc}",
                   "problems": piper.problems})
            return 3
        piper.problems.append(f"pyttsx3 did not start ({type(exc).__name__}: {exc}); "
                              "only Piper voices speak")
    reply({"ready": True, "engine": f"pyttsx3-{engine.driver_name}" if engine else "piper",
           "voices": voices, "problems": piper.problems,
           "load_seconds": piper.load_seconds})

    for line in requests:
        if not line.strip():
            continue
        request: dict[str, Any] = {}
        try:
            request = json.loads(line)
            wav, meta = Path(request["wav"]), Path(request["meta"])
            wav.parent.mkdir(parents=True, exist_ok=True)
            partial = wav.with_name(f"{wav.stem}.{os.getpid()}.part.wav")
            voice = str(request.get("voice", ""))
            rate = int(request.get("rate", 150))
            if voice.startswith(PREFIX):
                number = request.get("id")
                with Heartbeat(lambda: reply({"id": number, "progress": True})):
                    words = piper.synthesize(request["text"], voice, rate, partial,
                                             lambda: reply({"id": number, "progress": True}))
            elif engine is None:
                raise RuntimeError("pyttsx3 did not start; only Piper voices speak")
            else:
                words = engine.synthesize(request["text"], voice, rate, partial)
            with wave.open(str(partial), "rb") as f:
                duration_ms = f.getnframes() * 1000 // f.getframerate()
            os.replace(partial, wav)
            atomic_write(meta, json.dumps({
                "duration_ms": duration_ms,
                "words": [[w.start, w.length, w.ms] for w in words]}))
            reply({"id": request.get("id"), "ok": True, "duration_ms": duration_ms})
        except Stalled as exc:
            reply({"id": request.get("id"), "ok": False, "error": str(exc), "restart": True})
            return 4  # a stuck engine cannot be reset in this process: the client starts anew
        except Exception as exc:
            reply({"id": request.get("id"), "ok": False, "error": f"{type(exc).__name__}: {exc}"})
    return 0


def main() -> int:
    # pyttsx3 prints to stdout ("Audio saved to …"); keep the real stdout for the protocol only.
    protocol = os.fdopen(os.dup(sys.stdout.fileno()), "w", encoding="utf-8", buffering=1)
    os.dup2(sys.stderr.fileno(), sys.stdout.fileno())
    sys.stdin.reconfigure(encoding="utf-8")  # type: ignore[union-attr]
    folder = os.environ.get(VOICE_FOLDER_VARIABLE)
    return serve(sys.stdin, protocol, Path(folder) if folder else None)


if __name__ == "__main__":
    raise SystemExit(main())
