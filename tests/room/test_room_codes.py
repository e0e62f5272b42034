"""P26, picture codes in a room against a real PostgreSQL server: leases of a PC that never comes
back are freed, a PC without a (trusted) lease makes codes the room never leases, and a code
made offline on two PCs resumes the right visit on each."""

from __future__ import annotations

import sqlite3
import time
from pathlib import Path

from inprocess import KEYS, a_visit, sent, until

from kiosk.core.progress import ProgressService
from kiosk.core.room import LEASE_FREE_DAYS, LEASE_TRUST_DAYS, local_only


def room(pg, dsn: str, sql: str, args: tuple = ()) -> list[tuple]:  # type: ignore[no-untyped-def,type-arg]
    import psycopg

    with psycopg.connect(host=str(pg.sockets), port=pg.port, user="postgres",
                         dbname=dsn.rsplit("/", 1)[1], autocommit=True) as connection:
        cursor = connection.execute(sql, args)
        return cursor.fetchall() if cursor.description else []


def local(home: Path, sql: str, args: tuple = ()) -> list[tuple]:  # type: ignore[type-arg]
    connection = sqlite3.connect(home / "progress.sqlite3")
    try:
        with connection:
            return connection.execute(sql, args).fetchall()
    finally:
        connection.close()


def pc_id(home: Path) -> str:
    return str(local(home, "SELECT value FROM meta WHERE key = 'pc_id'")[0][0])


def leased_here(home: Path, service: ProgressService | None = None) -> set[str]:
    """The codes in a PC's pool, once it has leased a block (and its service may use them)."""
    until(lambda: len(local(home, "SELECT code FROM code_pool")) >= 10, "a block of codes")
    if service is not None:
        until(lambda: service.codes_leased >= 10, "the block handed to the service")
    return {row[0] for row in local(home, "SELECT code FROM code_pool")}


def nowhere() -> str:
    from pgserver import free_port

    return f"postgresql://kiosk@127.0.0.1:{free_port()}/room"


def test_p26_leases_of_a_pc_that_never_comes_back_are_freed(pg, room_dsn, room_pcs,  # type: ignore[no-untyped-def]
                                                            tmp_path: Path) -> None:
    gone = room_pcs("pc-gone", room_dsn)
    leased_here(tmp_path / "pc-gone", gone)
    used = a_visit(gone, "tikken", 3)  # one leased code now belongs to a visit
    until(lambda: sent(gone), "the visit reached the room")
    gone.close()
    mine = pc_id(tmp_path / "pc-gone")
    leased = {row[0] for row in room(pg, room_dsn, "SELECT code FROM code_lease "
                                                   "WHERE pc_id = %s AND uid IS NULL", (mine,))}
    assert len(leased) >= 10 and used not in leased
    assert not any(local_only(code, KEYS) for code in leased)
    # the PC was last seen just over LEASE_FREE_DAYS ago; another PC starts
    room(pg, room_dsn, "UPDATE code_lease SET leased_at = now() - %s * interval '1 day' - "
                       "interval '1 hour' WHERE pc_id = %s", (LEASE_FREE_DAYS, mine))
    other = room_pcs("pc-other", room_dsn)
    until(lambda: not room(pg, room_dsn, "SELECT 1 FROM code_lease WHERE pc_id = %s AND uid IS "
                                         "NULL", (mine,)), "the old leases are freed")
    # the code given to a visit stays that visit's; the visit resumes on the other PC
    assert room(pg, room_dsn, "SELECT pc_id FROM code_lease WHERE code = %s", (used,)) == \
        [(mine,)]
    until(lambda: any(s.code == used for s in other.overview()), "the other PC sees the visit")
    offer = other.resume_code(used)
    assert offer is not None and (offer.lesson_id, offer.step) == ("tikken", 3)
    # the PC comes back: it drops the codes it no longer holds and leases new ones
    back = room_pcs("pc-gone", room_dsn)

    def held() -> set[str]:
        return {row[0] for row in room(pg, room_dsn, "SELECT code FROM code_lease WHERE "
                                                     "pc_id = %s AND uid IS NULL", (mine,))}
    until(lambda: len(held()) >= 10, "the PC that came back leased again")
    until(lambda: leased_here(tmp_path / "pc-gone", back) <= held(), "it kept only codes it holds")
    now_held = held()
    code = a_visit(back, "typen", 2)
    assert code in now_held


