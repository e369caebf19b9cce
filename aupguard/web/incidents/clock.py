"""The ICO clock: the deadline in real hours after the school became aware, and what is left of it.

The words here and in `static/aupguard/countdown.js` are the same ("47 h 05 min 09 s left"), so the
page reads the same before and after the script takes over. Hours, not days: the duty is stated in
hours (72 in every seed pack) and a DPL compares against that number.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Final

#: UK GDPR art. 33(1), used when no policy version is stored for the school.
DEFAULT_REPORT_HOURS: Final = 72
#: Less than this left on a running clock and the breach is urgent on the DPL's home page.
URGENT_WITHIN: Final = dt.timedelta(hours=24)


def ico_deadline(aware_at: dt.datetime, hours: int) -> dt.datetime:
    """`hours` real hours after `aware_at`, in UTC.

    Adding a timedelta to a Europe/London time adds wall-clock hours, which across the October
    clock change is 73 real hours; converting to UTC first keeps it to the hours the law allows.
    """
    if aware_at.tzinfo is None:
        raise ValueError("aware_at must carry a time zone")
    return aware_at.astimezone(dt.UTC) + dt.timedelta(hours=hours)


def hours_text(delta: dt.timedelta) -> str:
    """A length of time as hours, minutes and seconds: '47 h 05 min 09 s' (never negative)."""
    seconds = max(0, int(delta.total_seconds()))
    hours, rest = divmod(seconds, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours} h {minutes:02d} min {seconds:02d} s"


@dataclass(frozen=True)
class Clock:
    deadline: dt.datetime
    now: dt.datetime
    stopped_at: dt.datetime | None = None

    @property
    def running(self) -> bool:
        return self.stopped_at is None

    @property
    def overdue(self) -> bool:
        """Past the deadline while running, or stopped after it."""
        return (self.stopped_at or self.now) > self.deadline

    @property
    def urgent(self) -> bool:
        return self.running and self.deadline - self.now < URGENT_WITHIN

    @property
    def text(self) -> str:
        end = self.stopped_at or self.now
        if self.running:
            if self.overdue:
                return f"Overdue by {hours_text(end - self.deadline)}"
            return f"{hours_text(self.deadline - end)} left"
        if self.overdue:
            return f"Stopped {hours_text(end - self.deadline)} after the deadline"
        return f"Stopped {hours_text(self.deadline - end)} before the deadline"
