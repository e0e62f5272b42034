"""Settings: one typed list of keys, each with a default and a one-line description.

Read from the site config folder, then the user config folder (``settings.toml``, then
``staff.toml`` with what staff chose in the app's staff menu), then ``--config FILE``; a later
file overrides an earlier one key by key. A bad value is reported in one line naming the key and
the file, and the default (or the earlier value) stays; unknown keys give a warning.
"""

from __future__ import annotations

import json
import logging
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.core.files import atomic_write

logger = logging.getLogger(__name__)

SETTINGS_FILE = "settings.toml"
# What staff change in the app's staff menu, kept beside the user's own settings file (which the
# app never rewrites); read after it.
STAFF_FILE = "staff.toml"
STAFF_KEYS = ("languages", "idle_seconds", "text_size")


@dataclass(frozen=True)
class Key:
    name: str
    default: Any
    description: str
    choices: tuple[str, ...] = ()
    low: int | None = None
    high: int | None = None


KEYS: tuple[Key, ...] = (
    Key("kiosk_mode", False, "Fill the whole screen and ignore keys that would close the app."),
    Key("languages", ["nl", "fr", "en", "ar", "tr", "uk"], "Languages offered to residents."),
    Key("default_language", "nl", "Language the app starts in."),
    Key("voices", {}, "Voice per language, e.g. { nl = \"piper:nl_BE-nathalie-medium\" } or "
        "{ nl = \"gmw/nl\" }; empty: a natural (Piper) voice when one is added, else espeak-ng."),
    Key("speech_rate", "normal", "Speaking speed at the start of a session.",
        choices=("slow", "normal")),
    Key("read_aloud", True, "Read each step aloud when it opens."),
    Key("idle_seconds", 300, "Seconds without input before \"Ben je er nog?\" shows.",
        low=30, high=86400),
    Key("idle_warning_seconds", 120, "Seconds of the countdown in the idle warning.",
        low=120, high=3600),
    Key("role_idle_seconds", 90, "Seconds without input before a digibuddy or staff screen "
        "closes to the home screen.", low=10, high=3600),
    Key("retention_days", 30, "Days a resumable session is kept.", low=1, high=365),
    Key("lesson_folders", [], "Extra lesson folders, besides the bundled lessons."),
    Key("bundled_lessons", True, "Offer the lessons that come with the app."),
    Key("keyboard_layout", "azerty", "Letters of the on-screen keyboard.",
        choices=("azerty", "qwerty")),
    Key("theme", "normal", "Colours: normal or high contrast.", choices=("normal", "contrast")),
    Key("text_size", "A", "Text size at the start of a session.", choices=("A", "A+", "A++")),
    Key("room", "", "The room's PostgreSQL database, \"postgresql://user@host/db\"; empty: this "
        "PC alone. A password can go in room.toml beside this file instead."),
    Key("room_pc_name", "", "This PC's name in the room's digibuddy list; empty: the host name."),
    Key("room_name", "", "The room's name at the top of the digibuddy list, e.g. \"Bib Centrum\"; "
        "empty: \"this room\"."),
)
KEYS_BY_NAME = {key.name: key for key in KEYS}


