"""What staff rely on in a room, against a real PostgreSQL server: the room's counts in
``kiosk stats export``, erase and retention purge on every PC, ``kiosk doctor``'s room lines and
a ``room.toml`` that others can read."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import time
from pathlib import Path

from inprocess import a_visit, sent, until

from kiosk.core.paths import AppPaths
from kiosk.core.progress import ProgressService
from kiosk.core.room import doctor_checks, exposed, load_config
from kiosk.core.settings import Settings

ROOT = Path(__file__).resolve().parents[2]
DAY = 86400.0


def uids_seen_by(service: ProgressService) -> set[str]:
    return {s.uid for s in service.overview()}


def room_uids(pg, dsn: str) -> set[str]:  # type: ignore[no-untyped-def]
    return {row[0] for row in pg.admin("SELECT uid FROM visit", dsn.rsplit("/", 1)[1])}


def kiosk(home: Path, *args: str, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "KIOSK_HOME": str(home), "PYTHONPATH": str(ROOT),
           "QT_QPA_PLATFORM": "offscreen"}
    return subprocess.run([sys.executable, "-m", "kiosk", *args], env=env, capture_output=True,
                          text=True, timeout=timeout)


def test_p26_stats_export_counts_the_visits_of_every_pc(pg, room_dsn, room_pcs,  # type: ignore[no-untyped-def]
                                                        tmp_path: Path) -> None:
    a, b = room_pcs("pc-a", room_dsn), room_pcs("pc-b", room_dsn)
    a_visit(a, "tikken", 4, finish=True)
    a_visit(a, "typen", 2)
    a_visit(b, "tikken", 3)
    until(lambda: sent(a, b), "both outboxes sent")
    home = tmp_path / "staff-pc"  # a third PC that saw none of these visits itself
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text(f'room = "{room_dsn}"\n')
    out = tmp_path / "room.csv"
    done = kiosk(home, "stats", "export", "--out", str(out))
    assert done.returncode == 0, done.stderr
    rows = {r["lesson"]: r for r in csv.DictReader(out.read_text(encoding="utf-8").splitlines())}
    assert {lesson: (int(r["sessions"]), int(r["starts"]), int(r["finishes"]))
            for lesson, r in rows.items()} == {"tikken": (2, 2, 1), "typen": (1, 1, 0)}
    from pgserver import PASSWORD

    assert PASSWORD not in done.stdout + done.stderr


def test_p26_stats_export_with_the_room_away_says_so_in_one_line(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pgserver import PASSWORD, free_port

    home = tmp_path / "staff-pc"
    (home / "config").mkdir(parents=True)
    (home / "config" / "settings.toml").write_text(
        f'room = "postgresql://kiosk:{PASSWORD}@127.0.0.1:{free_port()}/room"\n')
    out = tmp_path / "room.csv"
    done = kiosk(home, "stats", "export", "--out", str(out))
    assert done.returncode == 1 and not out.exists()
    assert len(done.stderr.strip().splitlines()) == 1, done.stderr
    assert "cannot be reached" in done.stderr and "no counts written" in done.stderr
    assert PASSWORD not in done.stderr


def test_p26_erase_on_one_pc_erases_the_visit_on_every_pc(pg, room_dsn, room_pcs) -> None:  # type: ignore[no-untyped-def]
    a, b = room_pcs("pc-a", room_dsn), room_pcs("pc-b", room_dsn)
    first, second = a_visit(a, "tikken", 3), a_visit(a, "typen", 2)
    until(lambda: len(uids_seen_by(b)) == 2, "PC B sees PC A's two visits")
    ours = {s.code: s for s in a.overview()}
    # a digibuddy on PC A erases the first visit
    a.erase(ours[first].session_id)
    until(lambda: uids_seen_by(b) == {ours[second].uid}, "PC B no longer lists the erased visit")
    assert b.resume_code(first) is None
    assert room_uids(pg, room_dsn) == {ours[second].uid}
    # a digibuddy on PC B erases the other one, a visit of PC A: gone on PC A too
    (theirs,) = [s for s in b.overview() if s.code == second]
    assert theirs.session_id < 0 and theirs.pc == "pc-a"
    b.erase(theirs.session_id)
    until(lambda: not room_uids(pg, room_dsn), "the room holds no visit")
    until(lambda: not a.overview(), "PC A no longer has the visit B erased")
    assert a.resume_code(second) is None


def test_p26_retention_purge_on_one_pc_purges_the_room(pg, room_dsn, room_pcs) -> None:  # type: ignore[no-untyped-def]
    now = time.time()
    old = room_pcs("pc-old", room_dsn, clock=lambda: now - 40 * DAY)  # its visit: 40 days ago
    a, c = room_pcs("pc-a", room_dsn), room_pcs("pc-c", room_dsn)
    stale = a_visit(old, "tikken", 3)
    fresh = a_visit(a, "typen", 2)
    until(lambda: sent(old, a) and len(uids_seen_by(c)) == 2, "PC C sees both visits")
    # PC A starts again with a retention of 30 days
    assert a.purge(30, now) == 0  # none of its own visits is that old
    until(lambda: len(room_uids(pg, room_dsn)) == 1, "the room purged the old visit")
    (kept,) = room_uids(pg, room_dsn)
    until(lambda: {s.code for s in a.overview()} == {fresh}, "PC A lists only the fresh visit")
    until(lambda: uids_seen_by(c) == {kept}, "PC C no longer lists the old visit")
    assert c.resume_code(stale) is None
    until(lambda: uids_seen_by(old) == {kept}, "the PC where the old visit was made erased it")


def settings_home(tmp_path: Path, dsn: str, password: str | None = None) -> AppPaths:
    paths = AppPaths.under(tmp_path / "home")
    paths.user_config.mkdir(parents=True, exist_ok=True)
    (paths.user_config / "settings.toml").write_text(f'room = "{dsn}"\n')
    if password is not None:
        room_file = paths.user_config / "room.toml"
        room_file.write_text(f'password = "{password}"\n')
        room_file.chmod(0o600)
    return paths


def test_p26_doctor_room_line_reachable_unreachable_wrong_password(pg, room_dsn,  # type: ignore[no-untyped-def]
                                                                   tmp_path: Path) -> None:
    from pgserver import PASSWORD, free_port

    bare = room_dsn.replace(f":{PASSWORD}@", "@")
    cases = {"reachable": (bare, PASSWORD), "wrong password": (bare, "not-the-password"),
             "unreachable": (f"postgresql://kiosk@127.0.0.1:{free_port()}/room", PASSWORD)}
    found = {}
    for case, (dsn, password) in cases.items():
        paths = settings_home(tmp_path / case.replace(" ", "-"), dsn, password)
        (line,) = doctor_checks(paths, Settings(room=dsn))
        assert password not in line[1] + line[2]
        found[case] = line
        print(f"doctor, {case}: {line}")
    assert found["reachable"][0] and "reachable" in found["reachable"][1]
    assert not found["wrong password"][0]
    assert "wrong password for role kiosk" in found["wrong password"][1]
    assert not found["unreachable"][0] and "cannot be reached" in found["unreachable"][1]
    assert doctor_checks(settings_home(tmp_path / "alone", ""), Settings()) == []


def test_p26_kiosk_doctor_names_the_room_and_a_room_toml_others_can_read(pg, room_dsn,  # type: ignore[no-untyped-def]
                                                                        tmp_path: Path) -> None:
    from pgserver import PASSWORD

    home = tmp_path / "home"
    config = home / "config"
    config.mkdir(parents=True)
    (config / "settings.toml").write_text(f'room = "{room_dsn.replace(f":{PASSWORD}@", "@")}"\n')
    room_file = config / "room.toml"
    room_file.write_text(f'password = "{PASSWORD}"\n')
    room_file.chmod(0o644)
    done = kiosk(home, "doctor", timeout=180)
    assert "Traceback" not in done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("✓ room database room") and "reachable" in line for line in lines)
    warned = [line for line in lines if "can be read by other accounts" in line]
    assert len(warned) == 1 and warned[0].startswith("✗") and "mode 0644" in warned[0]
    assert f"chmod 600 {room_file}" in warned[0]
    assert done.returncode == 1
    logs = b"".join(p.read_bytes() for p in (home / "log").glob("*"))
    assert b"can be read by other accounts" in logs
    assert PASSWORD.encode() not in logs and PASSWORD not in done.stdout + done.stderr


def test_room_toml_readable_by_others_is_one_log_line(tmp_path: Path, caplog) -> None:  # type: ignore[no-untyped-def]
    room_file = tmp_path / "room.toml"
    room_file.write_text('room = "postgresql://kiosk@db.example/room"\npassword = "x"\n')
    for mode, warned in ((0o600, False), (0o640, True), (0o604, True), (0o400, False)):
        room_file.chmod(mode)
        caplog.clear()
        config = load_config("", [tmp_path])
        assert config is not None and config.password == "x"
        lines = [r.getMessage() for r in caplog.records if "other accounts" in r.getMessage()]
        assert len(lines) == (1 if warned else 0), (oct(mode), lines)
        assert (exposed(room_file) is not None) == warned
    windows = exposed(room_file, posix=False)
    assert windows is not None and "not checked on Windows" in windows
