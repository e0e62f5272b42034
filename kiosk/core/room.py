"""Room mode: the PCs of a computer room share progress through the municipality's PostgreSQL.

The local SQLite store stays the first write. Each change also leaves an event in the store's
outbox, in the same transaction. ``RoomLink`` runs on its own thread with its own connection to
the local file and is the only code that talks to the network: it sends the outbox in order and
deletes what PostgreSQL confirmed, mirrors the room's visits into the local file (so that a
picture code typed on any PC, and the digibuddy list, are answered from the local disk), and
keeps a block of picture codes leased for this PC. The resident never waits on it.

Sends are idempotent: events carry this store's sequence number, and the server applies only
numbers above the last one it confirmed for this PC, in the same transaction that raises it.
Merging is simple because progress only grows: the highest step, the sum of tries, the earliest
start, finished once finished. The database holds what the local store holds: no names, nothing
a learner typed. Passwords are never logged or shown: ``describe`` names a database without it.
"""

from __future__ import annotations

import json
import logging
import os
import random
import socket
import sqlite3
import stat
import threading
import time
import tomllib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kiosk.core.store import TRIES_COLUMNS

logger = logging.getLogger(__name__)

ROOM_FILE = "room.toml"
CONNECT_TIMEOUT = 2  # seconds; libpq's smallest useful value
STATEMENT_TIMEOUT_MS = 3000
PULL_INTERVAL = 0.25  # seconds between two looks at the room's changes
PULL_OVERLAP = 5.0  # seconds looked back each time: a transaction may commit after a later one
BATCH = 500  # outbox events per transaction
POOL_LOW, POOL_SIZE = 10, 20  # picture codes leased for this PC
# A lease is a code no visit has yet: a code is only handed out at the end of a visit, and from
# then on it belongs to that visit (until the visit is erased or purged), never to a lease. So a
# lease held by a PC that never comes back can be freed without losing anything: after
# LEASE_FREE_DAYS without renewal (a PC renews its leases every RENEW_INTERVAL while it reaches
# the room). A PC uses its leased codes only while its last renewal is under LEASE_TRUST_DAYS
# old, so it never hands out a code that may have been freed and leased again elsewhere.
LEASE_FREE_DAYS = 14
LEASE_TRUST_DAYS = 7
RENEW_INTERVAL = 60.0  # seconds
RETRY_MAX = 5.0
LOG_INTERVAL = 600.0

ROOM_MIGRATIONS: tuple[str, ...] = (
    # 1: visits, their lessons and tries, the PCs and their confirmed sequence, leased codes
    f"""
    CREATE TABLE pc (
        pc_id text PRIMARY KEY,
        name text NOT NULL,
        last_seq bigint NOT NULL DEFAULT 0,
        seen_at timestamptz NOT NULL DEFAULT now()
    );
    CREATE TABLE visit (
        uid text PRIMARY KEY,
        code text UNIQUE,
        pc text NOT NULL,
        started_at double precision NOT NULL,
        last_seen_at double precision NOT NULL,
        ended_at double precision,
        opened_at double precision,
        current_lesson text,
        changed_at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    CREATE INDEX visit_changed ON visit (changed_at);
    CREATE INDEX visit_seen ON visit (last_seen_at);
    CREATE TABLE visit_lesson (
        uid text NOT NULL REFERENCES visit (uid) ON DELETE CASCADE,
        lesson_id text NOT NULL,
        step integer NOT NULL,
        step_count integer NOT NULL,
        started_at double precision NOT NULL,
        updated_at double precision NOT NULL,
        finished_at double precision,
        seconds double precision NOT NULL DEFAULT 0,
        PRIMARY KEY (uid, lesson_id)
    );
    CREATE TABLE visit_tries (
        uid text NOT NULL REFERENCES visit (uid) ON DELETE CASCADE,
        {TRIES_COLUMNS},
        PRIMARY KEY (uid, lesson_id, step)
    );
    CREATE TABLE code_lease (
        code text PRIMARY KEY,
        pc_id text NOT NULL,
        leased_at timestamptz NOT NULL DEFAULT now(),
        uid text
    );
    CREATE TABLE erased (
        uid text PRIMARY KEY,
        at timestamptz NOT NULL DEFAULT clock_timestamp()
    );
    """,
)
ROOM_SCHEMA = len(ROOM_MIGRATIONS)
MIGRATION_LOCK = 7_272_740  # pg_advisory_xact_lock key: one PC migrates at a time


