"""The part of a trust a person's roles reach: the whole trust, some schools, or nothing.

Registers decide who keeps what by roles held per school or across the trust (issue 5, "Who may see
what"); `RoleScope.of` reads those once, and each register's access module builds on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Self

from django.db.models import QuerySet

from aupguard.web.org.models import School
from aupguard.web.people.models import Person, RoleAssignment


@dataclass(frozen=True)
class RoleScope:
    person: Person | None
    trust_wide: bool = False
    school_ids: frozenset[int] = frozenset()

    @classmethod
    def of(cls, person: Person | None, roles: Iterable[str]) -> Self:
        """Where `person` holds any of `roles`; nothing for no person."""
        if person is None:
            return cls(None)
        held = list(
            RoleAssignment.objects.filter(person=person, role__in=tuple(roles)).values_list(
                "school_id", flat=True
            )
        )
        return cls(person, trust_wide=None in held, school_ids=frozenset(s for s in held if s is not None))

    def __bool__(self) -> bool:
        return self.person is not None and (self.trust_wide or bool(self.school_ids))

    def covers(self, school_id: int | None) -> bool:
        """Whether this school (None: the trust's central team) is in scope."""
        return bool(self) and (self.trust_wide or (school_id is not None and school_id in self.school_ids))

    def schools(self) -> QuerySet[School]:
        if not self or self.person is None:
            return School.objects.none()
        schools = School.objects.filter(trust_id=self.person.trust_id).select_related("trust")
        return schools if self.trust_wide else schools.filter(pk__in=self.school_ids)
