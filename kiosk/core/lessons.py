"""Lesson format v1: the model, and the loader that checks every rule of the format.

A lesson is a folder with ``lesson.toml`` and its media. ``LessonLoader.check(folder)`` collects
every problem it finds, each as one line an author understands (which file, which step, what is
wrong, what would be right); ``LessonLoader.load(folder)`` returns the lesson or raises
``LessonError`` with those lines. The loader never reads outside the lesson folder.
"""

from __future__ import annotations

import re
import struct
import tomllib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any, overload

from kiosk.core.svg import Rect, SvgDocument, SvgError, parse_svg

FORMAT_VERSION = 1
LESSON_FILE = "lesson.toml"
MAX_LESSON_FILE_BYTES = 1024 * 1024
MAX_MEDIA_BYTES = 5 * 1024 * 1024
MAX_IMAGE_SIDE = 4096
MAX_CHOICES = 5  # at most five main choices on a screen (low-literacy rule 8)
ID_PATTERN = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")
LANGUAGE_PATTERN = re.compile(r"[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*")
IMAGE_SUFFIXES = (".svg", ".png", ".jpg", ".jpeg")
AUDIO_SUFFIXES = (".ogg", ".wav", ".mp3")
STEP_KINDS = ("show", "tap", "choose", "type")
PRACTICE_KINDS = ("tap", "choose", "type")

LESSON_KEYS = ("format", "id", "title", "summary", "topic", "level", "minutes", "icon",
               "language", "requires", "guide", "digcomp", "step")
STEP_KEYS = ("kind", "text", "say", "image", "audio", "hint", "done", "target", "answer",
             "match_case", "choice")
CHOICE_KEYS = ("text", "image", "correct", "why")
MAX_GUIDE = 600  # characters of the note for the digibuddy
# The 21 competences of DigComp 2.2 (the European framework of digital competence), by number:
# 1 information and data literacy, 2 communication and collaboration, 3 digital content creation,
# 4 safety, 5 problem solving.
DIGCOMP_AREAS = {1: 3, 2: 6, 3: 4, 4: 4, 5: 4}
DIGCOMP = tuple(f"{area}.{n}" for area, count in DIGCOMP_AREAS.items()
                for n in range(1, count + 1))
# Keys that only some kinds of step use.
KEY_KINDS = {
    "hint": PRACTICE_KINDS, "done": PRACTICE_KINDS, "target": ("tap", "type"),
    "answer": ("type",), "match_case": ("type",), "choice": ("choose",),
}


# A line that starts a step, and any table header (a header needs the full check).
_STEP_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*step[ \t]*\]\][ \t]*(#.*)?\r?$", re.MULTILINE)
_TABLE_HEADER = re.compile(r"^[ \t]*\[", re.MULTILINE)


class LessonError(Exception):
    """A lesson that cannot be used. ``problems`` holds one readable line per problem."""

    def __init__(self, folder: Path, problems: list[str]) -> None:
        self.folder = folder
        self.problems = problems
        super().__init__(f"{folder}: " + "; ".join(problems))


@dataclass(frozen=True)
class Choice:
    text: str
    image: Path | None = None
    correct: bool = False
    why: str = ""


@dataclass(frozen=True)
class Step:
    number: int  # 1-based, as shown to the learner
    kind: str
    text: str
    say: str = ""
    image: Path | None = None
    audio: str = ""
    hint: str = ""
    done: str = ""
    target_id: str = ""
    target: Rect | None = None
    answer: str = ""
    match_case: bool = False
    choices: tuple[Choice, ...] = ()

    @property
    def is_practice(self) -> bool:
        return self.kind in PRACTICE_KINDS

    def accepts(self, typed: str) -> bool:
        """Whether a typed answer is right: trimmed, and case-insensitive unless match_case."""
        given, expected = typed.strip(), self.answer.strip()
        if self.match_case:
            return given == expected
        return given.casefold() == expected.casefold()

    def hits(self, x: float, y: float, margin: float = 0.0) -> bool:
        """Whether a point in image units falls on the target (grown by ``margin`` on each side)."""
        if self.target is None:
            return False
        tx, ty, tw, th = self.target
        return tx - margin <= x <= tx + tw + margin and ty - margin <= y <= ty + th + margin


class LazySteps(Sequence[Step]):
    """A lesson's steps, read when the lesson is first opened; how many there are is known before.

    Loading raises ``LessonError`` when the lesson's files changed since the catalog was made and
    the lesson is no longer valid.
    """

    def __init__(self, count: int, load: Callable[[], tuple[Step, ...]]) -> None:
        self._count = count
        self._load = load
        self._steps: tuple[Step, ...] | None = None

    def loaded(self) -> tuple[Step, ...]:
        if self._steps is None:
            self._steps = self._load()
        return self._steps

    def __len__(self) -> int:
        return self._count if self._steps is None else len(self._steps)

    @overload
    def __getitem__(self, index: int) -> Step: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Step, ...]: ...

    def __getitem__(self, index: int | slice) -> Step | tuple[Step, ...]:
        return self.loaded()[index]

    def __iter__(self) -> Iterator[Step]:
        return iter(self.loaded())

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Sequence):
            return self.loaded() == tuple(other)
        return NotImplemented

    def __hash__(self) -> int:
        return hash(self.loaded())

    def __repr__(self) -> str:
        return f"LazySteps({self._count}, loaded={self._steps is not None})"


