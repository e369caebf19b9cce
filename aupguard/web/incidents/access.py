"""Who may see and act on incidents and breaches: every view reaches them through these lookups.

Issue 5, "Who may see what": a reporter sees their own reports; the people who handle a kind of
incident (routing.py: the pack's `report_to` roles, the DPL, the headteacher, the DSL for
safeguarding) see and handle that kind in their school, or across the trust when they hold the role
trust-wide; the breach register is the DPL's alone (`dpl` for the school, or trust-wide). A record
someone may not see is a 404, never a 403, so that its existence is not given away; a reporter who
tries to change their own report is refused with a 403.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.contrib.auth.models import User as Account
from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from aupguard.web.devices.models import Device
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.incidents.routing import Packs, handling_roles, kinds_handled
from aupguard.web.org.models import School
from aupguard.web.people.access import person_of, roles_in
from aupguard.web.people.models import Person, RoleAssignment

__all__ = [
    "access_breach",
    "access_incident",
    "breach_schools",
    "breaches_kept_by",
    "can_handle",
    "handler_scope",
    "incident_register",
    "incidents_handled_by",
    "is_dpl_for",
    "own_devices",
    "own_reports",
    "register_schools",
    "reporter_of",
    "visible_breaches",
    "visible_incidents",
]

User = Account | AnonymousUser


def reporter_of(user: User) -> Person:
    """The signed-in person; anyone in the directory may report."""
    me = person_of(user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    return me


def _either(scope: Q | None, more: Q) -> Q:
    return more if scope is None else scope | more


def _at(school: School | None) -> Q:
    return Q(school__isnull=True) if school is None else Q(school=school)


def _current(person: Person) -> bool:
    """Still on the staff: someone who has left keeps their own reports but handles nothing."""
    return person.in_directory and not (person.leave_date and person.leave_date < timezone.localdate())


def _places_q(places: list[School | None]) -> Q:
    ids = [school.pk for school in places if school is not None]
    where = Q(school_id__in=ids) if ids else Q(pk__in=[])
    return where | Q(school__isnull=True) if None in places else where


def handler_scope(person: Person, packs: Packs | None = None) -> Q | None:
    """The incidents `person` handles, as a filter; None when they handle none."""
    if not _current(person):
        return None
    packs = packs or Packs()
    trust = person.trust
    places: list[School | None] = [*trust.schools.all(), None]
    by_id = {school.pk: school for school in places if school is not None}
    # Places grouped by the kinds handled there: a trust's schools share a few packs, so a trust-wide
    # role gives a handful of conditions, not one per school.
    handled: dict[frozenset[str], list[School | None]] = {}
    kinds_of: dict[tuple[int, str], frozenset[str]] = {}
    for role, school_id in RoleAssignment.objects.filter(person=person).values_list("role", "school_id"):
        if role == "line_manager" or (school_id is not None and school_id not in by_id):
            continue
        targets: list[School | None] = places if school_id is None else [by_id[school_id]]
        for school in targets:
            pack = packs.pack(trust, school)
            key = (id(pack), role)  # a trust has a few packs: each role's kinds read once per pack
            if key not in kinds_of:
                kinds_of[key] = frozenset(kinds_handled(pack, role))
            if kinds_of[key]:
                handled.setdefault(kinds_of[key], []).append(school)
    scope: Q | None = None
    for kinds, where in handled.items():
        scope = _either(scope, _places_q(where) & Q(kind__in=sorted(kinds)))
    # A pack that routes a kind to the line manager means the reporter's own manager.
    if person.reports.exists():
        managed: dict[frozenset[str], list[School | None]] = {}
        for school in places:
            pack = packs.pack(trust, school)
            key = (id(pack), "line_manager")
            if key not in kinds_of:
                kinds_of[key] = frozenset(kinds_handled(pack, "line_manager"))
            if kinds_of[key]:
                managed.setdefault(kinds_of[key], []).append(school)
        for kinds, where in managed.items():
            scope = _either(
                scope, _places_q(where) & Q(kind__in=sorted(kinds), reporter__line_manager=person)
            )
    return None if scope is None else Q(trust=trust) & scope


def incidents_handled_by(person: Person) -> QuerySet[Incident]:
    scope = handler_scope(person)
    return Incident.objects.none() if scope is None else Incident.objects.filter(scope)


def own_reports(user: User) -> QuerySet[Incident]:
    me = person_of(user)
    if me is None:
        return Incident.objects.none()
    return Incident.objects.filter(reporter=me)


def visible_incidents(user: User) -> QuerySet[Incident]:
    """What `user` handles, and their own reports."""
    me = person_of(user)
    if me is None:
        return Incident.objects.none()
    scope = handler_scope(me)
    return Incident.objects.filter(Q(reporter=me) if scope is None else Q(reporter=me) | scope)


def can_handle(person: Person, incident: Incident, packs: Packs | None = None) -> bool:
    if person.trust_id != incident.trust_id or not _current(person):
        return False
    pack = (packs or Packs()).pack(incident.trust, incident.school)
    roles = handling_roles(pack, incident.kind)
    if (roles_in(person, incident.school) - {"line_manager"}) & roles:
        return True
    return "line_manager" in roles and incident.reporter.line_manager_id == person.pk


def access_incident(user: User, incident_id: int, *, write: bool = False) -> Incident:
    """The incident if `user` may see it (404 otherwise); with `write`, only for its handlers (a
    reporter may read their report but not handle it: 403)."""
    me = person_of(user)
    if me is None:
        raise Http404("No such incident")
    try:
        incident = (
            visible_incidents(user)
            .select_related(
                "trust", "school", "reporter", "reporter__line_manager", "handler", "device", "version"
            )
            .get(pk=incident_id)
        )
    except Incident.DoesNotExist:
        raise Http404("No such incident") from None
    if write and not can_handle(me, incident):
        raise PermissionDenied("Only the people who handle this kind of incident can change it.")
    return incident


def own_devices(person: Person) -> QuerySet[Device]:
    """The devices issued to `person`: the ones they may report lost or stolen."""
    return Device.objects.filter(holder=person, status=Device.Status.ISSUED)


def is_dpl_for(person: Person, school: School | None) -> bool:
    """DPL for this school, or across the trust (the only DPL for the central team)."""
    return _current(person) and "dpl" in roles_in(person, school)


def breach_schools(person: Person) -> tuple[list[School], bool]:
    """The schools whose breaches `person` keeps as DPL, and whether the central team's too."""
    if not _current(person):
        return [], False
    held = set(RoleAssignment.objects.filter(person=person, role="dpl").values_list("school_id", flat=True))
    if None in held:
        return list(person.trust.schools.all()), True
    return list(School.objects.filter(pk__in=held, trust=person.trust)), False


