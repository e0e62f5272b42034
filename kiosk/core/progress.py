"""The one service through which screens change progress.

It keeps the learner's progress in memory (the truth while the app runs) and hands every change
to a single writer thread that commits it to the ``ProgressStore``, so the UI thread never waits
on the disk. When the store cannot be written (read-only, full, locked), the lesson goes on in
memory and the staff log says so once.
"""

from __future__ import annotations

import logging
import queue
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.core.sessions import new_code
from kiosk.core.store import Clock, ProgressStore, SessionSummary, StoreError

logger = logging.getLogger(__name__)

Write = Callable[[ProgressStore], None]
FAILURE_LOG_INTERVAL = 600.0  # seconds between two log lines about the same store trouble


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


class ProgressService:
    def __init__(self, store: ProgressStore | None, clock: Clock = time.monotonic) -> None:
        self.store = store
        self.clock = clock
        self.session_id: int | None = None
        self.memory = _Memory()
        self._lesson_opened_at: dict[str, float] = {}
        self._queue: queue.Queue[Write | None] = queue.Queue()
        self._failing = False
        self._failure_logged_at = -FAILURE_LOG_INTERVAL
        self._thread: threading.Thread | None = None
        if store is not None:
            self._thread = threading.Thread(target=self._run, name="progress-writer", daemon=True)
            self._thread.start()

    @classmethod
    def open(cls, store_factory: Callable[[], ProgressStore]) -> ProgressService:
        """A service on a store; if the store cannot be opened at all, one kept in memory."""
        try:
            return cls(store_factory())
        except StoreError as exc:
            logger.error("%s; progress is kept in memory only", exc,
                         extra={"event": "store_unavailable"})
            return cls(None)

    @property
    def saving(self) -> bool:
        """False when progress is only kept in memory."""
        return self.store is not None and not self._failing

    # -- the writer thread -----------------------------------------------------------------

    def _run(self) -> None:
        while True:
            write = self._queue.get()
            try:
                if write is None:
                    return
                assert self.store is not None
                write(self.store)
                self._failing = False
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

    def _submit(self, write: Write) -> None:
        if self._thread is not None:
            self._queue.put(write)

    def flush(self) -> None:
        """Wait until every change so far is committed (or has failed)."""
        if self._thread is not None:
            self._queue.join()

    def close(self) -> None:
        if self._thread is not None:
            self._queue.put(None)
            self._thread.join(timeout=10)
            self._thread = None
        if self.store is not None:
            self.store.close()

    # -- sessions --------------------------------------------------------------------------

    def resume_offer(self) -> ResumeOffer | None:
        """The lesson a learner was in when the app stopped, to offer on the next start."""
        if self.store is None:
            return None
        try:
            found = self.store.interrupted_lesson()
        except Exception as exc:  # a damaged store must not stop the start
            logger.warning("cannot read progress: %s", exc)
            return None
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
            if self.store is not None:
                try:
                    self.session_id = self.store.start_session()
                except StoreError as exc:
                    self._failing = True
                    logger.error("%s; progress is kept in memory", exc,
                                 extra={"event": "store_write_failed"})
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

    def end_session(self, reason: str, pictogram_keys: list[str] | None = None) -> str | None:
        """Ends the visit; returns its picture code when there is progress to come back to."""
        session_id, code = self.session_id, None
        if session_id and self.store is not None and pictogram_keys and self.has_progress:
            self.flush()  # the writer is idle now: reading on this thread is safe
            try:
                known = self.store.live_codes()
                existing = [c for c in known if self.store.session_by_code(c) == session_id]
                code = existing[0] if existing else new_code(pictogram_keys, known)
            except Exception as exc:  # a damaged store: no code, the next person still starts clean
                logger.warning("no picture code: %s", exc)
                code = None
            if code is not None:
                chosen = code
                self._submit(lambda store: store.assign_code(session_id, chosen))
        if session_id:
            self._submit(lambda store: store.end_session(session_id, reason))
            self._submit(lambda store: store.checkpoint())
        if session_id is not None or self.has_progress:
            logger.info("session ended: %s", reason, extra={"event": "session_end"})
        self.session_id = None
        self.memory = _Memory()
        self._lesson_opened_at.clear()
        return code

    def _read(self, read: Callable[[ProgressStore], object]) -> object:
        if self.store is None:
            return None
        self.flush()
        try:
            return read(self.store)
        except Exception as exc:
            logger.warning("cannot read progress: %s", exc)
            return None

    def resume_code(self, code: str) -> ResumeOffer | None:
        """Opens the session with this picture code (None when no session has it)."""
        session_id = self._read(lambda store: store.session_by_code(code))
        if not isinstance(session_id, int):
            return None
        return self.resume_session(session_id)

    def resume_session(self, session_id: int) -> ResumeOffer | None:
        store = self.store
        if store is None:
            return None
        self.flush()
        try:
            steps = store.session_steps(session_id)
            finished = store.finished_lessons(session_id)
            current = store.current_lesson(session_id)
            store.reopen_session(session_id)
        except Exception as exc:
            logger.warning("cannot resume a session: %s", exc)
            return None
        self.session_id = session_id
        self.memory = _Memory(steps=steps, finished=finished)
        self._lesson_opened_at.clear()
        logger.info("session resumed", extra={"event": "session_resume"})
        if current is None:
            return ResumeOffer(session_id, "", 0, 0)
        return ResumeOffer(session_id, current.lesson_id, current.step, current.step_count)

    def overview(self) -> list[SessionSummary]:
        found = self._read(lambda store: store.sessions_overview())
        return found if isinstance(found, list) else []

    def erase(self, session_id: int) -> None:
        if session_id == self.session_id:
            self.session_id = None
            self.memory = _Memory()
        self._submit(lambda store: store.erase_session(session_id))
        logger.info("session erased", extra={"event": "session_erased"})

    def purge(self, retention_days: int, now: float) -> int:
        """Erases resumable sessions older than the retention (run at start)."""
        purged = self._read(lambda store: store.purge(now - retention_days * 86400))
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
