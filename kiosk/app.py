"""Wiring: builds the services from settings and paths, and runs the window. No logic of its own."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QtMsgType, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from kiosk import APP_NAME
from kiosk.core.catalog import Catalog, library_folders
from kiosk.core.i18n import Translator
from kiosk.core.paths import AppPaths
from kiosk.core.progress import ProgressService
from kiosk.core.roles import PinBook
from kiosk.core.sessions import pictograms
from kiosk.core.settings import Settings
from kiosk.core.speech_plan import SpeechCache
from kiosk.core.store import ProgressStore
from kiosk.speech.client import SynthesisClient
from kiosk.speech.speaker import Speaker
from kiosk.ui.navigator import Navigator, Services
from kiosk.ui.theme import Theme

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("kiosk.qt")

# Qt messages that only describe the machine (no sound card, no video acceleration).
_MACHINE_NOTES = ("PulseAudioService", "No audio device detected")


def build_services(paths: AppPaths, settings: Settings, language: str | None = None,
                   speaker: Speaker | None = None, store: bool = True) -> Services:
    catalog = Catalog.load(library_folders(settings))
    progress = (ProgressService.open(lambda: ProgressStore(paths.store_file)) if store
                else ProgressService(None))
    if speaker is None:
        client = SynthesisClient(SpeechCache(paths.speech_cache), voices=settings.voices)
        speaker = Speaker(client)
    speaker.set_rate(settings.speech_rate)
    return Services(settings=settings, catalog=catalog, progress=progress, speaker=speaker,
                    theme=Theme.named(settings.theme, settings.text_size),
                    translator=Translator(language or settings.default_language),
                    pins=PinBook(paths.user_config, paths.data, time.time),
                    pictograms=pictograms())


def _qt_message(kind: QtMsgType, context: object, message: str) -> None:
    if any(note in message for note in _MACHINE_NOTES):
        qt_logger.info("%s", message)
    elif kind in (QtMsgType.QtCriticalMsg, QtMsgType.QtFatalMsg):
        qt_logger.error("%s", message)
    elif kind == QtMsgType.QtWarningMsg:
        qt_logger.warning("%s", message)
    else:
        qt_logger.debug("%s", message)


def make_application(argv: list[str]) -> QApplication:
    existing = QApplication.instance()
    if isinstance(existing, QApplication):
        return existing
    qInstallMessageHandler(_qt_message)
    app = QApplication(argv)
    app.setApplicationName(APP_NAME)
    app.setApplicationDisplayName(APP_NAME)
    return app


def run(paths: AppPaths, settings: Settings, language: str | None, kiosk_mode: bool) -> int:
    app = make_application([APP_NAME])
    services = build_services(paths, settings, language)
    window = Navigator(services, kiosk_mode=kiosk_mode)
    if kiosk_mode:
        window.showFullScreen()
    else:
        window.resize(1366, 768)
        window.show()
    window.start()
    try:
        return app.exec()
    finally:
        services.speaker.shutdown()
        services.progress.close()