class RoomError(Exception):
    """One line for staff: what is wrong with the room database, and where (no password)."""


@dataclass(frozen=True)
class RoomConfig:
    dsn: str
    password: str | None = None
    pc_name: str = ""
    room_name: str = ""  # what the digibuddy list calls the room; empty: "this room"

    @property
    def name(self) -> str:
        return self.pc_name or socket.gethostname()

    def describe(self) -> str:
        return describe(self.dsn)


def describe(dsn: str) -> str:
    """The database a connection string names, without any password."""
    try:
        from psycopg.conninfo import conninfo_to_dict

        parts = conninfo_to_dict(dsn)
    except Exception:  # noqa: BLE001 - a bad string or no psycopg: say no more than this
        return "the room database (its setting cannot be read)"
    host = str(parts.get("host") or "localhost")
    port = str(parts.get("port") or "5432")
    where = host if host.startswith("/") else f"{host}:{port}"
    database = parts.get("dbname") or parts.get("user") or "?"
    return f"room database {database} on {where}"


def exposed(path: Path, posix: bool = os.name == "posix") -> str | None:
    """One line when ``room.toml`` can be read by accounts other than its owner (it may hold
    the password); None when it cannot. Windows has no mode bits to read: its line says so."""
    if not posix:
        return (f"{path}: its access rights are not checked on Windows; keep it readable only "
                "by the kiosk account and staff")
    try:
        mode = path.stat().st_mode
    except OSError:
        return None
    if mode & (stat.S_IRGRP | stat.S_IROTH):
        return (f"{path} can be read by other accounts (mode {stat.S_IMODE(mode):04o}): "
                f"run chmod 600 {path}")
    return None


