"""The lesson catalog: every valid lesson in the configured library folders, and what was left out.

A broken lesson never stops the app: it is left out and named, with its problems, in
``Catalog.broken`` and in the staff log.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import tomllib
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

from kiosk.core.files import atomic_write
from kiosk.core.lessons import (
    LESSON_FILE,
    CheckResult,
    Choice,
    LazySteps,
    Lesson,
    LessonError,
    LessonLoader,
    Step,
)
from kiosk.core.paths import bundled
from kiosk.core.settings import Settings

logger = logging.getLogger(__name__)

TOPICS_FILE = "topics.toml"


@dataclass(frozen=True)
class Topic:
    id: str
    title: str
    icon: str = ""


@dataclass
class Catalog:
    lessons: list[Lesson] = field(default_factory=list)
    topics: dict[str, Topic] = field(default_factory=dict)
    broken: list[CheckResult] = field(default_factory=list)

    def get(self, lesson_id: str) -> Lesson | None:
        return next((lesson for lesson in self.lessons if lesson.id == lesson_id), None)

    def open(self, lesson_id: str) -> Lesson | None:
        """The lesson with its steps read. A lesson whose files were changed into a broken one
        since the catalog was made is left out now (logged, and listed in ``broken``): None."""
        lesson = self.get(lesson_id)
        if lesson is None or not isinstance(lesson.steps, LazySteps):
            return lesson
        try:
            lesson.steps.loaded()
        except LessonError as exc:
            self.lessons.remove(lesson)
            self.broken.append(CheckResult(folder=lesson.folder, lesson_id=lesson.id,
                                           errors=exc.problems))
            logger.warning("lesson left out: %s: %s", lesson.folder, "; ".join(exc.problems),
                           extra={"event": "lesson_broken", "lesson": lesson.id})
            return None
        return lesson

    @classmethod
    def load(cls, folders: list[Path], index_file: Path | None = None) -> Catalog:
        """Loads every lesson; with ``index_file``, lessons whose files did not change since the
        last start are taken from that index instead of being checked again."""
        catalog = cls()
        for folder in folders:
            catalog.topics.update(read_topics(folder))
        loader = LessonLoader(known_topics=set(catalog.topics))
        index = LessonIndex(index_file) if index_file is not None else None
        seen: set[str] = set()
        for lesson_folder in lesson_folders(folders):
            result = index.check(loader, lesson_folder) if index else loader.check(lesson_folder)
            if result.lesson is None:
                catalog.broken.append(result)
                logger.warning("lesson left out: %s: %s", lesson_folder, "; ".join(result.errors),
                               extra={"event": "lesson_broken", "lesson": result.lesson_id})
                continue
            if result.lesson.id in seen:
                logger.warning("lesson left out: %s: a lesson with id %r was already loaded",
                               lesson_folder, result.lesson.id,
                               extra={"event": "lesson_duplicate", "lesson": result.lesson.id})
                continue
            seen.add(result.lesson.id)
            catalog.lessons.append(result.lesson)
        if index is not None:
            index.save()
        order = list(catalog.topics)
        depth = _requirement_depths(catalog.lessons)
        catalog.lessons.sort(key=lambda lesson: (
            order.index(lesson.topic) if lesson.topic in order else len(order), lesson.level,
            depth[lesson.id], lesson.id))
        return catalog


def _requirement_depths(lessons: list[Lesson]) -> dict[str, int]:
    """How many lessons come before each one through ``requires`` (cycles count once)."""
    by_id = {lesson.id: lesson for lesson in lessons}
    depths: dict[str, int] = {}

    def depth(lesson_id: str, seen: frozenset[str]) -> int:
        if lesson_id in depths:
            return depths[lesson_id]
        lesson = by_id.get(lesson_id)
        if lesson is None or lesson_id in seen:
            return 0
        value = 1 + max((depth(r, seen | {lesson_id}) for r in lesson.requires), default=-1)
        depths[lesson_id] = value
        return value

    for lesson in lessons:
        depth(lesson.id, frozenset())
    return depths


def library_folders(settings: Settings) -> list[Path]:
    """The configured library: the bundled lessons (unless switched off) and the extra folders."""
    folders = [bundled("lessons")] if settings.bundled_lessons else []
    return folders + [Path(folder).expanduser() for folder in settings.lesson_folders]


def lesson_folders(folders: list[Path]) -> list[Path]:
    """Lesson folders in the library folders, in name order; a folder that is a lesson counts too."""
    found = []
    for folder in folders:
        if (folder / LESSON_FILE).is_file():
            found.append(folder)
            continue
        try:
            with os.scandir(folder) as entries:  # names and kinds in one read, no stat each
                names = sorted(entry.name for entry in entries if entry.is_dir())
        except OSError:
            logger.warning("lesson folder cannot be read: %s", folder)
            continue
        base = str(folder)
        found.extend(folder / name for name in names
                     if os.path.exists(os.path.join(base, name, LESSON_FILE)))
    return found


def read_topics(folder: Path) -> dict[str, Topic]:
    path = folder / TOPICS_FILE
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        logger.warning("%s cannot be read: %s", path, exc)
        return {}
    topics = {}
    for topic_id, table in data.items():
        if isinstance(table, dict) and isinstance(table.get("title"), str):
            icon = table.get("icon", "")
            topics[topic_id] = Topic(topic_id, table["title"], icon if isinstance(icon, str) else "")
        else:
            logger.warning("%s: topic %r needs a title", path, topic_id)
    return topics


INDEX_VERSION = 3


def fingerprint(folder: Path) -> list[list[Any]]:
    """Every file of a lesson folder with its size and change time (links: their target's)."""
    found: list[list[Any]] = []

    def walk(directory: str, prefix: str) -> None:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        for entry in entries:
            name = prefix + entry.name
            if entry.is_dir(follow_symlinks=False):
                walk(entry.path, name + "/")
                continue
            link = os.path.realpath(entry.path) if entry.is_symlink() else ""
            try:
                info = entry.stat()
                found.append([name, info.st_size, info.st_mtime_ns, link])
            except OSError:
                found.append([name, -1, -1, link])

    walk(str(folder), "")
    return sorted(found)


def _plain(value: Any) -> Any:
    """Paths as text, tuples as lists: what JSON can hold."""
    if isinstance(value, Path):
        return str(value)
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    return value


def _path(value: str | None) -> Path | None:
    return Path(value) if value else None


def _steps_to_json(steps: Sequence[Step]) -> list[Any]:
    return [_plain(asdict(step)) for step in steps]


def _steps_from_json(raw_steps: list[dict[str, Any]]) -> tuple[Step, ...]:
    steps = []
    for raw in raw_steps:
        choices = tuple(Choice(text=c["text"], image=_path(c["image"]), correct=c["correct"],
                               why=c["why"]) for c in raw["choices"])
        target = tuple(raw["target"]) if raw["target"] is not None else None
        steps.append(Step(number=raw["number"], kind=raw["kind"], text=raw["text"],
                          say=raw["say"], image=_path(raw["image"]), audio=raw["audio"],
                          hint=raw["hint"], done=raw["done"], target_id=raw["target_id"],
                          target=target, answer=raw["answer"],
                          match_case=raw["match_case"], choices=choices))
    return tuple(steps)


def _summary_to_json(lesson: Lesson) -> dict[str, Any]:
    return {"folder": str(lesson.folder), "id": lesson.id, "title": lesson.title,
            "topic": lesson.topic, "summary": lesson.summary, "level": lesson.level,
            "minutes": lesson.minutes, "icon": _plain(lesson.icon), "language": lesson.language,
            "requires": list(lesson.requires), "guide": lesson.guide,
            "digcomp": list(lesson.digcomp), "count": len(lesson.steps)}


def _stat_key(path: Path) -> list[int] | None:
    try:
        info = os.stat(path)
    except OSError:
        return None
    return [info.st_size, info.st_mtime_ns]


class LessonIndex:
    """Checked lessons remembered between starts, so that a large library opens at once.

    A lesson new to the index (the first start, or a new or changed ``lesson.toml``) has only
    its header checked at start: the keys above its first step, its icon, and how many steps
    it has; its steps and their pictures are checked in full when it is first opened. A lesson
    already in the index comes from it when its ``lesson.toml`` is unchanged (one ``stat``).
    Either way its steps are read when it is opened, and only after every file of its folder is
    compared with what was checked; a lesson that changed is checked again then, and one that
    is broken is left out with its problems (``LessonError``). A broken lesson is remembered
    as broken and checked in full at every start until it is fixed, so the staff log and
    ``kiosk lessons check`` always say what is wrong now. The index lives in the cache folder
    (one small file, and the steps of each lesson beside it): deleting it only makes the next
    start slower.
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        self.steps_folder = path.with_name(path.stem + "-steps")
        self.entries: dict[str, Any] = {}
        self.changed = False
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") == INDEX_VERSION and isinstance(data.get("lessons"), dict):
                self.entries = data["lessons"]
        except (OSError, ValueError, AttributeError):
            pass

    def check(self, loader: LessonLoader, folder: Path) -> CheckResult:
        key = os.path.abspath(folder)
        entry = self.entries.get(key)
        toml = _stat_key(folder / LESSON_FILE)
        if entry is not None and toml is not None and entry.get("toml") == toml:
            try:
                summary = entry["lesson"]
                lesson = Lesson(
                    folder=Path(summary["folder"]), id=summary["id"], title=summary["title"],
                    topic=summary["topic"], summary=summary["summary"], level=summary["level"],
                    minutes=summary["minutes"], icon=_path(summary["icon"]),
                    language=summary["language"], requires=tuple(summary["requires"]),
                    guide=summary["guide"], digcomp=tuple(summary["digcomp"]),
                    steps=LazySteps(int(summary["count"]),
                                    lambda: self.steps_for(loader, folder)))
                return CheckResult(folder=folder, lesson_id=lesson.id, lesson=lesson,
                                   warnings=list(entry.get("warnings", [])))
            except (KeyError, TypeError, ValueError):
                pass  # an entry this version cannot read: check the lesson again
        return self._index_now(loader, folder)

    def _index_now(self, loader: LessonLoader, folder: Path) -> CheckResult:
        """A lesson new to the index: its header is checked and its steps counted now; its
        steps and pictures are checked when it is first opened (``steps_for``). A header that
        does not tell is checked in full at once, so its problems are named at start."""
        key = os.path.abspath(folder)
        if self.entries.get(key, {}).get("broken"):
            return self._check_now(loader, folder)  # broken last time: say what is wrong now
        toml = _stat_key(folder / LESSON_FILE)
        result = loader.check_header(folder) if toml is not None else None
        if result is None or result.lesson is None or result.step_count is None:
            return self._check_now(loader, folder)
        lesson = replace(result.lesson, steps=LazySteps(
            result.step_count, lambda: self.steps_for(loader, folder)))
        name = hashlib.sha1(key.encode("utf-8")).hexdigest() + ".json"
        self.entries[key] = {"toml": toml, "steps": name, "warnings": result.warnings,
                             "lesson": {**_summary_to_json(lesson), "count": result.step_count}}
        self.changed = True
        result.lesson = lesson
        return result

    def steps_for(self, loader: LessonLoader, folder: Path) -> tuple[Step, ...]:
        """The steps of a lesson from the index, if none of its files changed; else checked now."""
        key = os.path.abspath(folder)
        entry = self.entries.get(key)
        if entry is not None:
            try:
                stored = json.loads((self.steps_folder / entry["steps"]).read_text(
                    encoding="utf-8"))
                if stored["fingerprint"] == fingerprint(folder):
                    return _steps_from_json(stored["steps"])
            except (OSError, ValueError, KeyError, TypeError):
                pass  # missing or damaged: check the lesson again
        result = self._check_now(loader, folder)
        self.save()
        if result.lesson is None:
            raise LessonError(folder, result.errors)
        return tuple(result.lesson.steps)

    def _check_now(self, loader: LessonLoader, folder: Path) -> CheckResult:
        key = os.path.abspath(folder)
        before = fingerprint(folder)
        toml = next(([size, changed] for name, size, changed, _ in before
                     if name == LESSON_FILE and size >= 0), None)
        result = loader.check(folder)
        if result.lesson is not None and toml is not None:
            name = hashlib.sha1(key.encode("utf-8")).hexdigest() + ".json"
            try:
                self.steps_folder.mkdir(parents=True, exist_ok=True)
                atomic_write(self.steps_folder / name, json.dumps(
                    {"fingerprint": before, "steps": _steps_to_json(result.lesson.steps)}))
                self.entries[key] = {"toml": toml, "steps": name, "warnings": result.warnings,
                                     "lesson": _summary_to_json(result.lesson)}
            except OSError as exc:
                logger.warning("lesson index %s cannot be written: %s", self.steps_folder, exc)
                self.entries.pop(key, None)
            self.changed = True
        elif result.lesson is None:
            self.entries[key] = {"broken": True}  # checked in full at every start until fixed
            self.changed = True
        return result

    def save(self) -> None:
        if not self.changed:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            atomic_write(self.path, json.dumps({"version": INDEX_VERSION,
                                                     "lessons": self.entries}))
            self.changed = False
        except OSError as exc:
            logger.warning("lesson index %s cannot be written: %s", self.path, exc)
