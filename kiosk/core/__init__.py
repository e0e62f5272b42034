"""The app's logic without Qt: lessons, progress, settings, sessions, languages, speech planning.

Nothing in this package imports PySide6, so it can be tested and used from scripts without a display.
"""
