"""Who may see and act on a request: every view reaches Request rows through these lookups.

A request goes to whoever holds its workflow's approving role for the requester's school, or
across the trust (`holders_of`); a `line_manager` workflow goes to the requester's own line manager
from the directory, and to the school's line managers only when the directory names none. The
requester is never one of the approvers, whatever roles they hold (issue 5).

A person sees the requests they made, the requests routed to them (pending or decided: an approver
can revoke what their role approved), and the ones they decided or revoked themselves. Anyone else
gets a 404, never a 403: that would say the request exists.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Q, QuerySet
from django.http import Http404

from aupguard.web.approvals.models import Request
from aupguard.web.org.models import School, Trust
from aupguard.web.people.access import holders_of
from aupguard.web.people.models import Person, RoleAssignment

__all__ = [
    "approvers_for",
    "approvers_of",
    "can_assess",
    "can_decide",
    "can_revoke",
    "can_withdraw",
    "request_for",
    "routed_to",
    "subjects_for",
    "trust_by_slug",
    "visible_requests",
]

User = Account | AnonymousUser
LINE_MANAGER = "line_manager"


def approvers_of(requester: Person, role: str, trust: Trust, school: School | None) -> QuerySet[Person]:
    """Who decides a request by `requester` that `role` approves, for `school`: never the requester."""
    if role == LINE_MANAGER:
        manager = requester.line_manager
        if manager is not None and manager.in_directory and manager.pk != requester.pk:
            return Person.objects.filter(pk=manager.pk)
    return holders_of(role, trust, school).exclude(pk=requester.pk)


def approvers_for(req: Request) -> QuerySet[Person]:
    """The people who may decide `req` (and revoke it once approved), never its requester."""
    return approvers_of(req.requester, req.approver_role, req.trust, req.school)


def routed_to(person: Person) -> Q:
    """The requests `person` may decide: the same rule as `approvers_for`, as a filter."""
    if not person.in_directory:
        return Q(pk__in=[])
    where = Q(approver_role=LINE_MANAGER, requester__line_manager=person)
    no_manager = Q(requester__line_manager__isnull=True) | Q(requester__line_manager__in_directory=False)
    for school_id, role in RoleAssignment.objects.filter(person=person).values_list("school_id", "role"):
        mine = Q(approver_role=role, trust_id=person.trust_id)
        if school_id is not None:
            mine &= Q(school_id=school_id)
        if role == LINE_MANAGER:
            mine &= no_manager
        where |= mine
    return where & ~Q(requester=person)


def visible_requests(person: Person) -> QuerySet[Request]:
    return Request.objects.filter(
        Q(requester=person) | Q(decided_by=person) | Q(revoked_by=person) | routed_to(person)
    ).distinct()


def request_for(person: Person, request_id: int) -> Request:
    """The request with this id if `person` may see it; 404 otherwise."""
    try:
        return (
            visible_requests(person)
            .select_related(
                "requester", "requester__line_manager", "subject", "school", "trust", "version", "decided_by"
            )
            .get(pk=request_id)
        )
    except Request.DoesNotExist:
        raise Http404("No such request") from None


def can_decide(person: Person, req: Request) -> bool:
    return (
        req.status == Request.Status.PENDING
        and req.requester_id != person.pk
        and approvers_for(req).filter(pk=person.pk).exists()
    )


def can_revoke(person: Person, req: Request) -> bool:
    return (
        req.status == Request.Status.APPROVED
        and req.requester_id != person.pk
        and approvers_for(req).filter(pk=person.pk).exists()
    )


def can_withdraw(person: Person, req: Request) -> bool:
    return req.status == Request.Status.PENDING and req.requester_id == person.pk


def can_assess(person: Person, req: Request) -> bool:
    """The risk assessment is written by the requester or an approver, while the request waits."""
    return req.status == Request.Status.PENDING and (
        req.requester_id == person.pk or approvers_for(req).filter(pk=person.pk).exists()
    )


def subjects_for(person: Person, *, former: bool = False) -> QuerySet[Person]:
    """Whom a request may be about: the people and shared mailboxes of the requester's school and
    the trust's central team (everyone in the trust for the central team), never the requester;
    with `former`, also people the directory no longer lists (a leaver's mailbox)."""
    people = Person.objects.filter(trust=person.trust).exclude(pk=person.pk)
    if not former:
        people = people.filter(in_directory=True)
    if person.school_id is not None:
        people = people.filter(Q(school_id=person.school_id) | Q(school__isnull=True))
    return people.order_by("last_name", "first_name", "email")


def trust_by_slug(slug: str) -> Trust | None:
    """For the guards' snapshot, which a bearer token guards rather than a person's roles."""
    return Trust.objects.filter(slug=slug).first()
