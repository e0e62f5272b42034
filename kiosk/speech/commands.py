"""``kiosk speech voices | say | prepare | add-voice``: the voice, checked and used from the
command line."""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
from pathlib import Path

from kiosk.core.catalog import Catalog, library_folders
from kiosk.core.i18n import Translator, base_language, language_name
from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.core.speech_plan import RATES, SpeechCache, SpeechRequest, speakable, step_speech
from kiosk.speech.client import SynthesisClient, is_piper
from kiosk.speech.piper_voices import (
    InstalledVoice,
    VoiceProblem,
    copy_voice,
    read_voice,
    sample_sentence,
)

START_TIMEOUT = 30.0
SAY_TIMEOUT = 60.0
CHECK_TIMEOUT = 30.0  # a new voice must say its sample sentence within this time

log = logging.getLogger("kiosk.speech")


class SpeechProblem(Exception):
    pass


def _client(paths: AppPaths, settings: Settings) -> SynthesisClient:
    client = SynthesisClient(SpeechCache(paths.speech_cache), voices=settings.voices,
                             voice_folder=paths.voices)
    if not client.wait_ready(START_TIMEOUT):
        reason = client.unavailable_reason or "the speech engine did not start"
        client.close()
        raise SpeechProblem(reason)
    return client


def run(args: argparse.Namespace, paths: AppPaths, settings: Settings) -> int:
    try:
        if args.speech_command == "voices":
            return voices(paths, settings, args.all)
        if args.speech_command == "say":
            return say(paths, settings, args.text, args.lang, args.out)
        if args.speech_command == "add-voice":
            return add_voice(paths, args.model)
        return prepare(paths, settings, args.languages or settings.languages)
    except SpeechProblem as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1


def kind_of(voice_id: str) -> str:
    return "Piper, natural" if is_piper(voice_id) else "pyttsx3, robotic"


def voices(paths: AppPaths, settings: Settings, show_all: bool = False) -> int:
    client = _client(paths, settings)
    try:
        print(f"engine: {client.engine}; Piper voices in {paths.voices}")
        for problem in client.problems:
            print(f"✗ voice left out: {problem}")
        missing = 0
        for language in settings.languages:
            voice = client.voice_for(language)
            name = language_name(language)
            wanted = client.missing_configured(language)
            note = f" (setting 'voices' names {wanted!r}, not installed)" if wanted else ""
            if voice is None:
                missing += 1
                print(f"✗ {language} ({name}): no voice found{note}")
            else:
                print(f"✓ {language} ({name}): {voice.id} [{kind_of(voice.id)}]{note}")
        offered = {base_language(language) for language in settings.languages}
        listed = [v for v in client.voices
                  if show_all or any(base_language(lang) in offered for lang in v.languages)]
        print(f"voices{'' if show_all else ' for these languages'}:")
        for voice in sorted(listed, key=lambda v: (not is_piper(v.id), v.id)):
            mark = "piper  " if is_piper(voice.id) else "pyttsx3"
            print(f"  [{mark}] {voice.id}  {', '.join(voice.languages)}")
        return 1 if missing else 0
    finally:
        client.close()


def add_voice(paths: AppPaths, model: Path) -> int:
    """Installs a Piper voice into the app's voices folder once it has said a sentence."""
    try:
        voice = read_voice(model)
    except VoiceProblem as exc:
        print(f"✗ {exc}")
        return 1
    paths.voices.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix=".adding-", dir=paths.voices) as trial:
        try:
            copied = copy_voice(model, Path(trial))
        except (VoiceProblem, OSError) as exc:
            print(f"✗ {model}: cannot be copied ({getattr(exc, 'strerror', None) or exc})")
            return 1
        error = _check_voice(paths, copied, Path(trial))
        if error:
            print(f"✗ {voice.name}: {error}; not added")
            return 1
        for part in (copied.config, copied.model):  # the model last: it is what makes a voice
            part.replace(paths.voices / part.name)
    print(f"✓ {voice.name} ({voice.language}) added to {paths.voices}; "
          f"residents hear it for {voice.language.split('-')[0]}")
    return 0


