"""The lesson catalog: every valid lesson in the configured library folders, and what was left out.

A broken lesson never stops the app: it is left out and named, with its problems, in
``Catalog.broken`` and in the staff log.
"""

from __future__ import annotations

import logging
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from kiosk.core.lessons import LESSON_FILE, CheckResult, Lesson, LessonLoader
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

    @classmethod
    def load(cls, folders: list[Path]) -> Catalog:
        catalog = cls()
        for folder in folders:
            catalog.topics.update(read_topics(folder))
        loader = LessonLoader(known_topics=set(catalog.topics))
        seen: set[str] = set()
        for lesson_folder in lesson_folders(folders):
            result = loader.check(lesson_folder)
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
            children = sorted(p for p in folder.iterdir() if p.is_dir())
        except OSError:
            logger.warning("lesson folder cannot be read: %s", folder)
            continue
        found.extend(child for child in children if (child / LESSON_FILE).exists())
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
