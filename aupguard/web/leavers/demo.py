"""The demo's leavers need nothing of their own: their leaving dates come from the staff directory
and their devices from the devices demo. `load` says who is leaving and what is outstanding, so that
`make demo` shows where to start (Tom Hughes at Ash Primary, leaving on 18 December 2026)."""

from __future__ import annotations

from django.utils import timezone

from aupguard.web.leavers.checklist import checklists_for, day
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person


def load(trust: Trust) -> str:
    leavers = list(
        Person.objects.filter(trust=trust, leave_date__gte=timezone.localdate())
        .select_related("school__trust", "trust", "user")
        .order_by("leave_date")
    )
    if not leavers:
        return "Leavers: no one is leaving"
    checklists = checklists_for(leavers)
    described = [
        f"{p} ({day(checklists[p.pk].leave_date)}, {len(checklists[p.pk].outstanding)} outstanding)"
        for p in leavers
    ]
    return "Leavers: " + ", ".join(described)
