"""``kiosk room check``: one clear line for each thing that can be wrong, never the password."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def room_check(home: Path, dsn: str, password: str | None = None) -> subprocess.CompletedProcess[str]:
    config = home / "config"
    config.mkdir(parents=True, exist_ok=True)
    (config / "settings.toml").write_text(f'room = "{dsn}"\n')
    if password is not None:
        (config / "room.toml").write_text(f'password = "{password}"\n')
    env = {**os.environ, "KIOSK_HOME": str(home), "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, "-m", "kiosk", "room", "check"], env=env,
                          capture_output=True, text=True, timeout=60)


def one_line(done: subprocess.CompletedProcess[str], home: Path, secret: str) -> str:
    assert done.returncode == 1, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    logs = b"".join(p.read_bytes() for p in (home / "log").glob("*")) if (home / "log").exists() \
        else b""
    assert secret not in done.stderr + done.stdout and secret.encode() not in logs
    print(lines[0])
    return lines[0]


def test_p26_room_check_creates_then_finds_the_schema(pg, room_dsn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pgserver import PASSWORD

    first = room_check(tmp_path, room_dsn)
    assert first.returncode == 0, first.stderr
    assert "created the room tables" in first.stdout and PASSWORD not in first.stdout
    again = room_check(tmp_path, room_dsn)
    assert "is up to date" in again.stdout


def test_p26_wrong_password_is_one_line(pg, room_dsn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    dsn = room_dsn.replace(room_dsn.split("@")[0], "postgresql://kiosk")
    line = one_line(room_check(tmp_path, dsn, password="not-the-password"), tmp_path,
                    "not-the-password")
    assert "wrong password for role kiosk" in line


def test_p26_unreachable_host_is_one_line(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pgserver import PASSWORD, free_port

    line = one_line(room_check(tmp_path, f"postgresql://kiosk:{PASSWORD}@127.0.0.1:"
                                         f"{free_port()}/room"), tmp_path, PASSWORD)
    assert "cannot be reached" in line


def test_p26_newer_schema_is_one_line(pg, room_dsn, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pgserver import PASSWORD

    assert room_check(tmp_path, room_dsn).returncode == 0
    pg.admin("INSERT INTO room_schema (version) VALUES (99)", room_dsn.rsplit("/", 1)[1])
    line = one_line(room_check(tmp_path, room_dsn), tmp_path, PASSWORD)
    assert "schema version 99, newer than this app" in line


def test_p26_no_rights_is_one_line(pg, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    from pgserver import PASSWORD

    database = pg.new_database(owner="postgres")  # kiosk may connect, not create tables
    line = one_line(room_check(tmp_path, pg.dsn(database)), tmp_path, PASSWORD)
    assert "has no rights" in line