@dataclass(frozen=True)
class Lesson:
    folder: Path
    id: str
    title: str
    topic: str
    steps: Sequence[Step]  # a tuple, or LazySteps for a lesson that comes from the index
    summary: str = ""
    level: int = 1
    minutes: int | None = None
    icon: Path | None = None
    language: str = "nl"
    requires: tuple[str, ...] = ()
    guide: str = ""  # a note for the digibuddy, in Dutch; never shown to the learner
    digcomp: tuple[str, ...] = ()  # DigComp 2.2 competence numbers, like ("1.1", "4.2")


@dataclass
class CheckResult:
    """What ``LessonLoader.check`` found; ``lesson`` is set only when there are no errors."""

    folder: Path
    lesson_id: str
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    steps: list[dict[str, Any]] = field(default_factory=list)
    lesson: Lesson | None = None
    step_count: int | None = None  # from ``check_header``: steps counted, not yet read

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_json(self) -> dict[str, Any]:
        found: dict[str, Any] = {"path": str(self.folder), "id": self.lesson_id, "ok": self.ok,
                                 "errors": self.errors, "warnings": self.warnings,
                                 "steps": self.steps}
        if self.lesson is not None:
            found["guide"] = self.lesson.guide
            found["digcomp"] = list(self.lesson.digcomp)
        return found


def _did_you_mean(key: str, known: tuple[str, ...]) -> str:
    import difflib  # only for an author's mistake

    close = difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return f" — did you mean '{close[0]}'?" if close else f"; known keys are: {', '.join(known)}"


def _type_name(value: object) -> str:
    names = {bool: "true/false", int: "a whole number", float: "a number", str: "text",
             list: "a list", dict: "a table"}
    return names.get(type(value), type(value).__name__)


class _Problems:
    def __init__(self) -> None:
        self.errors: list[str] = []
        self.warnings: list[str] = []

    def error(self, where: str, message: str) -> None:
        self.errors.append(f"{where}: {message}" if where else message)

    def warn(self, where: str, message: str) -> None:
        self.warnings.append(f"{where}: {message}" if where else message)


