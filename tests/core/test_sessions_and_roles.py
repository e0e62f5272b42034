"""Idle policy, picture codes, the permission matrix (P16), the schema allowlist (P10), stats."""

from __future__ import annotations

import random
import sqlite3
from pathlib import Path

import pytest

from kiosk.core.roles import RIGHTS, Action, PinBook, PinError, Role, allowed, hash_pin, verify_pin
from kiosk.core.sessions import ACTIVE, EXPIRED, WARNING, IdlePolicy, new_code, pictograms
from kiosk.core.store import ProgressStore


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_idle_policy_warns_then_expires_and_input_resets() -> None:
    clock = Clock()
    policy = IdlePolicy(300, 120, clock)
    assert policy.state() == ACTIVE  # not started: never idle
    policy.start()
    clock.now += 299
    assert policy.state() == ACTIVE
    clock.now += 1
    assert policy.state() == WARNING and policy.remaining() == 120
    policy.on_input()
    assert policy.state() == ACTIVE
    clock.now += 420
    assert policy.state() == EXPIRED and policy.remaining() == 0


def test_codes_use_three_different_pictures_and_avoid_taken_ones() -> None:
    keys = [f"p{n}" for n in range(4)]
    all_codes = {new_code(keys, set(), random.Random(n)) for n in range(500)}
    assert all(len(set(c.split("-"))) == 3 for c in all_codes)
    assert len(all_codes) == 24  # 4 × 3 × 2: every ordered choice
    last = new_code(keys, all_codes - {"p0-p1-p2"}, random.Random(1))
    assert last == "p0-p1-p2"
    with pytest.raises(RuntimeError):
        new_code(keys, all_codes, random.Random(1))


def test_moon_and_star_never_share_a_code() -> None:
    keys = ["moon", "star", "sun", "cat"]
    codes = {new_code(keys, set(), random.Random(n)) for n in range(300)}
    assert codes and all(not {"moon", "star"} <= set(c.split("-")) for c in codes)


def test_the_pictogram_set_is_large_enough_and_named() -> None:
    found = pictograms()
    assert len(found) >= 16
    assert all(p.name and p.name != p.key for p in found)  # Dutch words from names.toml


def test_p16_digibuddy_rights_are_a_strict_subset_of_staff_rights() -> None:
    assert RIGHTS[Role.LEARNER] < RIGHTS[Role.BUDDY] < RIGHTS[Role.STAFF]
    for action in Action:
        if allowed(Role.BUDDY, action):
            assert allowed(Role.STAFF, action), action
        if allowed(Role.LEARNER, action):
            assert allowed(Role.BUDDY, action), action
    assert RIGHTS[Role.STAFF] == set(Action)
    assert not allowed(Role.BUDDY, Action.LEAVE_KIOSK)
    print("P16 matrix:", {r.value: sorted(a.value for a in RIGHTS[r]) for r in Role})


def test_p14_pins_hash_salted_and_verified(tmp_path: Path) -> None:
    one, two = hash_pin("1234"), hash_pin("1234")
    assert one != two and "1234" not in one
    assert verify_pin("1234", one) and not verify_pin("1243", one)
    assert not verify_pin("1234", "garbage")
    book = PinBook(tmp_path / "config", tmp_path / "data", Clock())
    with pytest.raises(PinError):
        book.set_pin(Role.BUDDY, "12")
    with pytest.raises(PinError):
        book.set_pin(Role.BUDDY, "abcd")
    book.set_pin(Role.STAFF, "8642")
    assert book.check(Role.BUDDY, "8642").ok  # staff may do what the digibuddy may
    assert not book.check(Role.STAFF, "0000").ok


