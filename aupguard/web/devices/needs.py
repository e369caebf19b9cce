"""What the asset register asks of a person, for their home page.

- A member of staff with a leaving date returns what they hold by their last working day (seed 000,
  WLP-5.28; seed 001, section 9), from `NOTICE_DAYS` before it.
- A keeper of the register closes each lost or stolen device: found, or written off (disposed of).
  Up to `MAX_LISTED` are listed one by one; more are one item linking to the filtered register.
"""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode

from aupguard.web.devices.access import keeping_of
from aupguard.web.devices.forms import MISSING
from aupguard.web.devices.queries import held_by, missing_since, still_missing
from aupguard.web.leavers.checklist import day
from aupguard.web.leavers.deadlines import end_of_working_day, pack_of
from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person

NOTICE_DAYS = 30
MAX_LISTED = 5


def _returns(person: Person, today: dt.date) -> list[Need]:
    leaving = person.leave_date
    if leaving is None or leaving > today + dt.timedelta(days=NOTICE_DAYS):
        return []
    held = list(held_by(person))
    if not held:
        return []
    due = end_of_working_day(pack_of(person), leaving)
    url = reverse("devices:person-devices", args=[person.pk])
    return [
        Need(
            title=f"Return your {device.get_kind_display()} {device.asset_tag}",
            url=url,
            kind="device",
            due=due,
            detail=f"Before you leave: your last working day is {day(leaving)}.",
            urgent=leaving < today,
        )
        for device in held
    ]


def _missing(person: Person) -> list[Need]:
    devices = list(still_missing(keeping_of(person).devices()))
    if len(devices) > MAX_LISTED:
        return [
            Need(
                title=f"{len(devices)} devices are lost or stolen and not yet closed",
                url=f"{reverse('devices:device-list')}?{urlencode({'status': MISSING})}",
                kind="device",
                detail="Record each found, or dispose of it to write it off.",
            )
        ]
    needs = []
    for device in devices:
        event = missing_since(device)
        since = f" on {day(event.on)}" if event is not None else ""
        needs.append(
            Need(
                title=f"{device.get_kind_display().capitalize()} {device.asset_tag} was reported "
                f"{device.get_status_display()}{since}",
                url=reverse("devices:device-detail", args=[device.pk]),
                kind="device",
                detail="Record it found, or dispose of it to write it off.",
            )
        )
    return needs


def needs_of(person: Person, *, today: dt.date | None = None) -> list[Need]:
    today = today or timezone.localdate()
    return [*_returns(person, today), *_missing(person)]
