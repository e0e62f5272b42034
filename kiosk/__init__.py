"""Stap voor Stap: offline, touch-first lessons in digital skills for public computer rooms."""

__version__ = "0.1.0"
APP_NAME = "Stap voor Stap"
APP_ID = "kiosk"
