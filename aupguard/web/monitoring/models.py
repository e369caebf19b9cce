"""What the guards found, as the registers keep it (DESIGN.md, "Oversight": every finding a guard
raises lands here as an event that can be triaged into an incident).

Events come from the guards' own files (the relay's events file, `aupguard scan squid-log --json`), so
that a guard never waits for the web application. Monitoring data is seen only by the roles the pack
names (`settings.monitoring_viewers`), and every look at it is recorded with a reason (the
`monitoring_access` register).
"""

from __future__ import annotations

from django.db import models

from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person


class GuardEvent(models.Model):
    class Source(models.TextChoices):
        EMAIL = "email", "email guard"
        WEB = "web", "web guard"
        AI = "ai", "AI text check"

    class Status(models.TextChoices):
        NEW = "new", "not looked at"
        DISMISSED = "dismissed", "dismissed"
        INCIDENT = "incident", "opened as an incident"

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    person = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="guard_events"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    at = models.DateTimeField(help_text="when it happened (the first time, for a count)")
    last_at = models.DateTimeField(null=True, blank=True)
    count = models.PositiveIntegerField(default=1)
    check_id = models.CharField("check", max_length=64)
    clause = models.CharField(max_length=32, blank=True)
    action = models.CharField(max_length=8)
    who = models.CharField(max_length=254, help_text="the user or sender as the guard saw them")
    where = models.CharField(max_length=500, blank=True, help_text="the site, or the part of the message")
    evidence = models.CharField(max_length=500, blank=True, help_text="redacted by the engine")
    ref = models.CharField(max_length=100, blank=True, help_text="the relay's message id")
    pack_id = models.CharField(max_length=64)
    pack_sha256 = models.CharField(max_length=64, blank=True)
    key = models.CharField(max_length=64, help_text="a hash of the event, so ingesting twice adds nothing")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW)
    status_note = models.TextField(blank=True)
    status_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    status_at = models.DateTimeField(null=True, blank=True)
    ingested_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-at", "-id"]
        constraints = [models.UniqueConstraint(fields=["trust", "key"], name="guard_event_once")]
        indexes = [
            # With the id: the lists' order is (-at, -id), read from the index rather than sorted.
            models.Index(fields=["school", "-at", "-id"], name="guard_event_school_at"),
            models.Index(fields=["trust", "-at", "-id"], name="guard_event_trust_at"),
            models.Index(fields=["person", "-at"], name="guard_event_person_at"),
            models.Index(fields=["school", "check_id", "-at"], name="guard_event_school_check"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.check_id} {self.who}"


class GuardEventDay(models.Model):
    """Events counted per school, check and day, kept by every ingest: the summary of a large trust
    reads a few thousand of these rather than grouping a million events on every look."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    check_id = models.CharField("check", max_length=64)
    day = models.DateField(help_text="in the site's time zone")
    events = models.PositiveIntegerField()
    times = models.PositiveBigIntegerField(help_text="events weighted by their counts")

    class Meta:
        indexes = [models.Index(fields=["trust", "day"], name="guard_event_day_trust")]

    def __str__(self) -> str:
        return f"{self.day} {self.school_id} {self.check_id}: {self.events}"
