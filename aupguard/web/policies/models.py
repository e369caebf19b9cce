from __future__ import annotations

from django.db import models
from django.utils import timezone


class PolicyVersion(models.Model):
    """One published version of a policy pack, stored exactly as written.

    A new version never edits an old one: sign-offs point at the exact version (its sha256) that
    was read and signed. Publishing content whose hash is already stored is a no-op.
    """

    pack_id = models.CharField(max_length=64, db_index=True)
    sha256 = models.CharField(max_length=64, unique=True)
    organisation = models.CharField(max_length=200)
    title = models.CharField(max_length=200)
    policy_version = models.CharField(max_length=64)
    review_date = models.DateField(null=True, blank=True)
    clause_count = models.PositiveIntegerField()
    source_yaml = models.TextField(help_text="the pack file as published")
    published_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["pack_id", "-published_at"]
        indexes = [models.Index(fields=["pack_id", "-published_at"], name="policyversion_latest")]

    def __str__(self) -> str:
        return f"{self.pack_id} {self.policy_version} ({self.version_code})"

    @property
    def version_code(self) -> str:
        return self.sha256[:12]
