"""Who may see monitoring data: only the roles the school's pack names (`settings.monitoring_viewers`).

A role held in a school shows that school's events; the same role held across the trust shows every
school whose pack names it, and the events of no school (the central team, guest accounts, devices
that do not sign in) when the trust's own pack names it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.http import Http404

from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.monitoring.models import GuardEvent, GuardEventDay
from aupguard.web.org.models import School
from aupguard.web.people.access import User, person_of
from aupguard.web.people.models import Person, RoleAssignment
from aupguard.web.signoff.status import current_version


def viewer_roles(pack_id: str) -> frozenset[str]:
    version = current_version(pack_id)
    return frozenset(pack_for(version).settings.monitoring_viewers) if version else frozenset()


def _scope(person: Person) -> Q | None:
    """The events `person` may see, as a filter; None when they may see none."""
    held = list(RoleAssignment.objects.filter(person=person).values_list("role", "school_id"))
    trust_wide = {role for role, school in held if school is None}
    viewers: dict[str, frozenset[str]] = {}  # per pack: a trust has a handful of packs, not one per school
    schools = []
    everywhere = list(School.objects.filter(trust=person.trust).select_related("trust"))
    for school in everywhere:
        pack_id = school.effective_pack_id
        if pack_id not in viewers:
            viewers[pack_id] = viewer_roles(pack_id)
        mine = trust_wide | {role for role, at in held if at == school.pk}
        if viewers[pack_id] & mine:
            schools.append(school.pk)
    central = bool(viewer_roles(person.trust.pack_id) & trust_wide)
    if len(schools) == len(everywhere) and central:
        return Q()  # the whole trust: no condition, so the database walks its (trust, time) index
    where = Q(school_id__in=schools) if schools else None
    if central:
        where = Q(school__isnull=True) if where is None else where | Q(school__isnull=True)
    return where


def visible_events(user: User) -> QuerySet[GuardEvent]:
    me = person_of(user)
    scope = _scope(me) if me is not None else None
    if me is None or scope is None:
        return GuardEvent.objects.none()
    return GuardEvent.objects.filter(scope, trust=me.trust)


def visible_counts(user: User) -> QuerySet[GuardEventDay]:
    """The daily counts of the events `user` may see (the same schools)."""
    me = person_of(user)
    scope = _scope(me) if me is not None else None
    if me is None or scope is None:
        return GuardEventDay.objects.none()
    return GuardEventDay.objects.filter(scope, trust=me.trust)


def may_monitor(user: User) -> bool:
    me = person_of(user)
    return me is not None and _scope(me) is not None


def event_for(user: User, event_id: int) -> GuardEvent:
    try:
        return visible_events(user).select_related("school", "person").get(pk=event_id)
    except GuardEvent.DoesNotExist:
        raise Http404("No such event") from None