class LessonLoader:
    """Loads and checks lessons. ``known_topics`` (from topics.toml) turns unknown topics into warnings."""

    def __init__(self, known_topics: set[str] | None = None) -> None:
        self.known_topics = known_topics

    def load(self, folder: Path) -> Lesson:
        result = self.check(folder)
        if result.lesson is None:
            raise LessonError(folder, result.errors)
        return result.lesson

    def check(self, folder: Path) -> CheckResult:
        folder = Path(folder)
        result = CheckResult(folder=folder, lesson_id=folder.name)
        problems = _Problems()
        try:
            data = self._read_toml(folder, problems)
            if data is not None:
                lesson = self._lesson(folder, data, problems, result)
                if not problems.errors:
                    result.lesson = lesson
        except RecursionError:
            problems.error(LESSON_FILE, "is nested too deeply")
        result.errors, result.warnings = problems.errors, problems.warnings
        return result

    # -- reading ---------------------------------------------------------------------------

    def check_header(self, folder: Path) -> CheckResult | None:
        """The lesson table only, for the lesson list: every key above the first ``[[step]]``
        checked as ``check`` does (the icon too), and the steps counted, not read. The lesson's
        ``steps`` is empty; ``step_count`` says how many there are. None when the header alone
        cannot tell (an error, a header that does not parse on its own, no steps or too many):
        ``check`` then says what is wrong."""
        folder = Path(folder)
        result = CheckResult(folder=folder, lesson_id=folder.name)
        problems = _Problems()
        text = self._read_text(folder, problems)
        if text is None:
            return None
        found = _STEP_HEADER.search(text)
        head = text[:found.start()] if found else text
        count = len(_STEP_HEADER.findall(text, found.start())) if found else 0
        if not 1 <= count <= 40 or _TABLE_HEADER.search(head):
            return None
        try:
            data = tomllib.loads(head)
            lesson = self._lesson(folder, data, problems, result, step_count=count)
        except (tomllib.TOMLDecodeError, RecursionError):
            return None
        if problems.errors or lesson is None:
            return None
        result.warnings = problems.warnings
        result.lesson = lesson
        result.step_count = count
        return result

    def _read_toml(self, folder: Path, problems: _Problems) -> dict[str, Any] | None:
        text = self._read_text(folder, problems)
        if text is None:
            return None
        try:
            return tomllib.loads(text)
        except tomllib.TOMLDecodeError as exc:
            problems.error(LESSON_FILE, f"TOML syntax error: {exc}")
            return None

    def _read_text(self, folder: Path, problems: _Problems) -> str | None:
        path = folder / LESSON_FILE
        try:
            if not folder.is_dir():
                problems.error(str(folder), "is not a folder")
                return None
            if path.is_symlink() or not path.is_file():
                problems.error("", f"{LESSON_FILE} is missing")
                return None
            if path.stat().st_size > MAX_LESSON_FILE_BYTES:
                problems.error(LESSON_FILE, "is larger than 1 MB")
                return None
            raw = path.read_bytes()
        except OSError as exc:
            problems.error(LESSON_FILE, f"cannot be read: {exc.strerror}")
            return None
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            line = raw[: exc.start].count(b"\n") + 1
            problems.error(LESSON_FILE, f"is not UTF-8 text (bad byte on line {line}); "
                                        "save it as UTF-8")
            return None

    # -- the lesson table ------------------------------------------------------------------

    def _lesson(self, folder: Path, data: dict[str, Any], problems: _Problems,
                result: CheckResult, step_count: int | None = None) -> Lesson | None:
        where = LESSON_FILE
        for key in data:
            if key not in LESSON_KEYS:
                problems.error(where, f"unknown key '{key}'{_did_you_mean(key, LESSON_KEYS)}")

        fmt = data.get("format")
        if fmt is None:
            problems.error(where, "'format' is missing; write format = 1")
        elif type(fmt) is not int:
            problems.error(where, f"'format' must be a whole number, not {_type_name(fmt)}")
        elif fmt > FORMAT_VERSION:
            problems.error(where, f"this lesson needs a newer version of the app (format {fmt})")
            return None
        elif fmt != FORMAT_VERSION:
            problems.error(where, f"'format' must be 1, not {fmt}")

        lesson_id = self._text(data, "id", where, problems, required=True, limit=48)
        if lesson_id:
            result.lesson_id = lesson_id
            if not ID_PATTERN.fullmatch(lesson_id) or not 3 <= len(lesson_id) <= 48:
                problems.error(where, f"'id' {lesson_id!r} must be 3–48 lowercase letters, digits "
                                      "and single dashes, like 'email-send'")
            elif lesson_id != folder.name:
                problems.error(where, f"'id' is {lesson_id!r} but the folder is {folder.name!r}; "
                                      "they must be the same")
        title = self._text(data, "title", where, problems, required=True, limit=60)
        summary = self._text(data, "summary", where, problems, limit=200)
        topic = self._text(data, "topic", where, problems, required=True, limit=48)
        if topic and not ID_PATTERN.fullmatch(topic):
            problems.error(where, f"'topic' {topic!r} must be lowercase letters, digits and dashes")
        elif topic and self.known_topics is not None and topic not in self.known_topics:
            known = ", ".join(sorted(self.known_topics)) or "none"
            problems.warn(where, f"topic {topic!r} is not in topics.toml (known: {known})")
        level = self._integer(data, "level", where, problems, 1, 3)
        minutes = self._integer(data, "minutes", where, problems, 1, 120)
        language = self._text(data, "language", where, problems, limit=35) or "nl"
        if not LANGUAGE_PATTERN.fullmatch(language):
            problems.error(where, f"'language' {language!r} is not a language tag like 'nl' or 'nl-BE'")
        requires: list[str] = []
        if "requires" in data:
            value = data["requires"]
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.error(where, "'requires' must be a list of lesson ids, like [\"tikken\"]")
            else:
                for other in value:
                    if not ID_PATTERN.fullmatch(other):
                        problems.error(where, f"'requires' names {other!r}, which is not a lesson id")
                requires = list(value)
        guide = self._text(data, "guide", where, problems, limit=MAX_GUIDE).strip()
        digcomp = self._digcomp(data, where, problems)
        icon = None
        if "icon" in data:
            icon = self._media(folder, data["icon"], "'icon'", where, problems, IMAGE_SUFFIXES)
            if icon is not None:
                self._image_document(icon, where, problems)

        steps = self._steps(folder, data, problems, result) if step_count is None else []
        if problems.errors:
            return None
        return Lesson(folder=folder, id=lesson_id, title=title, topic=topic, steps=tuple(steps),
                      summary=summary, level=level or 1, minutes=minutes, icon=icon,
                      language=language, requires=tuple(requires), guide=guide, digcomp=digcomp)

    def _digcomp(self, data: dict[str, Any], where: str, problems: _Problems) -> tuple[str, ...]:
        if "digcomp" not in data:
            return ()
        value = data["digcomp"]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            problems.error(where, "'digcomp' must be a list of DigComp 2.2 competence numbers "
                                  "in quotes, like [\"1.1\", \"4.2\"]")
            return ()
        tags: list[str] = []
        for tag in value:
            if tag not in DIGCOMP:
                area = tag.split(".", 1)[0]
                if re.fullmatch(r"[1-5]\.[0-9]+", tag):
                    known = ", ".join(t for t in DIGCOMP if t.startswith(area + "."))
                    problems.error(where, f"'digcomp' names {tag!r}, but area {area} of DigComp "
                                          f"2.2 has only {known}")
                else:
                    problems.error(where, f"'digcomp' names {tag!r}, which is not a DigComp 2.2 "
                                          "competence number (1.1–1.3, 2.1–2.6, 3.1–3.4, "
                                          "4.1–4.4, 5.1–5.4)")
            elif tag in tags:
                problems.error(where, f"'digcomp' names {tag!r} twice")
            else:
                tags.append(tag)
        return tuple(tags)

    def _steps(self, folder: Path, data: dict[str, Any], problems: _Problems,
               result: CheckResult) -> list[Step]:
        raw_steps = data.get("step")
        if raw_steps is None:
            problems.error(LESSON_FILE, "there are no steps; add at least one [[step]] table")
            return []
        if not isinstance(raw_steps, list) or not all(isinstance(s, dict) for s in raw_steps):
            problems.error(LESSON_FILE, "'step' must be written as [[step]] tables")
            return []
        if not 1 <= len(raw_steps) <= 40:
            problems.error(LESSON_FILE, f"a lesson has 1–40 steps, this one has {len(raw_steps)}")
            raw_steps = raw_steps[:40]
        steps = []
        for number, raw in enumerate(raw_steps, start=1):
            step = self._step(folder, number, raw, problems)
            if step is not None:
                steps.append(step)
                entry: dict[str, Any] = {"kind": step.kind}
                if step.target is not None:
                    entry["target"] = [round(v, 3) for v in step.target]
                result.steps.append(entry)
            else:
                result.steps.append({"kind": raw.get("kind", "show") if isinstance(
                    raw.get("kind", "show"), str) else "?"})
        return steps

    def _step(self, folder: Path, number: int, raw: dict[str, Any],
              problems: _Problems) -> Step | None:
        where = f"{LESSON_FILE}, step {number}"
        errors_before = len(problems.errors)
        for key in raw:
            if key not in STEP_KEYS:
                problems.error(where, f"unknown key '{key}'{_did_you_mean(key, STEP_KEYS)}")
        kind = raw.get("kind", "show")
        if kind not in STEP_KINDS:
            problems.error(where, f"'kind' must be one of {', '.join(STEP_KINDS)}, not {kind!r}")
            return None
        for key, kinds in KEY_KINDS.items():
            if key in raw and kind not in kinds:
                problems.error(where, f"'{key}' is not used by {kind} steps "
                                      f"(only by {', '.join(kinds)})")
        text = self._text(raw, "text", where, problems, required=True, limit=200)
        say = self._text(raw, "say", where, problems, limit=1000)
        hint = self._text(raw, "hint", where, problems, limit=200)
        done = self._text(raw, "done", where, problems, limit=200)
        audio = self._text(raw, "audio", where, problems, limit=200)
        if audio:
            self._media_path(folder, audio.replace("{lang}", "nl"), "'audio'", where, problems,
                             AUDIO_SUFFIXES, must_exist=False)

        image = None
        document: SvgDocument | None = None
        size: tuple[float, float] | None = None
        if "image" in raw:
            image = self._media(folder, raw["image"], "'image'", where, problems, IMAGE_SUFFIXES)
            if image is not None:
                document, size = self._image_document(image, where, problems)
        elif kind in ("tap", "type"):
            problems.error(where, f"{kind} steps need an 'image' to {kind} on")

        target_id = ""
        target: Rect | None = None
        if kind in ("tap", "type"):
            target_id, target = self._target(raw, image, document, size, where, problems)

        answer = ""
        match_case = False
        if kind == "type":
            answer = self._text(raw, "answer", where, problems, required=True, limit=200)
            if "match_case" in raw:
                if type(raw["match_case"]) is not bool:
                    problems.error(where, "'match_case' must be true or false")
                else:
                    match_case = raw["match_case"]

        choices: list[Choice] = []
        if kind == "choose":
            choices = self._choices(folder, raw.get("choice"), where, problems)

        if len(problems.errors) > errors_before:
            return None
        return Step(number=number, kind=kind, text=text, say=say, image=image, audio=audio,
                    hint=hint, done=done, target_id=target_id, target=target, answer=answer,
                    match_case=match_case, choices=tuple(choices))

    def _choices(self, folder: Path, raw: Any, where: str, problems: _Problems) -> list[Choice]:
        if raw is None:
            problems.error(where, "choose steps need 2–5 [[step.choice]] tables")
            return []
        if not isinstance(raw, list) or not all(isinstance(c, dict) for c in raw):
            problems.error(where, "'choice' must be written as [[step.choice]] tables")
            return []
        if not 2 <= len(raw) <= MAX_CHOICES:
            problems.error(where, f"choose steps need 2–{MAX_CHOICES} choices, "
                                  f"this one has {len(raw)}")
        choices = []
        for index, item in enumerate(raw[:MAX_CHOICES], start=1):
            cwhere = f"{where}, choice {index}"
            for key in item:
                if key not in CHOICE_KEYS:
                    problems.error(cwhere, f"unknown key '{key}'{_did_you_mean(key, CHOICE_KEYS)}")
            text = self._text(item, "text", cwhere, problems, required=True, limit=200)
            why = self._text(item, "why", cwhere, problems, limit=200)
            correct = item.get("correct", False)
            if type(correct) is not bool:
                problems.error(cwhere, "'correct' must be true or false")
                correct = False
            image = None
            if "image" in item:
                image = self._media(folder, item["image"], "'image'", cwhere, problems,
                                    IMAGE_SUFFIXES)
                if image is not None:
                    self._image_document(image, cwhere, problems)
            choices.append(Choice(text=text, image=image, correct=correct, why=why))
        if choices and not any(c.correct for c in choices):
            problems.error(where, "no choice is marked correct = true; mark at least one")
        return choices

    def _target(self, raw: dict[str, Any], image: Path | None, document: SvgDocument | None,
                size: tuple[float, float] | None, where: str,
                problems: _Problems) -> tuple[str, Rect | None]:
        if "target" not in raw:
            problems.error(where, "'target' is missing: an element id of the picture, "
                                  "or [x, y, width, height]")
            return "", None
        value = raw["target"]
        if isinstance(value, str):
            if image is None or size is None:
                return value, None
            if document is None:
                problems.error(where, f"target {value!r} is an element id, but {image.name} is not "
                                      "an SVG; use [x, y, width, height] in pixels")
                return value, None
            rect = document.element_rect(value)
            if rect is None:
                ids = document.ids()
                known = ", ".join(ids[:30]) + (" …" if len(ids) > 30 else "") if ids else "none"
                if value in ids:
                    problems.error(where, f"target {value!r} in {image.name} has no area "
                                          "(use a shape or a group of shapes)")
                else:
                    import difflib

                    close = difflib.get_close_matches(value, ids, n=1, cutoff=0.6)
                    hint = f" — did you mean '{close[0]}'?" if close else ""
                    problems.error(where, f"target {value!r} is not an element of {image.name}"
                                          f"{hint}; its ids are: {known}")
                return value, None
            if rect[2] <= 0 or rect[3] <= 0:
                problems.error(where, f"target {value!r} in {image.name} has no area")
                return value, None
            return value, rect
        if (isinstance(value, list) and len(value) == 4
                and all(type(v) in (int, float) for v in value)):
            x, y, w, h = (float(v) for v in value)
            if w <= 0 or h <= 0:
                problems.error(where, "target width and height must be more than 0")
                return "", None
            if size is not None:
                left, top, width, height = (document.view_box if document is not None
                                            else (0.0, 0.0, size[0], size[1]))
                if x < left or y < top or x + w > left + width or y + h > top + height:
                    problems.error(where, f"target [{x:g}, {y:g}, {w:g}, {h:g}] lies outside "
                                          f"the picture ({width:g}×{height:g})")
            return "", (x, y, w, h)
        problems.error(where, "'target' must be an element id (text) or [x, y, width, height]")
        return "", None

    # -- values ----------------------------------------------------------------------------

    def _text(self, table: dict[str, Any], key: str, where: str, problems: _Problems,
              required: bool = False, limit: int = 200) -> str:
        if key not in table:
            if required:
                problems.error(where, f"'{key}' is missing")
            return ""
        value = table[key]
        if not isinstance(value, str):
            problems.error(where, f"'{key}' must be text in quotes, not {_type_name(value)}")
            return ""
        if required and not value.strip():
            problems.error(where, f"'{key}' is empty")
            return ""
        if len(value) > limit:
            problems.error(where, f"'{key}' has {len(value)} characters; at most {limit} fit")
            return ""
        return value

    def _integer(self, table: dict[str, Any], key: str, where: str, problems: _Problems,
                 low: int, high: int) -> int | None:
        if key not in table:
            return None
        value = table[key]
        if type(value) is not int or not low <= value <= high:
            problems.error(where, f"'{key}' must be a whole number from {low} to {high}")
            return None
        return value

    def _media(self, folder: Path, value: Any, label: str, where: str, problems: _Problems,
               suffixes: tuple[str, ...]) -> Path | None:
        if not isinstance(value, str) or not value.strip():
            problems.error(where, f"{label} must be a file name in quotes")
            return None
        return self._media_path(folder, value, label, where, problems, suffixes)

    def _media_path(self, folder: Path, value: str, label: str, where: str, problems: _Problems,
                    suffixes: tuple[str, ...], must_exist: bool = True) -> Path | None:
        if "\\" in value:
            problems.error(where, f"{label} {value!r} must use / between folders")
            return None
        if any(ord(c) < 32 for c in value):
            problems.error(where, f"{label} {value[:60]!r} contains control characters")
            return None
        pure = PurePosixPath(value)
        if pure.is_absolute() or re.match(r"^[A-Za-z]:", value):
            problems.error(where, f"{label} {value!r} must be a path inside the lesson folder, "
                                  "not an absolute path")
            return None
        if ".." in pure.parts:
            problems.error(where, f"{label} {value!r} may not use '..' to leave the lesson folder")
            return None
        if pure.suffix.lower() not in suffixes:
            problems.error(where, f"{label} {value!r} must be one of {' '.join(suffixes)}")
            return None
        path = folder.joinpath(*pure.parts)
        try:
            inside = folder.resolve()
            resolved = path.resolve()
        except (OSError, RuntimeError, ValueError):
            problems.error(where, f"{label} {value[:60]!r} cannot be resolved")
            return None
        if not resolved.is_relative_to(inside):
            problems.error(where, f"{label} {value!r} points outside the lesson folder")
            return None
        if not must_exist:
            return path
        try:
            if not resolved.is_file():
                problems.error(where, f"{label} {value!r} does not exist in the lesson folder")
                return None
            if resolved.stat().st_size > MAX_MEDIA_BYTES:
                problems.error(where, f"{label} {value!r} is larger than 5 MB")
                return None
        except OSError as exc:  # e.g. a name too long for the file system
            problems.error(where, f"{label} {value[:60]!r} cannot be read: {exc.strerror}")
            return None
        return path

    def _image_document(self, image: Path, where: str,
                        problems: _Problems) -> tuple[SvgDocument | None, tuple[float, float] | None]:
        """Checks an image before anything decodes it: size from its header, SVG parsed safely."""
        if image.suffix.lower() == ".svg":
            try:
                document = parse_svg(image.resolve())
            except SvgError as exc:
                problems.error(where, str(exc))
                return None, None
            return document, (document.view_box[2], document.view_box[3])
        try:
            size = raster_size(image.resolve())
        except ValueError as exc:
            problems.error(where, f"{image.name}: {exc}")
            return None, None
        if size[0] > MAX_IMAGE_SIDE or size[1] > MAX_IMAGE_SIDE:
            problems.error(where, f"{image.name} is {size[0]}×{size[1]} pixels; "
                                  "at most 4096×4096 is allowed")
            return None, None
        return None, (float(size[0]), float(size[1]))


