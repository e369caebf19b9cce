"""Every change to an incident or a breach: one function each, atomic, with its audit event, and the
emails it sends queued until the transaction commits.

Callers (views, the demo) have already checked permission through access.py and validated input
through forms.py; what is checked here is what must hold whoever calls (the state a record is in).
The narrative of a breach (its nature, consequences, containment) is kept on the breach record, not
copied into the audit log, which more people may read than the breach register: the log says which
fields changed, with old and new values for everything else.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from aupguard.web.audit.log import record
from aupguard.web.devices.lifecycle import mark_missing
from aupguard.web.devices.models import Device
from aupguard.web.incidents import notify
from aupguard.web.incidents.clock import DEFAULT_REPORT_HOURS, ico_deadline
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.incidents.routing import Packs, recipients
from aupguard.web.org.models import School
from aupguard.web.people.access import holders_of
from aupguard.web.people.models import Person

#: Turns a path into the link an email carries (a view passes `request.build_absolute_uri`).
Absolute = Callable[[str], str]

#: Breach fields whose text stays out of the audit log (the log records that they changed).
NARRATIVE = frozenset(
    {
        "nature",
        "likely_consequences",
        "containment",
        "individuals_note",
        "lado_note",
        "lessons_learned",
        "late_reason",
    }
)


class IncidentStateError(Exception):
    """A change the record's current state does not allow (closing a closed incident)."""


def _same(path: str) -> str:
    return path


def _plain(value: object) -> object:
    if isinstance(value, dt.datetime):
        return value.isoformat()
    if isinstance(value, Person):
        return value.email
    return value


def _apply(target: Incident | Breach, values: Mapping[str, object]) -> dict[str, Any]:
    """Set `values` on `target`; what changed, as the audit event's details."""
    changed: list[str] = []
    old: dict[str, object] = {}
    new: dict[str, object] = {}
    for name, value in values.items():
        before = getattr(target, name)
        if before == value:
            continue
        changed.append(name)
        if name not in NARRATIVE:
            old[name], new[name] = _plain(before), _plain(value)
        setattr(target, name, value)
    return {"changed": changed, "old": old, "new": new}


@transaction.atomic
def do_report_incident(
    reporter: Person,
    kind: str,
    *,
    occurred_at: dt.datetime,
    what_happened: str,
    fields: Mapping[str, object] | None = None,
    school: School | None = None,
    reported_at: dt.datetime | None = None,
    absolute: Absolute = _same,
    notify_people: bool = True,
) -> Incident:
    """A report from anyone. A device reported lost or stolen is marked so on the asset register in
    the same transaction. `school` defaults to the reporter's."""
    school = school if school is not None else reporter.school
    version, pack = Packs().version_and_pack(reporter.trust, school)
    incident = Incident(
        trust=reporter.trust,
        school=school,
        kind=kind,
        reporter=reporter,
        occurred_at=occurred_at,
        reported_at=reported_at or timezone.now(),
        what_happened=what_happened,
        version=version,
        **(fields or {}),
    )
    incident.save()
    device: Device | None = incident.device
    if kind == "lost_or_stolen_device" and device is not None:
        mark_missing(
            device,
            stolen=bool(incident.device_stolen),
            by=reporter,
            on=timezone.localdate(occurred_at),
            notes=f"Reported in {incident.reference}. Where: {incident.location}",
        )
    people = recipients(pack, incident)
    record(
        reporter.user,
        "incident.report",
        "incident",
        incident.pk,
        school=school,
        summary=f"{reporter.email} reported a {incident.get_kind_display()} ({incident.reference})",
        details={
            "kind": kind,
            "device": device.asset_tag if device is not None else None,
            "told": [person.email for person in people] if notify_people else [],
        },
    )
    if notify_people and people:
        link = absolute(reverse("incidents:detail", args=[incident.pk]))
        transaction.on_commit(lambda: notify.incident_reported(incident, people, link))
    return incident


