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
from django.utils import timezone

from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person, Pupil, PupilUpload, RoleAssignment

__all__ = [
    "RECORD_KEEPERS",
    "can_import_directory",
    "can_import_roster",
    "holders_of",
    "person_for",
    "person_of",
    "pupil_upload_for",
    "roles_in",
    "roster_schools",
    "visible_people",
    "visible_pupils",
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


# --- pupils --------------------------------------------------------------------------------------
# Pupils are children's personal data, kept only for the guards: a school's record keepers see that
# school's pupils, trust-wide record keepers every school's; nobody else sees any, not even their own
# class. A keeper who has left (no longer in the directory, or past their leaving date) sees none.


def roster_schools(user: User) -> QuerySet[School]:
    """The schools whose pupils `user` may see and whose roster they may import."""
    if getattr(user, "is_superuser", False):
        return School.objects.all()
    me = person_of(user)
    if me is None or not me.in_directory or (me.leave_date and me.leave_date < timezone.localdate()):
        return School.objects.none()
    assignments = list(_keeper_assignments(me).values_list("school_id", flat=True))
    if None in assignments:
        return School.objects.filter(trust=me.trust)
    return School.objects.filter(trust=me.trust, pk__in=assignments)


def visible_pupils(user: User) -> QuerySet[Pupil]:
    """The pupils `user` may see: those of `roster_schools(user)`."""
    return Pupil.objects.filter(school__in=roster_schools(user))


def can_import_roster(user: User, trust: Trust, school: School | None) -> bool:
    """May `user` import the roster of `school`, or (None) the trust-wide roster of `trust`?"""
    if school is None:
        return can_import_directory(user, trust) and bool(roster_schools(user).filter(trust=trust).exists())
    return school.trust_id == trust.pk and roster_schools(user).filter(pk=school.pk).exists()


def pupil_upload_for(user: User, upload_id: int) -> PupilUpload:
    """A roster upload not yet imported, if `user` may import for its school (or trust); 404
    otherwise, so that nobody learns another school has uploaded a roster."""
    upload = (
        PupilUpload.objects.filter(pk=upload_id, applied_at__isnull=True)
        .select_related("trust", "school")
        .first()
    )
    if upload is None or not can_import_roster(user, upload.trust, upload.school):
        raise Http404("No such roster upload")
    return upload
