"""Build hook: the wheel carries the lesson library, assets and translations.

They live at the top of the source tree (where authors and translators work) and are
copied into ``kiosk/data/`` of the built package, where ``kiosk.core.paths`` finds them.
"""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

DATA_FOLDERS = ("lessons", "assets", "translations")


class BuildPyWithData(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return  # an editable install reads the folders from the source tree
        root = Path(__file__).resolve().parent
        for name in DATA_FOLDERS:
            target = Path(self.build_lib) / "kiosk" / "data" / name
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(root / name, target,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc", "*.pot~"))


setup(cmdclass={"build_py": BuildPyWithData})
