"""kiosk.core imports and works with PySide6 unavailable."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SCRIPT = """
import sys, pkgutil, importlib
sys.modules["PySide6"] = None
import kiosk.core
names = [m.name for m in pkgutil.iter_modules(kiosk.core.__path__, "kiosk.core.")]
for name in names:
    importlib.import_module(name)
from kiosk.core.catalog import Catalog
from kiosk.core.paths import bundled
catalog = Catalog.load([bundled("lessons")])
assert catalog.lessons, "no lessons loaded"
assert not any(m.startswith("PySide6.") for m in sys.modules), "a PySide6 module was imported"
print(len(names), "modules", len(catalog.lessons), "lessons")
"""


def test_core_imports_and_loads_lessons_with_pyside6_unavailable() -> None:
    done = subprocess.run([sys.executable, "-c", SCRIPT], cwd=ROOT, capture_output=True,
                          text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    modules = int(done.stdout.split()[0])
    assert modules >= 8, done.stdout