def raster_size(path: Path) -> tuple[int, int]:
    """Width and height of a PNG or JPEG read from its header, without decoding the pixels."""
    with path.open("rb") as f:
        head = f.read(32)
        if head.startswith(b"\x89PNG\r\n\x1a\n") and head[12:16] == b"IHDR":
            width, height = struct.unpack(">II", head[16:24])
            if width == 0 or height == 0:
                raise ValueError("the PNG has no pixels")
            return width, height
        if head.startswith(b"\xff\xd8"):
            f.seek(2)
            while True:
                marker = f.read(2)
                if len(marker) < 2 or marker[0] != 0xFF:
                    raise ValueError("the JPEG is damaged (no size found)")
                length_bytes = f.read(2)
                if len(length_bytes) < 2:
                    raise ValueError("the JPEG is damaged (cut short)")
                (length,) = struct.unpack(">H", length_bytes)
                if marker[1] in (0xC0, 0xC1, 0xC2, 0xC3, 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB,
                                 0xCD, 0xCE, 0xCF):
                    data = f.read(5)
                    if len(data) < 5:
                        raise ValueError("the JPEG is damaged (cut short)")
                    height, width = struct.unpack(">HH", data[1:5])
                    if width == 0 or height == 0:
                        raise ValueError("the JPEG has no pixels")
                    return width, height
                if length < 2:
                    raise ValueError("the JPEG is damaged")
                f.seek(length - 2, 1)
    raise ValueError("the picture is not a PNG or JPEG file it claims to be")
