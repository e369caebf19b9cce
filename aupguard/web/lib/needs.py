"""What needs a person: the items of their home page, each app contributing its own.

Every register app has a `needs.py` with `needs_of(person) -> list[Need]`; the home page lists them,
most urgent first. An app answers only from its own records and only what the person may act on.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Need:
    title: str  # "Approve Emma Green's removable media request"
    url: str  # where to act on it
    kind: str  # "signoff", "approval", "breach", "device", "leaver" ...
    due: dt.datetime | None = None  # a deadline, shown as a countdown where it is a clock
    detail: str = ""  # one line under the title
    urgent: bool = False  # overdue, or a clock running out

    @property
    def sort_key(self) -> tuple[bool, dt.datetime]:
        return (not self.urgent, self.due or dt.datetime.max.replace(tzinfo=dt.UTC))