@dataclass(frozen=True)
class Settings:
    kiosk_mode: bool = False
    languages: list[str] = field(default_factory=lambda: ["nl", "fr", "en", "ar", "tr", "uk"])
    default_language: str = "nl"
    voices: dict[str, str] = field(default_factory=dict)
    speech_rate: str = "normal"
    read_aloud: bool = True
    idle_seconds: int = 300
    idle_warning_seconds: int = 120
    role_idle_seconds: int = 90
    retention_days: int = 30
    lesson_folders: list[str] = field(default_factory=list)
    bundled_lessons: bool = True
    keyboard_layout: str = "azerty"
    theme: str = "normal"
    text_size: str = "A"
    room: str = ""
    room_pc_name: str = ""
    room_name: str = ""

    @classmethod
    def load(cls, files: list[Path], problems: list[str] | None = None) -> Settings:
        """Settings from these files in order (missing files are skipped).

        Each problem is logged as a warning and, when ``problems`` is given, appended to it.
        """
        settings = cls()
        found: list[str] = [] if problems is None else problems
        for path in files:
            if not path.is_file():
                continue
            try:
                data = tomllib.loads(path.read_text(encoding="utf-8"))
            except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
                found.append(f"{path}: cannot be read, ignored: {exc}")
                continue
            settings = settings.updated(data, str(path), found)
        for line in found:
            logger.warning("settings: %s", line, extra={"event": "settings_problem"})
        return settings

    def updated(self, data: dict[str, Any], source: str, problems: list[str]) -> Settings:
        values: dict[str, Any] = {}
        for name, value in data.items():
            key = KEYS_BY_NAME.get(name)
            if key is None:
                problems.append(f"{source}: unknown key '{name}', ignored")
                continue
            error = _validate(key, value)
            if error:
                kept = "the earlier value" if name == "room" else repr(getattr(self, name))
                problems.append(f"{source}: '{name}' {error}; using {kept}")
                continue
            values[name] = value
        result = replace(self, **values)
        if result.default_language not in result.languages:
            problems.append(f"{source}: 'default_language' {result.default_language!r} is not in "
                            f"'languages'; using {result.languages[0]!r}")
            result = replace(result, default_language=result.languages[0])
        return result


def _validate(key: Key, value: Any) -> str:
    default = key.default
    if isinstance(default, bool):
        return "" if isinstance(value, bool) else "must be true or false"
    if isinstance(default, int):
        if type(value) is not int:
            return "must be a whole number"
        if key.low is not None and key.high is not None and not key.low <= value <= key.high:
            return f"must be from {key.low} to {key.high}"
        return ""
    if isinstance(default, str):
        if not isinstance(value, str):
            return "must be text in quotes"
        if key.choices and value not in key.choices:
            return f"must be one of {', '.join(repr(c) for c in key.choices)}"
        return ""
    if isinstance(default, list):
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            return "must be a list of texts"
        if key.name == "languages" and not value:
            return "needs at least one language"
        return ""
    if isinstance(default, dict):
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            return "must be a table of texts"
        if key.name == "voices":
            empty = [code for code, voice in value.items() if not voice.strip()
                     or voice.strip() == "piper:"]
            if empty:
                return f"names no voice for {', '.join(map(repr, empty))}"
        return ""
    return ""


def settings_files(site_config: Path, user_config: Path, extra: Path | None) -> list[Path]:
    files = [site_config / SETTINGS_FILE, user_config / SETTINGS_FILE, user_config / STAFF_FILE]
    if extra is not None:
        files.append(extra)
    return files


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)  # a TOML basic string
    if isinstance(value, list):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    raise TypeError(f"no TOML form for {value!r}")


def save_staff_choice(user_config: Path, name: str, value: Any) -> str:
    """Keeps one thing staff chose in the staff menu (a key of ``STAFF_KEYS``) for the next start,
    beside what they chose before. Returns "" when saved, else one line saying what could not be
    written and where."""
    assert name in STAFF_KEYS, name
    path = user_config / STAFF_FILE
    chosen: dict[str, Any] = {}
    try:
        if path.is_file():
            chosen = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        chosen = {}  # damaged: written anew
    chosen[name] = value
    lines = ["# Chosen in the staff menu of Stap voor Stap. Delete this file to undo."]
    lines += [f"{key} = {_toml_value(chosen[key])}" for key in STAFF_KEYS if key in chosen]
    try:
        user_config.mkdir(parents=True, exist_ok=True)
        atomic_write(path, "\n".join(lines) + "\n")
    except OSError as exc:
        problem = f"{path}: the staff choice cannot be saved: {exc.strerror or exc}"
        logger.warning("settings: %s", problem, extra={"event": "settings_problem"})
        return problem
    return ""
