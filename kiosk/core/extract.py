"""Babel extractors for lessons: texts of ``lesson.toml`` and of ``<text>`` in lesson SVGs.

Only picture labels with words go to translators; digits, symbols, single keyboard letters and
e-mail or web addresses are drawn as they are in every language (see ``has_words``).

Messages go to the ``lessons`` domain with the lesson id (the folder name) as context, so the
same Dutch sentence can be translated differently in two lessons. Registered under
``babel.extractors`` as ``kiosk_lesson`` and ``kiosk_svg``; ``translations/babel-lessons.cfg``
uses them.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from kiosk.core.svg import SvgError, parse_svg_bytes

Extracted = tuple[int, str, tuple[str, str], list[str]]
STEP_TEXT_KEYS = ("text", "say", "hint", "done")
# Picture labels that stay as drawn in every language: e-mail and web addresses, file names.
ADDRESS = re.compile(r"\S+@\S+|(?:https?://)?(?:www\.)?[\w-]+(?:\.[\w-]+)+/?")
# A word: two or more letters, not glued to digits ("BE00", "°C" and "A" are no words).
WORD = re.compile(r"(?<![\w])[^\W\d_]{2,}(?![\w])")


def has_words(label: str) -> bool:
    """Whether a picture label needs a translator: digits, symbols, single keyboard letters and
    addresses are drawn the same in every language."""
    return WORD.search(ADDRESS.sub(" ", label)) is not None


def _lesson_id(fileobj: IO[bytes]) -> str:
    return Path(getattr(fileobj, "name", "lesson/x")).parent.name


def _line_of(text: str, message: str) -> int:
    """The line a message stands on (TOML keeps no positions; the quoted text is searched)."""
    for needle in (message, message.split("\n")[0]):
        index = text.find(needle)
        if index >= 0:
            return text.count("\n", 0, index) + 1
    return 1


def lesson_messages(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(key, message) pairs of a parsed lesson.toml that are shown or spoken."""
    for key in ("title", "summary"):
        if isinstance(data.get(key), str) and data[key].strip():
            yield key, data[key]
    steps = data.get("step")
    if not isinstance(steps, list):
        return
    for number, step in enumerate(steps, start=1):
        if not isinstance(step, dict):
            continue
        for key in STEP_TEXT_KEYS:
            if isinstance(step.get(key), str) and step[key].strip():
                yield f"step {number} {key}", step[key]
        choices = step.get("choice")
        if isinstance(choices, list):
            for index, choice in enumerate(choices, start=1):
                if isinstance(choice, dict):
                    for key in ("text", "why"):
                        if isinstance(choice.get(key), str) and choice[key].strip():
                            yield f"step {number} choice {index} {key}", choice[key]


def extract_lesson(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                   options: Any) -> Iterator[Extracted]:
    raw = fileobj.read()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # `kiosk lessons check` reports it; extraction skips it
    raw_id = data.get("id")
    lesson_id = raw_id if isinstance(raw_id, str) else _lesson_id(fileobj)
    for where, message in lesson_messages(data):
        yield _line_of(text, message), "pgettext", (lesson_id, message), [where]


def extract_svg(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                options: Any) -> Iterator[Extracted]:
    raw = fileobj.read()
    try:
        document = parse_svg_bytes(raw, getattr(fileobj, "name", "picture"))
    except SvgError:
        return
    text = raw.decode("utf-8")
    name = Path(getattr(fileobj, "name", "picture.svg")).name
    for message in document.texts():
        if not has_words(message):
            continue
        yield _line_of(text, message), "pgettext", (_lesson_id(fileobj), message), [f"in {name}"]


def extract_names(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: Any) -> Iterator[tuple[int, str, str, list[str]]]:
    """The words of the picture-code pictograms (``assets/pictograms/names.toml``), domain kiosk."""
    raw = fileobj.read()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return
    for key, word in data.items():
        if isinstance(word, str) and word.strip():
            yield _line_of(text, word), "gettext", word, [f"picture-code pictogram {key}"]


def extract_words(fileobj: IO[bytes], keywords: Any, comment_tags: Any,
                  options: Any) -> Iterator[Extracted]:
    """The tap-to-explain glossary (``lessons/_words/words.toml``): each word and its
    explanation, in the lessons domain with the context ``_words``."""
    from kiosk.core.words import CONTEXT, glossary_messages

    raw = fileobj.read()
    try:
        text = raw.decode("utf-8")
        data = tomllib.loads(text)
    except (UnicodeDecodeError, tomllib.TOMLDecodeError):
        return  # `kiosk lessons check` reports it
    for where, message in glossary_messages(data):
        yield _line_of(text, message), "pgettext", (CONTEXT, message), [where]
