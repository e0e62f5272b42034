"""Input as the screen and keyboard deliver it: to the window, which passes it on to the widget
under the finger or with the focus (the path the app's idle and kiosk-mode watch sees)."""

from __future__ import annotations

from PySide6.QtCore import QPoint, Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QWidget


def tap_window(window: QWidget, point: QPoint) -> None:
    QTest.mouseClick(window.windowHandle(), Qt.MouseButton.LeftButton,
                     Qt.KeyboardModifier.NoModifier, point)


def press_window(window: QWidget, key: Qt.Key,
                 modifier: Qt.KeyboardModifier = Qt.KeyboardModifier.NoModifier) -> None:
    QTest.keyClick(window.windowHandle(), key, modifier)
