"""The installed wheel carries lessons, assets and translations and works from any folder."""

from __future__ import annotations

import json
import os
import site
import subprocess
import sys
import sysconfig
import venv
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def running_site_packages() -> list[str]:
    """The folders this interpreter imports installed packages from, in a venv or not."""
    found = [*site.getsitepackages(), sysconfig.get_paths()["purelib"],
             sysconfig.get_paths()["platlib"]]
    if site.ENABLE_USER_SITE:
        found.append(site.getusersitepackages())
    return list(dict.fromkeys(p for p in found if Path(p).is_dir()))


def test_installed_wheel_checks_and_renders_lessons_outside_the_source_tree(tmp_path: Path) -> None:
    env_dir = tmp_path / "venv"
    venv.EnvBuilder(with_pip=False).create(env_dir)
    python = env_dir / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    wheels = tmp_path / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps",
                            "-w", str(wheels), str(ROOT)], capture_output=True, text=True,
                           timeout=300)
    assert built.returncode == 0, built.stderr[-2000:]
    (wheel,) = wheels.glob("kiosk-*.whl")
    with zipfile.ZipFile(wheel) as archive:
        fonts = [n for n in archive.namelist() if n.startswith("kiosk/data/assets/fonts/")]
    assert sum(n.endswith(".ttf") for n in fonts) == 6 and sum(n.endswith(".txt") for n in fonts) == 3
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    installed = subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install",
                                "--no-deps", str(wheel)], env=env, capture_output=True, text=True,
                               timeout=300)
    assert installed.returncode == 0, installed.stderr[-2000:]
    # The new environment then sees the dependencies installed where this test runs (a venv or the
    # system), but not the source tree: plain path lines, so no editable install's hook runs.
    purelib = subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                             capture_output=True, text=True, check=True).stdout.strip()
    Path(purelib, "running-python.pth").write_text("\n".join(running_site_packages()) + "\n",
                                                   encoding="utf-8")
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    env["KIOSK_HOME"] = str(tmp_path / "home")
    script = env_dir / ("Scripts/kiosk.exe" if os.name == "nt" else "bin/kiosk")

    where = subprocess.run([str(python), "-c", "import kiosk, sys; print(kiosk.__file__)"],
                           cwd=outside, env=env, capture_output=True, text=True)
    assert str(env_dir) in where.stdout, "the test would not prove the installed copy works"

    check = subprocess.run([str(script), "lessons", "check", "--json"], cwd=outside, env=env,
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stderr
    lessons = json.loads(check.stdout)["lessons"]
    assert len(lessons) >= 15 and all(str(env_dir) in entry["path"] for entry in lessons)

    doctor = subprocess.run([str(script), "doctor"], cwd=outside, env=env, capture_output=True,
                            text=True, timeout=180)
    assert doctor.returncode in (0, 1) and "Traceback" not in doctor.stdout + doctor.stderr
    assert f"✓ lessons: {len(lessons)} valid, 0 left out" in doctor.stdout

    out = tmp_path / "render"
    render = subprocess.run([str(script), "lessons", "render", "tikken", "--out", str(out)],
                            cwd=outside, env=env, capture_output=True, text=True, timeout=120)
    assert render.returncode == 0, render.stderr
    assert len(list(out.glob("tikken-step*.png"))) == 8
