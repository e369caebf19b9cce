"""Who handles an incident and who is told of it, read from the school's policy pack.

A pack's incident `register` clauses name the roles each kind is reported to (`report_to`); a clause
with no kind covers every kind. Beyond what the pack names, the DPL and the headteacher handle every
kind in their school (the DPL must see anything that may be a breach, the head answers for the
school), and the DSL, with the pack's `safeguarding_contact`, handles safeguarding and cyberbullying.
`line_manager` in a pack means the reporter's own line manager, not every line manager in the school.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Final

from django.db.models import Q, QuerySet

from aupguard.engine.catalogue import INCIDENT_KINDS
from aupguard.engine.packs import Clause, Pack
from aupguard.web.incidents.kinds import POSSIBLE_BREACH_KINDS, SAFEGUARDING_KINDS
from aupguard.web.incidents.models import Incident
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.org.models import School, Trust
from aupguard.web.people.access import holders_of
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.status import current_version

#: Roles that handle every kind of incident in their school, whatever the pack names.
ALWAYS_HANDLE: Final = frozenset({"dpl", "headteacher"})
#: Who is told when the pack names nobody for a kind.
FALLBACK_RECIPIENT: Final = "headteacher"


@dataclass
class Packs:
    """The current policy of each school, looked up once per request (the pack text is parsed once per
    process by the engine bridge)."""

    _seen: dict[str, tuple[PolicyVersion | None, Pack | None]] = field(default_factory=dict)

    def version_and_pack(
        self, trust: Trust, school: School | None
    ) -> tuple[PolicyVersion | None, Pack | None]:
        pack_id = school.effective_pack_id if school is not None else trust.pack_id
        if pack_id not in self._seen:
            version = current_version(pack_id)
            self._seen[pack_id] = (version, pack_for(version) if version is not None else None)
        return self._seen[pack_id]

    def pack(self, trust: Trust, school: School | None) -> Pack | None:
        return self.version_and_pack(trust, school)[1]


def incident_clauses(pack: Pack | None, kind: str) -> list[Clause]:
    """The pack's clauses that require this kind of incident to be reported."""
    if pack is None:
        return []
    return [
        clause
        for clause in pack.clauses
        if clause.register is not None
        and clause.register.id == "incident"
        and clause.register.kind in (None, kind)
    ]


def named_roles(pack: Pack | None, kind: str) -> frozenset[str]:
    """The roles the pack says this kind is reported to."""
    return frozenset(
        role
        for clause in incident_clauses(pack, kind)
        if clause.register
        for role in clause.register.report_to
    )


def handling_roles(pack: Pack | None, kind: str) -> frozenset[str]:
    roles = set(named_roles(pack, kind)) | ALWAYS_HANDLE
    if kind in SAFEGUARDING_KINDS:
        roles.add("dsl")
        if pack is not None and pack.settings.safeguarding_contact:
            roles.add(pack.settings.safeguarding_contact)
    return frozenset(roles)


def kinds_handled(pack: Pack | None, role: str) -> frozenset[str]:
    return frozenset(kind for kind in INCIDENT_KINDS if role in handling_roles(pack, kind))


def recipient_roles(pack: Pack | None, incident: Incident) -> frozenset[str]:
    """Who is told of a new report: the roles the pack names (the headteacher when it names none), the
    DSL for safeguarding, and the DPL whenever personal data may be involved."""
    roles = set(named_roles(pack, incident.kind)) or {FALLBACK_RECIPIENT}
    if incident.kind in SAFEGUARDING_KINDS:
        roles.add("dsl")
        if pack is not None and pack.settings.safeguarding_contact:
            roles.add(pack.settings.safeguarding_contact)
    if incident.kind in POSSIBLE_BREACH_KINDS or incident.personal_data in (
        Incident.PersonalData.YES,
        Incident.PersonalData.UNKNOWN,
    ):
        roles.add("dpl")
    return frozenset(roles)


def _holders(roles: frozenset[str], incident: Incident) -> dict[int, Person]:
    people: dict[int, Person] = {}
    for role in sorted(roles):
        if role == "line_manager":
            manager = incident.reporter.line_manager
            if manager is not None and manager.in_directory:
                people[manager.pk] = manager
            continue
        for person in holders_of(role, incident.trust, incident.school):
            people[person.pk] = person
    people.pop(incident.reporter_id, None)
    return people


def recipients(pack: Pack | None, incident: Incident) -> list[Person]:
    """The people to tell of a new report, never the reporter themselves. When no one holds the
    roles (a central-team report, where there is no headteacher), the DPL is told: a report must
    reach someone."""
    people = _holders(recipient_roles(pack, incident), incident) or _holders(frozenset({"dpl"}), incident)
    return sorted(people.values(), key=lambda p: (p.last_name, p.first_name, p.email))


def handlers(pack: Pack | None, incident: Incident) -> QuerySet[Person]:
    """Everyone who may take this incident on."""
    roles = handling_roles(pack, incident.kind)
    held = roles - {"line_manager"}  # the reporter's own manager only, below
    where = Q(role_assignments__role__in=held, role_assignments__school__isnull=True)
    if incident.school_id is not None:
        where |= Q(role_assignments__role__in=held, role_assignments__school_id=incident.school_id)
    if "line_manager" in roles and incident.reporter.line_manager_id is not None:
        where |= Q(pk=incident.reporter.line_manager_id)
    return Person.objects.filter(where, trust_id=incident.trust_id, in_directory=True).distinct()
