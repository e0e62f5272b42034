"""Room tests use the ``pg`` and ``room_dsn`` fixtures of the top-level conftest."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from inprocess import pc_maker

from kiosk.core.progress import ProgressService


@pytest.fixture
def room_pcs(tmp_path: Path) -> Iterator[Callable[..., ProgressService]]:
    """Makes PCs of a room in this process, each with its own data folder."""
    yield from pc_maker(tmp_path)