def test_p14_lockout_survives_a_restart(tmp_path: Path) -> None:
    clock = Clock()
    book = PinBook(tmp_path / "config", tmp_path / "data", clock)
    book.set_pin(Role.BUDDY, "5555")
    for _ in range(5):
        assert not book.check(Role.BUDDY, "0000").ok
    restarted = PinBook(tmp_path / "config", tmp_path / "data", clock)
    result = restarted.check(Role.BUDDY, "5555")
    assert not result.ok and result.locked_seconds > 0
    clock.now += 301
    assert restarted.check(Role.BUDDY, "5555").ok


ALLOWED_COLUMNS = {
    "session": {"id", "uid", "code", "started_at", "last_seen_at", "ended_at", "end_reason",
                "current_lesson"},
    "lesson_progress": {"session_id", "lesson_id", "step", "step_count", "started_at",
                        "updated_at", "finished_at", "seconds"},
    "step_tries": {"session_id", "lesson_id", "step", "tries"},
    # room mode: events (numbers and lesson ids) waiting to be sent, this store's identity,
    # the room's visits as last seen, leased picture codes
    "outbox": {"seq", "event"},
    "sqlite_sequence": {"name", "seq"},
    "meta": {"key", "value"},
    "room_visit": {"id", "uid", "code", "pc", "started_at", "last_seen_at", "ended",
                   "current_lesson", "lessons", "tries"},
    "code_pool": {"code"},
}


def test_p10_the_store_holds_no_direct_identifiers(tmp_path: Path) -> None:
    store = ProgressStore(tmp_path / "p.sqlite3")
    connection = sqlite3.connect(tmp_path / "p.sqlite3")
    tables = {row[0] for row in connection.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert tables == set(ALLOWED_COLUMNS)
    for table in tables:
        columns = {row[1] for row in connection.execute(f"PRAGMA table_info({table})")}
        assert columns == ALLOWED_COLUMNS[table], table
        for column in columns:
            for word in ("name" if table != "sqlite_sequence" else "-", "mail", "phone", "address", "birth", "text", "answer", "typed"):
                assert word not in column
    connection.close()
    store.close()


def test_day_counts_are_anonymous_per_lesson_and_day(tmp_path: Path) -> None:
    times = iter([86400 * 20000 + 3600 * h for h in range(100)])
    store = ProgressStore(tmp_path / "p.sqlite3", clock=lambda: float(next(times)))
    for finished in (True, False, True):
        session = store.start_session()
        store.record_step(session, "email", 1, 9, seconds=0)
        store.record_step(session, "email", 9, 9, seconds=240)
        if finished:
            store.finish_lesson(session, "email", seconds=60)
    counts = store.day_counts()
    assert len(counts) == 1
    (row,) = counts
    assert (row.lesson_id, row.sessions, row.starts, row.finishes) == ("email", 3, 3, 2)
    assert row.median_minutes == 5.0
    store.close()


def test_p14_pin_lockout_grows_and_fades(tmp_path: Path) -> None:
    clock = Clock()
    book = PinBook(tmp_path / "config", tmp_path / "data", clock)
    book.set_pin(Role.STAFF, "97531")
    locks = [book.check(Role.STAFF, "0000").locked_seconds for _ in range(5)]
    assert locks == [0, 0, 0, 0, 300]
    clock.now += 300
    assert book.check(Role.STAFF, "0000").locked_seconds == 600  # at once again: longer
    clock.now += 600 + 3 * 300  # three failures forgotten
    assert book.check(Role.STAFF, "0000").locked_seconds == 0
    assert book.check(Role.STAFF, "97531").ok


def test_a_lock_that_cannot_be_saved_holds_in_memory(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    from kiosk.core.roles import PIN_RULE, Lockout

    (tmp_path / "data").write_text("not a folder")
    clock = Clock()
    lock = Lockout(tmp_path / "data" / "pin-lock.json", "staff", PIN_RULE, clock)
    for _ in range(PIN_RULE.free):
        assert lock.failed() == 0
    assert lock.failed() == PIN_RULE.first_lock
    assert lock.wait() == PIN_RULE.first_lock
    assert "lock cannot be saved" in caplog.text
