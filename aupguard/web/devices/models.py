"""The asset register: school devices, who holds each, and how each came back.

A device is issued to one person at a time; its history (issued, returned, lost, stolen, disposed) is
kept as events, never overwritten, so that "who had this laptop in March" has an answer after it has
been reissued. A return is recorded with seed 000's Returned Device Form: condition, data wiped,
received by, date.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person


class Device(models.Model):
    class Kind(models.TextChoices):
        LAPTOP = "laptop", "laptop"
        TABLET = "tablet", "tablet"
        PHONE = "phone", "mobile phone"
        DESKTOP = "desktop", "desktop computer"
        REMOVABLE_MEDIA = "removable_media", "removable media (USB drive, disk)"
        CAMERA = "camera", "camera"
        OTHER = "other", "other"

    class Status(models.TextChoices):
        IN_STOCK = "in_stock", "in stock"
        ISSUED = "issued", "issued"
        LOST = "lost", "lost"
        STOLEN = "stolen", "stolen"
        DISPOSED = "disposed", "disposed of"

    trust = models.ForeignKey(Trust, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(
        School,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="devices",
        help_text="blank: central",
    )
    asset_tag = models.CharField(max_length=64, help_text="the label on the device")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    make_model = models.CharField("make and model", max_length=200, blank=True)
    serial_number = models.CharField(max_length=100, blank=True)
    encrypted = models.BooleanField(default=False, help_text="storage encrypted (BitLocker, FileVault ...)")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.IN_STOCK)
    holder = models.ForeignKey(
        Person, on_delete=models.PROTECT, null=True, blank=True, related_name="devices"
    )
    issued_on = models.DateField(null=True, blank=True)
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["asset_tag"]
        constraints = [
            models.UniqueConstraint(fields=["trust", "asset_tag"], name="asset_tag_unique_in_trust"),
            models.CheckConstraint(
                condition=models.Q(status="issued", holder__isnull=False)
                | (~models.Q(status="issued") & models.Q(holder__isnull=True)),
                name="device_holder_only_when_issued",
            ),
        ]
        indexes = [models.Index(fields=["school", "status"], name="device_school_status")]

    def __str__(self) -> str:
        return f"{self.asset_tag} ({self.get_kind_display()})"


class DeviceEvent(models.Model):
    """One thing that happened to a device; the Returned Device Form's fields on a return."""

    class Kind(models.TextChoices):
        ADDED = "added", "added to the register"
        ISSUED = "issued", "issued"
        RETURNED = "returned", "returned"
        LOST = "lost", "reported lost"
        STOLEN = "stolen", "reported stolen"
        FOUND = "found", "found"
        DISPOSED = "disposed", "disposed of"

    class Condition(models.TextChoices):
        GOOD = "good", "good working order"
        DAMAGED = "damaged", "damaged"
        FAULTY = "faulty", "faulty"
        INCOMPLETE = "incomplete", "incomplete (charger or parts missing)"

    device = models.ForeignKey(Device, on_delete=models.PROTECT, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    person = models.ForeignKey(
        Person,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="the holder concerned",
    )
    on = models.DateField(default=timezone.localdate)
    condition = models.CharField(max_length=12, choices=Condition.choices, blank=True)
    data_wiped = models.BooleanField(null=True, blank=True)
    received_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    notes = models.TextField(blank=True)
    recorded_by = models.ForeignKey(Person, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self) -> str:
        return f"{self.device} {self.kind} on {self.on}"


#: The state machine: each change, the statuses it may start from and the status it leaves. A device
#: being issued is never lost from the register: it can only be returned or reported missing, so a
#: disposal always follows a return (and its Returned Device Form) or a loss.
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    DeviceEvent.Kind.ISSUED: ((Device.Status.IN_STOCK,), Device.Status.ISSUED),
    DeviceEvent.Kind.RETURNED: ((Device.Status.ISSUED,), Device.Status.IN_STOCK),
    DeviceEvent.Kind.LOST: ((Device.Status.IN_STOCK, Device.Status.ISSUED), Device.Status.LOST),
    DeviceEvent.Kind.STOLEN: ((Device.Status.IN_STOCK, Device.Status.ISSUED), Device.Status.STOLEN),
    DeviceEvent.Kind.FOUND: ((Device.Status.LOST, Device.Status.STOLEN), Device.Status.IN_STOCK),
    DeviceEvent.Kind.DISPOSED: (
        (Device.Status.IN_STOCK, Device.Status.LOST, Device.Status.STOLEN),
        Device.Status.DISPOSED,
    ),
}


def allowed_changes(status: str) -> list[str]:
    """The changes a device in `status` may go through, in the order the device page offers them."""
    return [kind for kind, (sources, _) in TRANSITIONS.items() if status in sources]
