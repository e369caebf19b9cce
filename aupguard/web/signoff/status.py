"""Which version each person must sign, whether they have, and where their training stands.

The version a person signs is the newest published version of their school's pack (the trust's
pack for the central team). A signature is **due** once the version is published and **overdue**
`GRACE_DAYS` after the latest of: the version's publication, the person's start date, and the end of
their last signature's validity. The policies ask for sign-off "annually" or "on joining" without a
deadline, so four weeks is the default a school can live with. A signature stays good for the pack's
`signoff_interval_days` (a year in every seed pack); after that the same version is due again.

Training follows the pack's `training_interval_days`. A completed course is good for that many days
and is **due** `TRAINING_NOTICE_DAYS` before it runs out, **overdue** after; someone with no training
recorded is due at once and overdue `GRACE_DAYS` after the version's publication or their start date,
whichever is later. A pack without the setting (most seeds) has training recorded with no due date.

`queries.py` holds the same rules as database expressions, for whole schools at once: a change here
is a change there, and `tests/web/test_training.py` holds both to the same cases.
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
from aupguard.web.signoff.models import SignOff, Training

GRACE_DAYS = 28
TRAINING_NOTICE_DAYS = 28


def pack_id_of(person: Person) -> str:
    return person.school.effective_pack_id if person.school else person.trust.pack_id


def current_version(pack_id: str) -> PolicyVersion | None:
    return versions_of(pack_id).first()


@dataclass(frozen=True)
class Intervals:
    """How long a signature and a training stay good under one version (None: no limit, no due date)."""

    signoff_days: int | None
    training_days: int | None


# A version never changes (it is its content hash), so what its pack says can be kept for good.
_INTERVALS: dict[str, Intervals] = {}


def intervals_of(version: PolicyVersion) -> Intervals:
    found = _INTERVALS.get(version.sha256)
    if found is None:
        settings = pack_for(version).settings
        found = _INTERVALS[version.sha256] = Intervals(
            settings.signoff_interval_days, settings.training_interval_days
        )
    return found


def start_of_day(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time.min))


def signoff_deadline(
    published_at: dt.datetime,
    start_date: dt.date | None,
    last_signed_at: dt.datetime | None,
    interval_days: int | None,
) -> dt.datetime:
    """When an unsigned (or lapsed) signature becomes overdue."""
    grace = dt.timedelta(days=GRACE_DAYS)
    deadline = published_at + grace
    if start_date is not None:
        # Overdue from the day after the grace period that began on the first day at work.
        deadline = max(deadline, start_of_day(start_date + grace + dt.timedelta(days=1)))
    if last_signed_at is not None and interval_days is not None:
        deadline = max(deadline, last_signed_at + dt.timedelta(days=interval_days) + grace)
    return deadline


def training_due_on(
    last_completed: dt.date | None, start_date: dt.date | None, published_on: dt.date, interval_days: int
) -> dt.date:
    """The last day on which training is still in time."""
    if last_completed is not None:
        return last_completed + dt.timedelta(days=interval_days)
    first_day = max(published_on, start_date) if start_date is not None else published_on
    return first_day + dt.timedelta(days=GRACE_DAYS)


def training_notice_days(interval_days: int) -> int:
    return min(TRAINING_NOTICE_DAYS, interval_days)


@dataclass(frozen=True)
class Status:
    version: PolicyVersion | None
    signoff: SignOff | None
    due: bool
    overdue: bool
    deadline: dt.datetime | None = None


def status_of(person: Person, now: dt.datetime | None = None) -> Status:
    now = now or timezone.now()
    version = current_version(pack_id_of(person))
    if version is None:
        return Status(None, None, False, False)
    signoff = SignOff.objects.filter(person=person, version=version).first()
    interval = intervals_of(version).signoff_days
    if signoff is not None and (interval is None or signoff.signed_at + dt.timedelta(days=interval) > now):
        return Status(version, signoff, False, False)
    deadline = signoff_deadline(
        version.published_at, person.start_date, signoff.signed_at if signoff else None, interval
    )
    return Status(version, signoff, True, now > deadline, deadline)


@dataclass(frozen=True)
class TrainingStatus:
    """Where a person's cyber-security training stands under their current policy."""

    interval_days: int | None  # None: the policy sets no interval, so nothing is ever due
    last: Training | None
    due_on: dt.date | None
    due: bool
    overdue: bool


def training_status_of(person: Person, today: dt.date | None = None) -> TrainingStatus:
    today = today or timezone.localdate()
    version = current_version(pack_id_of(person))
    interval = intervals_of(version).training_days if version is not None else None
    last = person.trainings.order_by("-completed_on", "-recorded_at").first()
    if version is None or interval is None:
        return TrainingStatus(None, last, None, False, False)
    due_on = training_due_on(
        last.completed_on if last else None,
        person.start_date,
        timezone.localdate(version.published_at),
        interval,
    )
    due = last is None or today >= due_on - dt.timedelta(days=training_notice_days(interval))
    return TrainingStatus(interval, last, due_on, due, today > due_on)


def signers(people: QuerySet[Person], today: dt.date | None = None) -> QuerySet[Person]:
    """The people who sign (person accounts still in the directory and not yet gone)."""
    today = today or timezone.localdate()
    return people.filter(account_kind="person", in_directory=True).exclude(leave_date__lt=today)
