from __future__ import annotations

from django.db import models


class Trust(models.Model):
    """A multi-academy trust, a federation, or a single school standing alone."""

    name = models.CharField(max_length=200)
    slug = models.SlugField(unique=True)
    pack_id = models.CharField(max_length=64, help_text="the policy pack the trust's schools follow")

    def __str__(self) -> str:
        return self.name


class School(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="schools")
    name = models.CharField(max_length=200)
    slug = models.SlugField()
    pack_id = models.CharField(
        max_length=64, blank=True, help_text="a pack of its own; blank to follow the trust's"
    )

    class Meta:
        constraints = [models.UniqueConstraint(fields=["trust", "slug"], name="school_slug_unique_in_trust")]
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    @property
    def effective_pack_id(self) -> str:
        return self.pack_id or self.trust.pack_id
