"""The staff log: JSON lines in the log folder, size-capped and rotated.

Records carry an ``event`` name where one applies (session start and end, store recovery, PIN
failures, broken lessons, crashes). Nothing a learner typed is ever passed to a logger.
"""

from __future__ import annotations

import json
import logging
import logging.handlers
import time
from pathlib import Path

LOG_FILE = "kiosk.log"
MAX_BYTES = 1024 * 1024
BACKUPS = 4


class JsonLines(logging.Formatter):
    def format(self, record: logging.LogRecord) -> str:
        entry = {
            "time": time.strftime("%Y-%m-%dT%H:%M:%S", time.localtime(record.created)),
            "level": record.levelname.lower(),
            "where": record.name,
            "event": getattr(record, "event", ""),
            "message": record.getMessage(),
        }
        if record.exc_info:
            entry["trace"] = self.formatException(record.exc_info)
        return json.dumps(entry, ensure_ascii=False)


def configure_logging(log_dir: Path | None, level: int = logging.INFO) -> Path | None:
    """Send the app's log records to the rotated staff log; returns its path (None if unwritable)."""
    root = logging.getLogger("kiosk")
    root.setLevel(level)
    for handler in list(root.handlers):
        if getattr(handler, "kiosk_staff_log", False):
            root.removeHandler(handler)
            handler.close()
    if log_dir is None:
        return None
    try:
        log_dir.mkdir(parents=True, exist_ok=True)
        handler = logging.handlers.RotatingFileHandler(
            log_dir / LOG_FILE, maxBytes=MAX_BYTES, backupCount=BACKUPS, encoding="utf-8")
    except OSError:
        return None
    handler.kiosk_staff_log = True  # type: ignore[attr-defined]
    handler.setFormatter(JsonLines())
    root.addHandler(handler)
    return log_dir / LOG_FILE
