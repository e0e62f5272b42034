"""Shared fixtures. Every test runs offscreen with its own data, cache, log and config folders."""

from __future__ import annotations

import os
import sys
from pathlib import Path

os.environ["QT_QPA_PLATFORM"] = "offscreen"
os.environ.setdefault("QT_ACCESSIBILITY", "0")

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from kiosk.core.paths import AppPaths  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(autouse=True)
def kiosk_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "kiosk-home"
    monkeypatch.setenv("KIOSK_HOME", str(home))
    return home


@pytest.fixture
def paths(kiosk_home: Path) -> AppPaths:
    return AppPaths.under(kiosk_home)


@pytest.fixture
def data_dir() -> Path:
    return DATA


@pytest.fixture(scope="session")
def pg():  # type: ignore[no-untyped-def]
    """A real PostgreSQL server (room mode), started once per test run when a test needs it."""
    sys.path.insert(0, str(Path(__file__).resolve().parent / "room"))
    from pgserver import Server

    server = Server()
    try:
        yield server
    finally:
        server.close()


@pytest.fixture
def room_dsn(pg) -> str:  # type: ignore[no-untyped-def]
    """A fresh room database of its own for each test, owned by the kiosk role."""
    return str(pg.dsn(pg.new_database()))
