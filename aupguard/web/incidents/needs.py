"""What incidents and breaches need of a person, for their home page.

The DPL sees each open breach: until the decision on reporting is recorded, with the ICO deadline
(urgent under 24 hours or overdue); after it, a reminder to record the response and close it.
Handlers see new incidents no one has taken on yet, and the incidents they have taken on.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils import dateformat, timezone

from aupguard.web.incidents.access import breaches_kept_by, incidents_handled_by
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.incidents.notify import place, when
from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person

#: More new incidents than this are summed up in one line that leads to the register.
MAX_LISTED = 10


def _breach_needs(person: Person) -> list[Need]:
    needs = []
    now = timezone.now()
    open_breaches = breaches_kept_by(person).filter(status=Breach.Status.OPEN)
    # Undecided first (their clock is running), soonest deadline first; a trust with many open breaches
    # gets the most urgent listed and one line for the rest, which leads to the breach register.
    breaches = open_breaches.select_related("incident", "incident__school").order_by("decision", "deadline")
    breaches = breaches[:MAX_LISTED]  # undecided ("") sorts first
    for breach in breaches:
        url = reverse("incidents:breach-detail", args=[breach.pk])
        where = place(breach.incident)
        if breach.decision:
            needs.append(
                Need(
                    title=f"Finish personal data breach {breach.reference} at {where}",
                    url=url,
                    kind="breach",
                    detail="The ICO decision is recorded: record the response and lessons learned, "
                    "then close it.",
                )
            )
            continue
        clock = breach.clock_at(now)
        step = "decide whether to report it to the ICO" if breach.assessed else "assess it"
        needs.append(
            Need(
                title=f"Personal data breach {breach.reference} at {where}: {step}",
                url=url,
                kind="breach",
                due=breach.deadline,
                detail=f"ICO deadline {when(breach.deadline)}",
                urgent=clock.urgent or clock.overdue,
            )
        )
    if len(needs) == MAX_LISTED:
        more = open_breaches.count() - MAX_LISTED
        if more > 0:
            needs.append(
                Need(
                    title=f"{more} more open personal data breaches",
                    url=reverse("incidents:breach-register"),
                    kind="breach",
                    detail="The breach register lists them all, soonest deadline first.",
                )
            )
    return needs


def _incident_need(incident: Incident, title: str) -> Need:
    reported = dateformat.format(timezone.localtime(incident.reported_at), "j M, H:i")
    return Need(
        title=title,
        url=reverse("incidents:detail", args=[incident.pk]),
        kind="incident",
        detail=f"{incident.reference}, reported by {incident.reporter} on {reported}",
    )


def _incident_needs(person: Person) -> list[Need]:
    needs = []
    handled = incidents_handled_by(person)  # the handler's scope, worked out once for both lists
    new = (
        handled.filter(status=Incident.Status.OPEN, handler__isnull=True)
        .exclude(reporter=person)
        .select_related("school", "reporter")
    )
    listed = list(new[: MAX_LISTED + 1])
    total = len(listed) if len(listed) <= MAX_LISTED else new.count()
    for incident in listed[:MAX_LISTED]:
        needs.append(
            _incident_need(incident, f"New incident at {place(incident)}: {incident.get_kind_display()}")
        )
    if total > MAX_LISTED:
        needs.append(
            Need(
                title=f"{total - MAX_LISTED} more new incidents",
                url=reverse("incidents:register"),
                kind="incident",
                detail="No one has taken them on yet.",
            )
        )
    mine = handled.filter(status=Incident.Status.OPEN, handler=person)
    for incident in mine.select_related("school", "reporter"):
        needs.append(_incident_need(incident, f"Handle {incident.get_kind_display()} at {place(incident)}"))
    return needs


def needs_of(person: Person) -> list[Need]:
    return _breach_needs(person) + _incident_needs(person)
