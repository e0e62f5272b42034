"""The kiosk's one window: the stack of screens, kiosk mode (fullscreen, keys that would close
the app ignored, close requests refused), the watch on input, the staff corner, and the
language the window is laid out in. It knows nothing of visits or lessons: the navigator, a
subclass, routes what happens here."""

from __future__ import annotations

import logging
import time

from PySide6.QtCore import QEvent, QLibraryInfo, QLocale, QObject, Qt, QTimer, QTranslator
from PySide6.QtGui import QCloseEvent, QGuiApplication, QKeyEvent, QKeySequence
from PySide6.QtWidgets import QApplication, QLayout, QMainWindow, QStackedWidget, QWidget

from kiosk import APP_NAME

logger = logging.getLogger(__name__)

STAFF_TAPS = 5
STAFF_TAP_SECONDS = 3.0
STAFF_CORNER_PX = 80
INPUT_EVENTS = {QEvent.Type.MouseButtonPress, QEvent.Type.MouseButtonRelease,
                QEvent.Type.KeyPress, QEvent.Type.TouchBegin, QEvent.Type.Wheel}
CLOSING_KEYS = [QKeySequence("Alt+F4"), QKeySequence("Ctrl+W"), QKeySequence("Ctrl+Q"),
                QKeySequence("Escape"), QKeySequence("F11"), QKeySequence("Ctrl+F4")]


def is_closing_key(event: QKeyEvent) -> bool:
    pressed = QKeySequence(event.keyCombination())
    return any(pressed.matches(key) == QKeySequence.SequenceMatch.ExactMatch
               for key in CLOSING_KEYS)


class KioskWindow(QMainWindow):
    """Subclasses override ``input_seen`` (any tap or key), ``staff_corner`` (five quick taps
    in the top-left corner), ``tick`` (once a second) and ``before_close``."""

    def __init__(self, kiosk_mode: bool = False, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.kiosk_mode = kiosk_mode
        self.allow_close = not kiosk_mode
        self._corner_taps: list[float] = []
        self._watched: QObject | None = None
        self._qt_translator: QTranslator | None = None
        self.overlays: list[QWidget] = []  # cover the whole window, whatever its size
        self.setWindowTitle(APP_NAME)
        self.stack = QStackedWidget()
        self.setCentralWidget(self.stack)
        # The screen decides the window's size, not what a screen shows for a moment: while one
        # step gives way to the next, both may want room, and a window that grew past the screen
        # would not shrink back.
        self.layout().setSizeConstraint(QLayout.SizeConstraint.SetNoConstraint)
        self.clock_timer = QTimer(self)
        self.clock_timer.setInterval(1000)
        self.clock_timer.timeout.connect(self.tick)
        self.clock_timer.start()

    # -- what subclasses answer ------------------------------------------------------------

    def input_seen(self) -> None:
        pass

    def staff_corner(self) -> None:
        pass

    def tick(self) -> None:
        pass

    def before_close(self) -> None:
        pass

    # -- screens -----------------------------------------------------------------------------

    def show_screen(self, screen: QWidget) -> None:
        self.stack.setCurrentWidget(screen)

    def current_screen(self) -> QWidget | None:
        return self.stack.currentWidget()

    def lay_out(self, rtl: bool, language: str) -> None:
        """The window and the whole application read right to left or left to right; Qt's own
        texts (the context menu of a text field) come in ``language``."""
        direction = Qt.LayoutDirection.RightToLeft if rtl else Qt.LayoutDirection.LeftToRight
        app = QApplication.instance()
        if isinstance(app, QApplication):
            app.setLayoutDirection(direction)
            if self._qt_translator is not None:
                app.removeTranslator(self._qt_translator)
                self._qt_translator = None
            translator = QTranslator(self)
            folder = QLibraryInfo.path(QLibraryInfo.LibraryPath.TranslationsPath)
            if translator.load(QLocale(language), "qtbase", "_", folder):
                app.installTranslator(translator)
                self._qt_translator = translator
        self.setLayoutDirection(direction)

    # -- input ---------------------------------------------------------------------------------

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:
        kind = event.type()
        if kind in INPUT_EVENTS:
            self.input_seen()
            if kind == QEvent.Type.MouseButtonRelease:
                self._count_corner_tap(event)
        if self.kiosk_mode and not self.allow_close and kind in (QEvent.Type.KeyPress,
                                                                 QEvent.Type.ShortcutOverride):
            if isinstance(event, QKeyEvent) and is_closing_key(event):
                logger.info("kiosk mode ignored a closing key", extra={"event": "key_blocked"})
                return True
        return super().eventFilter(watched, event)

    def _count_corner_tap(self, event: QEvent) -> None:
        position = getattr(event, "globalPosition", None)
        if position is None:
            return
        local = self.mapFromGlobal(position().toPoint())
        if not (0 <= local.x() <= STAFF_CORNER_PX and 0 <= local.y() <= STAFF_CORNER_PX):
            self._corner_taps.clear()
            return
        now = time.monotonic()
        self._corner_taps = [t for t in self._corner_taps if now - t < STAFF_TAP_SECONDS] + [now]
        if len(self._corner_taps) >= STAFF_TAPS:
            self._corner_taps.clear()
            self.staff_corner()

    def showEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().showEvent(event)
        self._watch_input()

    def _watch_input(self) -> None:
        """Watches input on the window rather than the whole application: every tap and key of
        the kiosk passes through its one window first. An application-wide filter would also see
        Qt's internal objects, and giving each a Python type costs about 30 ms at start-up."""
        handle = self.windowHandle()
        if handle is not None and handle is not self._watched:
            handle.installEventFilter(self)
            self._watched = handle

    def resizeEvent(self, event) -> None:  # type: ignore[no-untyped-def]
        super().resizeEvent(event)
        for overlay in self.overlays:
            overlay.setGeometry(self.rect())

    # -- kiosk mode ------------------------------------------------------------------------------

    def enter_kiosk_mode(self) -> None:
        """Fullscreen and frameless on the primary screen, above other windows; keys that would
        close the app are ignored (see eventFilter) and so are close requests."""
        self.kiosk_mode = True
        self.allow_close = False
        self.setWindowFlags(self.windowFlags() | Qt.WindowType.FramelessWindowHint
                            | Qt.WindowType.WindowStaysOnTopHint)
        screen = QGuiApplication.primaryScreen()
        if screen is not None:
            self.setGeometry(screen.geometry())
        self.showFullScreen()

    def leave_kiosk_mode(self) -> None:
        """Staff only: the app may be closed again."""
        self.allow_close = True
        logger.info("staff left kiosk mode", extra={"event": "kiosk_left"})

    def closeEvent(self, event: QCloseEvent) -> None:
        if not self.allow_close:
            logger.info("kiosk mode ignored a request to close", extra={"event": "close_blocked"})
            event.ignore()
            return
        self.before_close()
        super().closeEvent(event)
