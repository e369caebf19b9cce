"""Emails: the people the pack names hear of a new incident, the school's DPLs of a new breach.

A message says what kind, where and when, and links to the page; what happened stays behind the
sign-in, because an email leaves the school's control (forwarded, misdirected, read on a phone). A
mail server that is down must not lose a report already saved: failures are logged, not raised.
"""

from __future__ import annotations

import datetime as dt
import logging
import smtplib
from collections.abc import Iterable

from django.core.mail import EmailMessage, get_connection
from django.utils import dateformat, timezone

from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.people.models import Person

logger = logging.getLogger(__name__)


def when(moment: dt.datetime) -> str:
    """'Mon 27 Oct 2025, 11:00 GMT': the zone is named, since a deadline can fall across a clock change."""
    return dateformat.format(timezone.localtime(moment), "D j M Y, H:i T")


def place(incident: Incident) -> str:
    return incident.school.name if incident.school is not None else "the trust's central team"


def _send(subject: str, body: str, people: Iterable[Person]) -> list[str]:
    addresses = sorted({person.email for person in people if person.email})
    messages = [EmailMessage(subject=subject, body=body, to=[address]) for address in addresses]
    if messages:
        try:
            get_connection().send_messages(messages)
        except (OSError, smtplib.SMTPException):
            logger.exception("could not send %r to %d people", subject, len(messages))
    return addresses


def incident_reported(incident: Incident, people: Iterable[Person], link: str) -> list[str]:
    label = incident.get_kind_display()
    body = (
        f"{incident.reporter} reported a {label} at {place(incident)} "
        f"on {when(incident.reported_at)} ({incident.reference}).\n\n"
        f"Read the report and take it on: {link}\n\n"
        "You are told because your policy routes this kind of incident to your role.\n"
    )
    return _send(f"New incident at {place(incident)}: {label}", body, people)


def breach_opened(breach: Breach, people: Iterable[Person], link: str) -> list[str]:
    incident = breach.incident
    body = (
        f"{breach.opened_by} opened a personal data breach record ({breach.reference}) for "
        f"{incident.reference} at {place(incident)}.\n\n"
        f"The school became aware on {when(breach.aware_at)}. Unless the breach is unlikely to result "
        f"in a risk to people's rights and freedoms, report it to the ICO by {when(breach.deadline)} "
        f"({breach.report_hours} hours). Record the decision either way.\n\n"
        f"Breach record: {link}\n"
    )
    return _send(
        f"Personal data breach at {place(incident)}: report by {when(breach.deadline)}", body, people
    )
