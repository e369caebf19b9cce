"""Sign-offs, cyber-security training, sign-off campaigns and the reminders they send.

A sign-off points at the version's content hash (through PolicyVersion), never at "the policy": a
new version needs a new signature, and an old signature always says what was signed. Training is
recorded the same way: who completed what, when, on whose word, and never edited afterwards.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone

from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion


class SignOff(models.Model):
    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="signoffs")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="signoffs")
    signed_at = models.DateTimeField(default=timezone.now)
    typed_name = models.CharField(max_length=200, help_text="the name the person typed to sign")

    class Meta:
        ordering = ["-signed_at"]
        constraints = [models.UniqueConstraint(fields=["person", "version"], name="signoff_once_per_version")]
        indexes = [models.Index(fields=["version", "person"], name="signoff_version_person")]

    def __str__(self) -> str:
        return f"{self.person} signed {self.version} on {self.signed_at:%Y-%m-%d}"


class Training(models.Model):
    """A cyber-security training course a person completed (DESIGN.md register `training`)."""

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="trainings")
    course = models.CharField("course name", max_length=200)
    completed_on = models.DateField()
    provider = models.CharField(max_length=200, blank=True, help_text="who ran the course")
    evidence = models.CharField(
        max_length=300, blank=True, help_text="a certificate number, or where the evidence is kept"
    )
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-completed_on", "-recorded_at"]
        constraints = [
            # One course on one day once: a second click or a keeper recording what the person already
            # recorded is a duplicate, not a second training.
            models.UniqueConstraint(
                fields=["person", "course", "completed_on"], name="training_once_per_course_and_day"
            )
        ]
        indexes = [models.Index(fields=["person", "-completed_on"], name="training_person_latest")]

    def __str__(self) -> str:
        return f"{self.person}: {self.course} on {self.completed_on:%Y-%m-%d}"


class Campaign(models.Model):
    """Collecting signatures for one published version in one trust, with the reminders it sends.

    Opened when the version is published (`load_packs`) for every trust whose schools follow the
    pack; it is superseded, not closed, when a newer version of the pack is published.
    """

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="signoff_campaigns")
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="campaigns")
    opened_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-opened_at", "-pk"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "version"], name="campaign_once_per_trust_version")
        ]

    def __str__(self) -> str:
        return f"{self.trust}: sign-off of {self.version}"


class Reminder(models.Model):
    """One reminder email to one person on one day, about their sign-off, their training or both.

    The row is written before the email is sent ("queued"), claimed by the sender ("sending") and
    marked "sent" or "failed": at most one email per person per day, even if the run is repeated or
    two workers pick up the same batch.
    """

    class Status(models.TextChoices):
        QUEUED = "queued", "queued"
        SENDING = "sending", "sending"
        SENT = "sent", "sent"
        FAILED = "failed", "failed"

    person = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="reminders")
    sent_on = models.DateField(help_text="the day of the run, in the trust's time zone")
    campaign = models.ForeignKey(
        Campaign,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reminders",
        help_text="the sign-off campaign, when the reminder asks for a signature",
    )
    signoff_due = models.DateTimeField(
        null=True, blank=True, help_text="when the signature is due; blank if the reminder is not about it"
    )
    training_due = models.DateField(
        null=True, blank=True, help_text="when training is due; blank if the reminder is not about it"
    )
    to_address = models.EmailField()
    subject = models.CharField(max_length=200, blank=True)
    status = models.CharField(max_length=8, choices=Status.choices, default=Status.QUEUED)
    queued_at = models.DateTimeField(default=timezone.now)
    sent_at = models.DateTimeField(null=True, blank=True)
    error = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ["-sent_on", "-pk"]
        constraints = [models.UniqueConstraint(fields=["person", "sent_on"], name="reminder_once_a_day")]
        indexes = [
            models.Index(fields=["campaign", "sent_on"], name="reminder_campaign_day"),
            models.Index(fields=["sent_on", "status"], name="reminder_day_status"),
        ]

    def __str__(self) -> str:
        return f"reminder to {self.to_address} on {self.sent_on:%Y-%m-%d} ({self.status})"
