"""Sign-offs: a person read and signed one exact version of their school's policy.

A sign-off points at the version's content hash (through PolicyVersion), never at "the policy": a
new version needs a new signature, and an old signature always says what was signed.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

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
