"""The relay's events file: one JSON line per decision and per delivery step, appended, never edited.

The registers ingest it (DESIGN.md: "Every finding a guard raises lands here as an event"). Each
line carries the pack's version hash, so an event is always read against the exact policy version
that made it. Lines are written whole with one write() on a file opened for appending, so several
relay processes can share one file; each is fsynced, because an event about a held message must
not be lost when the message is not.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import threading
from pathlib import Path
from typing import Any

__all__ = ["EventLog"]


class EventLog:
    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()

    def write(self, event: str, **fields: Any) -> None:
        line = {"time": dt.datetime.now(dt.UTC).isoformat(timespec="milliseconds"), "event": event, **fields}
        # An address the sender's server sent as raw bytes is kept (as \udcXX), never an error.
        data = (json.dumps(line, ensure_ascii=False) + "\n").encode("utf-8", "backslashreplace")
        with self._lock:
            fd = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o640)
            try:
                os.write(fd, data)
                os.fsync(fd)
            finally:
                os.close(fd)
