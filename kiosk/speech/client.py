"""Talking to the synthesis worker process without ever blocking the caller.

``SynthesisClient`` starts the worker, sends requests, and reports each result through a
callback from its reader thread. A request that outlives its deadline gets the worker killed;
a dead worker is started again on the next request. A request that fails is tried once more (on a
fresh worker when the engine was stuck); a second failure is logged with its text and reason. A worker that says it has no engine makes
the client ``unavailable`` (the app runs on, without a voice).
"""

from __future__ import annotations

import itertools
import json
import logging
import os
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kiosk.core.speech_plan import (
    RATES,
    CachedSpeech,
    SpeechCache,
    SpeechRequest,
    Voice,
    choose_voice,
    language_chain,
)

if TYPE_CHECKING:
    # subprocess loads with the first worker, which starts after the home screen is up.
    import subprocess

logger = logging.getLogger(__name__)

WORKER_COMMAND = [sys.executable, "-m", "kiosk.speech.worker"]
VOICE_FOLDER_VARIABLE = "KIOSK_VOICE_FOLDER"  # read by the worker: its folder of Piper voices
PIPER_PREFIX = "piper:"


def is_piper(voice_id: str) -> bool:
    return voice_id.startswith(PIPER_PREFIX)


def _close_pipes(process: subprocess.Popen[str]) -> None:
    for pipe in (process.stdin, process.stdout):
        try:
            if pipe is not None:
                pipe.close()
        except OSError:
            pass
    import subprocess

    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _worker_environment(voice_folder: Path | None = None) -> dict[str, str]:
    """The worker imports this same copy of the app, wherever it was started from."""
    env = dict(os.environ)
    env.pop(VOICE_FOLDER_VARIABLE, None)
    if voice_folder is not None:
        env[VOICE_FOLDER_VARIABLE] = str(voice_folder)
    package_parent = str(Path(__file__).resolve().parents[2])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (package_parent, env.get("PYTHONPATH")) if p)
    env["PYTHONIOENCODING"] = "utf-8"
    return env


@dataclass
class SynthesisResult:
    request: SpeechRequest
    key: str
    speech: CachedSpeech | None
    error: str = ""


@dataclass
class _Pending:
    request: SpeechRequest
    key: str
    deadline: float
    callbacks: list[Callable[[SynthesisResult], None]] = field(default_factory=list)
    attempt: int = 0


PROGRESS_SECONDS = 2.0  # a worker that said "progress" must say more (or answer) within this


def answer_deadline(text: str) -> float:
    """Seconds a worker may take for a text before it counts as hung: the worker itself gives up
    after one second without progress, so this only catches a process that stopped altogether."""
    return 2.0 + 0.01 * len(text)


