"""What a leaver's checklist asks of a person, for their home page.

The IT team for the leaver's school (or the trust's) is asked for the checklist's outstanding items,
due at the end of the last working day (the mailbox deletion on its own date); the line manager
(seed 001, RB-9.2: managers ensure their staff return all equipment) for the devices still held.
HR, headteachers and DPLs oversee the list but are asked for nothing here. A leaver appears from
`NOTICE_DAYS` before their last working day until their checklist has nothing outstanding.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone

from aupguard.web.leavers.access import oversight_of
from aupguard.web.leavers.checklist import checklists_for, day
from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person

NOTICE_DAYS = 30
#: How far back a leaver with items outstanding is still asked about (a year covers any retention).
LOOK_BACK_DAYS = 400


def needs_of(person: Person, *, today: dt.date | None = None) -> list[Need]:
    seen = oversight_of(person, today=today)
    if seen.person is None:
        return []
    today = today or timezone.localdate()
    candidates = seen.leavers()
    if not (seen.it_trust_wide or seen.it_school_ids):
        # Only IT confirms items; anyone else is asked only about their own reports.
        candidates = candidates.filter(line_manager=person)
    leavers = list(
        candidates.filter(
            leave_date__lte=today + dt.timedelta(days=NOTICE_DAYS),
            leave_date__gte=today - dt.timedelta(days=LOOK_BACK_DAYS),
        ).select_related("school__trust", "trust", "user")
    )
    confirming = [p for p in leavers if seen.confirms(p)]
    managing = [p for p in leavers if seen.manages(p) and not seen.confirms(p)]
    checklists = checklists_for([*confirming, *managing], today=today)
    needs: list[Need] = []
    for leaver in confirming:
        checklist = checklists[leaver.pk]
        items = checklist.outstanding
        if not items:
            continue
        first_due = min(item.due or checklist.leave_date for item in items)
        needs.append(
            Need(
                title=f"Leaver checklist: {leaver}",
                url=reverse("leavers:leaver-checklist", args=[leaver.pk]),
                kind="leaver",
                due=checklist.deadline(first_due),
                detail=f"Last working day {day(checklist.leave_date)}. Outstanding: "
                + "; ".join(item.title.lower() for item in items),
                urgent=any(item.overdue for item in items),
            )
        )
    for leaver in managing:
        checklist = checklists[leaver.pk]
        devices = checklist.item("devices")
        if not devices.outstanding:
            continue
        count = len(checklist.devices)
        needs.append(
            Need(
                title=f"Make sure {leaver} returns {count} device{'s' if count != 1 else ''}",
                url=reverse("leavers:leaver-checklist", args=[leaver.pk]),
                kind="leaver",
                due=checklist.deadline(checklist.leave_date),
                detail=f"Last working day {day(checklist.leave_date)}: "
                + ", ".join(d.asset_tag for d in checklist.devices),
                urgent=devices.overdue,
            )
        )
    return needs
