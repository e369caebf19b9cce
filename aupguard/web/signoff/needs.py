"""The sign-off and the training a person owes, for their home page."""

from __future__ import annotations

import datetime as dt

from django.urls import reverse

from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person
from aupguard.web.signoff.status import start_of_day, status_of, training_status_of


def needs_of(person: Person) -> list[Need]:
    if person.account_kind != "person":
        return []
    needs: list[Need] = []
    status = status_of(person)
    if status.due and status.version is not None:
        again = status.signoff is not None
        needs.append(
            Need(
                title="Sign the policy again" if again else "Read and sign the policy",
                url=reverse("signoff:my-policy"),
                kind="signoff",
                due=status.deadline,
                detail=f"{status.version.title}, version code {status.version.version_code}",
                urgent=status.overdue,
            )
        )
    training = training_status_of(person)
    if training.due and training.due_on is not None:
        needs.append(
            Need(
                title="Do your cyber security training"
                if training.last is None
                else "Renew your cyber security training",
                url=reverse("signoff:my-training"),
                kind="training",
                # The last minute of the last day in time: overdue from the next day, as on its page.
                due=start_of_day(training.due_on + dt.timedelta(days=1)) - dt.timedelta(minutes=1),
                detail=f"Every {training.interval_days} days; record it here once you have done the course",
                urgent=training.overdue,
            )
        )
    return needs
