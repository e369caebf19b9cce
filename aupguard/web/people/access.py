"""Who may see and change people: every view reaches Person records through these lookups.

Least privilege per school (issue 5, "Who may see what"): everyone sees their own record; the
people who run a school's records (headteacher, DPL, HR, IT) see that school's people; the same
roles held across the trust (no school on the assignment) see the whole trust. Importing the staff
directory, a trust-wide file, needs one of those roles across the trust.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.db.models import Q, QuerySet
from django.http import Http404

from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person, RoleAssignment

__all__ = [
    "RECORD_KEEPERS",
    "can_import_directory",
    "holders_of",
    "person_for",
    "person_of",
    "roles_in",
    "visible_people",
]

#: Roles that keep a school's records of people.
RECORD_KEEPERS = ("headteacher", "dpl", "hr", "it_support", "network_manager", "coo", "ceo", "siro")

User = Account | AnonymousUser


def person_of(user: User) -> Person | None:
    if not user.is_authenticated:
        return None
    return Person.objects.filter(user=user).select_related("trust", "school").first()


def _keeper_assignments(person: Person) -> QuerySet[RoleAssignment]:
    return RoleAssignment.objects.filter(person=person, role__in=RECORD_KEEPERS)


def visible_people(user: User) -> QuerySet[Person]:
    """The people `user` may see."""
    me = person_of(user)
    if getattr(user, "is_superuser", False):
        return Person.objects.all()
    if me is None:
        return Person.objects.none()
    assignments = list(_keeper_assignments(me).values_list("school_id", flat=True))
    if None in assignments:
        return Person.objects.filter(trust=me.trust)
    return Person.objects.filter(Q(pk=me.pk) | Q(trust=me.trust, school_id__in=assignments))


def person_for(user: User, person_id: int) -> Person:
    """The person with this id if `user` may see them; 404 otherwise (never 403: it would say the
    record exists)."""
    try:
        return visible_people(user).select_related("school", "line_manager").get(pk=person_id)
    except Person.DoesNotExist:
        raise Http404("No such person") from None


def can_import_directory(user: User, trust: Trust) -> bool:
    if getattr(user, "is_superuser", False):
        return True
    me = person_of(user)
    return (
        me is not None
        and me.trust_id == trust.pk
        and _keeper_assignments(me).filter(school__isnull=True).exists()
    )


def holders_of(role: str, trust: Trust, school: School | None) -> QuerySet[Person]:
    """Who holds `role` for `school`: in that school, or across the trust. Requests are routed, and
    alerts sent, to these people; for the central team (`school` None) only trust-wide holders."""
    where = Q(role_assignments__role=role, role_assignments__school__isnull=True)
    if school is not None:
        where |= Q(role_assignments__role=role, role_assignments__school=school)
    return Person.objects.filter(where, trust=trust, in_directory=True).distinct()


def roles_in(person: Person, school: School | None) -> set[str]:
    """The roles `person` holds for `school` (their trust-wide roles included)."""
    where = Q(school__isnull=True)
    if school is not None:
        where |= Q(school=school)
    return set(RoleAssignment.objects.filter(where, person=person).values_list("role", flat=True))