class SynthesisClient:
    STARTING, READY, UNAVAILABLE = "starting", "ready", "unavailable"

    def __init__(self, cache: SpeechCache, command: list[str] | None = None,
                 deadline: float | None = None, start_deadline: float = 20.0,
                 voices: dict[str, str] | None = None,
                 voice_folder: Path | None = None) -> None:
        self.cache = cache
        self.voice_folder = voice_folder
        self.command = command or WORKER_COMMAND
        self.deadline = deadline
        self.start_deadline = start_deadline
        self.configured_voices = voices or {}
        self.state = self.STARTING
        self.engine = ""
        self.voices: list[Voice] = []
        self.revisions: dict[str, str] = {}  # Piper voice id → its model file's size and time
        self.unavailable_reason = ""
        self.problems: list[str] = []  # voice files the worker could not use
        self.restarts = 0
        self._told: set[tuple[str, str]] = set()
        self._lock = threading.RLock()
        self._ready = threading.Event()
        self._process: subprocess.Popen[str] | None = None
        self._pending: dict[int, _Pending] = {}
        self._by_key: dict[str, int] = {}
        self._ids = itertools.count(1)
        self._closed = False
        self._spawning = False
        self._backlog: list[str] = []  # requests made while the worker was being started
        self._watchdog = threading.Thread(target=self._watch, name="speech-watchdog", daemon=True)
        self._watchdog.start()

    # -- process -----------------------------------------------------------------------------

    def start(self) -> None:
        """Starts the worker in the background: forking a process can take a while, and the
        caller may be the UI thread."""
        with self._lock:
            if self._closed or self._spawning or (
                    self._process is not None and self._process.poll() is None):
                return
            self._spawning = True
            self._ready.clear()
            self.state = self.STARTING
            self._started_at = time.monotonic()
        threading.Thread(target=self._spawn, name="speech-spawn", daemon=True).start()

    def _spawn(self) -> None:
        import subprocess

        self._clean_partials()
        try:
            process = subprocess.Popen(
                self.command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL, text=True, encoding="utf-8", bufsize=1,
                env=_worker_environment(self.voice_folder))
        except OSError as exc:
            with self._lock:
                self._spawning = False
                self._set_unavailable(f"speech worker cannot start: {exc}")
                failed = list(self._pending.values())
                self._pending.clear()
                self._by_key.clear()
                self._backlog.clear()
            for pending in failed:
                self._finish(pending, None, self.unavailable_reason)
            return
        with self._lock:
            self._spawning = False
            if self._closed:
                process.kill()
                return
            self._process = process
            self._started_at = time.monotonic()
            backlog, self._backlog = self._backlog, []
        threading.Thread(target=self._read, args=(process,), name="speech-reader",
                         daemon=True).start()
        for line in backlog:
            self._send(process, line)

    def wait_ready(self, timeout: float) -> bool:
        """Blocks (for command-line use only) until the worker is ready or known unavailable."""
        self.start()
        self._ready.wait(timeout)
        return self.state == self.READY

    def _read(self, process: subprocess.Popen[str]) -> None:
        assert process.stdout is not None
        for line in process.stdout:
            try:
                message = json.loads(line)
            except ValueError:
                continue
            if "ready" in message:
                self._on_ready(message)
            else:
                self._on_reply(message, process)
        # The worker ended (killed, crashed or closed): release its pipes, fail what it still had.
        _close_pipes(process)
        failed: list[_Pending] = []
        with self._lock:
            if process is self._process:
                self._process = None
                if self.state == self.STARTING:
                    self._set_unavailable("speech worker stopped before it was ready")
                failed = list(self._pending.values())
                self._pending.clear()
                self._by_key.clear()
        for pending in failed:
            self._finish(pending, None, "speech worker stopped")

    def _on_ready(self, message: dict[str, Any]) -> None:
        with self._lock:
            if message.get("ready"):
                self.engine = str(message.get("engine", "pyttsx3"))
                self.voices = [Voice(v["id"], v.get("name", v["id"]), tuple(v.get("languages", [])))
                               for v in message.get("voices", [])]
                self.revisions = {v["id"]: str(v["revision"]) for v in message.get("voices", [])
                                  if v.get("revision")}
                self.state = self.READY
                problems = [str(p) for p in message.get("problems", [])]
                if problems != self.problems:  # said once, not again on every restart
                    for problem in problems:
                        logger.warning("voice left out: %s; another voice speaks instead",
                                       problem, extra={"event": "voice_problem"})
                self.problems = problems
                now = time.monotonic()
                for pending in self._pending.values():  # their time starts now, not at spawn
                    pending.deadline = now + (self.deadline if self.deadline is not None
                                              else answer_deadline(pending.request.text))
                logger.info("speech engine %s ready with %d voices", self.engine, len(self.voices))
            else:
                self._set_unavailable(f"no speech engine: {message.get('error', 'unknown')}")
        self._ready.set()

    def _set_unavailable(self, reason: str) -> None:
        self.state = self.UNAVAILABLE
        self.unavailable_reason = reason
        logger.warning("%s; read-aloud is unavailable", reason, extra={"event": "speech_unavailable"})
        self._ready.set()

    def _on_reply(self, message: dict[str, Any], process: subprocess.Popen[str]) -> None:
        moved: list[_Pending] = []
        with self._lock:
            if message.get("progress"):  # still computing: it may take a while more
                pending = self._pending.get(int(message.get("id", 0)))
                if pending is not None:
                    pending.deadline = time.monotonic() + (
                        self.deadline if self.deadline is not None else PROGRESS_SECONDS)
                return
            pending = self._pending.pop(int(message.get("id", 0)), None)
            if pending is not None:
                self._by_key.pop(pending.key, None)
            if message.get("restart") and process is self._process:
                # The worker's engine is stuck and the worker is ending: what it still had goes
                # to a new one.
                self._process = None
                self.restarts += 1
                moved = list(self._pending.values())
                self._pending.clear()
                self._by_key.clear()
        for waiting in moved:
            self._submit(waiting.request, waiting.callbacks, waiting.attempt)
        if pending is None:
            return
        if message.get("ok"):
            speech = self.cache.get(pending.key)
            self._finish(pending, speech, "" if speech else "cache file missing")
        else:
            self._finish(pending, None, str(message.get("error", "failed")))

    def _finish(self, pending: _Pending, speech: CachedSpeech | None, error: str) -> None:
        if speech is None and pending.attempt == 0 and not self._closed \
                and self.state != self.UNAVAILABLE:
            logger.info("speech for %r failed (%s); trying once more", pending.request.text[:80],
                        error)
            self._submit(pending.request, pending.callbacks, attempt=1)
            return
        if speech is None and pending.attempt == 1 and not self._closed:
            other = self._other_voice(pending.request)
            if other is not None:
                logger.warning("read-aloud of %r failed twice with voice %s (%s); using %s",
                               pending.request.text[:80], pending.request.voice, error, other.voice,
                               extra={"event": "speech_failed"})
                self._submit(other, pending.callbacks, attempt=2)
                return
        if speech is None:
            logger.warning("read-aloud of %r failed: %s", pending.request.text[:80], error,
                           extra={"event": "speech_failed"})
        result = SynthesisResult(pending.request, pending.key, speech, error)
        for callback in pending.callbacks:
            try:
                callback(result)
            except Exception:
                logger.exception("speech callback failed")

    def _watch(self) -> None:
        while not self._closed:
            time.sleep(0.1)
            now = time.monotonic()
            failed: list[_Pending] = []
            with self._lock:
                process = self._process
                late = [p for p in self._pending.values() if p.deadline < now]
                starting_too_long = (self.state == self.STARTING and process is not None
                                     and now - getattr(self, "_started_at", now)
                                     > self.start_deadline)
                if process is None or not (late or starting_too_long):
                    continue
                # Forget the worker before killing it, so a request made meanwhile starts a
                # new one instead of going to the dying process.
                self._process = None
                failed = list(self._pending.values())
                self._pending.clear()
                self._by_key.clear()
                if self.state == self.STARTING:
                    self._set_unavailable("speech worker did not start in time")
            logger.warning("speech worker did not answer in time; restarting it",
                           extra={"event": "speech_worker_killed"})
            self._kill(process)
            self.restarts += 1
            for pending in failed:
                self._finish(pending, None, "speech worker stopped: no answer in time")

    def _kill(self, process: subprocess.Popen[str]) -> None:
        import subprocess

        try:
            process.kill()
            process.wait(timeout=5)
        except (OSError, subprocess.TimeoutExpired):
            pass

    def _clean_partials(self) -> None:
        try:
            for partial in self.cache.folder.glob("*.part*"):
                partial.unlink(missing_ok=True)
        except OSError:
            pass

    def close(self) -> None:
        with self._lock:
            self._closed = True
            process = self._process
            self._process = None
        if process is not None:
            import subprocess

            try:
                assert process.stdin is not None
                process.stdin.close()
                process.wait(timeout=2)
            except (OSError, subprocess.TimeoutExpired, ValueError):
                self._kill(process)
        self._clean_partials()

    # -- requests ----------------------------------------------------------------------------

    def request_for(self, text: str, language: str, rate: str = "normal") -> SpeechRequest | None:
        """The request for a text, or None when no voice speaks this language."""
        voice = self.voice_for(language)
        if voice is None:
            return None
        return SpeechRequest(text=text, language=language, voice=voice.id,
                             rate=RATES.get(rate, RATES["normal"]))

    def voice_for(self, language: str) -> Voice | None:
        """The voice residents hear in a language: the one the ``voices`` setting names, else a
        Piper voice of the language, else any voice of it."""
        wanted = next((self.configured_voices[code] for code in language_chain(language)
                       if self.configured_voices.get(code)), "")
        if wanted:
            chosen = choose_voice(language, self.voices, self.configured_voices)
            if chosen is not None and wanted in (chosen.id, chosen.name):
                return chosen
        piper = [v for v in self.voices if is_piper(v.id)]
        default = choose_voice(language, piper, {}) or choose_voice(language, self.voices, {})
        if wanted and self.state == self.READY and (language, wanted) not in self._told:
            self._told.add((language, wanted))
            where = f" (voices folder {self.voice_folder})" if is_piper(wanted) else ""
            logger.warning("settings: 'voices' names %r for %s, which is not installed%s; "
                           "using %s", wanted, language, where,
                           default.id if default else "no voice",
                           extra={"event": "settings_problem"})
        return default

    def missing_configured(self, language: str) -> str:
        """The voice the setting names for a language when it is not installed, else ""."""
        wanted = next((self.configured_voices[code] for code in language_chain(language)
                       if self.configured_voices.get(code)), "")
        if wanted and not any(wanted in (v.id, v.name) for v in self.voices):
            return wanted
        return ""

    def _other_voice(self, request: SpeechRequest) -> SpeechRequest | None:
        """The same text with another voice of its language, when there is one."""
        others = [v for v in self.voices if v.id != request.voice]
        voice = choose_voice(request.language, others, {})
        if voice is None:
            return None
        return SpeechRequest(request.text, request.language, voice.id, request.rate)

    def has_voice(self, language: str) -> bool:
        return self.voice_for(language) is not None

    def cache_key(self, request: SpeechRequest) -> str:
        """Where a request's speech is kept. A Piper voice's key also names its file's size and
        time, so a voice replaced by another copy is not heard from old files."""
        revision = self.revisions.get(request.voice)
        return request.cache_key(f"{self.engine}|{revision}" if revision else self.engine)

    def cached(self, request: SpeechRequest) -> CachedSpeech | None:
        return self.cache.get(self.cache_key(request))

    def synthesize(self, request: SpeechRequest,
                   callback: Callable[[SynthesisResult], None]) -> None:
        """Asks for a WAV; ``callback`` runs on a worker thread when it is ready or has failed."""
        key = self.cache_key(request)
        cached = self.cache.get(key)
        if cached is not None:
            callback(SynthesisResult(request, key, cached))
            return
        if self.state == self.UNAVAILABLE:
            callback(SynthesisResult(request, key, None, self.unavailable_reason))
            return
        self._submit(request, [callback])

    def _submit(self, request: SpeechRequest, callbacks: list[Callable[[SynthesisResult], None]],
                attempt: int = 0) -> None:
        key = self.cache_key(request)
        self.start()
        with self._lock:
            existing = self._by_key.get(key)
            if existing is not None and existing in self._pending:
                self._pending[existing].callbacks.extend(callbacks)
                return
            number = next(self._ids)
            allowed = self.deadline if self.deadline is not None else answer_deadline(request.text)
            pending = _Pending(request, key, time.monotonic() + allowed, list(callbacks), attempt)
            self._pending[number] = pending
            self._by_key[key] = number
            process = self._process
            wav, meta = self.cache.paths(key)
            line = json.dumps({"id": number, "text": request.text, "voice": request.voice,
                               "rate": request.rate, "wav": str(wav), "meta": str(meta)},
                              ensure_ascii=False)
            if process is None:
                self._backlog.append(line)  # sent as soon as the worker runs
                return
        self._send(process, line, number)

    def _send(self, process: subprocess.Popen[str], line: str, number: int = 0) -> None:
        try:
            assert process.stdin is not None
            process.stdin.write(line + "\n")
            process.stdin.flush()
        except (OSError, ValueError, AssertionError):
            if number:
                self._fail(number, "speech worker is not running")

    def _fail(self, number: int, error: str) -> None:
        with self._lock:
            pending = self._pending.pop(number, None)
            if pending is not None:
                self._by_key.pop(pending.key, None)
        if pending is not None:
            self._finish(pending, None, error)

    def synthesize_now(self, request: SpeechRequest, timeout: float) -> SynthesisResult:
        """Blocking variant for the command line."""
        done = threading.Event()
        box: list[SynthesisResult] = []

        def keep(result: SynthesisResult) -> None:
            box.append(result)
            done.set()

        self.synthesize(request, keep)
        if not done.wait(timeout):
            return SynthesisResult(request, self.cache_key(request), None, "timed out")
        return box[0]
