"""Benchmarks, as ratios and differences against a bare PySide6 window measured in the same run.

    python benchmarks/run.py [--runs N] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
PARTS = ("startup", "steps", "speech", "piper", "catalog", "soak", "prepare", "room", "praise")


def probe_env(home: str) -> dict[str, str]:
    """Both probes start as an installed app does: with compiled bytecode at hand (pip compiles
    at install time), kept under the run's own folder so the source tree stays clean."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_HOME": home,
           "PYTHONPYCACHEPREFIX": str(Path(home) / "pycache")}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env


def probe(which: str, home: str) -> dict[str, float]:
    env = probe_env(home)
    spawned = time.monotonic()
    done = subprocess.run([sys.executable, str(HERE / "probe.py"), which, repr(spawned)], env=env,
                          capture_output=True, text=True, timeout=120, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def startup(runs: int) -> dict[str, float]:
    """Alternates bare and kiosk starts so that machine noise hits both alike."""
    samples: dict[str, list[dict[str, float]]] = {"bare": [], "kiosk": []}
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        probe("bare", home)  # warm the disk cache, compile, and make the store once
        probe("kiosk", home)
        for _ in range(runs):
            for which in ("bare", "kiosk"):
                samples[which].append(probe(which, home))
    bare_s = statistics.median(s["seconds"] for s in samples["bare"])
    kiosk_s = statistics.median(s["seconds"] for s in samples["kiosk"])
    bare_rss = statistics.median(s["peak_rss_mib"] for s in samples["bare"])
    kiosk_rss = statistics.median(s["peak_rss_mib"] for s in samples["kiosk"])
    return {"bare_startup_s": bare_s, "kiosk_startup_s": kiosk_s,
            "startup_ratio": kiosk_s / bare_s, "bare_rss_mib": bare_rss,
            "kiosk_rss_mib": kiosk_rss, "rss_delta_mib": kiosk_rss - bare_rss}


def prepare() -> dict[str, float]:
    """``kiosk speech prepare`` of every language on a cold cache (espeak-ng), as staff run it."""
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        env = {**os.environ, "KIOSK_HOME": home, "QT_QPA_PLATFORM": "offscreen"}
        started = time.monotonic()
        done = subprocess.run([sys.executable, "-m", "kiosk", "speech", "prepare"], env=env,
                              capture_output=True, text=True, timeout=900)
        spent = time.monotonic() - started
    failures = sum(int(line.split(":", 1)[1].split()[0]) for line in done.stdout.splitlines()
                   if line.startswith("✗") and line.split(":", 1)[1].split()[0].isdigit())
    if done.returncode and not failures:
        failures = 1  # a failure the output did not count (no voice, no engine)
    return {"prepare_6_languages_s": spent, "prepare_failures": failures}


def piper_worker() -> dict[str, float]:
    """The worker with a Piper voice against the same worker with espeak-ng only."""
    done = subprocess.run([sys.executable, str(HERE / "piper.py")], capture_output=True,
                          text=True, timeout=600, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


GOALS = {"startup_ratio": 2.0, "rss_delta_mib": 40, "step_p95_ms": 16, "speech_warm_p95_ms": 100,
         "speech_cold_p95_ms": 400, "ui_stall_max_ms": 16, "catalog_1000_delta_ms": 50,
         "catalog_1000_cold_ms": 1000,
         "soak_rss_growth_mib": 5, "prepare_failures": 0, "piper_cold_p95_ms": 300,
         "room_lag_p95_ms": 1000, "room_stall_max_ms": 16, "room_stall_in_room_code": 0,
         "room_30_pcs_pending": 0,
         "praise_p95_ms": 100}


def in_process(which: str, home: str) -> dict[str, float]:
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen", "KIOSK_HOME": home}
    done = subprocess.run([sys.executable, str(HERE / "inprocess.py"), which], env=env,
                          capture_output=True, text=True, timeout=900, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def room() -> dict[str, float]:
    """Room mode against a PostgreSQL server the benchmark starts itself."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(HERE / "room.py")], env=env, capture_output=True,
                          text=True, timeout=900, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def praise() -> dict[str, float]:
    """A right answer to its praise playing, on a cold cache (see praise.py)."""
    env = {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    done = subprocess.run([sys.executable, str(HERE / "praise.py")], env=env, capture_output=True,
                          text=True, timeout=900, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument("--json", type=Path)
    parser.add_argument("--quick", action="store_true",
                        help="start-up only, 2 runs: checks the script works (the test suite)")
    parser.add_argument("--only", choices=PARTS, action="append",
                        help="run only this part (may be repeated)")
    args = parser.parse_args()
    parts = ["startup"] if args.quick else (args.only or list(PARTS))
    results: dict[str, float] = {}
    if "startup" in parts:
        results.update(startup(2 if args.quick else args.runs))
    with tempfile.TemporaryDirectory(ignore_cleanup_errors=True) as home:
        for which in parts:
            if which == "room":
                results.update(room())
            elif which == "praise":
                results.update(praise())
            elif which == "prepare":
                results.update(prepare())
            elif which == "piper":
                results.update(in_process("piper", home))
                results.update(piper_worker())
            elif which != "startup":
                results.update(in_process(which, home))
    for key, value in results.items():
        goal = GOALS.get(key)
        verdict = "" if goal is None else ("  ok" if value <= goal else f"  over goal {goal}")
        print(f"{key:24} {value:10.3f}{verdict}")
    if args.json:
        args.json.write_text(json.dumps(results, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
