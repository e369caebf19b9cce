"""Who may see a leaver's checklist, and who may confirm its items: every leavers view goes through here.

A school's HR, headteacher, IT team (it_support, network_manager) and DPL see its leavers; the same
roles held across the trust see every leaver in the trust, the central team's included; a line
manager sees the leavers who report to them. Only the IT team confirms items (they disable the
school accounts and delete the mailbox); the others read. A leaver someone may not see is a 404; a
confirmation by someone who may only read is a 403. Someone who has left themselves sees nobody.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aupguard.web.org.models import School
from aupguard.web.people.access import person_of
from aupguard.web.people.models import Person, RoleAssignment

__all__ = ["IT_TEAM", "OVERSEERS", "Oversight", "leaver_for", "oversight", "oversight_of", "visible_leavers"]

#: Roles that see a school's leavers.
OVERSEERS = ("hr", "headteacher", "it_support", "network_manager", "dpl")
#: Roles that confirm the checklist's items.
IT_TEAM = ("it_support", "network_manager")

User = Account | AnonymousUser


@dataclass(frozen=True)
class Oversight:
    """Whose leavers a person sees (schools, the trust, their reports) and whose items they confirm."""

    person: Person | None
    trust_wide: bool = False
    school_ids: frozenset[int] = frozenset()
    it_trust_wide: bool = False
    it_school_ids: frozenset[int] = frozenset()

    def leavers(self) -> QuerySet[Person]:
        """Everyone with a leaving date this person may see (any date: views choose the window)."""
        me = self.person
        if me is None:
            return Person.objects.none()
        people = Person.objects.filter(trust_id=me.trust_id, leave_date__isnull=False)
        if self.trust_wide:
            return people
        return people.filter(Q(school_id__in=self.school_ids) | Q(line_manager_id=me.pk))

    def sees(self, leaver: Person) -> bool:
        me = self.person
        if me is None or leaver.trust_id != me.trust_id or leaver.leave_date is None:
            return False
        return self.trust_wide or leaver.school_id in self.school_ids or leaver.line_manager_id == me.pk

    def confirms(self, leaver: Person) -> bool:
        """Whether this person is on the IT team for the leaver's school (or the trust's)."""
        if not self.sees(leaver):
            return False
        return self.it_trust_wide or (leaver.school_id is not None and leaver.school_id in self.it_school_ids)

    def manages(self, leaver: Person) -> bool:
        return self.person is not None and leaver.line_manager_id == self.person.pk

    def may_list(self) -> bool:
        """Whether the leavers list is for this person at all: an overseeing role, or reports."""
        me = self.person
        if me is None:
            return False
        return (
            self.trust_wide or bool(self.school_ids) or Person.objects.filter(line_manager_id=me.pk).exists()
        )

    def schools(self) -> QuerySet[School]:
        if self.person is None:
            return School.objects.none()
        schools = School.objects.filter(trust_id=self.person.trust_id)
        return schools if self.trust_wide else schools.filter(pk__in=self.school_ids)


def _still_here(person: Person, today: dt.date) -> bool:
    return person.in_directory and (person.leave_date is None or person.leave_date >= today)


def oversight_of(person: Person | None, *, today: dt.date | None = None) -> Oversight:
    if person is None or not _still_here(person, today or timezone.localdate()):
        return Oversight(None)
    held = list(
        RoleAssignment.objects.filter(person=person, role__in=OVERSEERS).values_list("school_id", "role")
    )
    return Oversight(
        person,
        trust_wide=any(school is None for school, _ in held),
        school_ids=frozenset(school for school, _ in held if school is not None),
        it_trust_wide=any(school is None and role in IT_TEAM for school, role in held),
        it_school_ids=frozenset(school for school, role in held if school is not None and role in IT_TEAM),
    )


def oversight(user: User) -> Oversight:
    return oversight_of(person_of(user))


def visible_leavers(user: User) -> QuerySet[Person]:
    return oversight(user).leavers()


def leaver_for(user: User, person_id: int, *, write: bool = False) -> Person:
    """The leaver if `user` may see them (404 otherwise); with `write`, 403 unless `user` is on the
    IT team that confirms their items."""
    seen = oversight(user)
    leaver = (
        seen.leavers().select_related("school", "line_manager", "user", "trust").filter(pk=person_id).first()
    )
    if leaver is None:
        raise Http404("No such leaver")
    if write and not seen.confirms(leaver):
        raise PermissionDenied("Only the IT team confirms a leaver's checklist items.")
    return leaver
