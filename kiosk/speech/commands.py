"""``kiosk speech voices | say | prepare``: the voice, checked and used from the command line."""

from __future__ import annotations

import argparse
import shutil
import sys
import time
from pathlib import Path

from kiosk.core.catalog import Catalog, library_folders
from kiosk.core.i18n import Translator, language_name
from kiosk.core.paths import AppPaths
from kiosk.core.settings import Settings
from kiosk.core.speech_plan import SpeechCache, speakable, step_speech
from kiosk.speech.client import SynthesisClient

START_TIMEOUT = 30.0
SAY_TIMEOUT = 60.0


class SpeechProblem(Exception):
    pass


def _client(paths: AppPaths, settings: Settings) -> SynthesisClient:
    client = SynthesisClient(SpeechCache(paths.speech_cache), voices=settings.voices)
    if not client.wait_ready(START_TIMEOUT):
        reason = client.unavailable_reason or "the speech engine did not start"
        client.close()
        raise SpeechProblem(reason)
    return client


def run(args: argparse.Namespace, paths: AppPaths, settings: Settings) -> int:
    try:
        if args.speech_command == "voices":
            return voices(paths, settings)
        if args.speech_command == "say":
            return say(paths, settings, args.text, args.lang, args.out)
        return prepare(paths, settings, args.languages or settings.languages)
    except SpeechProblem as exc:
        print(f"kiosk: {exc}", file=sys.stderr)
        return 1


def voices(paths: AppPaths, settings: Settings) -> int:
    client = _client(paths, settings)
    try:
        print(f"engine: {client.engine}")
        missing = 0
        for language in settings.languages:
            request = client.request_for("", language)
            name = language_name(language)
            if request is None:
                missing += 1
                print(f"✗ {language} ({name}): no voice found")
            else:
                print(f"✓ {language} ({name}): {request.voice}")
        return 1 if missing else 0
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
    from PySide6.QtCore import QCoreApplication, QTimer, QUrl
    from PySide6.QtMultimedia import QAudioOutput, QMediaPlayer

    import kiosk.speech.speaker  # noqa: F401  (quiets the multimedia logs)

    app = QCoreApplication.instance() or QCoreApplication(["kiosk"])
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
