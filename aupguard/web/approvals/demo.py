"""Demo requests for the demo trust (README, "Requests and approvals"): at Wells Primary, which
follows its own policy, Aisha Khan's removable media, one approved by the headteacher James Ward and
one waiting for him; at Ash Primary, Emma Green's exemption waiting for the trust's COO, with no risk
assessment yet, so that approving it is refused until one is recorded."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from aupguard.web.approvals.actions import NewRequest, do_decide_request, do_make_request
from aupguard.web.approvals.models import Request
from aupguard.web.approvals.workflows import day_start, enabled_for
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person

__all__ = ["load"]

# (requester, workflow, scope, details, days, decided by or None)
DEMO_REQUESTS = [
    (
        "a.khan@wells.redbridge.sch.uk",
        "removable_media",
        "Encrypted 32 GB USB drive WPS-USB-014: Year 4 writing samples for moderation at the borough hub",
        "Each term I take our moderation samples to the borough moderation meeting. The hub's computers "
        "cannot reach our network, so I need the encrypted school drive, wiped after each meeting.",
        90,
        "j.ward@wells.redbridge.sch.uk",
    ),
    (
        "a.khan@wells.redbridge.sch.uk",
        "removable_media",
        "SD card from the Year 4 class camera: photos of the Viking day for the corridor display",
        "The class camera stores photos on an SD card; I would like to copy them onto the classroom PC "
        "to print them for the display, then delete them from the card.",
        14,
        None,
    ),
    (
        "e.green@ash.demotrust.org.uk",
        "exemption",
        "WLP-5.7: school data on a personal device",
        "Our Friday music assembly uses a streaming service the hall PC cannot play. I would like to "
        "run it from my own iPad this term, signed in to the school account, with no pupil data on it.",
        60,
        None,
    ),
]


def load(trust: Trust) -> str:
    """Create the demo requests that do not exist yet; running it again creates nothing."""
    made = 0
    skipped: list[str] = []
    for email, workflow_id, scope, details, days, decider_email in DEMO_REQUESTS:
        requester = Person.objects.filter(trust=trust, email=email).first()
        if requester is None:
            skipped.append(f"{email} is not in the directory")
            continue
        if Request.objects.filter(requester=requester, workflow=workflow_id, scope=scope).exists():
            continue
        enabled = enabled_for(requester)
        workflow = enabled.workflows.get(workflow_id)
        if enabled.version is None or workflow is None:
            skipped.append(f"{email}'s policy is not loaded or has no {workflow_id}")
            continue
        today = timezone.now().astimezone(enabled.zone).date()
        new = NewRequest(
            workflow=workflow,
            version=enabled.version,
            details=details,
            scope=scope,
            starts=day_start(today, enabled.zone),
            expires=day_start(today + dt.timedelta(days=days), enabled.zone),
        )
        req = do_make_request(requester, new, actor=None, notify_people=False)
        made += 1
        decider = Person.objects.filter(trust=trust, email=decider_email).first() if decider_email else None
        if decider is not None:
            do_decide_request(
                req,
                approve=True,
                note="Approved for moderation only. Keep it encrypted and wipe it after each meeting.",
                decider=decider,
                actor=None,
                notify_people=False,
            )
    summary = f"{trust.name}: {made} demo request(s) added"
    return summary + (f" ({'; '.join(skipped)})" if skipped else "")
