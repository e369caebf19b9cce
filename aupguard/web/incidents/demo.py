"""Demo incidents for the demo trust: an inappropriate site opened at Ash, a phishing email at Birch,
and an email sent to the wrong parent at Ash whose breach record is open, its ICO clock started three
hours before the demo was loaded.

Made through the real actions, so the audit log has them too; no email is sent. Running it again
finds what it made the first time (by reporter, kind and text) and creates nothing.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from aupguard.web.incidents.actions import do_open_breach, do_report_incident
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person

ASH_TEACHER = "e.green@ash.demotrust.org.uk"
ASH_LEAVER = "t.hughes@ash.demotrust.org.uk"
BIRCH_TEACHER = "j.cole@birch.demotrust.org.uk"
TRUST_DPL = "d.reid@demotrust.org.uk"

SITE = (
    "Searching for times-tables games for Year 4 on the classroom laptop, the third result opened a "
    "casino page full of adverts. The class could see the board."
)
PHISH = (
    'An email "from Microsoft 365" said my mailbox was full and asked me to sign in through a link. '
    'The sender was micros0ft-support@mailbox-help.example and the subject was "Action required".'
)
MISSENT = (
    "I emailed a Year 5 pupil's end-of-term report to the wrong parent: the address autocompleted to "
    "another family with the same surname. The report has the pupil's attendance and SEN support notes."
)


def _minute(moment: dt.datetime) -> dt.datetime:
    return moment.replace(second=0, microsecond=0)


def _existing(reporter: Person, kind: str, text: str) -> Incident | None:
    return Incident.objects.filter(reporter=reporter, kind=kind, what_happened=text).first()


@transaction.atomic
def load(trust: Trust) -> str:
    people = {
        p.email: p
        for p in Person.objects.filter(
            trust=trust, email__in=[ASH_TEACHER, ASH_LEAVER, BIRCH_TEACHER, TRUST_DPL]
        )
    }
    if len(people) < 4:
        return "incidents: the demo people are not in this trust; no demo incidents"
    now = _minute(timezone.now())
    made = 0
    emma, tom, jamie, dpl = (people[e] for e in (ASH_TEACHER, ASH_LEAVER, BIRCH_TEACHER, TRUST_DPL))
    if _existing(emma, "inappropriate_site_accessed", SITE) is None:
        do_report_incident(
            emma,
            "inappropriate_site_accessed",
            occurred_at=now - dt.timedelta(days=2, hours=1),
            what_happened=SITE,
            fields={
                "web_address": "http://free-spins-casino.example/",
                "action_taken": "Closed the page at once and did not click anything. "
                "Told Mark Wilson at break.",
            },
            reported_at=now - dt.timedelta(days=2),
            notify_people=False,
        )
        made += 1
    if _existing(jamie, "phishing", PHISH) is None:
        do_report_incident(
            jamie,
            "phishing",
            occurred_at=now - dt.timedelta(days=1, minutes=20),
            what_happened=PHISH,
            fields={"action_taken": "Did not click the link or reply. Reported it, then deleted it."},
            reported_at=now - dt.timedelta(days=1),
            notify_people=False,
        )
        made += 1
    missent = _existing(tom, "misdirected_email", MISSENT)
    if missent is None:
        missent = do_report_incident(
            tom,
            "misdirected_email",
            occurred_at=now - dt.timedelta(hours=3, minutes=25),
            what_happened=MISSENT,
            fields={
                "personal_data": Incident.PersonalData.YES,
                "action_taken": "Emailed the parent asking them to delete it and confirm; no reply yet.",
            },
            reported_at=now - dt.timedelta(hours=3),
            notify_people=False,
        )
        made += 1
    if not Breach.objects.filter(incident=missent).exists():
        do_open_breach(missent, missent.reported_at, actor=dpl, notify_people=False)
        made += 1
    breach = Breach.objects.get(incident=missent)
    deadline = timezone.localtime(breach.deadline).strftime("%d %b %H:%M")
    if not made:
        return (
            f"incidents: demo incidents already loaded (breach {breach.reference}, ICO deadline {deadline})"
        )
    return f"incidents: {made} demo records made; breach {breach.reference} is open, ICO deadline {deadline}"
