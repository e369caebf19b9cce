"""Requests and approvals: every workflow a pack enables (DESIGN.md, "Workflows and registers").

A request is routed to whoever holds the pack's approving role for its workflow in the requester's
school (or across the trust), and remembers the exact pack version and clause it was made under, so
that an approval always says which rule allowed what. An approved request has a scope and a period;
the guards read approved, unexpired, unrevoked requests as a snapshot (engine/approvals.py).
"""

from __future__ import annotations

import datetime as dt
from typing import ClassVar

from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from aupguard.engine.catalogue import WORKFLOWS
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import ROLE_CHOICES, Person
from aupguard.web.policies.models import PolicyVersion

WORKFLOW_CHOICES = [(w, w.replace("_", " ")) for w in WORKFLOWS]


class Request(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "waiting for a decision"
        APPROVED = "approved", "approved"
        REJECTED = "rejected", "rejected"
        REVOKED = "revoked", "revoked"
        WITHDRAWN = "withdrawn", "withdrawn by the requester"

    #: The only changes of status there are; anything else is refused (STYLE: no loose state machines).
    #: Expiry is not a status: an approval is expired when its period is over (`state`).
    TRANSITIONS: ClassVar[dict[str, frozenset[str]]] = {
        Status.PENDING: frozenset({Status.APPROVED, Status.REJECTED, Status.WITHDRAWN}),
        Status.APPROVED: frozenset({Status.REVOKED}),
        Status.REJECTED: frozenset(),
        Status.REVOKED: frozenset(),
        Status.WITHDRAWN: frozenset(),
    }

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, null=True, blank=True, related_name="+", help_text="the requester's"
    )
    workflow = models.CharField(max_length=40, choices=WORKFLOW_CHOICES)
    requester = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="requests_made")
    subject = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="requests_about",
        help_text="the person the request is about: whose mailbox, which leaver",
    )
    version = models.ForeignKey(PolicyVersion, on_delete=models.PROTECT, related_name="+")
    clause_id = models.CharField(max_length=32, help_text="the clause that enables this workflow")
    approver_role = models.CharField(max_length=32, choices=ROLE_CHOICES)
    scope = models.CharField(
        max_length=300, blank=True, help_text="what within the workflow: a site's domain, a mailbox, a device"
    )
    details = models.TextField(help_text="what is asked for and why")
    starts = models.DateTimeField(default=timezone.now)
    expires = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING)
    decided_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="decisions"
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)
    revoked_by = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="revocations"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoke_reason = models.TextField(blank=True)
    dpia_reference = models.CharField(max_length=200, blank=True, help_text="where the workflow needs a DPIA")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # Issue 5: requester and approver are never the same person, whatever a view forgets.
            models.CheckConstraint(
                condition=Q(decided_by__isnull=True) | ~Q(decided_by=F("requester")),
                name="request_not_decided_by_requester",
            ),
            models.CheckConstraint(condition=Q(expires__gt=F("starts")), name="request_ends_after_it_starts"),
            # A revocation is a decision about the requester's approval too.
            models.CheckConstraint(
                condition=Q(revoked_by__isnull=True) | ~Q(revoked_by=F("requester")),
                name="request_not_revoked_by_requester",
            ),
            # An approval, a refusal or a revocation always says who made it and when: it is evidence.
            models.CheckConstraint(
                condition=~Q(status__in=["approved", "rejected", "revoked"])
                | Q(decided_by__isnull=False, decided_at__isnull=False),
                name="request_decision_recorded",
            ),
            models.CheckConstraint(
                condition=~Q(status="revoked")
                | (Q(revoked_by__isnull=False, revoked_at__isnull=False) & ~Q(revoke_reason="")),
                name="request_revocation_recorded",
            ),
        ]
        indexes = [
            models.Index(fields=["status", "approver_role", "school"], name="request_routing"),
            models.Index(fields=["requester", "-created_at"], name="request_by_requester"),
            models.Index(fields=["status", "workflow", "expires"], name="request_snapshot"),
        ]

    def __str__(self) -> str:
        return f"{self.get_workflow_display()} for {self.requester} ({self.status})"

    def is_in_force(self, at: dt.datetime | None = None) -> bool:
        now = at or timezone.now()
        return self.status == self.Status.APPROVED and self.starts <= now < self.expires

    def can_become(self, status: str) -> bool:
        return status in self.TRANSITIONS[self.status]

    @property
    def first_day(self) -> dt.date:
        return timezone.localtime(self.starts).date()

    @property
    def last_day(self) -> dt.date:
        """The last day covered: a period ends at midnight, at the start of the day after."""
        return timezone.localtime(self.expires - dt.timedelta(microseconds=1)).date()

    @property
    def reference(self) -> str:
        """The id people and guards quote: "R-17" (the snapshot's `id`)."""
        return f"R-{self.pk}"

    def state(self, at: dt.datetime | None = None) -> str:
        """The status as a person reads it, with time taken into account: an approval whose period
        is over reads "expired", one not yet started "approved, not started"."""
        now = at or timezone.now()
        if self.status == self.Status.APPROVED:
            if now >= self.expires:
                return "expired"
            if now < self.starts:
                return "approved, not started"
            return "approved"
        if self.status == self.Status.PENDING and now >= self.expires:
            return "period over without a decision"
        return self.get_status_display()


class RiskAssessment(models.Model):
    """The risk assessment an exemption cannot be approved without (DESIGN.md: `exemption`)."""

    class Level(models.TextChoices):
        LOW = "low", "low"
        MEDIUM = "medium", "medium"
        HIGH = "high", "high"

    request = models.OneToOneField(Request, on_delete=models.CASCADE, related_name="risk_assessment")
    likelihood = models.CharField(max_length=8, choices=Level.choices)
    impact = models.CharField(max_length=8, choices=Level.choices)
    mitigations = models.TextField()
    residual_risk = models.CharField(max_length=8, choices=Level.choices)
    assessed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    assessed_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"risk assessment of {self.request}: residual {self.residual_risk}"