def test_p26_a_pc_whose_lease_is_too_old_to_trust_makes_local_only_codes(  # type: ignore[no-untyped-def]
        pg, room_dsn, room_pcs, tmp_path: Path) -> None:
    first = room_pcs("pc-a", room_dsn)
    leased_here(tmp_path / "pc-a", first)
    trusted = a_visit(first, "tikken", 2)
    assert not local_only(trusted, KEYS)  # from its lease
    first.close()
    pool = {row[0] for row in local(tmp_path / "pc-a", "SELECT code FROM code_pool")}
    old = time.time() - (LEASE_TRUST_DAYS + 1) * 86400
    local(tmp_path / "pc-a", "UPDATE meta SET value = ? WHERE key = 'lease_renewed_at'",
          (repr(old),))
    # it starts again where the room cannot be reached: its old block may have been freed
    offline = room_pcs("pc-a", nowhere(), reach=False)
    codes = [a_visit(offline, "tikken", 2) for _ in range(3)]
    assert all(local_only(code, KEYS) for code in codes) and not set(codes) & pool


def test_p26_a_first_visit_before_any_lease_never_clashes_with_a_room_code(  # type: ignore[no-untyped-def]
        pg, room_dsn, room_pcs, tmp_path: Path, caplog) -> None:
    new = room_pcs("pc-new", nowhere(), reach=False)  # a new PC that never reached the room
    early = [a_visit(new, "tikken", 2 + n) for n in range(3)]
    assert any("room_code_local" == getattr(r, "event", "") for r in caplog.records)
    new.close()
    assert all(local_only(code, KEYS) for code in early)
    # meanwhile the room leases codes to 10 other PCs, none of them from that range
    others = [room_pcs(f"pc-{n}", room_dsn) for n in range(10)]
    for n in range(10):
        leased_here(tmp_path / f"pc-{n}", others[n])
    until(lambda: room(pg, room_dsn, "SELECT count(DISTINCT pc_id) FROM code_lease") == [(10,)],
          "ten PCs hold leases")
    leased = {row[0] for row in room(pg, room_dsn, "SELECT code FROM code_lease")}
    assert len(leased) >= 100 and not any(local_only(code, KEYS) for code in leased)
    given = [a_visit(pc, "typen", 3) for pc in others]
    back = room_pcs("pc-new", room_dsn)  # the new PC reaches the room at last
    until(lambda: sent(back, *others), "every visit reached the room")
    codes = dict(room(pg, room_dsn, "SELECT code, pc FROM visit"))
    assert set(codes) == set(early) | set(given)  # 13 visits, 13 different codes, all kept
    until(lambda: len(others[0].overview()) == 13, "PC 0 sees every visit")
    for code, (lesson, step) in [(early[1], ("tikken", 3)), (given[4], ("typen", 3))]:
        offer = others[0].resume_code(code)
        assert offer is not None and (offer.lesson_id, offer.step) == (lesson, step)


def test_p26_a_code_made_offline_on_two_pcs_resumes_each_pcs_own_visit(  # type: ignore[no-untyped-def]
        pg, room_dsn, room_pcs, tmp_path: Path) -> None:
    away = nowhere()
    a, b = room_pcs("pc-a", away, reach=False), room_pcs("pc-b", away, reach=False)
    code = a_visit(a, "tikken", 4)
    other = a_visit(b, "typen", 2)
    a.close()
    b.close()
    # by chance PC B made the same code from the local-only range (340 codes) as PC A
    home = tmp_path / "pc-b"
    local(home, "UPDATE session SET code = ? WHERE code = ?", (code, other))
    local(home, "UPDATE outbox SET event = json_set(event, '$.code', ?) "
                "WHERE json_extract(event, '$.kind') = 'code'", (code,))
    a = room_pcs("pc-a", room_dsn)
    until(lambda: sent(a), "PC A's visit reached the room first")
    b = room_pcs("pc-b", room_dsn)
    c = room_pcs("pc-c", room_dsn)
    until(lambda: sent(b) and len(c.overview()) == 2, "PC C sees both visits")
    assert room(pg, room_dsn, "SELECT pc FROM visit WHERE code = %s", (code,)) == [("pc-a",)]
    # on PC B the code is still its own visit; everywhere else it is PC A's
    on_b = b.resume_code(code)
    assert on_b is not None and (on_b.lesson_id, on_b.step) == ("typen", 2)
    on_c = c.resume_code(code)
    assert on_c is not None and (on_c.lesson_id, on_c.step) == ("tikken", 4)