def load_config(room: str, config_folders: list[Path], pc_name: str = "",
                room_name: str = "") -> RoomConfig | None:
    """The room from the ``room`` setting or a ``room.toml`` (keys ``room``, ``password``)
    beside settings.toml; None without one. A ``room.toml`` should be readable only by the
    kiosk account: the log says so in one line when others can read it."""
    dsn, password = room, None
    for folder in config_folders:
        path = folder / ROOM_FILE
        if not path.is_file():
            continue
        warning = exposed(path)
        if warning is not None and os.name == "posix":
            logger.warning("room: %s", warning, extra={"event": "settings_problem"})
        try:
            data = tomllib.loads(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
            logger.warning("room: %s cannot be read: %s", path, type(exc).__name__,
                           extra={"event": "settings_problem"})
            continue
        if isinstance(data.get("room"), str):
            dsn = data["room"]
        if isinstance(data.get("password"), str):
            password = data["password"]
    if not dsn:
        return None
    return RoomConfig(dsn, password, pc_name, room_name)


# -- picture codes ---------------------------------------------------------------------------


def local_only(code: str, keys: list[str]) -> bool:
    """Codes that begin with the last pictogram of the set are never leased by the room: a PC
    that has no leased code (it never reached the room, or used up its block offline) makes one
    of these, so it can never take a code the room gave to another PC."""
    return bool(keys) and code.split("-", 1)[0] == keys[-1]


def local_code(keys: list[str], taken: set[str], rng: random.Random | None = None) -> str:
    """A free code of the local-only range (see ``local_only``)."""
    from kiosk.core.sessions import CODE_LENGTH, NEVER_TOGETHER, code_text

    if len(keys) < CODE_LENGTH:
        raise ValueError("the pictogram set is too small for picture codes")
    first, others = keys[-1], keys[:-1]
    free = [code for code in (code_text([first, a, b]) for a in others for b in others if a != b)
            if code not in taken
            and not any(pair <= set(code.split("-")) for pair in NEVER_TOGETHER)]
    if not free:
        raise RuntimeError("no free picture code left: erase old sessions")
    return (rng or random.SystemRandom()).choice(free)


# -- talking to PostgreSQL -------------------------------------------------------------------


def connect(config: RoomConfig) -> Any:
    """A connection with short timeouts; a ``RoomError`` saying what is wrong otherwise."""
    try:
        import psycopg
    except ImportError:
        raise RoomError("room mode needs psycopg: install it with pip install 'kiosk[room]'") \
            from None
    extra: dict[str, Any] = {
        "connect_timeout": CONNECT_TIMEOUT, "application_name": "kiosk",
        "options": f"-c statement_timeout={STATEMENT_TIMEOUT_MS} "
                   "-c idle_in_transaction_session_timeout=10000 -c lock_timeout=2000",
        "keepalives": 1, "keepalives_idle": 5, "keepalives_interval": 2, "keepalives_count": 2,
        "tcp_user_timeout": 5000}
    if config.password is not None:
        extra["password"] = config.password
    try:
        return psycopg.connect(config.dsn, **extra)
    except psycopg.Error as exc:
        raise RoomError(explain(exc, config)) from None
    except Exception as exc:  # noqa: BLE001 - a malformed setting
        raise RoomError(f"{config.describe()}: the 'room' setting is not a valid connection "
                        f"string ({type(exc).__name__})") from None


def explain(exc: BaseException, config: RoomConfig) -> str:
    """One line for staff from a psycopg error."""
    where = config.describe()
    text = str(exc).strip()
    low = text.lower()
    user = ""
    try:
        from psycopg.conninfo import conninfo_to_dict

        user = str(conninfo_to_dict(config.dsn).get("user") or "")
    except Exception:  # noqa: BLE001
        pass
    sqlstate = getattr(exc, "sqlstate", None)
    if "password authentication failed" in low or sqlstate == "28P01" \
            or "no password supplied" in low:
        return f"{where}: wrong password for role {user or '?'}"
    if sqlstate == "42501" or "permission denied" in low or "must be owner" in low:
        return (f"{where}: role {user or '?'} has no rights to create or use the room tables "
                "(make it the owner of the database)")
    if "does not exist" in low and "database" in low:
        return f"{where}: that database does not exist (create it first)"
    if "does not exist" in low and "role" in low:
        return f"{where}: role {user or '?'} does not exist"
    if "pg_hba.conf" in low:
        return f"{where}: the server does not let this PC in (pg_hba.conf)"
    if "timeout" in low or "timed out" in low:
        return f"{where} did not answer in time (unreachable or too slow)"
    if any(word in low for word in ("refused", "could not connect", "no route", "unreachable",
                                    "translate host", "name or service", "server closed",
                                    "connection is lost", "connection failed",
                                    "terminating connection", "consuming input failed",
                                    "the connection is closed", "server conn crashed")):
        return f"{where} cannot be reached (is the server running, is the network up?)"
    if "ssl" in low or "certificate" in low:
        first = text.splitlines()[0] if text else type(exc).__name__
        return f"{where}: TLS problem: {first}"
    first = text.splitlines()[-1] if text else type(exc).__name__
    return f"{where}: {first[:200]}"


def schema_version(pg: Any) -> int:
    if pg.execute("SELECT to_regclass('room_schema')").fetchone()[0] is None:
        return 0
    row = pg.execute("SELECT max(version) FROM room_schema").fetchone()
    return int(row[0] or 0)


def ensure_schema(pg: Any, config: RoomConfig, migrate: bool = True) -> tuple[int, int]:
    """Creates or migrates the room tables; (version before, version now)."""
    with pg.transaction():
        pg.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        before = schema_version(pg)
        if before > ROOM_SCHEMA:
            raise RoomError(f"{config.describe()} has room schema version {before}, newer than "
                            f"this app knows ({ROOM_SCHEMA}): update the app on this PC")
        if before < ROOM_SCHEMA and not migrate:
            raise RoomError(f"{config.describe()} has an old room schema ({before}): run "
                            "'kiosk room check' to bring it up to date")
        if before == 0:
            pg.execute("CREATE TABLE room_schema (version integer NOT NULL)")
        for number in range(before + 1, ROOM_SCHEMA + 1):
            for statement in (s.strip() for s in ROOM_MIGRATIONS[number - 1].split(";")):
                if statement:
                    pg.execute(statement)
            pg.execute("INSERT INTO room_schema (version) VALUES (%s)", (number,))
            logger.info("room schema is now version %d", number, extra={"event": "room_migrated"})
    return before, ROOM_SCHEMA


def check(config: RoomConfig) -> str:
    """``kiosk room check``: connect, create or migrate, read; one line. Raises RoomError."""
    pg = connect(config)
    import psycopg

    try:
        before, now = ensure_schema(pg, config)
        with pg.transaction():
            visits = pg.execute("SELECT count(*) FROM visit").fetchone()[0]
            pcs = pg.execute("SELECT count(*) FROM pc").fetchone()[0]
    except psycopg.Error as exc:
        raise RoomError(explain(exc, config)) from None
    finally:
        pg.close()
    change = ("created the room tables" if before == 0 else
              f"migrated the schema from {before} to {now}" if before < now else
              f"schema {now} is up to date")
    return f"{config.describe()}: reachable, {change}; {visits} visits from {pcs} PCs"


# -- applying a PC's events on the server ------------------------------------------------------

_TOUCH = ("UPDATE visit SET last_seen_at = GREATEST(last_seen_at, %(at)s), "
          "changed_at = clock_timestamp() WHERE uid = %(uid)s")


def apply_event(pg: Any, event: dict[str, Any], pc_id: str, pc: str) -> None:
    kind = event["kind"]
    uid = event.get("uid")
    if kind == "purge":
        before = float(event["before"])
        # noted as erased, so that every PC drops its copy and late events of them
        pg.execute("INSERT INTO erased (uid) SELECT uid FROM visit WHERE last_seen_at < %s "
                   "ON CONFLICT DO NOTHING", (before,))
        pg.execute("DELETE FROM code_lease WHERE uid IN "
                   "(SELECT uid FROM visit WHERE last_seen_at < %s)", (before,))
        pg.execute("DELETE FROM visit WHERE last_seen_at < %s", (before,))
        return
    if uid is None:
        return
    if kind == "erase":
        pg.execute("INSERT INTO erased (uid) VALUES (%s) ON CONFLICT DO NOTHING", (uid,))
        pg.execute("DELETE FROM code_lease WHERE uid = %s", (uid,))
        pg.execute("DELETE FROM visit WHERE uid = %s", (uid,))
        return
    at = float(event.get("at") or time.time())
    args = {**event, "uid": uid, "at": at, "pc": pc, "pc_id": pc_id}
    found = pg.execute(
        "INSERT INTO visit (uid, pc, started_at, last_seen_at) "
        "SELECT %(uid)s, %(pc)s, %(at)s, %(at)s WHERE NOT EXISTS "
        "(SELECT 1 FROM erased WHERE uid = %(uid)s) "
        "ON CONFLICT (uid) DO UPDATE SET started_at = LEAST(visit.started_at, excluded.started_at),"
        " changed_at = clock_timestamp()", args)
    if found.rowcount == 0:
        return  # erased on some PC: late events of it are dropped
    if kind == "step":
        pg.execute(
            "INSERT INTO visit_lesson (uid, lesson_id, step, step_count, started_at, updated_at, "
            "seconds) VALUES (%(uid)s, %(lesson)s, %(step)s, %(count)s, %(at)s, %(at)s, "
            "%(seconds)s) ON CONFLICT (uid, lesson_id) DO UPDATE SET "
            "step = GREATEST(visit_lesson.step, excluded.step), "
            "step_count = GREATEST(visit_lesson.step_count, excluded.step_count), "
            "started_at = LEAST(visit_lesson.started_at, excluded.started_at), "
            "updated_at = GREATEST(visit_lesson.updated_at, excluded.updated_at), "
            "seconds = visit_lesson.seconds + excluded.seconds", args)
        pg.execute(
            "UPDATE visit SET current_lesson = CASE WHEN %(at)s >= last_seen_at THEN %(lesson)s "
            "ELSE current_lesson END, pc = CASE WHEN %(at)s >= last_seen_at THEN %(pc)s ELSE pc "
            "END, last_seen_at = GREATEST(last_seen_at, %(at)s), changed_at = clock_timestamp() "
            "WHERE uid = %(uid)s", args)
    elif kind == "try":
        pg.execute(
            "INSERT INTO visit_tries (uid, lesson_id, step, tries) VALUES "
            "(%(uid)s, %(lesson)s, %(step)s, 1) ON CONFLICT (uid, lesson_id, step) "
            "DO UPDATE SET tries = visit_tries.tries + 1", args)
        pg.execute(_TOUCH, args)
    elif kind == "finish":
        pg.execute(
            "INSERT INTO visit_lesson (uid, lesson_id, step, step_count, started_at, updated_at, "
            "finished_at, seconds) VALUES (%(uid)s, %(lesson)s, 0, 0, %(at)s, %(at)s, %(at)s, "
            "%(seconds)s) ON CONFLICT (uid, lesson_id) DO UPDATE SET "
            "finished_at = COALESCE(visit_lesson.finished_at, excluded.finished_at), "
            "updated_at = GREATEST(visit_lesson.updated_at, excluded.updated_at), "
            "seconds = visit_lesson.seconds + excluded.seconds", args)
        pg.execute(
            "UPDATE visit SET current_lesson = CASE WHEN %(at)s >= last_seen_at THEN NULL "
            "ELSE current_lesson END, last_seen_at = GREATEST(last_seen_at, %(at)s), "
            "changed_at = clock_timestamp() WHERE uid = %(uid)s", args)
    elif kind == "end":
        pg.execute("UPDATE visit SET ended_at = GREATEST(COALESCE(ended_at, 0), %(at)s), "
                   "last_seen_at = GREATEST(last_seen_at, %(at)s), "
                   "changed_at = clock_timestamp() WHERE uid = %(uid)s", args)
    elif kind == "reopen":
        pg.execute("UPDATE visit SET opened_at = GREATEST(COALESCE(opened_at, 0), %(at)s), "
                   "last_seen_at = GREATEST(last_seen_at, %(at)s), pc = %(pc)s, "
                   "changed_at = clock_timestamp() WHERE uid = %(uid)s", args)
    elif kind == "code":
        held = pg.execute(
            "INSERT INTO code_lease (code, pc_id, uid) VALUES (%(code)s, %(pc_id)s, %(uid)s) "
            "ON CONFLICT (code) DO UPDATE SET uid = excluded.uid "
            "WHERE code_lease.pc_id = excluded.pc_id OR code_lease.uid = excluded.uid", args)
        if held.rowcount:
            pg.execute("UPDATE visit SET code = %(code)s, changed_at = clock_timestamp() "
                       "WHERE uid = %(uid)s AND NOT EXISTS "
                       "(SELECT 1 FROM visit other WHERE other.code = %(code)s "
                       "AND other.uid <> %(uid)s)", args)
        else:
            logger.warning("a picture code made offline is taken in the room; the visit "
                           "resumes on its own PC only", extra={"event": "room_code_taken"})


# -- the link: one thread, its own connection to the local file ---------------------------------


class RoomLink:
    """Sends the outbox, mirrors the room, leases codes. Never raises; says trouble once."""

    def __init__(self, config: RoomConfig, store_path: Path, pc_id: str,
                 on_codes: Callable[[frozenset[str]], None],
                 taken: Callable[[], frozenset[str]]) -> None:
        """``on_codes`` gets the codes this PC may hand out (none while its lease is not
        trusted); ``taken`` gives the codes in use here."""
        self.config = config
        self.store_path = store_path
        self.pc_id = pc_id
        self.on_codes = on_codes
        self.taken = taken
        self.wake = threading.Event()
        self.stopping = threading.Event()
        self.connected = False
        self.problem = ""  # the last trouble, one line (shown by doctor, logged once a while)
        self._pg: Any = None
        self._local: sqlite3.Connection | None = None
        self._cursor = "-infinity"
        self._logged: dict[str, float] = {}
        self._rng = random.SystemRandom()
        self._renewed = -RENEW_INTERVAL  # monotonic time of the last lease renewal
        self._thread = threading.Thread(target=self._run, name="room-link", daemon=True)

    def start(self) -> None:
        self._thread.start()

    def stop(self, timeout: float = 5.0) -> None:
        self.stopping.set()
        self.wake.set()
        self._thread.join(timeout)

    # the loop

    def _run(self) -> None:
        delay = 0.5
        try:
            self._local = sqlite3.connect(self.store_path, isolation_level=None, timeout=5.0)
            self._local.execute("PRAGMA secure_delete = ON")
            self._local.execute("PRAGMA synchronous = FULL")
            self._publish_codes()
        except sqlite3.Error as exc:
            self._say(f"room link cannot open {self.store_path}: {exc}")
            return
        while not self.stopping.is_set():
            try:
                if self._pg is None:
                    self._pg = connect(self.config)
                    ensure_schema(self._pg, self.config)
                    if self.problem:
                        logger.info("room database reachable again; sending what waited",
                                    extra={"event": "room_back"})
                    self.problem = ""
                    self.connected = True
                self.wake.clear()
                self._send_all()
                self._lease_codes()
                self._pull()
                delay = 0.5
                self.wake.wait(PULL_INTERVAL)
            except RoomError as exc:
                self._trouble(str(exc))
                newer = "newer than this app" in str(exc)
                self.stopping.wait(60.0 if newer else delay)
                delay = min(delay * 2, RETRY_MAX)
            except sqlite3.Error as exc:
                self._trouble(f"room link: local store {self.store_path}: {exc}")
                self.stopping.wait(delay)
                delay = min(delay * 2, RETRY_MAX)
            except Exception as exc:  # noqa: BLE001 - psycopg errors and anything unforeseen
                self._trouble(explain(exc, self.config))
                self.stopping.wait(delay)
                delay = min(delay * 2, RETRY_MAX)
        self._drop()
        if self._local is not None:
            self._local.close()

    def _trouble(self, line: str) -> None:
        self._drop()
        self.connected = False
        self.problem = line
        self._say(line + "; lessons go on, progress waits on this PC")

    def _say(self, line: str) -> None:
        now = time.monotonic()
        if now - self._logged.get(line, -LOG_INTERVAL) >= LOG_INTERVAL:
            self._logged[line] = now
            logger.warning("%s", line, extra={"event": "room_unreachable"})

    def _drop(self) -> None:
        if self._pg is not None:
            try:
                self._pg.close()
            except Exception:  # noqa: BLE001
                pass
            self._pg = None

    @contextmanager
    def _local_write(self) -> Iterator[sqlite3.Connection]:
        local = self._local
        assert local is not None
        local.execute("BEGIN IMMEDIATE")
        try:
            yield local
            local.execute("COMMIT")
        except BaseException:
            if local.in_transaction:
                local.execute("ROLLBACK")
            raise

    # the outbox

    def pending(self) -> int:
        assert self._local is not None
        return int(self._local.execute("SELECT count(*) FROM outbox").fetchone()[0])

    def _send_all(self) -> None:
        while not self.stopping.is_set() and self._send_batch():
            pass

    def _send_batch(self) -> bool:
        assert self._local is not None
        rows = self._local.execute(
            "SELECT seq, event FROM outbox ORDER BY seq LIMIT ?", (BATCH,)).fetchall()
        if not rows:
            return False
        pg = self._pg
        last = rows[-1][0]
        with pg.transaction():
            confirmed = pg.execute(
                "INSERT INTO pc (pc_id, name) VALUES (%s, %s) ON CONFLICT (pc_id) DO UPDATE "
                "SET name = excluded.name, seen_at = now() RETURNING last_seq",
                (self.pc_id, self.config.name)).fetchone()[0]
            for seq, text in rows:
                if seq > confirmed:
                    apply_event(pg, json.loads(text), self.pc_id, self.config.name)
            pg.execute("UPDATE pc SET last_seq = GREATEST(last_seq, %s) WHERE pc_id = %s",
                       (last, self.pc_id))
        with self._local_write() as local:
            local.execute("DELETE FROM outbox WHERE seq <= ?", (last,))
        return len(rows) == BATCH

    # picture codes

    def _publish_codes(self) -> None:
        assert self._local is not None
        row = self._local.execute(
            "SELECT value FROM meta WHERE key = 'lease_renewed_at'").fetchone()
        renewed = float(row[0]) if row else 0.0
        if time.time() - renewed > LEASE_TRUST_DAYS * 86400:
            self.on_codes(frozenset())  # may have been freed: local-only codes until renewed
            return
        self.on_codes(frozenset(row[0] for row in self._local.execute(
            "SELECT code FROM code_pool")))

    def _renew_leases(self) -> None:
        """Keeps this PC's leases, frees those of PCs gone for LEASE_FREE_DAYS, and drops from
        the local pool any code this PC no longer holds."""
        assert self._local is not None
        with self._pg.transaction():
            self._pg.execute("UPDATE code_lease SET leased_at = now() "
                             "WHERE pc_id = %s AND uid IS NULL", (self.pc_id,))
            freed = self._pg.execute(
                "DELETE FROM code_lease WHERE uid IS NULL AND "
                "leased_at < now() - %s * interval '1 day'", (LEASE_FREE_DAYS,)).rowcount
            held = {row[0] for row in self._pg.execute(
                "SELECT code FROM code_lease WHERE pc_id = %s AND uid IS NULL", (self.pc_id,))}
        if freed:
            logger.info("%d picture codes leased by PCs not seen for %d days are free again",
                        freed, LEASE_FREE_DAYS, extra={"event": "room_leases_freed"})
        pool = {row[0] for row in self._local.execute("SELECT code FROM code_pool")}
        with self._local_write() as local:
            local.executemany("DELETE FROM code_pool WHERE code = ?",
                              [(code,) for code in pool - held])
            local.execute("INSERT INTO meta (key, value) VALUES ('lease_renewed_at', ?) "
                          "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                          (repr(time.time()),))
        self._renewed = time.monotonic()
        self._publish_codes()

    def _lease_codes(self) -> None:
        assert self._local is not None
        if time.monotonic() - self._renewed >= RENEW_INTERVAL:
            self._renew_leases()
        have = int(self._local.execute("SELECT count(*) FROM code_pool").fetchone()[0])
        if have >= POOL_LOW:
            return
        from kiosk.core.sessions import pictograms, new_code

        keys = [p.key for p in pictograms()]
        taken = set(self.taken()) | {row[0] for row in self._local.execute(
            "SELECT code FROM code_pool")}
        wanted: list[str] = []
        for _ in range((POOL_SIZE - have) * 3):
            try:
                code = new_code(keys, taken | set(wanted), self._rng)
            except (ValueError, RuntimeError):
                break
            if not local_only(code, keys):
                wanted.append(code)
        if not wanted:
            return
        with self._pg.transaction():
            got = [row[0] for row in self._pg.execute(
                "INSERT INTO code_lease (code, pc_id) SELECT unnest(%s::text[]), %s "
                "ON CONFLICT DO NOTHING RETURNING code", (wanted, self.pc_id)).fetchall()]
            got, extra = got[:max(0, POOL_SIZE - have)], got[max(0, POOL_SIZE - have):]
            if extra:  # asked for more in case some were taken: the rest stays free
                self._pg.execute("DELETE FROM code_lease WHERE code = ANY(%s) AND pc_id = %s",
                                 (extra, self.pc_id))
        with self._local_write() as local:
            local.executemany("INSERT OR IGNORE INTO code_pool (code) VALUES (?)",
                              [(c,) for c in got])
        self._publish_codes()

    # the mirror of the room's visits

    def _pull(self) -> None:
        pg = self._pg
        with pg.transaction():
            rows = pg.execute(
                "SELECT v.uid, v.code, v.pc, v.started_at, v.last_seen_at, "
                "(v.ended_at IS NOT NULL AND v.ended_at >= COALESCE(v.opened_at, 0)), "
                "v.current_lesson, v.changed_at, "
                "COALESCE((SELECT json_agg(json_build_array(l.lesson_id, l.step, l.step_count, "
                "l.finished_at IS NOT NULL)) FROM visit_lesson l WHERE l.uid = v.uid), '[]'), "
                "COALESCE((SELECT json_agg(json_build_array(t.lesson_id, t.step, t.tries)) "
                "FROM visit_tries t WHERE t.uid = v.uid), '[]') "
                "FROM visit v WHERE v.changed_at > %s::timestamptz", (self._cursor,)).fetchall()
            gone = [row[0] for row in pg.execute(
                "SELECT uid FROM erased WHERE at > %s::timestamptz", (self._cursor,))]
            now = pg.execute("SELECT clock_timestamp() - %s * interval '1 second'",
                             (PULL_OVERLAP,)).fetchone()[0]
        if rows or gone:
            with self._local_write() as local:
                local.executemany(
                    "INSERT INTO room_visit (uid, code, pc, started_at, last_seen_at, ended, "
                    "current_lesson, lessons, tries) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                    "ON CONFLICT (uid) DO UPDATE SET code = excluded.code, pc = excluded.pc, "
                    "started_at = excluded.started_at, last_seen_at = excluded.last_seen_at, "
                    "ended = excluded.ended, current_lesson = excluded.current_lesson, "
                    "lessons = excluded.lessons, tries = excluded.tries",
                    [(r[0], r[1], r[2], r[3], r[4], int(bool(r[5])), r[6],
                      _json(r[8]), _json(r[9])) for r in rows])
                self._forget(local, gone)
        self._cursor = now.isoformat()

    @staticmethod
    def _forget(local: sqlite3.Connection, uids: list[str]) -> None:
        """Visits erased or purged on some PC of the room: gone from this PC too (its own
        sessions as well as its copies of the room's visits)."""
        for uid in uids:
            local.execute("DELETE FROM room_visit WHERE uid = ?", (uid,))
            for table in ("step_tries", "lesson_progress"):
                local.execute(f"DELETE FROM {table} WHERE session_id IN "
                              "(SELECT id FROM session WHERE uid = ?)", (uid,))
            local.execute("DELETE FROM session WHERE uid = ?", (uid,))


def _json(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def doctor_checks(paths: Any, settings: Any) -> list[tuple[bool, str, str]]:
    """``kiosk doctor``'s room line: (ok, what, what to do); none without a room."""
    folders = [paths.site_config, paths.user_config]
    config = load_config(settings.room, folders, settings.room_pc_name)
    if config is None:
        return []
    lines: list[tuple[bool, str, str]] = []
    for path in (folder / ROOM_FILE for folder in folders):
        warning = exposed(path) if path.is_file() else None
        if warning is not None:
            ok = os.name != "posix"  # on Windows only a reminder
            lines.append((ok, warning,
                          "" if ok else "only the kiosk account may read the room's password"))
    try:
        lines.insert(0, (True, check(config), ""))
    except RoomError as exc:
        lines.insert(0, (False, str(exc), "see docs/deploying.md, room mode"))
    return lines


# -- room-wide counts for ``kiosk stats export`` ---------------------------------------------------


def lesson_rows(config: RoomConfig) -> list[tuple[object, str, float, bool, float]]:
    """(visit, lesson, started_at, finished, seconds) of every visit's lessons in the room."""
    pg = connect(config)
    import psycopg

    try:
        ensure_schema(pg, config, migrate=False)
        with pg.transaction():
            return [(r[0], str(r[1]), float(r[2]), bool(r[3]), float(r[4])) for r in pg.execute(
                "SELECT uid, lesson_id, started_at, finished_at IS NOT NULL, seconds "
                "FROM visit_lesson")]
    except psycopg.Error as exc:
        raise RoomError(explain(exc, config)) from None
    finally:
        pg.close()