def breaches_kept_by(person: Person) -> QuerySet[Breach]:
    schools, central = breach_schools(person)
    where = Q(incident__school__in=schools)
    if central:
        where |= Q(incident__school__isnull=True)
    return Breach.objects.filter(where, incident__trust=person.trust)


def visible_breaches(user: User) -> QuerySet[Breach]:
    me = person_of(user)
    return Breach.objects.none() if me is None else breaches_kept_by(me)


def access_breach(user: User, breach_id: int) -> Breach:
    """The breach if `user` is its school's DPL; 404 for everyone else."""
    try:
        return (
            visible_breaches(user)
            .select_related("incident", "incident__school", "incident__reporter", "incident__trust")
            .get(pk=breach_id)
        )
    except Breach.DoesNotExist:
        raise Http404("No such breach") from None


def incident_register(person: Person) -> QuerySet[Incident] | None:
    """The register `person` keeps; None when they handle no kind of incident anywhere."""
    scope = handler_scope(person)
    return None if scope is None else Incident.objects.filter(scope)


def register_schools(handled: QuerySet[Incident]) -> tuple[list[School], bool]:
    """The schools a register holds incidents of, and whether the central team's are among them."""
    schools = list(School.objects.filter(pk__in=handled.values("school")).order_by("name"))
    return schools, handled.filter(school__isnull=True).exists()
