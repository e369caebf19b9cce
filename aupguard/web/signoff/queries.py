"""Sign-off and training for whole schools at once, counted in the database.

These are `status.py`'s rules written as query expressions, for the dashboard, the campaign pages
and the reminders. A trust of 100 schools and 50,000 people costs the same handful of queries as a
trust of three: people are grouped into cohorts by the policy they sign (a few packs per trust, not
one query per school), counted with GROUP BY, and listed a page at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Exists, F, OuterRef, Q, QuerySet
from django.utils import timezone

from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person, RoleAssignment
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.access import Keeping
from aupguard.web.signoff.models import Campaign, Reminder, SignOff, Training
from aupguard.web.signoff.status import GRACE_DAYS, Intervals, intervals_of, training_notice_days

GRACE = dt.timedelta(days=GRACE_DAYS)


def version_by_code(code: str) -> PolicyVersion | None:
    """The published version whose content hash starts with `code` (the version check's lookup)."""
    return PolicyVersion.objects.filter(sha256__startswith=code).defer("source_yaml").first()


def current_versions(pack_ids: Iterable[str]) -> dict[str, PolicyVersion]:
    """The newest version of each pack, in one query."""
    newest: dict[str, PolicyVersion] = {}
    versions = PolicyVersion.objects.filter(pack_id__in=list(pack_ids)).defer("source_yaml")
    for version in versions.order_by("pack_id", "-published_at", "-pk"):
        newest.setdefault(version.pack_id, version)
    return newest


@dataclass(frozen=True)
class Cohort:
    """The people of one trust who sign the same policy: some of its schools, and its central team
    when `central` (they sign the trust's pack)."""

    trust_id: int
    pack_id: str
    version: PolicyVersion | None
    school_ids: tuple[int, ...]
    central: bool

    @property
    def intervals(self) -> Intervals:
        return intervals_of(self.version) if self.version is not None else Intervals(None, None)

    def where(self) -> Q:
        members = Q(school_id__in=self.school_ids)
        if self.central:
            members |= Q(school__isnull=True)
        return Q(trust_id=self.trust_id) & members


def cohorts_for(trust: Trust, schools: Iterable[School], *, central: bool) -> list[Cohort]:
    by_pack: dict[str, list[int]] = {}
    for school in schools:
        by_pack.setdefault(school.pack_id or trust.pack_id, []).append(school.pk)
    if central:
        by_pack.setdefault(trust.pack_id, [])
    versions = current_versions(by_pack)
    return [
        Cohort(trust.pk, pack_id, versions.get(pack_id), tuple(ids), central and pack_id == trust.pack_id)
        for pack_id, ids in sorted(by_pack.items())
    ]


# ---------------------------------------------------------------- expressions, one person at a time


def signed_validly(version: PolicyVersion, interval_days: int | None, now: dt.datetime) -> Exists:
    """Signed this version, and the signature has not run out."""
    signs = SignOff.objects.filter(person=OuterRef("pk"), version=version)
    if interval_days is not None:
        signs = signs.filter(signed_at__gt=now - dt.timedelta(days=interval_days))
    return Exists(signs)


def not_yet_started(today: dt.date) -> Q:
    """Someone whose first day at work is after `today`: nothing is asked of them yet."""
    return Q(start_date__gt=today)


def signoff_overdue(cohort: Cohort, now: dt.datetime) -> Q | None:
    """Overdue: not validly signed, and past `status.signoff_deadline`. None when nobody can be."""
    version = cohort.version
    if version is None or now <= version.published_at + GRACE:
        return None
    today = timezone.localdate(now)
    interval = cohort.intervals.signoff_days
    signs = SignOff.objects.filter(person=OuterRef("pk"), version=version)
    if interval is not None:
        # A lapsed signature has GRACE_DAYS from the day it lapsed before it is overdue.
        signs = signs.filter(signed_at__gt=now - dt.timedelta(days=interval) - GRACE)
    return cohort.where() & ~Q(Exists(signs)) & (Q(start_date__isnull=True) | Q(start_date__lt=today - GRACE))


def trained_in_time(interval_days: int, today: dt.date) -> Exists:
    """Has a training that is still good today."""
    since = today - dt.timedelta(days=interval_days)
    return Exists(Training.objects.filter(person=OuterRef("pk"), completed_on__gte=since))


def trained_ever() -> Exists:
    return Exists(Training.objects.filter(person=OuterRef("pk")))


def training_not_due(interval_days: int, today: dt.date) -> Exists:
    """Has a training good for longer than the notice period: nothing to do yet."""
    after = today - dt.timedelta(days=interval_days - training_notice_days(interval_days))
    return Exists(Training.objects.filter(person=OuterRef("pk"), completed_on__gt=after))


def training_overdue(cohort: Cohort, today: dt.date) -> list[Q]:
    """Overdue: no training still good, and past `status.training_due_on`. Two parts that never
    overlap: a training that has run out (overdue at once), and no training at all past the grace
    period. No part at all when the policy sets no interval."""
    interval = cohort.intervals.training_days
    if cohort.version is None or interval is None:
        return []
    lapsed = cohort.where() & Q(trained_ever()) & ~Q(trained_in_time(interval, today))
    if timezone.localdate(cohort.version.published_at) + GRACE >= today:
        return [lapsed]
    never = (
        cohort.where() & ~Q(trained_ever()) & (Q(start_date__isnull=True) | Q(start_date__lt=today - GRACE))
    )
    return [lapsed, never]


# ---------------------------------------------------------------- counts and lists


@dataclass(frozen=True)
class RoleCount:
    role: str
    total: int
    signed: int

    @property
    def label(self) -> str:
        return self.role.replace("_", " ")


@dataclass(frozen=True)
class SchoolRow:
    """One school's (or the central team's) sign-off and training, as the dashboard shows it."""

    school: School | None  # None: the trust's central team
    version: PolicyVersion | None
    training_days: int | None  # None: the policy sets no interval; `trained` counts anyone recorded
    total: int = 0
    signed: int = 0
    trained: int = 0
    roles: list[RoleCount] = field(default_factory=list)

    @property
    def name(self) -> str:
        return self.school.name if self.school is not None else "Central team"


def valid_signoffs(
    version: PolicyVersion, intervals: Intervals, now: dt.datetime, *, ever_signed: bool = False
) -> QuerySet[SignOff]:
    """The signatures of `version` that count: still good today, or (`ever_signed`) any."""
    signs = SignOff.objects.filter(version=version)
    if not ever_signed and intervals.signoff_days is not None:
        signs = signs.filter(signed_at__gt=now - dt.timedelta(days=intervals.signoff_days))
    return signs


def school_rows(
    people: QuerySet[Person],
    cohorts: list[Cohort],
    schools: Iterable[School],
    now: dt.datetime,
    *,
    ever_signed: bool = False,
    by_role: bool = True,
) -> list[SchoolRow]:
    """Counts per school for `people` (the signers the viewer may see): five to seven queries per
    cohort, however many schools it has.

    Each count is a join grouped by school (signatures to people, trainings to people), never a
    subquery per person: that keeps PostgreSQL on hash joins at any size. `ever_signed` counts
    anyone who signed the version at any time (a campaign's progress) rather than signatures still
    good today (the dashboard)."""
    today = timezone.localdate(now)
    by_id = {school.pk: school for school in schools}
    rows: list[SchoolRow] = []
    for cohort in cohorts:
        members = people.filter(cohort.where()).order_by().values("pk")
        version, intervals = cohort.version, cohort.intervals
        totals = _per_school(people.filter(cohort.where()), "school_id", "pk")
        trainings = Training.objects.all()
        if intervals.training_days is not None:
            trainings = trainings.filter(completed_on__gte=today - dt.timedelta(days=intervals.training_days))
        trained = _per_school(
            people.filter(cohort.where(), pk__in=trainings.values("person_id")), "school_id", "pk"
        )
        signed: dict[int | None, int] = {}
        role_counts: dict[int | None, list[RoleCount]] = {}
        if version is not None:
            signs = valid_signoffs(version, intervals, now, ever_signed=ever_signed)
            signed = _per_school(signs.filter(person__in=members), "person__school_id", "person_id")
            if by_role:
                role_counts = _role_counts(cohort, members, signs.values("person_id"))
        known = sorted((pk for pk in cohort.school_ids if pk in by_id), key=lambda pk: by_id[pk].name)
        places: list[int | None] = [*known]
        if cohort.central:
            places.append(None)
        rows.extend(
            SchoolRow(
                school=by_id[place] if place is not None else None,
                version=version,
                training_days=intervals.training_days,
                total=totals.get(place, 0),
                signed=signed.get(place, 0),
                trained=trained.get(place, 0),
                roles=role_counts.get(place, []),
            )
            for place in places
        )
    return sorted(rows, key=lambda row: (row.school is None, row.name))


def _role_counts(
    cohort: Cohort, members: QuerySet[Any], signers: QuerySet[Any]
) -> dict[int | None, list[RoleCount]]:
    """Roles held in each school (and across the trust, by the central team), and how many of
    their holders signed. A role counts where its holder works: a school's roles for its own
    people, trust-wide roles for the central team. Two plain joins rather than one with an OR
    between NULLs, whose row estimate would send PostgreSQL into nested loops."""
    places = [Q(school_id=F("person__school_id"), school_id__in=cohort.school_ids)]
    if cohort.central:
        places.append(Q(school__isnull=True, person__school__isnull=True))
    counts: dict[int | None, list[RoleCount]] = {}
    for place_filter in places:
        assignments = RoleAssignment.objects.filter(place_filter, person__in=members)
        # A role is held once per person and place (the model's constraints): no DISTINCT. One pass
        # counts holders and signers together.
        for row in (
            assignments.values("person__school_id", "role")
            .annotate(n=Count("person_id"), signed=Count("person_id", filter=Q(person__in=signers)))
            .order_by("person__school_id", "role")
        ):
            place, role = row["person__school_id"], row["role"]
            counts.setdefault(place, []).append(RoleCount(role, row["n"], row["signed"]))
    return counts


def _per_school(rows: QuerySet[Any], school: str, counted: str) -> dict[int | None, int]:
    grouped = rows.order_by().values(school).annotate(n=Count(counted))
    return {row[school]: row["n"] for row in grouped}


def _listed(people: QuerySet[Person], parts: Iterable[Q | None]) -> QuerySet[Person]:
    """`people` meeting any of `parts`, which never overlap, sorted by school and name.

    A UNION ALL of one query per part, not one query with OR between them: PostgreSQL turns each
    part's NOT EXISTS into an anti-join, which it cannot do across an OR."""
    queries = [
        people.filter(part).annotate(school_name=F("school__name")).order_by()
        for part in parts
        if part is not None
    ]
    if not queries:
        return people.none()
    first, *rest = queries
    listed = first.union(*rest, all=True) if rest else first
    return listed.order_by("school_name", "last_name", "first_name", "id")


def signoff_overdue_people(
    people: QuerySet[Person], cohorts: list[Cohort], now: dt.datetime
) -> QuerySet[Person]:
    """Everyone in `people` whose signature is overdue, across every school in one query (page it).
    Each person carries `school_name`."""
    return _listed(people, (signoff_overdue(cohort, now) for cohort in cohorts))


def training_overdue_people(
    people: QuerySet[Person], cohorts: list[Cohort], today: dt.date
) -> QuerySet[Person]:
    """Everyone in `people` whose training is overdue, across every school in one query (page it).
    Each person carries `school_name`."""
    return _listed(people, (part for cohort in cohorts for part in training_overdue(cohort, today)))


# ---------------------------------------------------------------- campaigns


def campaign_cohort(campaign: Campaign, kept: Keeping) -> tuple[Cohort, list[School]]:
    """The people a campaign asks to sign, as far as `kept` reaches, and their schools."""
    pack_id = campaign.version.pack_id
    schools = [school for school in kept.schools().order_by("name") if school.effective_pack_id == pack_id]
    central = kept.trust_wide and campaign.trust.pack_id == pack_id
    cohort = Cohort(campaign.trust_id, pack_id, campaign.version, tuple(s.pk for s in schools), central)
    return cohort, schools


def _kept(kept: Keeping) -> Q:
    return Q() if kept.trust_wide else Q(person__school_id__in=kept.school_ids)


def campaign_reminders(campaign: Campaign, kept: Keeping) -> QuerySet[Reminder]:
    """The campaign's reminders to people whose records `kept` reaches, newest first."""
    return Reminder.objects.filter(_kept(kept), campaign=campaign).order_by("-sent_on", "-pk")


def reminder_days(reminders: QuerySet[Reminder], days: int = 14) -> list[dict[str, Any]]:
    """Reminders per day, for the last `days` days on which any went: sent, failed and waiting."""
    return list(
        reminders.order_by()
        .values("sent_on")
        .annotate(
            sent=Count("pk", filter=Q(status=Reminder.Status.SENT)),
            failed=Count("pk", filter=Q(status=Reminder.Status.FAILED)),
            waiting=Count("pk", filter=Q(status__in=[Reminder.Status.QUEUED, Reminder.Status.SENDING])),
        )
        .order_by("-sent_on")[:days]
    )


def reminders_sent_per_campaign(campaigns: list[Campaign], kept: Keeping) -> dict[int, int]:
    rows = (
        Reminder.objects.filter(_kept(kept), campaign__in=campaigns, status=Reminder.Status.SENT)
        .order_by()
        .values("campaign_id")
        .annotate(sent=Count("pk"))
    )
    return {row["campaign_id"]: row["sent"] for row in rows}
