"""The benchmark script runs (its figures are read in benchmarks/, never asserted here)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_benchmark_script_runs_and_writes_its_keys(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "run.py"), "--quick",
                           "--json", str(out)], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(out.read_text(encoding="utf-8"))
    assert {"startup_ratio", "rss_delta_mib"} <= set(results)
    assert all(isinstance(v, (int, float)) for v in results.values())


def test_piper_worker_benchmark_runs_and_writes_its_keys() -> None:
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "piper.py")],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr[-2000:]
    results = json.loads(done.stdout.strip().splitlines()[-1])
    assert {"piper_worker_rss_mib", "piper_rtf", "piper_load_s"} <= set(results)
    assert all(isinstance(v, (int, float)) for v in results.values())
