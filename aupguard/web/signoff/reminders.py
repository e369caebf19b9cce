"""Reminder emails to everyone whose signature or training is due or overdue.

A run (`manage.py send_reminders`, daily from cron) works in two steps:

1. `queue_reminders` finds who needs reminding, with one query per trust and policy (never one per
   school or per person), and writes one `Reminder` row per person for the day. The unique
   (person, day) row is what makes a run idempotent: a second run the same day finds the rows and
   queues nobody again.
2. `deliver` sends the queued rows. Each row is claimed (queued -> sending) before its email goes,
   so two workers given the same rows send each email once; a failed send is marked "failed" and
   is retried by the next run that day.

A person is reminded about one thing at most once every `REMIND_EVERY_DAYS`: a campaign that opens
reminds everyone at once, then weekly until they sign. One email carries everything that is due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core import mail
from django.db.models import BooleanField, Exists, OuterRef, Q, Subquery, Value
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from aupguard.web.signoff.actions import do_open_campaign
from aupguard.web.signoff.models import Campaign, Reminder, SignOff, Training
from aupguard.web.signoff.queries import (
    Cohort,
    cohorts_for,
    not_yet_started,
    signed_validly,
    training_not_due,
)
from aupguard.web.signoff.status import signers, signoff_deadline, training_due_on

REMIND_EVERY_DAYS = 7
QUEUE_BATCH = 500


@dataclass(frozen=True)
class Planned:
    """Who one run reminds, before anything is written."""

    person_id: int
    email: str
    campaign: Campaign | None
    signoff_due: dt.datetime | None
    training_due: dt.date | None


def _recently(today: dt.date) -> Q:
    return Q(sent_on__gt=today - dt.timedelta(days=REMIND_EVERY_DAYS)) & ~Q(status=Reminder.Status.FAILED)


def plan_cohort(cohort: Cohort, campaign: Campaign | None, now: dt.datetime) -> Iterator[Planned]:
    """The people of `cohort` to remind on the day of `now`, read in chunks from one query."""
    version = cohort.version
    if version is None:
        return
    today = timezone.localdate(now)
    intervals = cohort.intervals
    people = (
        signers(Person.objects.filter(cohort.where()), today)
        .exclude(not_yet_started(today))
        .exclude(Exists(Reminder.objects.filter(person=OuterRef("pk"), sent_on=today)))
    )
    reminded_to_sign: Exists | Value = (
        Exists(Reminder.objects.filter(_recently(today), person=OuterRef("pk"), campaign=campaign))
        if campaign is not None
        else Value(False, output_field=BooleanField())
    )
    people = people.annotate(
        signed=signed_validly(version, intervals.signoff_days, now),
        reminded_to_sign=reminded_to_sign,
        last_signed=Subquery(
            SignOff.objects.filter(person=OuterRef("pk"), version=version).values("signed_at")[:1]
        ),
    )
    wanted = Q(signed=False, reminded_to_sign=False)
    fields = ["pk", "email", "start_date", "signed", "last_signed"]
    training_days = intervals.training_days
    if training_days is not None:
        people = people.annotate(
            training_fresh=training_not_due(training_days, today),
            reminded_to_train=Exists(
                Reminder.objects.filter(_recently(today), person=OuterRef("pk"), training_due__isnull=False)
            ),
            last_trained=Subquery(
                Training.objects.filter(person=OuterRef("pk"))
                .order_by("-completed_on")
                .values("completed_on")[:1]
            ),
        )
        wanted |= Q(training_fresh=False, reminded_to_train=False)
        fields += ["training_fresh", "last_trained"]
    published_on = timezone.localdate(version.published_at)
    row: dict[str, Any]
    for row in people.filter(wanted).order_by("pk").values(*fields).iterator(chunk_size=2000):
        signoff_due = training_due = None
        if not row["signed"]:
            signoff_due = signoff_deadline(
                version.published_at, row["start_date"], row["last_signed"], intervals.signoff_days
            )
        if training_days is not None and not row["training_fresh"]:
            training_due = training_due_on(
                row["last_trained"], row["start_date"], published_on, training_days
            )
        yield Planned(
            row["pk"], row["email"], campaign if signoff_due is not None else None, signoff_due, training_due
        )


def plan_reminders(now: dt.datetime, *, open_campaigns: bool = False) -> Iterator[Planned]:
    """Everyone to remind today, in every trust. With `open_campaigns`, a current version that has
    no campaign yet in a trust (a trust set up after the version was published) gets one."""
    for trust in Trust.objects.order_by("pk"):
        for cohort in cohorts_for(trust, trust.schools.all(), central=True):
            if cohort.version is None:
                continue
            if open_campaigns:
                campaign: Campaign | None = do_open_campaign(trust, cohort.version)[0]
            else:
                campaign = Campaign.objects.filter(trust=trust, version=cohort.version).first()
            yield from plan_cohort(cohort, campaign, now)


@dataclass(frozen=True)
class Queued:
    reminder_ids: list[int]
    new: int  # rows written by this run; the rest are today's failures to try again


def queue_reminders(now: dt.datetime) -> Queued:
    today = timezone.localdate(now)
    batch: list[Reminder] = []
    new = 0
    # Planned in full before anything is written: no write lands under an open read cursor.
    for planned in list(plan_reminders(now, open_campaigns=True)):
        batch.append(
            Reminder(
                person_id=planned.person_id,
                sent_on=today,
                campaign=planned.campaign,
                signoff_due=planned.signoff_due,
                training_due=planned.training_due,
                to_address=planned.email,
                queued_at=now,
            )
        )
        if len(batch) >= QUEUE_BATCH:
            new += _write(batch)
            batch = []
    new += _write(batch)
    Reminder.objects.filter(sent_on=today, status=Reminder.Status.FAILED).update(
        status=Reminder.Status.QUEUED, error=""
    )
    ids = list(
        Reminder.objects.filter(sent_on=today, status=Reminder.Status.QUEUED)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    return Queued(ids, new)


def _write(batch: list[Reminder]) -> int:
    # A concurrent run may have written some of the same (person, day) rows: theirs stand.
    if not batch:
        return 0
    before = Reminder.objects.filter(sent_on=batch[0].sent_on).count()
    Reminder.objects.bulk_create(batch, ignore_conflicts=True)
    return Reminder.objects.filter(sent_on=batch[0].sent_on).count() - before


# ---------------------------------------------------------------- the email


def site_url() -> str:
    return str(settings.AUPGUARD_BASE_URL).rstrip("/")


def subject_of(reminder: Reminder, today: dt.date) -> str:
    now = timezone.now()
    late = (reminder.signoff_due is not None and reminder.signoff_due < now) or (
        reminder.training_due is not None and reminder.training_due < today
    )
    prefix = "Overdue: " if late else ""
    if reminder.signoff_due is not None and reminder.training_due is not None:
        return f"{prefix}Please sign the acceptable use policy and complete your cyber security training"
    if reminder.signoff_due is not None:
        when = "" if late else f" by {timezone.localtime(reminder.signoff_due):%-d %B %Y}"
        return f"{prefix}Please read and sign the acceptable use policy{when}"
    when = "" if late else f" by {reminder.training_due:%-d %B %Y}"
    return f"{prefix}Please complete your cyber security training{when}"


def message_for(reminder: Reminder) -> mail.EmailMessage:
    today = timezone.localdate()
    person = reminder.person
    subject = subject_of(reminder, today)
    body = render_to_string(
        "signoff/email/reminder.txt",
        {
            "person": person,
            "reminder": reminder,
            "version": reminder.campaign.version if reminder.campaign else None,
            "signoff_late": reminder.signoff_due is not None and reminder.signoff_due < timezone.now(),
            "training_late": reminder.training_due is not None and reminder.training_due < today,
            "sign_url": site_url() + reverse("signoff:my-policy"),
            "training_url": site_url() + reverse("signoff:my-training"),
            "every_days": REMIND_EVERY_DAYS,
        },
    )
    return mail.EmailMessage(
        subject,
        body,
        to=[reminder.to_address],
        # RFC 3834: out-of-office replies are not sent back to an automatic message.
        headers={"Auto-Submitted": "auto-generated"},
    )


@dataclass(frozen=True)
class Delivery:
    sent: int = 0
    failed: int = 0
    skipped: int = 0  # claimed by another worker, or no longer queued

    def as_dict(self) -> dict[str, int]:
        return {"sent": self.sent, "failed": self.failed, "skipped": self.skipped}


def deliver(reminder_ids: list[int]) -> Delivery:
    """Send the queued reminders among `reminder_ids`, each at most once."""
    sent = failed = skipped = 0
    rows = (
        Reminder.objects.filter(pk__in=reminder_ids)
        .select_related("person__school", "campaign__version")
        .defer("campaign__version__source_yaml")
        .order_by("pk")
    )
    with mail.get_connection() as connection:
        for reminder in rows:
            claimed = Reminder.objects.filter(pk=reminder.pk, status=Reminder.Status.QUEUED).update(
                status=Reminder.Status.SENDING
            )
            if not claimed:
                skipped += 1
                continue
            try:
                message = message_for(reminder)
                message.connection = connection
                message.send()
            except Exception as exc:  # one address that fails must not stop the rest
                Reminder.objects.filter(pk=reminder.pk).update(
                    status=Reminder.Status.FAILED, error=f"{type(exc).__name__}: {exc}"[:300]
                )
                failed += 1
                continue
            Reminder.objects.filter(pk=reminder.pk).update(
                status=Reminder.Status.SENT, sent_at=timezone.now(), subject=message.subject[:200]
            )
            sent += 1
    return Delivery(sent, failed, skipped)
