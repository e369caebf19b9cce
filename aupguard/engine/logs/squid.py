"""Squid's native access.log format, one request a line (Squid's `logformat squid`):

    time.ms  elapsed  client  action/status  bytes  method  URL  user  hierarchy/peer  type

``1764583200.123  150 10.0.0.5 TCP_MISS/200 5120 GET http://a.example/ a.khan HIER_DIRECT/1.2.3.4 text/html``

The user is ``-`` when the request was not authenticated; a CONNECT request's URL is ``host:443``.
A line that does not have these fields is malformed: the caller counts it and goes on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

__all__ = ["EARLIEST", "FIELDS", "LATEST", "LogEntry", "parse_line"]

FIELDS = 10
# The times a line may carry (Squid's epoch seconds): anything else is not a time Squid wrote.
EARLIEST = 0.0
LATEST = 4_102_444_800.0  # 2100-01-01


@dataclass(frozen=True, slots=True)
class LogEntry:
    time: float  # seconds since the epoch, UTC
    client: str
    action: str  # TCP_MISS, TCP_DENIED ...
    status: int
    bytes: int
    method: str
    url: str
    user: str  # "" when Squid logged "-"

    @property
    def denied(self) -> bool:
        return self.action.endswith("_DENIED") or self.status == 403

    def when(self) -> dt.datetime:
        return dt.datetime.fromtimestamp(self.time, dt.UTC)


def parse_line(line: str) -> LogEntry | None:
    """The entry on one line, or None when the line is not a Squid native log line."""
    fields = line.split()
    if len(fields) < FIELDS:
        return None
    try:
        when = float(fields[0])
        if not EARLIEST <= when <= LATEST:  # "nan", "inf", "1e12": not a time Squid wrote
            return None
        action, _, status = fields[3].partition("/")
        size = int(fields[4])
        code = int(status) if status else 0
    except ValueError:
        return None
    user = fields[7]
    return LogEntry(
        when, fields[2], action, code, size, fields[5], fields[6], "" if user == "-" else user.lower()
    )
