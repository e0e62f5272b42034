"""What the screens depend on, made once by ``kiosk.app`` and handed to the navigator."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from kiosk.core.catalog import Catalog
from kiosk.core.i18n import Translator
from kiosk.core.progress import ProgressService
from kiosk.core.roles import PinBook
from kiosk.core.sessions import Pictogram
from kiosk.core.settings import Settings
from kiosk.speech.protocol import Speaker
from kiosk.ui.theme import Theme


@dataclass
class Services:
    """What the screens depend on; made once by ``kiosk.app`` and passed in."""

    settings: Settings
    catalog: Catalog
    progress: ProgressService
    speaker: Speaker
    theme: Theme
    translator: Translator
    pins: PinBook | None = None
    pictograms: list[Pictogram] = field(default_factory=list)
    clock: Callable[[], float] = time.time
    log_folder: str = ""
    config_folder: str = ""  # where staff choices are kept (the user config folder)
    data_folder: str = ""  # where the lock on wrong picture codes is kept
