"""What a check knows besides the pack and the input: the people, the approvals and the time.

Built once when a guard or command starts (the name index is the slow part) and shared by every
message; immutable.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from aupguard.engine.approvals import NONE, Approvals
from aupguard.engine.people import Directory, Roster, StaffMember

if TYPE_CHECKING:
    from aupguard.engine.detectors.names import NameIndex

__all__ = ["CheckContext", "People"]


@dataclass(frozen=True, eq=False)
class People:
    """The roster and the directory a guard was started with, and their names compiled."""

    roster: Roster | None = None
    directory: Directory | None = None

    @cached_property
    def names(self) -> NameIndex:
        """Every pupil's and staff member's name, compiled when first read: the email and AI checks
        read them, the web guards never do (and start faster without the name detector)."""
        from aupguard.engine.detectors.names import build_name_index  # noqa: PLC0415

        pupils = self.roster.pupils if self.roster else ()
        staff = self.directory.staff if self.directory else ()
        return build_name_index(pupils, staff)

    def staff(self, address: str) -> StaffMember | None:
        return self.directory.get(address) if self.directory else None

    def roles_of(self, user: str, default: tuple[str, ...]) -> tuple[str, ...]:
        """A user's roles from the directory; `default` for someone it does not list (or no user)."""
        member = self.staff(user) if user else None
        return member.roles if member is not None and member.roles else default

    def is_internal_domain(self, domain: str) -> bool:
        return self.directory is not None and domain in self.directory.domains


NOBODY = People()


@dataclass(frozen=True, eq=False)
class CheckContext:
    """Everything a check reads that is not the pack or the input."""

    at: dt.datetime
    people: People = NOBODY
    approvals: Approvals = NONE
