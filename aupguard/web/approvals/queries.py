"""The lists the pages, the home page and the snapshot share; each starts from a permission-checked
set in access.py or is the guards' own export."""

from __future__ import annotations

import datetime as dt

from django.db.models import QuerySet

from aupguard.web.approvals.access import approvers_for, routed_to
from aupguard.web.approvals.actions import role_keepers
from aupguard.web.approvals.models import Request, RiskAssessment
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person, RoleAssignment

__all__ = [
    "approvals_in_force",
    "assessment_of",
    "expiring_for",
    "in_force_routed_to",
    "made_by",
    "unrouted_for",
    "waiting_for",
]

_RELATED = ("requester", "subject", "school", "decided_by")


def assessment_of(req: Request) -> RiskAssessment | None:
    return RiskAssessment.objects.filter(request=req).select_related("assessed_by").first()


def made_by(person: Person) -> QuerySet[Request]:
    return Request.objects.filter(requester=person).select_related(*_RELATED)


def waiting_for(person: Person, now: dt.datetime) -> QuerySet[Request]:
    """Pending requests `person` may decide whose period is not over, oldest first."""
    return (
        Request.objects.filter(routed_to(person), status=Request.Status.PENDING, expires__gt=now)
        .select_related(*_RELATED)
        .order_by("created_at", "pk")
    )


def in_force_routed_to(person: Person, now: dt.datetime) -> QuerySet[Request]:
    """Approvals `person` may revoke: approved, not expired, routed to their role."""
    return (
        Request.objects.filter(routed_to(person), status=Request.Status.APPROVED, expires__gt=now)
        .select_related(*_RELATED)
        .order_by("expires", "pk")
    )


def expiring_for(person: Person, now: dt.datetime, days: int = 7) -> QuerySet[Request]:
    """`person`'s own approvals in force that end within `days`."""
    return made_by(person).filter(
        status=Request.Status.APPROVED,
        starts__lte=now,
        expires__gt=now,
        expires__lte=now + dt.timedelta(days=days),
    )


def unrouted_for(person: Person, now: dt.datetime) -> list[Request]:
    """Pending requests nobody may decide because nobody holds the role, for the people who can
    give someone that role (`role_keepers`)."""
    held = set(
        RoleAssignment.objects.filter(person=person, role__in=("headteacher", "ceo")).values_list(
            "school_id", "role"
        )
    )
    if not held:
        return []
    pending = Request.objects.filter(trust=person.trust, status=Request.Status.PENDING, expires__gt=now)
    if all(school is not None for school, _ in held):
        pending = pending.filter(school_id__in={school for school, _ in held})
    return [
        req
        for req in pending.select_related("requester", "requester__line_manager", "school", "trust")
        if not approvers_for(req).exists() and person in role_keepers(req)
    ]


def approvals_in_force(trust: Trust | None, now: dt.datetime) -> QuerySet[Request]:
    """What the guards honour: approved (so neither revoked nor withdrawn) and not yet expired,
    including approvals that start later (the guards check the start themselves)."""
    found = Request.objects.filter(status=Request.Status.APPROVED, expires__gt=now)
    if trust is not None:
        found = found.filter(trust=trust)
    return found.select_related("requester").order_by("pk")
