"""Tap-to-explain words: a small glossary beside the lessons (``lessons/_words/words.toml``).

Each word has the forms it takes in Dutch text (``app``, ``apps``), a one-sentence explanation
and a picture. Wherever one of its forms stands in a step text, the step marks it and a tap
shows a card with the picture and the explanation, read aloud. Authors add a word by adding an
entry and a picture; translators get the word and its explanation like lesson text (context
``_words``). A broken entry is reported as one line and left out; the other words still work.
"""

from __future__ import annotations

import re
import tomllib
import unicodedata
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

WORDS_FOLDER = "_words"
WORDS_FILE = "words.toml"
CONTEXT = "_words"  # translation context of the glossary's messages
KEYS = ("word", "forms", "explain", "picture")
FILE_KEYS = ("format", "word")
MAX_EXPLAIN_WORDS = 15


@dataclass(frozen=True)
class Word:
    word: str  # as the card's heading shows it
    forms: tuple[str, ...]  # every form matched in Dutch text, the word itself first
    explain: str  # one sentence
    picture: Path

    @property
    def forms_message(self) -> str:
        """The forms as one message, which translators answer with the forms the word takes in
        their language, separated by commas."""
        return ", ".join(self.forms)


@dataclass(frozen=True)
class Match:
    start: int
    length: int
    word: Word


@dataclass
class Glossary:
    words: tuple[Word, ...] = ()
    problems: list[str] = field(default_factory=list)

    def get(self, word: str) -> Word | None:
        return next((w for w in self.words if w.word.lower() == word.lower()), None)

    def find(self, text: str, translate: Callable[[str], str] | None = None) -> list[Match]:
        """The glossary words in a text, left to right, never overlapping. ``translate`` gives
        the resident's language: then the translated word is looked for too."""
        forms: dict[str, Word] = {}
        for word in self.words:
            for form in word.forms:
                forms.setdefault(form.lower(), word)
            if translate is not None:
                forms.setdefault(translate(word.word).lower(), word)
                translated = translate(word.forms_message)
                if translated != word.forms_message:
                    for form in translated.split(","):
                        if form.strip():
                            forms.setdefault(form.strip().lower(), word)
        if not forms or not text:
            return []
        # Vowel marks are left out on both sides: an Arabic word keeps its case ending in the
        # text ("الشُّبَّاكِ" after a preposition) but not in the glossary ("الشُّبَّاكُ").
        bare_forms = {_key(form): word for form, word in forms.items()}
        bare_text, where = _bare(text)
        pattern = re.compile(
            r"(?<![\w-])(" + "|".join(re.escape(f) for f in sorted(bare_forms, key=len, reverse=True))
            + r")(?![\w-])", re.IGNORECASE)
        found = []
        for m in pattern.finditer(bare_text):
            start, end = where[m.start()], where[m.end() - 1] + 1
            while end < len(text) and unicodedata.category(text[end]) == "Mn":
                end += 1  # the marks on the last letter belong to the word
            found.append(Match(start, end - start, bare_forms[_key(m.group(1))]))
        return found


def _key(form: str) -> str:
    """How a form is looked up: lower case without marks ("İndir".lower() adds a dot above)."""
    return _bare(form.lower())[0]


def _bare(text: str) -> tuple[str, list[int]]:
    """``text`` without combining marks, and where each kept character stands in ``text``."""
    kept = [(i, c) for i, c in enumerate(text) if unicodedata.category(c) != "Mn"]
    return "".join(c for _, c in kept), [i for i, _ in kept]


def words_folder(library: Path) -> Path:
    return library / WORDS_FOLDER


def load_glossary(folders: list[Path]) -> Glossary:
    """The words of every library folder that has a ``_words`` folder; the first one wins."""
    glossary = Glossary()
    words: list[Word] = []
    for library in folders:
        folder = words_folder(library)
        if not (folder / WORDS_FILE).is_file():
            continue
        found = read_words(folder)
        glossary.problems += found.problems
        known = {w.word.lower() for w in words}
        words += [w for w in found.words if w.word.lower() not in known]
    glossary.words = tuple(words)
    return glossary


def read_words(folder: Path) -> Glossary:
    path = folder / WORDS_FILE
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        return Glossary(problems=[f"{path}: cannot be read ({exc.strerror or exc})"])
    except UnicodeDecodeError:
        return Glossary(problems=[f"{path}: is not UTF-8 text"])
    except tomllib.TOMLDecodeError as exc:
        return Glossary(problems=[f"{path}: is not valid TOML ({exc})"])
    entries = data.get("word")
    if not isinstance(entries, list):
        return Glossary(problems=[f"{path}: needs [[word]] tables"])
    words: list[Word] = []
    problems: list[str] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{path} word {number}"
        word = _word(folder, entry, where, problems)
        if word is None:
            continue
        if word.word.lower() in seen:
            problems.append(f"{where}: {word.word!r} is in the list twice")
            continue
        seen.add(word.word.lower())
        words.append(word)
    return Glossary(tuple(words), problems)


def _word(folder: Path, entry: Any, where: str, problems: list[str]) -> Word | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: is not a table")
        return None
    unknown = sorted(set(entry) - set(KEYS))
    if unknown:
        problems.append(f"{where}: unknown key {unknown[0]!r} (known: {', '.join(KEYS)})")
        return None
    text = entry.get("word")
    if not isinstance(text, str) or not text.strip():
        problems.append(f"{where}: 'word' is missing")
        return None
    where = f"{where} ({text})"
    explain = entry.get("explain")
    if not isinstance(explain, str) or not explain.strip():
        problems.append(f"{where}: 'explain' is missing")
        return None
    if len(explain.split()) > MAX_EXPLAIN_WORDS or explain.strip().count(". ") > 0:
        problems.append(f"{where}: 'explain' must be one sentence of at most "
                        f"{MAX_EXPLAIN_WORDS} words")
        return None
    forms = entry.get("forms", [])
    if not isinstance(forms, list) or not all(isinstance(f, str) and f.strip() for f in forms):
        problems.append(f"{where}: 'forms' must be a list of words")
        return None
    picture = entry.get("picture")
    if not isinstance(picture, str) or not picture.strip():
        problems.append(f"{where}: 'picture' is missing")
        return None
    path = (folder / picture).resolve()
    if folder.resolve() not in path.parents or path.suffix.lower() != ".svg":
        problems.append(f"{where}: 'picture' must be an .svg file in {folder}")
        return None
    if not path.is_file():
        problems.append(f"{where}: picture {picture} does not exist")
        return None
    return Word(text.strip(), _forms(text, forms), explain.strip(), path)


def _forms(word: str, forms: list[str]) -> tuple[str, ...]:
    """Every form matched in Dutch text, the word itself first, each once."""
    return tuple(dict.fromkeys([word.strip(), *[f.strip() for f in forms]]))


def glossary_messages(data: dict[str, Any]) -> Iterator[tuple[str, str]]:
    """(where, message) of a parsed words.toml that translators translate."""
    entries = data.get("word")
    if not isinstance(entries, list):
        return
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("word"), str):
            continue
        yield f"word {entry['word']}", entry["word"]
        forms = entry.get("forms", [])
        if isinstance(forms, list) and all(isinstance(f, str) for f in forms):
            yield (f"forms of {entry['word']}: every form it takes in a text, separated by "
                   "commas (vowel marks may be left out)",
                   ", ".join(_forms(entry["word"], forms)))
        if isinstance(entry.get("explain"), str) and entry["explain"].strip():
            yield f"explanation of {entry['word']}", entry["explain"]
