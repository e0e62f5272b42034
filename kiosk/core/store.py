"""The progress store: one SQLite file, anonymous sessions and their progress.

``ProgressStore`` is the only code that writes SQL. It opens the file in WAL mode with
``synchronous=FULL`` and ``secure_delete=ON``, migrates the schema with ``PRAGMA user_version``
(each migration and its version number commit together, so an interrupted upgrade leaves the old
or the new schema), and moves a damaged file aside instead of failing. No column holds a name,
an e-mail address, a phone number or anything a learner typed.
"""

from __future__ import annotations

import logging
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

Clock = Callable[[], float]

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and the progress of each lesson in them
    """
    CREATE TABLE session (
        id INTEGER PRIMARY KEY,
        code TEXT UNIQUE,
        started_at REAL NOT NULL,
        last_seen_at REAL NOT NULL,
        ended_at REAL,
        end_reason TEXT,
        current_lesson TEXT
    );
    CREATE TABLE lesson_progress (
        session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        lesson_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        step_count INTEGER NOT NULL,
        started_at REAL NOT NULL,
        updated_at REAL NOT NULL,
        finished_at REAL,
        seconds REAL NOT NULL DEFAULT 0,
        PRIMARY KEY (session_id, lesson_id)
    );
    CREATE TABLE step_tries (
        session_id INTEGER NOT NULL REFERENCES session(id) ON DELETE CASCADE,
        lesson_id TEXT NOT NULL,
        step INTEGER NOT NULL,
        tries INTEGER NOT NULL,
        PRIMARY KEY (session_id, lesson_id, step)
    );
    """,
    # 2: look-ups by last visit (retention purge, digibuddy list) and by picture code
    """
    CREATE INDEX session_last_seen ON session (last_seen_at);
    CREATE INDEX progress_started ON lesson_progress (started_at);
    """,
    # 3: a random identity per session, the same on every PC of a room
    """
    ALTER TABLE session ADD COLUMN uid TEXT;
    UPDATE session SET uid = lower(hex(randomblob(16)));
    CREATE UNIQUE INDEX session_uid ON session (uid);
    """,
)
SCHEMA_VERSION = len(MIGRATIONS)


class StoreError(Exception):
    """The store cannot be written (read-only, full, locked); the caller keeps going in memory."""


@dataclass(frozen=True)
class SessionSummary:
    """One line of the digibuddy's list: no name, only the picture code and what was done."""

    session_id: int
    code: str
    started_at: float
    last_seen_at: float
    ended: bool
    finished_lessons: int
    current_lesson: str
    step: int
    step_count: int
    hard_steps: tuple[tuple[str, int, int], ...]  # (lesson, step, tries) with many tries


@dataclass(frozen=True)
class DayCount:
    day: str
    lesson_id: str
    sessions: int
    starts: int
    finishes: int
    median_minutes: float


@dataclass(frozen=True)
class LessonProgress:
    session_id: int
    lesson_id: str
    step: int
    step_count: int
    finished: bool
    updated_at: float


