"""The sign-off a person owes, for their home page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person
from aupguard.web.signoff.status import GRACE_DAYS, status_of


def needs_of(person: Person) -> list[Need]:
    if person.account_kind != "person":
        return []
    status = status_of(person)
    if not status.due or status.version is None:
        return []
    again = status.signoff is not None
    return [
        Need(
            title="Sign the policy again" if again else "Read and sign the policy",
            url=reverse("signoff:my-policy"),
            kind="signoff",
            due=status.version.published_at + dt.timedelta(days=GRACE_DAYS),
            detail=f"{status.version.title}, version code {status.version.version_code}",
            urgent=status.overdue,
        )
    ]
