"""Which version each person must sign, and whether they have: the queries the pages share.

The version a person signs is the newest published version of their school's pack (the trust's
pack for the central team). It is **due** once published and **overdue** `GRACE_DAYS` after: the
policies ask for sign-off "annually" or "on joining" without a deadline, so four weeks is the
default a school can live with (say so in the issue note). A signature stays good for the pack's
`signoff_interval_days` (a year in every seed pack); after that the same version is due again.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone

from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.policies.queries import versions_of
from aupguard.web.signoff.models import SignOff

GRACE_DAYS = 28


def pack_id_of(person: Person) -> str:
    return person.school.effective_pack_id if person.school else person.trust.pack_id


def current_version(pack_id: str) -> PolicyVersion | None:
    return versions_of(pack_id).first()


@dataclass(frozen=True)
class Status:
    version: PolicyVersion | None
    signoff: SignOff | None
    due: bool
    overdue: bool


def status_of(person: Person, now: dt.datetime | None = None) -> Status:
    now = now or timezone.now()
    version = current_version(pack_id_of(person))
    if version is None:
        return Status(None, None, False, False)
    signoff = SignOff.objects.filter(person=person, version=version).first()
    interval = pack_for(version).settings.signoff_interval_days
    if signoff is not None and (interval is None or signoff.signed_at + dt.timedelta(days=interval) > now):
        return Status(version, signoff, False, False)
    overdue = now > version.published_at + dt.timedelta(days=GRACE_DAYS)
    return Status(version, signoff, True, overdue)


def signers(people: QuerySet[Person]) -> QuerySet[Person]:
    """The people who sign (person accounts still in the directory and not yet gone)."""
    today = timezone.localdate()
    return people.filter(account_kind="person", in_directory=True).exclude(leave_date__lt=today)
