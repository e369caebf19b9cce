"""What happens to a device: each change of status with the event that records it, in one transaction.

Views and other registers (a lost-device incident) change devices only through these functions, so
that the status, the holder and the history can never disagree, and every change is in the audit log.
The allowed changes are the `TRANSITIONS` table in models.py; each function locks the device's row
first, so two people recording a change at the same moment cannot both succeed.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction

from aupguard.web.audit.log import record
from aupguard.web.devices.models import TRANSITIONS, Device, DeviceEvent
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person

__all__ = [
    "DeviceStateError",
    "add_device",
    "dispose",
    "found",
    "issue",
    "mark_missing",
    "return_device",
]


class DeviceStateError(Exception):
    """A change the device's current status does not allow (returning a device nobody holds)."""


def _event(device: Device, kind: str, by: Person | None, on: dt.date, **fields: Any) -> DeviceEvent:
    return DeviceEvent.objects.create(device=device, kind=kind, recorded_by=by, on=on, **fields)


def _audit(device: Device, kind: str, by: Person | None, summary: str, **details: Any) -> None:
    record(
        by.user if by is not None else None,
        f"device.{kind}",
        "device",
        device.pk,
        school=device.school,
        summary=summary,
        # The recorder by address too: a person without a sign-in (an import, a script) is still named.
        details={"asset_tag": device.asset_tag, "recorded_by": by.email if by else "", **details},
    )


def _change(
    device: Device, kind: str, *, to: Person | None = None, on: dt.date | None = None
) -> tuple[Person | None, str]:
    """Move `device` (locked and re-read) to the status `kind` leads to, held by `to` when that is
    "issued"; returns the holder it had and the status it came from. The caller's object is updated."""
    sources, target = TRANSITIONS[kind]
    current = Device.objects.select_for_update().get(pk=device.pk)
    if current.status not in sources:
        label = DeviceEvent.Kind(kind).label
        raise DeviceStateError(f"{current.asset_tag} is {current.get_status_display()}: it cannot be {label}")
    holder = current.holder
    device.status = target
    device.holder, device.issued_on = (to, on) if target == Device.Status.ISSUED else (None, None)
    device.save(update_fields=["status", "holder", "issued_on", "updated_at"])
    return holder, current.status


@transaction.atomic
def add_device(
    trust: Trust,
    *,
    school: School | None,
    asset_tag: str,
    kind: str,
    make_model: str = "",
    serial_number: str = "",
    encrypted: bool = False,
    notes: str = "",
    by: Person | None,
    on: dt.date,
) -> Device:
    """A new device in stock. The asset tag is unique in the trust (the database says so too)."""
    device = Device.objects.create(
        trust=trust,
        school=school,
        asset_tag=asset_tag,
        kind=kind,
        make_model=make_model,
        serial_number=serial_number,
        encrypted=encrypted,
        notes=notes,
    )
    _event(device, DeviceEvent.Kind.ADDED, by, on, notes=notes)
    where = school.name if school else "the trust's central team"
    _audit(device, "add", by, f"{device} added to the register for {where}", device_kind=kind)
    return device


@transaction.atomic
def issue(device: Device, to: Person, *, by: Person | None, on: dt.date, notes: str = "") -> DeviceEvent:
    _change(device, DeviceEvent.Kind.ISSUED, to=to, on=on)
    _audit(device, "issue", by, f"{device} issued to {to.email}", to=to.email, on=on.isoformat())
    return _event(device, DeviceEvent.Kind.ISSUED, by, on, person=to, notes=notes)


@transaction.atomic
def return_device(
    device: Device,
    *,
    by: Person | None,
    on: dt.date,
    condition: str,
    data_wiped: bool,
    received_by: Person,
    notes: str = "",
) -> DeviceEvent:
    """Seed 000's Returned Device Form: condition, data wiped, received by, date."""
    holder, _ = _change(device, DeviceEvent.Kind.RETURNED)
    _audit(
        device,
        "return",
        by,
        f"{device} returned by {holder.email if holder else 'its holder'}, received by {received_by.email}",
        by_holder=holder.email if holder else "",
        condition=condition,
        data_wiped=data_wiped,
        received_by=received_by.email,
        on=on.isoformat(),
    )
    return _event(
        device,
        DeviceEvent.Kind.RETURNED,
        by,
        on,
        person=holder,
        condition=condition,
        data_wiped=data_wiped,
        received_by=received_by,
        notes=notes,
    )


@transaction.atomic
def mark_missing(
    device: Device, *, stolen: bool, by: Person | None, on: dt.date, notes: str = ""
) -> DeviceEvent:
    """Lost or stolen. The holder stays on the event (who had it), not on the device."""
    kind = DeviceEvent.Kind.STOLEN if stolen else DeviceEvent.Kind.LOST
    holder, _ = _change(device, kind)
    _audit(
        device,
        kind,
        by,
        f"{device} reported {kind}" + (f" (held by {holder.email})" if holder else ""),
        holder=holder.email if holder else "",
        on=on.isoformat(),
    )
    return _event(device, kind, by, on, person=holder, notes=notes)


@transaction.atomic
def found(device: Device, *, by: Person | None, on: dt.date, notes: str = "") -> DeviceEvent:
    """A lost or stolen device is back: in stock, to be checked before it is issued again."""
    _, was = _change(device, DeviceEvent.Kind.FOUND)
    _audit(device, "found", by, f"{device} found (it was {was})", was=was, on=on.isoformat())
    return _event(device, DeviceEvent.Kind.FOUND, by, on, notes=notes)


@transaction.atomic
def dispose(device: Device, *, by: Person | None, on: dt.date, reason: str, data_wiped: bool) -> DeviceEvent:
    """Out of the register for good (seed 000: the Trust disposes of non-functioning or obsolete
    devices); a lost or stolen device is disposed of when it is written off. Never while issued."""
    if not reason.strip():
        raise ValueError("a disposal needs a reason")
    _, was = _change(device, DeviceEvent.Kind.DISPOSED)
    _audit(
        device,
        "dispose",
        by,
        f"{device} disposed of (it was {was})",
        reason=reason,
        data_wiped=data_wiped,
        on=on.isoformat(),
    )
    return _event(device, DeviceEvent.Kind.DISPOSED, by, on, notes=reason, data_wiped=data_wiped)
