"""Wiring: builds the services from settings and paths, and runs the window. No logic of its own."""

from __future__ import annotations

import logging
import sys
import time
from collections.abc import Callable

from PySide6.QtCore import QLockFile, QtMsgType, QTimer, qInstallMessageHandler
from PySide6.QtWidgets import QApplication

from kiosk import APP_NAME
from kiosk.core.catalog import Catalog, library_folders
from kiosk.core.i18n import Translator
from kiosk.core.paths import AppPaths
from kiosk.core.progress import ProgressService
from kiosk.core.roles import PinBook
from kiosk.core.room import load_config
from kiosk.core.sessions import pictograms
from kiosk.core.settings import Settings
from kiosk.core.speech_plan import SpeechCache
from kiosk.core.store import ProgressStore
from kiosk.speech import protocol
from kiosk.speech.client import SynthesisClient
from kiosk.speech.speaker import Speaker
from kiosk.ui import fonts
from kiosk.ui.navigator import Navigator, Services
from kiosk.ui.theme import Theme

logger = logging.getLogger(__name__)
qt_logger = logging.getLogger("kiosk.qt")

# Qt messages that only describe the machine (no sound card, no video acceleration).
_MACHINE_NOTES = ("PulseAudioService", "No audio device detected")


def build_services(paths: AppPaths, settings: Settings, language: str | None = None,
                   speaker: protocol.Speaker | None = None, store: bool = True,
                   clock: Callable[[], float] = time.time) -> Services:
    """The app's services; ``clock`` is the wall clock of visits, PINs and the store."""
    catalog = Catalog.load(library_folders(settings), paths.cache / "lesson-index.json")
    room = load_config(settings.room, [paths.site_config, paths.user_config],
                       settings.room_pc_name, settings.room_name) if store else None
    # The store opens on its writer thread while the window is made: the home screen does not
    # wait for a store another program holds locked (see Navigator.start).
    progress = (ProgressService.open(lambda: ProgressStore(paths.store_file, clock), room,
                                     wait=False)
                if store
                else ProgressService(None))
    if speaker is None:
        client = SynthesisClient(SpeechCache(paths.speech_cache), voices=settings.voices,
                             voice_folder=paths.voices)
        speaker = Speaker(client)
    speaker.set_rate(settings.speech_rate)
    return Services(settings=settings, catalog=catalog, progress=progress, speaker=speaker,
                    theme=Theme.named(settings.theme, settings.text_size),
                    translator=Translator(language or settings.default_language),
                    pins=PinBook(paths.user_config, paths.data, clock), clock=clock,
                    pictograms=pictograms(), log_folder=str(paths.log),
                    config_folder=str(paths.user_config), data_folder=str(paths.data))


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
    fonts.ensure_loaded()
    return app


EXIT_ALREADY_RUNNING = 4
EXIT_STAFF_QUIT = 3  # a staff member closed the app on purpose: supervisors should not restart it
LOCK_FILE = "kiosk.lock"


def install_crash_handler(window: Navigator) -> None:
    """An unexpected exception is logged with its trace and the app goes back to its home screen,
    instead of hanging half-drawn."""
    def handle(kind, value, trace) -> None:  # type: ignore[no-untyped-def]
        if issubclass(kind, KeyboardInterrupt):
            QApplication.quit()
            return
        logger.critical("unexpected error; back to the home screen", exc_info=(kind, value, trace),
                        extra={"event": "crash"})
        try:
            window.recover()
        except Exception:  # the screen itself is broken: let the supervisor start a fresh app
            logger.critical("recovery failed; quitting", exc_info=True, extra={"event": "crash"})
            QApplication.exit(1)

    sys.excepthook = handle


def run(paths: AppPaths, settings: Settings, language: str | None, kiosk_mode: bool) -> int:
    app = make_application([APP_NAME])
    paths.data.mkdir(parents=True, exist_ok=True)
    lock = QLockFile(str(paths.data / LOCK_FILE))
    lock.setStaleLockTime(0)  # a lock left by a crashed app is detected by its dead process
    if not lock.tryLock(200):
        print("kiosk: Stap voor Stap is already running for this user; this start stops here",
              file=sys.stderr)
        logger.warning("second start refused: already running", extra={"event": "already_running"})
        return EXIT_ALREADY_RUNNING
    logger.info("app started", extra={"event": "app_start"})
    services = build_services(paths, settings, language)
    window = Navigator(services, kiosk_mode=kiosk_mode)
    install_crash_handler(window)
    if kiosk_mode:
        window.enter_kiosk_mode()
    else:
        window.resize(1366, 768)
        window.show()
    window.start()
    QTimer.singleShot(300, services.speaker.warm_up)  # after the home screen is up
    try:
        return app.exec()
    finally:
        services.speaker.shutdown()
        services.progress.close()
        lock.unlock()
        logger.info("app stopped", extra={"event": "app_stop"})
