"""Writing a file so that a reader sees the old content or the new one, never half of it."""

from __future__ import annotations

import os
from pathlib import Path


def atomic_write(path: Path, content: str | bytes) -> None:
    """Writes ``content`` beside ``path`` first, flushes it to the disk, then puts it in place.

    A crash or a full disk leaves the file as it was (and at most a ``.part`` file beside it,
    written over on the next try). Raises ``OSError`` like ``Path.write_text``.
    """
    data = content.encode("utf-8") if isinstance(content, str) else content
    partial = path.with_name(f"{path.name}.{os.getpid()}.part")
    try:
        with open(partial, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(partial, path)
    except OSError:
        partial.unlink(missing_ok=True)
        raise