def _check_voice(paths: AppPaths, voice: InstalledVoice, folder: Path) -> str:
    """Has the worker speak the voice's sample sentence; "" when it did, else why not."""
    with tempfile.TemporaryDirectory(prefix="kiosk-voice-check-") as cache:
        client = SynthesisClient(SpeechCache(Path(cache)), voice_folder=folder)
        try:
            if not client.wait_ready(START_TIMEOUT):
                return client.unavailable_reason or "the speech worker did not start"
            if client.problems:
                return client.problems[0]
            request = SpeechRequest(sample_sentence(voice.language), voice.language, voice.id,
                                    RATES["normal"])
            result = client.synthesize_now(request, CHECK_TIMEOUT)
            if result.speech is None or result.request.voice != voice.id:
                return f"it did not speak ({result.error or 'another voice answered'})"
            if result.speech.duration_ms <= 0:
                return "it made no sound"
            return ""
        finally:
            client.close()


def say(paths: AppPaths, settings: Settings, text: str, language: str, out: Path | None) -> int:
    client = _client(paths, settings)
    try:
        request = client.request_for(speakable(text)[0], language, settings.speech_rate)
        if request is None:
            raise SpeechProblem(f"no voice for language {language!r}")
        result = client.synthesize_now(request, SAY_TIMEOUT)
        if result.speech is None:
            raise SpeechProblem(f"speech failed: {result.error}")
        if out is not None:
            try:
                out.parent.mkdir(parents=True, exist_ok=True)
                shutil.copyfile(result.speech.wav, out)
            except OSError as exc:
                raise SpeechProblem(f"cannot write {out}: {exc.strerror}") from None
            print(f"{out}: {result.speech.duration_ms / 1000:.1f} s")
            return 0
    finally:
        client.close()
    return _play(result.speech.wav, result.speech.duration_ms)


def _play(wav: Path, duration_ms: int) -> int:
    import os

    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    import kiosk.speech.speaker  # noqa: F401  (quiets the multimedia logs: before QtMultimedia)
    from PySide6.QtCore import QCoreApplication, QTimer, QUrl, qInstallMessageHandler
    from PySide6.QtMultimedia import QAudioOutput, QMediaDevices, QMediaPlayer

    # Qt's notes on sound servers go to the log, not in front of the person at the terminal.
    qInstallMessageHandler(lambda kind, context, message: log.debug("qt: %s", message))
    app = QCoreApplication.instance() or QCoreApplication(["kiosk"])
    if not QMediaDevices.audioOutputs():
        print(f"✗ this computer has no sound output; the speech was made ({duration_ms / 1000:.1f} s)"
              f" but cannot be heard: write it to a file with --out FILE.wav")
        return 1
    player = QMediaPlayer()
    output = QAudioOutput()
    player.setAudioOutput(output)
    player.setSource(QUrl.fromLocalFile(str(wav)))
    player.mediaStatusChanged.connect(
        lambda status: app.quit() if status in (QMediaPlayer.MediaStatus.EndOfMedia,
                                                QMediaPlayer.MediaStatus.InvalidMedia) else None)
    QTimer.singleShot(duration_ms + 5000, app.quit)
    player.play()
    app.exec()
    return 0


def lesson_texts(catalog: Catalog, translator: Translator) -> list[str]:
    """Every text of every lesson that can be read aloud, in the translator's language."""
    texts: list[str] = []
    for listed in list(catalog.lessons):
        lesson = catalog.open(listed.id)
        if lesson is None:
            continue

        def tr(message: str) -> str:
            return translator.lesson(lesson.id, message)

        texts.append(tr(lesson.title))
        for step in lesson.steps:
            texts += step_speech(lesson.id, step, translator)
    return list(dict.fromkeys(texts))


def prepare(paths: AppPaths, settings: Settings, languages: list[str]) -> int:
    catalog = Catalog.load(library_folders(settings))
    client = _client(paths, settings)
    failed = 0
    try:
        for language in languages:
            started = time.monotonic()
            texts = lesson_texts(catalog, Translator(language))  # the list of what lessons say
            made = 0
            failures: list[str] = []
            for text in texts:
                request = client.request_for(speakable(text)[0], language, settings.speech_rate)
                if request is None:
                    print(f"✗ {language}: no voice found")
                    failed += 1
                    break
                if client.cached(request) is not None:
                    continue
                result = client.synthesize_now(request, SAY_TIMEOUT)
                if result.speech is None:
                    failures.append(f"{text[:60]!r} ({result.error})")
                else:
                    made += 1
            else:
                spent = time.monotonic() - started
                if failures:
                    failed += len(failures)
                    print(f"✗ {language}: {len(failures)} of {len(texts)} texts failed "
                          f"in {spent:.1f} s, first: " + "; ".join(failures[:3]))
                else:
                    print(f"✓ {language}: {len(texts)} texts ready ({made} new) in {spent:.1f} s")
    finally:
        client.close()
    return 1 if failed else 0
