"""Where the app reads its bundled data and where it may write.

The app writes only in its platformdirs folders (data, cache, log). Tests and staff can move
all of them at once with ``AppPaths.under(root)`` or the ``KIOSK_HOME`` environment variable.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

import platformdirs

from kiosk import APP_ID

_PACKAGE_DIR = Path(__file__).resolve().parent.parent


def bundled(name: str) -> Path:
    """Folder of bundled data (``lessons``, ``assets``, ``translations``).

    An installed wheel carries them in ``kiosk/data/``; a source checkout or an editable install
    has them at the top of the tree.
    """
    installed = _PACKAGE_DIR / "data" / name
    if installed.is_dir():
        return installed
    return _PACKAGE_DIR.parent / name


@dataclass(frozen=True)
class AppPaths:
    data: Path
    cache: Path
    log: Path
    user_config: Path
    site_config: Path

    @classmethod
    def default(cls) -> AppPaths:
        home = os.environ.get("KIOSK_HOME")
        if home:
            return cls.under(Path(home))
        return cls(
            data=Path(platformdirs.user_data_dir(APP_ID, appauthor=False)),
            cache=Path(platformdirs.user_cache_dir(APP_ID, appauthor=False)),
            log=Path(platformdirs.user_log_dir(APP_ID, appauthor=False)),
            user_config=Path(platformdirs.user_config_dir(APP_ID, appauthor=False)),
            site_config=Path(platformdirs.site_config_dir(APP_ID, appauthor=False)),
        )

    @classmethod
    def under(cls, root: Path) -> AppPaths:
        return cls(data=root / "data", cache=root / "cache", log=root / "log",
                   user_config=root / "config", site_config=root / "site-config")

    @property
    def store_file(self) -> Path:
        return self.data / "progress.sqlite3"

    @property
    def voices(self) -> Path:
        """Piper voices staff added (``kiosk speech add-voice``)."""
        return self.data / "voices"

    @property
    def speech_cache(self) -> Path:
        return self.cache / "speech"
