"""The registers a person keeps, as links for their home page: each app's own permission lookup decides,
so a link is shown exactly when the page behind it would open."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse

from aupguard.web.devices.access import keeping_of as devices_kept_by
from aupguard.web.incidents.access import breach_schools, incident_register
from aupguard.web.leavers.access import oversight_of
from aupguard.web.monitoring.access import may_monitor
from aupguard.web.people.access import User, roster_schools
from aupguard.web.people.models import Person
from aupguard.web.signoff.access import keeping_of as signoffs_kept_by


@dataclass(frozen=True)
class Register:
    title: str
    url: str
    detail: str


def registers_of(user: User, person: Person) -> list[Register]:
    kept: list[Register] = []
    if signoffs_kept_by(person):
        kept.append(
            Register("Sign-off and training", reverse("signoff:dashboard"), "who has signed, who is overdue")
        )
        kept.append(
            Register("Sign-off campaigns", reverse("signoff:campaign-list"), "reminders sent per version")
        )
    if incident_register(person) is not None:
        kept.append(Register("Incidents", reverse("incidents:register"), "reported incidents you handle"))
    schools, central = breach_schools(person)
    if schools or central:
        kept.append(Register("Data breaches", reverse("incidents:breach-register"), "the 72-hour ICO clock"))
    if devices_kept_by(person):
        kept.append(Register("Devices", reverse("devices:device-list"), "the asset register"))
    if oversight_of(person).may_list():
        kept.append(Register("Leavers", reverse("leavers:leaver-list"), "checklists for people leaving"))
    if roster_schools(user).exists():
        kept.append(Register("Pupils", reverse("people:pupils"), "the roster the guards read"))
    if may_monitor(user):
        kept.append(
            Register("Monitoring", reverse("monitoring:summary"), "what the email and web guards found")
        )
    return kept