@transaction.atomic
def do_assign_incident(incident: Incident, handler: Person, *, actor: Person) -> Incident:
    if incident.status != Incident.Status.OPEN:
        raise IncidentStateError(f"{incident.reference} is closed: reopen it first")
    details = _apply(incident, {"handler": handler})
    if not details["changed"]:
        return incident
    incident.save(update_fields=["handler"])
    record(
        actor.user,
        "incident.assign",
        "incident",
        incident.pk,
        school=incident.school,
        summary=f"{incident.reference} is handled by {handler.email}",
        details=details,
    )
    return incident


@transaction.atomic
def do_close_incident(incident: Incident, outcome: str, *, actor: Person) -> Incident:
    if not incident.can_become(Incident.Status.CLOSED):
        raise IncidentStateError(f"{incident.reference} is already closed")
    if Breach.objects.filter(incident=incident, status=Breach.Status.OPEN).exists():
        raise IncidentStateError("The DPL's breach record for this incident is still open.")
    incident.status, incident.outcome = Incident.Status.CLOSED, outcome
    incident.closed_by, incident.closed_at = actor, timezone.now()
    if incident.handler is None:
        incident.handler = actor
    incident.save(update_fields=["status", "outcome", "closed_by", "closed_at", "handler"])
    record(
        actor.user,
        "incident.close",
        "incident",
        incident.pk,
        school=incident.school,
        summary=f"{actor.email} closed {incident.reference}",
        reason=outcome,
    )
    return incident


@transaction.atomic
def do_reopen_incident(incident: Incident, reason: str, *, actor: Person) -> Incident:
    if not incident.can_become(Incident.Status.OPEN):
        raise IncidentStateError(f"{incident.reference} is already open")
    incident.status, incident.closed_by, incident.closed_at = Incident.Status.OPEN, None, None
    incident.save(update_fields=["status", "closed_by", "closed_at"])
    record(
        actor.user,
        "incident.reopen",
        "incident",
        incident.pk,
        school=incident.school,
        summary=f"{actor.email} reopened {incident.reference}",
        reason=reason,
    )
    return incident


@transaction.atomic
def do_open_breach(
    incident: Incident,
    aware_at: dt.datetime,
    *,
    actor: Person,
    absolute: Absolute = _same,
    notify_people: bool = True,
) -> Breach:
    """Start the ICO clock: the deadline is `aware_at` plus the school's pack's `breach_report_hours`."""
    if Breach.objects.filter(incident=incident).exists():
        raise IncidentStateError(f"{incident.reference} already has a breach record")
    version, pack = Packs().version_and_pack(incident.trust, incident.school)
    hours = pack.settings.breach_report_hours if pack is not None else DEFAULT_REPORT_HOURS
    breach = Breach.objects.create(
        incident=incident,
        version=version,
        aware_at=aware_at,
        report_hours=hours,
        deadline=ico_deadline(aware_at, hours),
        opened_by=actor,
    )
    dpls = list(holders_of("dpl", incident.trust, incident.school))
    record(
        actor.user,
        "breach.open",
        "breach",
        breach.pk,
        school=incident.school,
        summary=f"{actor.email} opened {breach.reference} for {incident.reference}",
        details={
            "incident": incident.pk,
            "aware_at": aware_at.isoformat(),
            "deadline": breach.deadline.isoformat(),
            "hours": hours,
            "told": [person.email for person in dpls] if notify_people else [],
        },
    )
    if notify_people and dpls:
        link = absolute(reverse("incidents:breach-detail", args=[breach.pk]))
        transaction.on_commit(lambda: notify.breach_opened(breach, dpls, link))
    return breach


@transaction.atomic
def do_record_breach(
    actor: Person,
    school: School | None,
    *,
    occurred_at: dt.datetime,
    aware_at: dt.datetime,
    what_happened: str,
    absolute: Absolute = _same,
    notify_people: bool = True,
) -> Breach:
    """A breach the DPL learnt of directly (a phone call, a letter): its incident and its record at once."""
    incident = do_report_incident(
        actor,
        "data_breach",
        occurred_at=occurred_at,
        what_happened=what_happened,
        fields={"personal_data": Incident.PersonalData.YES},
        school=school,
        absolute=absolute,
        notify_people=notify_people,
    )
    return do_open_breach(incident, aware_at, actor=actor, absolute=absolute, notify_people=notify_people)


