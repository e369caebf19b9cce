"""Requests and approvals: every workflow a pack enables (DESIGN.md, "Workflows and registers").

A request is routed to whoever holds the pack's approving role for its workflow in the requester's
school (or across the trust), and remembers the exact pack version and clause it was made under, so
that an approval always says which rule allowed what. An approved request has a scope and a period;
the guards read approved, unexpired, unrevoked requests as a snapshot (engine/approvals.py).
"""

from __future__ import annotations

import datetime as dt

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
