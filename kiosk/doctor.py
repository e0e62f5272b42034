"""``kiosk doctor``: checks this machine, one line per check with ✓ or ✗ and what to do.

Exit 0 only when every check passes. Staff read this; it says what is wrong in plain words.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from kiosk.core.catalog import Catalog, library_folders
from kiosk.core.i18n import base_language, language_name
from kiosk.core.paths import AppPaths
from kiosk.core.roles import PinBook, Role
from kiosk.core.settings import Settings, settings_files
from kiosk.core.speech_plan import SpeechCache
from kiosk.speech.client import SynthesisClient

# The writing system each language needs a font for.
SCRIPTS = {"ar": "Arabic", "fa": "Arabic", "uk": "Cyrillic", "ru": "Cyrillic", "bg": "Cyrillic",
           "ti": "Ethiopic", "he": "Hebrew"}


@dataclass
class Check:
    ok: bool
    what: str
    fix: str = ""

    def line(self) -> str:
        return f"✓ {self.what}" if self.ok else f"✗ {self.what} — {self.fix}"


def check_qt() -> list[Check]:
    from PySide6.QtGui import QGuiApplication

    app = QGuiApplication.instance()
    platform = QGuiApplication.platformName() if app else "none"
    screen = QGuiApplication.primaryScreen() if app else None
    if screen is None:
        return [Check(False, f"Qt platform {platform}: no screen",
                      "start the app in a desktop session, or check the display cable")]
    size = screen.size()
    if platform == "offscreen":
        return [Check(False, f"Qt platform offscreen ({size.width()}×{size.height()}): no display",
                      "run 'kiosk doctor' in the desktop session the app will use")]
    ok = size.width() >= 1280 and size.height() >= 720
    return [Check(ok, f"Qt platform {platform}, screen {size.width()}×{size.height()}",
                  "use a screen of at least 1280×720 (1366×768 or more is best)")]


def check_fonts(languages: list[str]) -> list[Check]:
    from PySide6.QtGui import QFontDatabase

    found = []
    for language in languages:
        script = SCRIPTS.get(base_language(language), "Latin")
        system = getattr(QFontDatabase.WritingSystem, script)
        families = QFontDatabase.families(system)
        found.append(Check(bool(families), f"fonts for {language_name(language)} ({script}): "
                                            f"{len(families)}",
                           f"install a font with {script} letters (e.g. Noto Sans)"))
    return found


def check_audio() -> list[Check]:
    from PySide6.QtMultimedia import QMediaDevices

    outputs = QMediaDevices.audioOutputs()
    if not outputs:
        return [Check(False, "audio output: none found",
                      "connect speakers or headphones and check the sound settings")]
    default = QMediaDevices.defaultAudioOutput()
    return [Check(True, f"audio output: {default.description() or outputs[0].description()}")]


def check_speech(paths: AppPaths, settings: Settings) -> list[Check]:
    from kiosk.speech.client import is_piper
    from kiosk.speech.piper_voices import suggested_voice

    client = SynthesisClient(SpeechCache(paths.speech_cache), voices=settings.voices,
                             voice_folder=paths.voices)
    try:
        if not client.wait_ready(30):
            return [Check(False, f"speech engine: {client.unavailable_reason or 'did not start'}",
                          "on Linux: pip install espeakng-loader or apt install libespeak-ng1; "
                          "on Windows: add voices in Settings > Time & language > Speech")]
        found = [Check(True, f"speech engine: {client.engine} with {len(client.voices)} voices")]
        found += [Check(False, f"voice file left out: {problem}",
                        "add a good copy with 'kiosk speech add-voice PATH.onnx', or delete it")
                  for problem in client.problems]
        for language in settings.languages:
            voice = client.voice_for(language)
            what = f"voice for {language_name(language)} ({language})"
            wanted = client.missing_configured(language)
            if wanted:
                model = wanted.removeprefix("piper:")
                found.append(Check(False, f"{what}: setting 'voices' names {wanted!r}, which is "
                                          "not installed",
                                   f"add it with 'kiosk speech add-voice {model}.onnx' or "
                                   "correct the setting"))
            if voice is None:
                found.append(Check(False, f"{what}: none",
                                   "install a voice for this language, or record audio for lessons"))
            elif is_piper(voice.id):
                found.append(Check(True, f"{what}: {voice.id} — natural (Piper)"))
            else:
                model = suggested_voice(language)
                natural = (f"; for a natural voice: kiosk speech add-voice {model} "
                           "(docs/deploying.md says where to get it)") if model else ""
                found.append(Check(True, f"{what}: {voice.id} — robotic (espeak-ng){natural}"))
        return found
    finally:
        client.close()


def check_lessons(settings: Settings) -> list[Check]:
    catalog = Catalog.load(library_folders(settings))
    found = [Check(bool(catalog.lessons) and not catalog.broken,
                   f"lessons: {len(catalog.lessons)} valid, {len(catalog.broken)} left out",
                   "run 'kiosk lessons check' to see what is wrong"
                   if catalog.broken else "add lessons or set bundled_lessons = true")]
    for broken in catalog.broken[:5]:
        found.append(Check(False, f"lesson {broken.lesson_id} ({broken.folder})",
                           broken.errors[0] if broken.errors else "cannot be read"))
    return found


def check_writable(paths: AppPaths) -> list[Check]:
    found = []
    for label, folder in (("data", paths.data), ("cache", paths.cache), ("log", paths.log)):
        probe = folder / f".doctor-{uuid.uuid4().hex}"
        try:
            folder.mkdir(parents=True, exist_ok=True)
            probe.write_bytes(b"ok")
            probe.unlink()
            found.append(Check(True, f"{label} folder writable: {folder}"))
        except OSError as exc:
            found.append(Check(False, f"{label} folder {folder}: {exc.strerror}",
                               "give this user write access to that folder"))
    return found


def check_settings(paths: AppPaths, extra: Path | None) -> list[Check]:
    problems: list[str] = []
    files = settings_files(paths.site_config, paths.user_config, extra)
    Settings.load(files, problems)
    read = [str(f) for f in files if f.is_file()]
    if problems:
        return [Check(False, f"settings: {p}", "correct that key (docs/deploying.md lists them)")
                for p in problems]
    return [Check(True, "settings valid" + (f" ({', '.join(read)})" if read else
                                            " (no settings file: defaults)"))]


def check_pins(paths: AppPaths) -> list[Check]:
    book = PinBook(paths.user_config, paths.data, time.time)
    return [Check(book.is_set(role), f"PIN for {role.value}: "
                  + ("set" if book.is_set(role) else "not set"),
                  f"run 'kiosk set-pin {role.value}'") for role in (Role.BUDDY, Role.STAFF)]


def run_doctor(paths: AppPaths, settings: Settings, extra: Path | None,
               out: Callable[[str], None] = print) -> int:
    headless = (os.name == "posix" and not os.environ.get("QT_QPA_PLATFORM")
                and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"))
    if headless:  # without a display Qt would abort; check the rest offscreen
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from kiosk.app import make_application

    make_application(["kiosk-doctor"])
    groups: list[Callable[[], list[Check]]] = [
        check_qt, lambda: check_fonts(settings.languages), check_audio,
        lambda: check_speech(paths, settings), lambda: check_lessons(settings),
        lambda: check_writable(paths), lambda: check_settings(paths, extra),
        lambda: check_pins(paths)]
    from kiosk.core.room import doctor_checks  # the room, when one is set
    groups.append(lambda: [Check(ok, line, fix) for ok, line, fix in doctor_checks(paths, settings)])
    failed = 0
    for group in groups:
        try:
            results = group()
        except Exception as exc:  # a check that breaks is itself a finding, not a crash
            results = [Check(False, f"check failed: {exc}", "report this to the developers")]
        for result in results:
            out(result.line())
            failed += not result.ok
    out("all checks passed" if not failed else f"{failed} problem(s) found")
    return 0 if not failed else 1
