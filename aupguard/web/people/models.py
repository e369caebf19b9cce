"""People: staff and other adults the policy applies to, their roles per school, and pupils.

People come from the staff directory CSV (DESIGN.md columns) and pupils from the MIS roster. An
import updates what it finds and never deletes: someone no longer in the file is kept and marked
`in_directory=False`, because their records (sign-offs, devices, incidents) must outlive them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models

from aupguard.engine.catalogue import ROLES
from aupguard.engine.people import ACCOUNT_KINDS
from aupguard.web.org.models import School, Trust

ROLE_CHOICES = [(role, role.replace("_", " ")) for role in ROLES]
ACCOUNT_KIND_CHOICES = [(kind, kind.replace("_", " ")) for kind in ACCOUNT_KINDS]


class Person(models.Model):
    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="people")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text="blank for the trust's central team",
    )
    email = models.EmailField(unique=True, help_text="the school address, lower case")
    first_name = models.CharField(max_length=100, blank=True)
    last_name = models.CharField(max_length=100, blank=True)
    account_kind = models.CharField(max_length=20, choices=ACCOUNT_KIND_CHOICES, default="person")
    line_manager = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="reports"
    )
    start_date = models.DateField(null=True, blank=True)
    leave_date = models.DateField(null=True, blank=True, db_index=True)
    personal_email = models.EmailField(blank=True)
    personal_mobile = models.CharField(max_length=32, blank=True)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="person"
    )
    in_directory = models.BooleanField(default=True, help_text="listed by the last directory import")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["last_name", "first_name", "email"]
        indexes = [
            models.Index(fields=["school", "last_name"], name="person_school_name"),
            # The trust-wide list's order, so a deep page of 50,000 people is read, not sorted.
            models.Index(fields=["last_name", "first_name", "email"], name="person_name_order"),
        ]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


class RoleAssignment(models.Model):
    """A role a person holds, in one school or (school blank) across the trust."""

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="role_assignments")
    school = models.ForeignKey(School, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    role = models.CharField(max_length=32, choices=ROLE_CHOICES)

    class Meta:
        # Two partial constraints, not nulls_distinct=False, which SQLite cannot enforce.
        constraints = [
            models.UniqueConstraint(
                fields=["person", "school", "role"],
                condition=models.Q(school__isnull=False),
                name="role_once_per_school",
            ),
            models.UniqueConstraint(
                fields=["person", "role"], condition=models.Q(school__isnull=True), name="role_once_in_trust"
            ),
        ]
        indexes = [models.Index(fields=["role", "school"], name="role_holders")]

    def __str__(self) -> str:
        return f"{self.person} — {self.role}"


class Pupil(models.Model):
    """A pupil as the guards need them: names and contacts, nothing more."""

    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="pupils")
    upn = models.CharField(max_length=13, unique=True)
    first_name = models.CharField(max_length=100)
    last_name = models.CharField(max_length=100)
    preferred_name = models.CharField(max_length=100, blank=True)
    year_group = models.CharField(max_length=20, blank=True)
    contact_emails = models.JSONField(default=list, blank=True)
    in_roster = models.BooleanField(default=True)

    class Meta:
        ordering = ["last_name", "first_name"]

    def __str__(self) -> str:
        return f"{self.first_name} {self.last_name}"


class DirectoryUpload(models.Model):
    """A directory file as uploaded: the preview and the import both read this exact content."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"


class PupilUpload(models.Model):
    """A pupils roster file as uploaded, for one school or (school blank) for the whole trust: the
    preview and the import both read this exact content."""

    trust = models.ForeignKey(Trust, on_delete=models.CASCADE, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        help_text="the school whose roster this is; blank for a trust-wide file naming each pupil's school",
    )
    file_name = models.CharField(max_length=200)
    content = models.BinaryField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)
    applied_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.file_name} ({self.uploaded_at:%Y-%m-%d %H:%M})"