class ProgressStore:
    def __init__(self, path: Path, clock: Clock = time.time) -> None:
        self.path = path
        self.clock = clock
        self.connection = self._open()

    # -- opening, recovery, migrations -----------------------------------------------------

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            return self._connect_and_migrate()
        except sqlite3.DatabaseError as exc:
            if _is_unwritable(exc):
                raise StoreError(f"progress store {self.path} cannot be written: {exc}") from None
            aside = self._move_aside()
            logger.warning("progress store was damaged (%s); moved it to %s and started a new one",
                           exc, aside.name, extra={"event": "store_recovered"})
            return self._connect_and_migrate()

    def _connect_and_migrate(self) -> sqlite3.Connection:
        connection = sqlite3.connect(self.path, isolation_level=None, timeout=5.0,
                                     check_same_thread=False)
        try:
            connection.execute("PRAGMA secure_delete = ON")
            mode = connection.execute("PRAGMA journal_mode = WAL").fetchone()[0]
            if str(mode).lower() != "wal":
                raise sqlite3.DatabaseError(f"cannot use WAL mode ({mode})")
            connection.execute("PRAGMA synchronous = FULL")
            connection.execute("PRAGMA foreign_keys = ON")
            check = connection.execute("PRAGMA quick_check").fetchone()[0]
            if check != "ok":
                raise sqlite3.DatabaseError(f"integrity check failed: {check}")
            self._migrate(connection)
            self._check_tables(connection)
        except BaseException:
            connection.close()
            raise
        return connection

    @staticmethod
    def _migrate(connection: sqlite3.Connection) -> None:
        version = connection.execute("PRAGMA user_version").fetchone()[0]
        if version > SCHEMA_VERSION:
            raise sqlite3.DatabaseError(f"store is from a newer app (schema {version})")
        for number in range(version + 1, SCHEMA_VERSION + 1):
            connection.execute("BEGIN IMMEDIATE")
            try:
                for statement in _statements(MIGRATIONS[number - 1]):
                    connection.execute(statement)
                connection.execute(f"PRAGMA user_version = {number}")
                connection.execute("COMMIT")
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            logger.info("progress store schema is now version %d", number)

    @staticmethod
    def _check_tables(connection: sqlite3.Connection) -> None:
        names = {row[0] for row in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table'")}
        missing = {"session", "lesson_progress", "step_tries"} - names
        if missing:
            raise sqlite3.DatabaseError(f"tables missing: {', '.join(sorted(missing))}")

    def _move_aside(self) -> Path:
        stamp = time.strftime("%Y%m%d-%H%M%S", time.localtime(self.clock()))
        aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}")
        counter = 1
        while aside.exists():
            aside = self.path.with_name(f"{self.path.name}.damaged-{stamp}-{counter}")
            counter += 1
        if self.path.exists():
            self.path.replace(aside)
        for suffix in ("-wal", "-shm"):
            extra = self.path.with_name(self.path.name + suffix)
            if extra.exists():
                extra.replace(aside.with_name(aside.name + suffix))
        return aside

    def close(self) -> None:
        self.connection.close()

    # -- writing ---------------------------------------------------------------------------

    def _write(self, statements: list[tuple[str, tuple[object, ...]]]) -> None:
        try:
            self.connection.execute("BEGIN IMMEDIATE")
            try:
                for sql, args in statements:
                    self.connection.execute(sql, args)
                self.connection.execute("COMMIT")
            except BaseException:
                if self.connection.in_transaction:
                    self.connection.execute("ROLLBACK")
                raise
        except sqlite3.Error as exc:
            raise StoreError(f"progress store {self.path} cannot be written: {exc}") from None

    def next_session_id(self) -> int:
        """The number the next new session gets (the service numbers sessions itself)."""
        return int(self.connection.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM session").fetchone()[0])

    def start_session(self, session_id: int | None = None, uid: str | None = None) -> int:
        now = self.clock()
        if session_id is None:
            session_id = self.next_session_id()
        self._write([("INSERT INTO session (id, uid, started_at, last_seen_at) VALUES (?, ?, ?, ?)",
                      (session_id, uid or uuid.uuid4().hex, now, now))])
        return session_id

    def record_step(self, session_id: int, lesson_id: str, step: int, step_count: int,
                    seconds: float = 0.0) -> None:
        """The learner is at ``step`` (1-based) of a lesson; committed before this returns."""
        now = self.clock()
        self._write([
            ("INSERT INTO lesson_progress (session_id, lesson_id, step, step_count, started_at, "
             "updated_at, seconds) VALUES (?, ?, ?, ?, ?, ?, ?) "
             "ON CONFLICT (session_id, lesson_id) DO UPDATE SET step = excluded.step, "
             "step_count = excluded.step_count, updated_at = excluded.updated_at, "
             "seconds = lesson_progress.seconds + excluded.seconds",
             (session_id, lesson_id, step, step_count, now, now, seconds)),
            ("UPDATE session SET last_seen_at = ?, current_lesson = ? WHERE id = ?",
             (now, lesson_id, session_id)),
        ])

    def record_try(self, session_id: int, lesson_id: str, step: int) -> None:
        self._write([(
            "INSERT INTO step_tries (session_id, lesson_id, step, tries) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (session_id, lesson_id, step) DO UPDATE SET tries = tries + 1",
            (session_id, lesson_id, step))])

    def finish_lesson(self, session_id: int, lesson_id: str, seconds: float = 0.0) -> None:
        now = self.clock()
        self._write([
            ("UPDATE lesson_progress SET finished_at = ?, updated_at = ?, "
             "seconds = seconds + ? WHERE session_id = ? AND lesson_id = ?",
             (now, now, seconds, session_id, lesson_id)),
            ("UPDATE session SET last_seen_at = ?, current_lesson = NULL WHERE id = ?",
             (now, session_id)),
        ])

    def end_session(self, session_id: int, reason: str) -> None:
        now = self.clock()
        # current_lesson stays: a picture code brings the learner back to that lesson and step
        self._write([("UPDATE session SET ended_at = ?, end_reason = ?, last_seen_at = ? "
                      "WHERE id = ?", (now, reason, now, session_id))])

    def assign_code(self, session_id: int, code: str) -> None:
        self._write([("UPDATE session SET code = ? WHERE id = ?", (code, session_id))])

    def erase_session(self, session_id: int) -> None:
        """Gone for good: rows deleted (secure_delete zeroes them), the WAL emptied."""
        self._write([("DELETE FROM step_tries WHERE session_id = ?", (session_id,)),
                     ("DELETE FROM lesson_progress WHERE session_id = ?", (session_id,)),
                     ("DELETE FROM session WHERE id = ?", (session_id,))])
        self.checkpoint()

    def purge(self, seen_before: float) -> int:
        """Erases every session last seen before this time; returns how many."""
        ids = [row[0] for row in self.connection.execute(
            "SELECT id FROM session WHERE last_seen_at < ?", (seen_before,))]
        for session_id in ids:
            self._write([("DELETE FROM step_tries WHERE session_id = ?", (session_id,)),
                         ("DELETE FROM lesson_progress WHERE session_id = ?", (session_id,)),
                         ("DELETE FROM session WHERE id = ?", (session_id,))])
        if ids:
            self.checkpoint()
        return len(ids)

    def checkpoint(self) -> None:
        try:
            self.connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        except sqlite3.Error as exc:
            raise StoreError(f"progress store {self.path} cannot be written: {exc}") from None

    # -- reading ---------------------------------------------------------------------------

    def live_codes(self) -> set[str]:
        return {row[0] for row in self.connection.execute(
            "SELECT code FROM session WHERE code IS NOT NULL")}

    def session_exists(self, session_id: int) -> bool:
        return self.connection.execute(
            "SELECT 1 FROM session WHERE id = ?", (session_id,)).fetchone() is not None

    def code_of(self, session_id: int) -> str | None:
        row = self.connection.execute(
            "SELECT code FROM session WHERE id = ?", (session_id,)).fetchone()
        return str(row[0]) if row and row[0] else None

    def session_by_code(self, code: str) -> int | None:
        row = self.connection.execute("SELECT id FROM session WHERE code = ?", (code,)).fetchone()
        return int(row[0]) if row else None

    def session_steps(self, session_id: int) -> dict[str, int]:
        """The step each unfinished lesson of a session is at."""
        return dict(self.connection.execute(
            "SELECT lesson_id, step FROM lesson_progress WHERE session_id = ? "
            "AND finished_at IS NULL", (session_id,)).fetchall())

    def _unfinished_current_lesson(self, where: str,
                                   args: tuple[object, ...] = ()) -> LessonProgress | None:
        """The lesson a session was in (its current lesson, not finished), for one session or
        the most recent one that matches ``where``."""
        row = self.connection.execute(
            "SELECT p.session_id, p.lesson_id, p.step, p.step_count, p.finished_at IS NOT NULL, "
            "p.updated_at FROM session s JOIN lesson_progress p ON p.session_id = s.id "
            f"AND p.lesson_id = s.current_lesson WHERE {where} AND p.finished_at IS NULL "
            "ORDER BY s.last_seen_at DESC LIMIT 1", args).fetchone()
        return LessonProgress(*row) if row else None

    def current_lesson(self, session_id: int) -> LessonProgress | None:
        return self._unfinished_current_lesson("s.id = ?", (session_id,))

    def reopen_session(self, session_id: int) -> None:
        self._write([("UPDATE session SET ended_at = NULL, end_reason = NULL, last_seen_at = ? "
                      "WHERE id = ?", (self.clock(), session_id))])

    def sessions_overview(self, many_tries: int = 3) -> list[SessionSummary]:
        rows = self.connection.execute(
            "SELECT s.id, COALESCE(s.code, ''), s.started_at, s.last_seen_at, "
            "s.ended_at IS NOT NULL, "
            "(SELECT COUNT(*) FROM lesson_progress f WHERE f.session_id = s.id "
            " AND f.finished_at IS NOT NULL), COALESCE(s.current_lesson, ''), "
            "COALESCE(p.step, 0), COALESCE(p.step_count, 0) "
            "FROM session s LEFT JOIN lesson_progress p ON p.session_id = s.id "
            "AND p.lesson_id = s.current_lesson "
            "ORDER BY s.last_seen_at DESC").fetchall()
        hard: dict[int, list[tuple[str, int, int]]] = {}
        for session_id, lesson_id, step, tries in self.connection.execute(
                "SELECT session_id, lesson_id, step, tries FROM step_tries WHERE tries >= ? "
                "ORDER BY tries DESC", (many_tries,)):
            hard.setdefault(session_id, []).append((lesson_id, step, tries))
        return [SessionSummary(session_id=row[0], code=row[1], started_at=row[2],
                               last_seen_at=row[3], ended=bool(row[4]), finished_lessons=row[5],
                               current_lesson=row[6], step=row[7], step_count=row[8],
                               hard_steps=tuple(hard.get(row[0], ()))) for row in rows]

    def day_counts(self) -> list[DayCount]:
        """Anonymous counts per lesson and per day (local time), nothing per person."""
        rows = self.connection.execute(
            "SELECT date(started_at, 'unixepoch', 'localtime') AS day, lesson_id, "
            "COUNT(DISTINCT session_id), COUNT(*), COUNT(finished_at) "
            "FROM lesson_progress GROUP BY day, lesson_id ORDER BY day, lesson_id").fetchall()
        counts = []
        for day, lesson_id, sessions, starts, finishes in rows:
            minutes = sorted(row[0] / 60 for row in self.connection.execute(
                "SELECT seconds FROM lesson_progress WHERE lesson_id = ? AND "
                "date(started_at, 'unixepoch', 'localtime') = ?", (lesson_id, day)))
            middle = len(minutes) // 2
            median = (minutes[middle] if len(minutes) % 2
                      else (minutes[middle - 1] + minutes[middle]) / 2) if minutes else 0.0
            counts.append(DayCount(day, lesson_id, sessions, starts, finishes, round(median, 1)))
        return counts

    def lesson_progress(self, session_id: int, lesson_id: str) -> LessonProgress | None:
        row = self.connection.execute(
            "SELECT session_id, lesson_id, step, step_count, finished_at IS NOT NULL, updated_at "
            "FROM lesson_progress WHERE session_id = ? AND lesson_id = ?",
            (session_id, lesson_id)).fetchone()
        return LessonProgress(*row) if row else None

    def finished_lessons(self, session_id: int) -> set[str]:
        return {row[0] for row in self.connection.execute(
            "SELECT lesson_id FROM lesson_progress WHERE session_id = ? "
            "AND finished_at IS NOT NULL", (session_id,))}

    def interrupted_lesson(self) -> LessonProgress | None:
        """The lesson that an open session was in when the app stopped, if any."""
        return self._unfinished_current_lesson("s.ended_at IS NULL")

    def tries(self, session_id: int, lesson_id: str) -> dict[int, int]:
        return dict(self.connection.execute(
            "SELECT step, tries FROM step_tries WHERE session_id = ? AND lesson_id = ?",
            (session_id, lesson_id)).fetchall())


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _is_unwritable(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("readonly", "read-only", "unable to open",
                                         "disk is full", "locked", "disk i/o"))
