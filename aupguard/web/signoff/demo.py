"""Demo sign-off data: a campaign for each policy the demo trust follows, and some training records."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.utils import timezone

from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from aupguard.web.signoff.actions import do_open_campaign, do_record_training
from aupguard.web.signoff.queries import cohorts_for

# (email of the person trained, days ago, course, provider, evidence, email of whoever recorded it)
DEMO_TRAINING = [
    (
        "e.green@ash.demotrust.org.uk",
        40,
        "NCSC Cyber Security Training for School Staff",
        "National Cyber Security Centre",
        "certificate NCSC-STAFF-20417",
        "e.green@ash.demotrust.org.uk",
    ),
    (
        "m.wilson@ash.demotrust.org.uk",
        300,
        "Phishing awareness: staff INSET",
        "Trust IT team",
        "INSET attendance list, autumn term",
        "k.oconnor@ash.demotrust.org.uk",
    ),
    (
        "a.khan@wells.redbridge.sch.uk",
        20,
        "NCSC Cyber Security Training for School Staff",
        "National Cyber Security Centre",
        "",
        "t.osei@wells.redbridge.sch.uk",
    ),
]


def load(trust: Trust) -> str:
    """Open the campaigns of the trust's current policy versions and record the demo training
    (idempotent: a second run creates nothing)."""
    opened = 0
    for cohort in cohorts_for(trust, trust.schools.all(), central=True):
        if cohort.version is not None:
            opened += do_open_campaign(trust, cohort.version)[1]
    recorded = 0
    today = timezone.localdate()
    people = {p.email: p for p in Person.objects.filter(trust=trust).select_related("user", "school")}
    for email, days_ago, course, provider, evidence, recorder in DEMO_TRAINING:
        person, by = people.get(email), people.get(recorder)
        if person is None or by is None or not isinstance(by.user, User):
            continue
        completed_on = today - dt.timedelta(days=days_ago)
        if person.trainings.filter(course=course).exists():
            continue
        do_record_training(
            person,
            course=course,
            completed_on=completed_on,
            provider=provider,
            evidence=evidence,
            actor=by.user,
        )
        recorded += 1
    return f"sign-off: {opened} campaign(s) opened, {recorded} training record(s) added"
