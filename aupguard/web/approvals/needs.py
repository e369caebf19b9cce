"""What the approvals register asks of a person, for their home page: requests waiting for their
decision, their own approvals about to end, and requests nobody can decide that they can unblock."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from aupguard.web.approvals import queries
from aupguard.web.approvals.workflows import label_of
from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person

__all__ = ["EXPIRY_NOTICE_DAYS", "needs_of"]

#: How long before an approval ends its holder is reminded to ask again.
EXPIRY_NOTICE_DAYS = 7


def needs_of(person: Person) -> list[Need]:
    now = timezone.now()
    needs = [
        Need(
            title=f"Decide {req.requester}'s request: {label_of(req.workflow).lower()}",
            url=reverse("approvals:request-detail", args=[req.pk]),
            kind="approval",
            # The requester needs an answer by the end of the first day they asked for.
            due=req.starts + dt.timedelta(days=1),
            detail=f"{req.reference}{f' · {req.scope}' if req.scope else ''}",
            urgent=now >= req.starts + dt.timedelta(days=1),
        )
        for req in queries.waiting_for(person, now)
    ]
    needs += [
        Need(
            title=f"Your approval ends soon: {label_of(req.workflow).lower()}",
            url=reverse("approvals:request-detail", args=[req.pk]),
            kind="approval",
            due=req.expires,
            detail=f"{req.reference}: last day {date_format(req.last_day, 'j F Y')}. "
            "Ask again before then if you still need it.",
            urgent=req.expires - now <= dt.timedelta(days=1),
        )
        for req in queries.expiring_for(person, now, EXPIRY_NOTICE_DAYS)
    ]
    needs += [
        Need(
            title=f"Nobody can decide {req.requester}'s request: no {req.approver_role.replace('_', ' ')} "
            f"for {req.school or req.trust}",
            url=reverse("people:list"),
            kind="approval",
            due=req.starts,
            detail=f"{req.reference}: give someone the role in the staff directory and it goes to them.",
            urgent=True,
        )
        for req in queries.unrouted_for(person, now)
    ]
    return needs
