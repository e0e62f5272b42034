"""Set up and start Stap voor Stap, or run its tests, with nothing but Python installed.

    python3 run.py [kiosk arguments]     start the app (e.g. python3 run.py --windowed)
    python3 run.py test [pytest args]    run the tests

On Windows use ``py run.py`` and ``py run.py test``.

The first run makes a virtual environment in ``.venv`` beside this file and installs the app
with its test tools into it (``pip install -e ".[test]"``), so it works where the system's
Python refuses installs (PEP 668 on Debian and Ubuntu). Later runs install again only when
``pyproject.toml`` or ``setup.py`` changed. Only the standard library is used here.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
ENV = ROOT / ".venv"
STAMP = ENV / "kiosk-installed.txt"
MINIMUM = (3, 11)


def say(line: str) -> None:
    print(f"run.py: {line}", file=sys.stderr, flush=True)


def env_python() -> Path:
    return ENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")


def wanted_stamp() -> str:
    """What the environment was installed from: this Python and the package's build files."""
    digest = hashlib.sha256()
    digest.update(sys.version.encode())
    digest.update(str(Path(sys.executable).resolve()).encode())
    for name in ("pyproject.toml", "setup.py"):
        digest.update((ROOT / name).read_bytes())
    return digest.hexdigest()


def fix_for_missing_venv() -> str:
    if sys.platform.startswith("linux"):
        version = f"{sys.version_info.major}.{sys.version_info.minor}"
        return (f"install the venv module first, as root: apt install python3-venv "
                f"(or python{version}-venv)")
    return "reinstall Python from python.org with pip included"


def make_env() -> bool:
    if ENV.exists() and not env_python().exists():
        say(f"{ENV} is not a working virtual environment; remove it and run again")
        return False
    if not env_python().exists():
        say(f"making a virtual environment in {ENV}")
        try:
            venv.EnvBuilder(with_pip=True).create(ENV)
        except (subprocess.CalledProcessError, OSError) as error:
            say(f"could not make {ENV} ({error}); {fix_for_missing_venv()}")
            return False
    check = subprocess.run([str(env_python()), "-m", "pip", "--version"], capture_output=True)
    if check.returncode != 0:
        say(f"{ENV} has no pip; {fix_for_missing_venv()}, remove {ENV} and run again")
        return False
    return True


def install() -> bool:
    stamp = wanted_stamp()
    if STAMP.exists() and STAMP.read_text(encoding="utf-8").strip() == stamp:
        return True
    say('installing the app and its test tools into .venv (pip install -e ".[test]")')
    done = subprocess.run([str(env_python()), "-m", "pip", "install", "--disable-pip-version-check",
                           "-q", "-e", ".[test]"], cwd=ROOT)
    if done.returncode != 0:
        say("installing failed (see pip's message above); nothing was changed outside .venv")
        return False
    STAMP.write_text(stamp + "\n", encoding="utf-8")
    return True


def run(command: list[str]) -> int:
    if os.name != "nt":
        os.execv(command[0], command)  # hands over signals and the exit code as they are
    try:
        return subprocess.run(command).returncode
    except KeyboardInterrupt:
        return 130


def main(argv: list[str]) -> int:
    if sys.version_info < MINIMUM:
        say(f"Python {'.'.join(map(str, MINIMUM))} or newer is needed; this is {sys.version.split()[0]}")
        return 2
    if not (make_env() and install()):
        return 1
    python = str(env_python())
    if argv[:1] == ["test"]:
        os.chdir(ROOT)  # pytest finds its settings and the tests from the source tree
        return run([python, "-m", "pytest", *argv[1:]])
    return run([python, "-m", "kiosk", *argv])


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