def _require_open(breach: Breach) -> None:
    if breach.status != Breach.Status.OPEN:
        raise IncidentStateError(f"{breach.reference} is closed")


def _save_change(
    breach: Breach, action: str, details: dict[str, Any], *, actor: Person, reason: str = ""
) -> None:
    breach.save()
    record(
        actor.user,
        action,
        "breach",
        breach.pk,
        school=breach.incident.school,
        summary=f"{actor.email} updated {breach.reference}: {', '.join(details['changed']) or 'no change'}",
        reason=reason,
        details=details,
    )


@transaction.atomic
def do_assess_breach(breach: Breach, values: Mapping[str, object], *, actor: Person) -> Breach:
    """Nature, categories, numbers, consequences and risk level."""
    _require_open(breach)
    details = _apply(breach, values)
    breach.assessed_by, breach.assessed_at = actor, timezone.now()
    _save_change(breach, "breach.assess", details, actor=actor)
    return breach


@transaction.atomic
def do_decide_breach(
    breach: Breach,
    decision: str,
    *,
    reason: str,
    actor: Person,
    reported_at: dt.datetime | None = None,
    ico_reference: str = "",
    late_reason: str = "",
) -> Breach:
    """Report to the ICO or not: who, when and why, recorded either way. A later decision replaces an
    earlier one on the record; the audit log keeps every one."""
    _require_open(breach)
    if not breach.assessed:
        raise IncidentStateError("Assess the breach before deciding whether to report it.")
    if not reason.strip():
        raise IncidentStateError("A decision needs its reason.")
    reporting = decision == Breach.Decision.REPORT
    details = _apply(
        breach,
        {
            "decision": decision,
            "decision_reason": reason,
            "reported_at": reported_at if reporting else None,
            "ico_reference": ico_reference if reporting else "",
            "late_reason": late_reason,
        },
    )
    breach.decided_by, breach.decided_at = actor, timezone.now()
    details["risk_level"] = breach.risk_level
    _save_change(breach, "breach.decide", details, actor=actor, reason=reason)
    return breach


@transaction.atomic
def do_respond_to_breach(breach: Breach, values: Mapping[str, object], *, actor: Person) -> Breach:
    """Containment, telling the people affected, the LADO referral, lessons learned."""
    _require_open(breach)
    details = _apply(breach, values)
    _save_change(breach, "breach.respond", details, actor=actor)
    return breach


@transaction.atomic
def do_close_breach(breach: Breach, *, actor: Person) -> Breach:
    if not breach.can_become(Breach.Status.CLOSED):
        raise IncidentStateError(f"{breach.reference} is already closed")
    if not breach.decision:
        raise IncidentStateError("Record the decision on reporting to the ICO before closing.")
    if not breach.lessons_learned.strip():
        raise IncidentStateError("Record the lessons learned before closing.")
    breach.status, breach.closed_by, breach.closed_at = Breach.Status.CLOSED, actor, timezone.now()
    breach.save(update_fields=["status", "closed_by", "closed_at"])
    record(
        actor.user,
        "breach.close",
        "breach",
        breach.pk,
        school=breach.incident.school,
        summary=f"{actor.email} closed {breach.reference}",
    )
    return breach


def record_breach_view(
    actor: Person, what: str, *, breach: Breach | None = None, shown: list[int] | None = None
) -> None:
    """`breach.view`: every look at breach data is in the audit log (issue 5), with what was shown."""
    if breach is not None:
        record(
            actor.user,
            "breach.view",
            "breach",
            breach.pk,
            school=breach.incident.school,
            summary=f"{actor.email} viewed {breach.reference} ({what})",
        )
    else:
        record(
            actor.user,
            "breach.view",
            "breach_register",
            school=actor.school,
            summary=f"{actor.email} viewed the breach register ({what})",
            details={"breaches": shown or []},
        )
