"""kiosk.core is type-checked strictly (mypy --strict, settings in pyproject.toml)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_core_is_mypy_clean() -> None:
    done = subprocess.run([sys.executable, "-m", "mypy", "kiosk/core"], cwd=ROOT,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-3000:]
