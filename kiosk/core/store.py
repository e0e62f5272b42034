"""The progress store: one SQLite file, anonymous sessions and their progress.

``ProgressStore`` is the only code that writes SQL. It opens the file in WAL mode with
``synchronous=FULL`` and ``secure_delete=ON``, migrates the schema with ``PRAGMA user_version``
(each migration and its version number commit together, so an interrupted upgrade leaves the old
or the new schema), and moves a damaged file aside instead of failing. No column holds a name,
an e-mail address, a phone number or anything a learner typed.
"""

from __future__ import annotations

import json
import logging
import sqlite3
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)

Clock = Callable[[], float]

# A step's tries: the same columns here and in the room's database (``kiosk.core.room``), which
# merges them. Part of migration 1 of both: never change it, add a migration instead.
TRIES_COLUMNS = "lesson_id TEXT NOT NULL, step INTEGER NOT NULL, tries INTEGER NOT NULL"

MIGRATIONS: tuple[str, ...] = (
    # 1: sessions and the progress of each lesson in them
    f"""
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
        {TRIES_COLUMNS},
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
    # 4: room mode: events waiting to be sent, this store's identity, the room's visits as last
    # seen, and the picture codes leased for this PC
    """
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY AUTOINCREMENT, event TEXT NOT NULL);
    CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
    CREATE TABLE room_visit (
        id INTEGER PRIMARY KEY,
        uid TEXT UNIQUE NOT NULL,
        code TEXT,
        pc TEXT NOT NULL DEFAULT '',
        started_at REAL NOT NULL,
        last_seen_at REAL NOT NULL,
        ended INTEGER NOT NULL DEFAULT 0,
        current_lesson TEXT,
        lessons TEXT NOT NULL DEFAULT '[]',
        tries TEXT NOT NULL DEFAULT '[]'
    );
    CREATE INDEX room_visit_code ON room_visit (code);
    CREATE TABLE code_pool (code TEXT PRIMARY KEY);
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
    pc: str = ""  # in a room: the PC where the visit was last seen
    uid: str = ""


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
        self.outbox = False  # in a room: every change also leaves an event to send
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

    def _event(self, kind: str, session_id: int | None,
               **data: object) -> list[tuple[str, tuple[object, ...]]]:
        """The outbox row of a change, written in the change's own transaction (room mode)."""
        if not self.outbox:
            return []
        fields = "".join(f", '{key}', ?" for key in data)
        if session_id is None:
            return [(f"INSERT INTO outbox (event) VALUES (json_object('kind', ?{fields}))",
                     (kind, *data.values()))]
        return [(f"INSERT INTO outbox (event) SELECT json_object('kind', ?, 'uid', uid{fields}) "
                 "FROM session WHERE id = ?", (kind, *data.values(), session_id))]

    def pc_id(self) -> str:
        """This store's identity in a room (a new store is a new PC to the room)."""
        row = self.connection.execute("SELECT value FROM meta WHERE key = 'pc_id'").fetchone()
        if row:
            return str(row[0])
        made = uuid.uuid4().hex
        self._write([("INSERT OR IGNORE INTO meta (key, value) VALUES ('pc_id', ?)", (made,))])
        return str(self.connection.execute(
            "SELECT value FROM meta WHERE key = 'pc_id'").fetchone()[0])

    def pending_events(self) -> int:
        return int(self.connection.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def next_session_id(self) -> int:
        """The number the next new session gets (the service numbers sessions itself)."""
        return int(self.connection.execute(
            "SELECT COALESCE(MAX(id), 0) + 1 FROM session").fetchone()[0])

    def start_session(self, session_id: int | None = None, uid: str | None = None) -> int:
        now = self.clock()
        if session_id is None:
            session_id = self.next_session_id()
        self._write([("INSERT INTO session (id, uid, started_at, last_seen_at) VALUES (?, ?, ?, ?)",
                      (session_id, uid or uuid.uuid4().hex, now, now)),
                     *self._event("start", session_id, at=now)])
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
            *self._event("step", session_id, lesson=lesson_id, step=step, count=step_count,
                         at=now, seconds=seconds),
        ])

    def record_try(self, session_id: int, lesson_id: str, step: int) -> None:
        self._write([(
            "INSERT INTO step_tries (session_id, lesson_id, step, tries) VALUES (?, ?, ?, 1) "
            "ON CONFLICT (session_id, lesson_id, step) DO UPDATE SET tries = tries + 1",
            (session_id, lesson_id, step)),
            *self._event("try", session_id, lesson=lesson_id, step=step, at=self.clock())])

    def finish_lesson(self, session_id: int, lesson_id: str, seconds: float = 0.0) -> None:
        now = self.clock()
        self._write([
            ("UPDATE lesson_progress SET finished_at = ?, updated_at = ?, "
             "seconds = seconds + ? WHERE session_id = ? AND lesson_id = ?",
             (now, now, seconds, session_id, lesson_id)),
            ("UPDATE session SET last_seen_at = ?, current_lesson = NULL WHERE id = ?",
             (now, session_id)),
            *self._event("finish", session_id, lesson=lesson_id, at=now, seconds=seconds),
        ])

    def end_session(self, session_id: int, reason: str) -> None:
        now = self.clock()
        # current_lesson stays: a picture code brings the learner back to that lesson and step
        self._write([("UPDATE session SET ended_at = ?, end_reason = ?, last_seen_at = ? "
                      "WHERE id = ?", (now, reason, now, session_id)),
                     *self._event("end", session_id, at=now)])

    def assign_code(self, session_id: int, code: str) -> None:
        self._write([("UPDATE session SET code = ? WHERE id = ?", (code, session_id)),
                     ("DELETE FROM code_pool WHERE code = ?", (code,)),
                     *self._event("code", session_id, code=code)])

    def erase_session(self, session_id: int) -> None:
        """Gone for good: rows deleted (secure_delete zeroes them), the WAL emptied; in a room,
        on every PC."""
        self._write([*self._event("erase", session_id),
                     ("DELETE FROM room_visit WHERE uid = (SELECT uid FROM session WHERE id = ?)",
                      (session_id,)),
                     ("DELETE FROM step_tries WHERE session_id = ?", (session_id,)),
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
        mirrored = self.connection.execute(
            "SELECT count(*) FROM room_visit WHERE last_seen_at < ?", (seen_before,)).fetchone()[0]
        if self.outbox or mirrored:
            self._write([("DELETE FROM room_visit WHERE last_seen_at < ?", (seen_before,)),
                         *self._event("purge", None, before=seen_before)])
        if ids or mirrored:
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

    def uid_of(self, session_id: int) -> str | None:
        row = self.connection.execute(
            "SELECT uid FROM session WHERE id = ?", (session_id,)).fetchone()
        return str(row[0]) if row else None

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
        now = self.clock()
        self._write([("UPDATE session SET ended_at = NULL, end_reason = NULL, last_seen_at = ? "
                      "WHERE id = ?", (now, session_id)),
                     *self._event("reopen", session_id, at=now)])

    def sessions_overview(self, many_tries: int = 3) -> list[SessionSummary]:
        rows = self.connection.execute(
            "SELECT s.id, COALESCE(s.code, ''), s.started_at, s.last_seen_at, "
            "s.ended_at IS NOT NULL, "
            "(SELECT COUNT(*) FROM lesson_progress f WHERE f.session_id = s.id "
            " AND f.finished_at IS NOT NULL), COALESCE(s.current_lesson, ''), "
            "COALESCE(p.step, 0), COALESCE(p.step_count, 0), s.uid "
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
                               hard_steps=tuple(hard.get(row[0], ())), uid=row[9] or "")
                for row in rows]

    # -- the room's visits, as the room link last mirrored them ------------------------------

    def code_pool(self) -> set[str]:
        return {row[0] for row in self.connection.execute("SELECT code FROM code_pool")}

    def room_uid(self, code: str | None = None, mirror_id: int | None = None) -> str | None:
        row = self.connection.execute(
            "SELECT uid FROM room_visit WHERE code = ? OR id = ? ORDER BY last_seen_at DESC",
            (code, mirror_id)).fetchone()
        return str(row[0]) if row else None

    def take_room_visit(self, uid: str, new_id: Callable[[], int]) -> int | None:
        """The room's visit ``uid`` merged into this store (highest step, most tries, finished
        once finished); its local session id. Nothing goes to the outbox: it came from there."""
        row = self.connection.execute(
            "SELECT code, started_at, last_seen_at, current_lesson, lessons, tries "
            "FROM room_visit WHERE uid = ?", (uid,)).fetchone()
        if row is None:
            return None
        code, started, seen, current, lessons_json, tries_json = row
        local = self.connection.execute(
            "SELECT id, last_seen_at FROM session WHERE uid = ?", (uid,)).fetchone()
        statements: list[tuple[str, tuple[object, ...]]] = []
        if local is None:
            session_id = new_id()
            if code and self.session_by_code(code) is not None:
                code = None  # a code made offline elsewhere that this PC also gave out
            statements.append((
                "INSERT INTO session (id, uid, code, started_at, last_seen_at, ended_at, "
                "current_lesson) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (session_id, uid, code, started, seen, seen, current)))
        else:
            session_id = int(local[0])
            if seen >= local[1]:
                statements.append(("UPDATE session SET current_lesson = ?, last_seen_at = ? "
                                   "WHERE id = ?", (current, seen, session_id)))
            statements.append(("UPDATE session SET code = COALESCE(code, ?) WHERE id = ?",
                               (code, session_id)))
        for lesson_id, step, count, finished in json.loads(lessons_json):
            statements.append((
                "INSERT INTO lesson_progress (session_id, lesson_id, step, step_count, "
                "started_at, updated_at, finished_at) VALUES (?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (session_id, lesson_id) DO UPDATE SET "
                "step = MAX(step, excluded.step), step_count = MAX(step_count, excluded.step_count),"
                " finished_at = COALESCE(finished_at, excluded.finished_at)",
                (session_id, lesson_id, step, count, started, seen, seen if finished else None)))
        for lesson_id, step, tries in json.loads(tries_json):
            statements.append((
                "INSERT INTO step_tries (session_id, lesson_id, step, tries) VALUES (?, ?, ?, ?) "
                "ON CONFLICT (session_id, lesson_id, step) DO UPDATE SET "
                "tries = MAX(tries, excluded.tries)", (session_id, lesson_id, step, tries)))
        self._write(statements)
        return session_id

    def erase_room_visit(self, mirror_id: int) -> None:
        """A visit of another PC, erased on every PC of the room."""
        uid = self.room_uid(mirror_id=mirror_id)
        if uid is None:
            return
        local = self.connection.execute("SELECT id FROM session WHERE uid = ?", (uid,)).fetchone()
        if local is not None:
            self.erase_session(int(local[0]))
            return
        self._write([("DELETE FROM room_visit WHERE uid = ?", (uid,)),
                     ("INSERT INTO outbox (event) VALUES (json_object('kind', 'erase', 'uid', ?))",
                      (uid,))])
        self.checkpoint()

    def room_overview(self, many_tries: int = 3) -> list[SessionSummary]:
        """The room's visits that are not in this store, newest first (ids below zero)."""
        mine = {row[0] for row in self.connection.execute("SELECT uid FROM session")}
        found = []
        for (mirror_id, uid, code, pc, started, seen, ended, current, lessons_json,
             tries_json) in self.connection.execute(
                "SELECT id, uid, COALESCE(code, ''), pc, started_at, last_seen_at, ended, "
                "COALESCE(current_lesson, ''), lessons, tries FROM room_visit "
                "ORDER BY last_seen_at DESC"):
            if uid in mine:
                continue
            lessons = json.loads(lessons_json)
            step = next(((s, c) for lesson, s, c, _ in lessons if lesson == current), (0, 0))
            hard = tuple(sorted(((lesson, s, t) for lesson, s, t in json.loads(tries_json)
                                 if t >= many_tries), key=lambda item: -item[2]))
            found.append(SessionSummary(
                session_id=-mirror_id, code=code, started_at=started, last_seen_at=seen,
                ended=bool(ended), finished_lessons=sum(1 for *_, done in lessons if done),
                current_lesson=current, step=step[0], step_count=step[1], hard_steps=hard,
                pc=pc, uid=uid))
        return found

    def day_counts(self) -> list[DayCount]:
        """Anonymous counts per lesson and per day (local time), nothing per person."""
        return day_counts(self.connection.execute(
            "SELECT session_id, lesson_id, started_at, finished_at IS NOT NULL, seconds "
            "FROM lesson_progress").fetchall())

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


def day_counts(rows: list[tuple[object, str, float, bool, float]]) -> list[DayCount]:
    """Counts per day (local time) and lesson from (visit, lesson, started, finished, seconds)
    rows: visits, starts, finishes and the median minutes spent."""
    groups: dict[tuple[str, str], list[tuple[object, bool, float]]] = {}
    for visit, lesson_id, started_at, finished, seconds in rows:
        day = time.strftime("%Y-%m-%d", time.localtime(started_at))
        groups.setdefault((day, lesson_id), []).append((visit, bool(finished), seconds))
    counts = []
    for (day, lesson_id), items in sorted(groups.items()):
        minutes = sorted(seconds / 60 for _, _, seconds in items)
        middle = len(minutes) // 2
        median = (minutes[middle] if len(minutes) % 2
                  else (minutes[middle - 1] + minutes[middle]) / 2) if minutes else 0.0
        counts.append(DayCount(day, lesson_id, len({visit for visit, _, _ in items}), len(items),
                               sum(done for _, done, _ in items), round(median, 1)))
    return counts


def _statements(script: str) -> list[str]:
    return [s.strip() for s in script.split(";") if s.strip()]


def _is_unwritable(exc: sqlite3.Error) -> bool:
    text = str(exc).lower()
    return any(word in text for word in ("readonly", "read-only", "unable to open",
                                         "disk is full", "locked", "disk i/o"))
