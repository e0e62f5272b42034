"""The one service through which screens change progress.

It keeps the learner's progress in memory (the truth while the app runs) and hands every store
operation — writes, and the few reads a screen needs — to one writer thread that owns the
``ProgressStore``. The UI thread never runs SQL: it opens the store on the writer thread, numbers
new sessions itself, and picks picture codes from what the writer last told it. A read (the
digibuddy list, a picture code typed in) waits for the writer, which only ever works on the
local file, so it answers in milliseconds. When the store cannot be written (read-only, full,
locked), the lesson goes on in memory and the staff log says so once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Future
from concurrent.futures import TimeoutError as FutureTimeout
from dataclasses import dataclass, field, replace
from typing import Any

from kiosk.core.room import RoomConfig, RoomLink, local_code
from kiosk.core.sessions import new_code
from kiosk.core.store import Clock, ProgressStore, SessionSummary, StoreError

logger = logging.getLogger(__name__)

Write = Callable[[ProgressStore], object]
FAILURE_LOG_INTERVAL = 600.0  # seconds between two log lines about the same store trouble
READ_TIMEOUT = 10.0  # a read the writer has not answered by then is given up (logged)


@dataclass(frozen=True)
class ResumeOffer:
    session_id: int
    lesson_id: str
    step: int
    step_count: int


@dataclass
class _Memory:
    steps: dict[str, int] = field(default_factory=dict)
    finished: set[str] = field(default_factory=set)
    tries: dict[tuple[str, int], int] = field(default_factory=dict)
    code: str | None = None  # the picture code this visit already has


@dataclass(frozen=True)
class _Resumed:
    session_id: int
    steps: dict[str, int]
    finished: set[str]
    current: tuple[str, int, int] | None
    code: str | None


class ProgressService:
    def __init__(self, store: ProgressStore | None,
                 clock: Clock = time.monotonic, *,
                 factory: Callable[[], ProgressStore] | None = None,
                 room: RoomConfig | None = None, wait: bool = True) -> None:
        self.store = store
        self.room = room
        self.link: RoomLink | None = None
        self._pool: frozenset[str] = frozenset()  # codes leased for this PC by the room
        self._ids = threading.Lock()
        self.clock = clock
        self.session_id: int | None = None
        self.memory = _Memory()
        self._lesson_opened_at: dict[str, float] = {}
        self._queue: queue.Queue[Write | None] = queue.Queue()
        self._failing = False
        self._failure_logged_at = -FAILURE_LOG_INTERVAL
        self._thread: threading.Thread | None = None
        self._next_session = 1
        self._wall: Clock | None = None  # the store's own clock
        self._taken: frozenset[str] = frozenset()  # live codes, as the writer last saw them
        self._handed_out: set[str] = set()  # codes given since the start
        self._ready: Future[None] | None = None  # the writer's open, until it is settled
        self._open_deadline = 0.0
        if store is None and factory is None:
            return
        self._ready = Future()
        self._open_deadline = time.monotonic() + READ_TIMEOUT
        self._thread = threading.Thread(target=self._run, args=(factory, self._ready),
                                        name="progress-writer", daemon=True)
        self._thread.start()
        if wait:
            self._settle()

    @classmethod
    def open(cls, store_factory: Callable[[], ProgressStore],
             room: RoomConfig | None = None, wait: bool = True) -> ProgressService:
        """A service on a store opened by its writer thread (shared with a room when one is
        set); if the store cannot be opened at all, one kept in memory. With ``wait`` False
        the store opens while the app starts: the first call that needs it waits for it
        (``READ_TIMEOUT`` from now at most), and ``answered`` says whether that would wait."""
        return cls(None, factory=store_factory, room=room, wait=wait)

    def answered(self, timeout: float = 0.0) -> bool:
        """Whether the store has answered (opened, or given up on: progress is then kept in
        memory), waiting ``timeout`` seconds at most. Past the open's time limit it gives up."""
        ready = self._ready
        if ready is not None:
            try:
                ready.exception(timeout=min(timeout, max(0.0, self._open_deadline
                                                         - time.monotonic())))
            except FutureTimeout:
                if time.monotonic() < self._open_deadline:
                    return False
            self._settle()
        return True

    def _settle(self) -> None:
        """Waits for the writer to open the store (until the open's time limit at most); when it
        cannot, progress is kept in memory and the staff log says so once."""
        ready, self._ready = self._ready, None
        if ready is None:
            return
        try:
            ready.result(timeout=max(0.0, self._open_deadline - time.monotonic()))
        except (StoreError, FutureTimeout) as exc:
            logger.error("%s; progress is kept in memory only",
                         exc if isinstance(exc, StoreError) else "the progress store did not open",
                         extra={"event": "store_unavailable"})
            self._stop_thread()
            self.store = None

    @property
    def saving(self) -> bool:
        """False when progress is only kept in memory."""
        self._settle()
        return self.store is not None and not self._failing

    # -- the writer thread -----------------------------------------------------------------

    def _run(self, factory: Callable[[], ProgressStore] | None, ready: Future[None]) -> None:
        try:
            if factory is not None:
                self.store = factory()
            assert self.store is not None
            self._wall = self.store.clock  # before any job stops it for a moment
            self._next_session = self.store.next_session_id()
            self._taken = frozenset(self.store.live_codes())
            if self.room is not None:
                self.store.outbox = True  # leased codes: the room link says which may be used
                self.link = RoomLink(self.room, self.store.path, self.store.pc_id(),
                                     on_codes=self._leased,
                                     taken=lambda: self._taken | frozenset(self._handed_out))
                self.link.start()
        except BaseException as exc:  # noqa: BLE001 - handed to the thread that waits
            ready.set_exception(exc if isinstance(exc, StoreError) else StoreError(str(exc)))
            return
        ready.set_result(None)
        while True:
            write = self._queue.get()
            try:
                if write is None:
                    return
                assert self.store is not None
                write(self.store)
                self._failing = False
                if self.link is not None:
                    self.link.wake.set()
            except StoreError as exc:
                self._failing = True
                # A nearly full disk can fail one write and take the next: say it once a while.
                now = time.monotonic()
                if now - self._failure_logged_at > FAILURE_LOG_INTERVAL:
                    self._failure_logged_at = now
                    logger.error("%s; the lesson goes on, progress is kept in memory", exc,
                                 extra={"event": "store_write_failed"})
            except Exception:  # a bug must not stop the writer for the rest of the day
                logger.exception("progress write failed", extra={"event": "store_write_failed"})
            finally:
                self._queue.task_done()

    def _dated(self, job: Write) -> Write:
        """``job`` with the store's clock stopped at this moment: a change is dated when it is
        asked for, not when the writer thread gets to it (a visit ended at 10:00 stays ended at
        10:00 however long the queue is)."""
        clock = self._wall
        if clock is None:
            return job
        at = clock()

        def run(store: ProgressStore) -> None:
            store.clock = lambda: at
            try:
                job(store)
            finally:
                store.clock = clock
        return run

    def _submit(self, write: Write) -> None:
        self._settle()
        if self._thread is not None:
            self._queue.put(self._dated(write))

    def _ask(self, read: Callable[[ProgressStore], Any]) -> Any:
        """Runs ``read`` on the writer thread after every change so far; None when it fails."""
        self._settle()
        if self._thread is None:
            return None
        answer: Future[Any] = Future()

        def run(store: ProgressStore) -> None:
            try:
                answer.set_result(read(store))
            except Exception as exc:  # noqa: BLE001 - handed to the waiting thread
                answer.set_exception(exc)

        self._queue.put(self._dated(run))
        try:
            return answer.result(timeout=READ_TIMEOUT)
        except FutureTimeout:
            logger.warning("cannot read progress: the store did not answer in time")
        except Exception as exc:
            logger.warning("cannot read progress: %s", exc)
        return None

    def _leased(self, codes: frozenset[str]) -> None:
        self._pool = codes

    def _take_session_id(self) -> int:
        with self._ids:
            session_id, self._next_session = self._next_session, self._next_session + 1
        return session_id

    def room_state(self) -> tuple[bool, str, int]:
        """(reachable, the last trouble in one line, events waiting) — for staff screens."""
        self._settle()
        if self.link is None:
            return False, "", 0
        waiting = self._ask(lambda store: store.pending_events())
        return self.link.connected, self.link.problem, int(waiting or 0)

    @property
    def codes_leased(self) -> int:
        """How many picture codes leased from the room this PC may hand out now."""
        return len(self._pool - self._taken - self._handed_out)

    def _refresh_codes(self, store: ProgressStore) -> None:
        self._taken = frozenset(store.live_codes())

    def flush(self) -> None:
        """Wait until every change so far is committed (or has failed)."""
        self._settle()
        if self._thread is not None:
            self._queue.join()

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None

    def close(self) -> None:
        self._settle()
        store = self.store
        if self.link is not None:
            self.link.stop()
            self.link = None
        self._stop_thread()
        if store is not None:
            store.close()

    # -- sessions --------------------------------------------------------------------------

    def resume_offer(self) -> ResumeOffer | None:
        """The lesson a learner was in when the app stopped, to offer on the next start."""
        found = self._ask(lambda store: store.interrupted_lesson())
        if found is None:
            return None
        return ResumeOffer(found.session_id, found.lesson_id, found.step, found.step_count)

    def accept_resume(self, offer: ResumeOffer) -> None:
        self.resume_session(offer.session_id)

    def decline_resume(self, offer: ResumeOffer) -> None:
        self._submit(lambda store: store.end_session(offer.session_id, "not resumed"))

    def _session(self) -> int:
        if self.session_id is None:
            self.session_id = 0
            self._settle()  # session numbers follow the store's
            if self._thread is not None:
                session_id = self._take_session_id()
                uid = uuid.uuid4().hex
                self._submit(lambda store: store.start_session(session_id, uid))
                self.session_id = session_id
        return self.session_id

    def begin_session(self) -> None:
        """A new, anonymous visit: nothing of an earlier one is in memory."""
        self.session_id = None
        self.memory = _Memory()
        self._lesson_opened_at.clear()
        self._session()
        logger.info("session started", extra={"event": "session_start"})

    @property
    def has_progress(self) -> bool:
        return bool(self.memory.steps or self.memory.finished)

    def _new_code(self, pictogram_keys: list[str]) -> str | None:
        taken = set(self._taken) | self._handed_out
        leased = sorted(self._pool - taken)
        if leased:  # unique in the whole room
            return leased[0]
        try:
            if self.room is not None:  # from the codes the room never leases
                logger.warning("no picture code leased from the room; this one is made here, "
                               "from the codes kept for that", extra={"event": "room_code_local"})
                return local_code(pictogram_keys, taken)
            return new_code(pictogram_keys, taken)
        except (ValueError, RuntimeError) as exc:
            logger.warning("no picture code: %s", exc)
            return None

    def end_session(self, reason: str, pictogram_keys: list[str] | None = None) -> str | None:
        """Ends the visit; returns its picture code when there is progress to come back to."""
        session_id, code = self.session_id, None
        self._settle()  # picture codes in use: as the store has them
        if session_id and self._thread is not None and pictogram_keys and self.has_progress:
            code = self.memory.code or self._new_code(pictogram_keys)
            if code is not None and code != self.memory.code:
                chosen = code
                self._handed_out.add(chosen)

                def assign(store: ProgressStore) -> None:
                    store.assign_code(session_id, chosen)
                    self._refresh_codes(store)
                self._submit(assign)
        if session_id:
            self._submit(lambda store: store.end_session(session_id, reason))
            self._submit(lambda store: store.checkpoint())
        if session_id is not None or self.has_progress:
            logger.info("session ended: %s", reason, extra={"event": "session_end"})
        self.session_id = None
        self.memory = _Memory()
        self._lesson_opened_at.clear()
        return code

    def resume_code(self, code: str) -> ResumeOffer | None:
        """Opens the session with this picture code (None when no session has it)."""
        def find_and_reopen(store: ProgressStore) -> _Resumed | None:
            session_id = store.session_by_code(code)
            if self.room is not None:
                uid = store.room_uid(code=code)
                # the room knows it: merged with what this PC has; unless the room gave that
                # code to another visit (made offline on two PCs): here it is this PC's visit
                if uid is not None and (session_id is None or store.uid_of(session_id) == uid):
                    session_id = store.take_room_visit(uid, self._take_session_id)
            return None if session_id is None else _reopen(store, session_id)
        return self._resumed(self._ask(find_and_reopen))

    def resume_session(self, session_id: int) -> ResumeOffer | None:
        """Opens a session of this PC, or (an id below zero, from ``overview``) a visit of the
        room."""
        def reopen(store: ProgressStore) -> _Resumed | None:
            local: int | None = session_id
            if session_id < 0:
                uid = store.room_uid(mirror_id=-session_id)
                local = None if uid is None else store.take_room_visit(uid, self._take_session_id)
            return None if local is None else _reopen(store, local)
        return self._resumed(self._ask(reopen))

    def _resumed(self, found: _Resumed | None) -> ResumeOffer | None:
        if found is None:
            return None
        self.session_id = found.session_id
        self.memory = _Memory(steps=found.steps, finished=found.finished, code=found.code)
        self._lesson_opened_at.clear()
        logger.info("session resumed", extra={"event": "session_resume"})
        if found.current is None:
            return ResumeOffer(found.session_id, "", 0, 0)
        return ResumeOffer(found.session_id, *found.current)

    def overview(self) -> list[SessionSummary]:
        """The visits a digibuddy can open or erase: this PC's, and in a room every PC's (which
        PC, which lesson, where it is hard), newest first."""
        def read(store: ProgressStore) -> list[SessionSummary]:
            found = store.sessions_overview()
            if self.room is None:
                return found
            name = self.room.name
            found = [replace(summary, pc=name) for summary in found]
            return sorted(found + store.room_overview(), key=lambda s: -s.last_seen_at)
        found = self._ask(read)
        return found if isinstance(found, list) else []

    def erase(self, session_id: int) -> None:
        if session_id == self.session_id:
            self.session_id = None
            self.memory = _Memory()

        def erase(store: ProgressStore) -> None:
            if session_id < 0:
                store.erase_room_visit(-session_id)
            else:
                store.erase_session(session_id)
            self._refresh_codes(store)
        self._submit(erase)
        logger.info("session erased", extra={"event": "session_erased"})

    def purge(self, retention_days: int, now: float) -> int:
        """Erases resumable sessions older than the retention (run at start)."""
        def purge(store: ProgressStore) -> int:
            count = store.purge(now - retention_days * 86400)
            self._refresh_codes(store)
            return count
        purged = self._ask(purge)
        if isinstance(purged, int) and purged:
            logger.info("%d sessions older than %d days erased", purged, retention_days,
                        extra={"event": "sessions_purged"})
        return purged if isinstance(purged, int) else 0

    # -- lessons ---------------------------------------------------------------------------

    def step_of(self, lesson_id: str) -> int:
        """Where a lesson continues (1 for a lesson not yet begun)."""
        return self.memory.steps.get(lesson_id, 1)

    def is_finished(self, lesson_id: str) -> bool:
        return lesson_id in self.memory.finished

    def open_lesson(self, lesson_id: str, step: int, step_count: int) -> None:
        self._lesson_opened_at[lesson_id] = self.clock()
        self.step_reached(lesson_id, step, step_count)

    def step_reached(self, lesson_id: str, step: int, step_count: int) -> None:
        self.memory.steps[lesson_id] = step
        session_id = self._session()
        if session_id:
            seconds = self._elapsed(lesson_id)
            self._submit(lambda store: store.record_step(session_id, lesson_id, step, step_count,
                                                         seconds))

    def wrong_try(self, lesson_id: str, step: int) -> int:
        key = (lesson_id, step)
        self.memory.tries[key] = self.memory.tries.get(key, 0) + 1
        session_id = self._session()
        if session_id:
            self._submit(lambda store: store.record_try(session_id, lesson_id, step))
        return self.memory.tries[key]

    def lesson_finished(self, lesson_id: str) -> None:
        self.memory.finished.add(lesson_id)
        self.memory.steps.pop(lesson_id, None)
        session_id = self._session()
        if session_id:
            seconds = self._elapsed(lesson_id)
            self._submit(lambda store: store.finish_lesson(session_id, lesson_id, seconds))

    def _elapsed(self, lesson_id: str) -> float:
        now = self.clock()
        started = self._lesson_opened_at.get(lesson_id, now)
        self._lesson_opened_at[lesson_id] = now
        return max(0.0, now - started)


def _reopen(store: ProgressStore, session_id: int) -> _Resumed | None:
    """On the writer thread: what a resumed session holds, and the session opened again."""
    if not store.session_exists(session_id):
        return None
    steps = store.session_steps(session_id)
    finished = store.finished_lessons(session_id)
    current = store.current_lesson(session_id)
    code = store.code_of(session_id)
    store.reopen_session(session_id)
    return _Resumed(session_id, steps, finished,
                    None if current is None else (current.lesson_id, current.step,
                                                  current.step_count), code)
