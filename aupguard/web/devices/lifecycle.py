"""What happens to a device: each change of status with the event that records it, in one transaction.

Views and other registers (a lost-device incident) change devices only through these functions, so
that the status, the holder and the history can never disagree.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from aupguard.web.devices.models import Device, DeviceEvent
from aupguard.web.people.models import Person


class DeviceStateError(Exception):
    """A change the device's current status does not allow (returning a device nobody holds)."""


def _event(device: Device, kind: str, by: Person | None, on: dt.date, **fields: object) -> DeviceEvent:
    return DeviceEvent.objects.create(device=device, kind=kind, recorded_by=by, on=on, **fields)


@transaction.atomic
def issue(device: Device, to: Person, *, by: Person | None, on: dt.date, notes: str = "") -> DeviceEvent:
    if device.status != Device.Status.IN_STOCK:
        raise DeviceStateError(f"{device.asset_tag} is {device.get_status_display()}, not in stock")
    device.status, device.holder, device.issued_on = Device.Status.ISSUED, to, on
    device.save(update_fields=["status", "holder", "issued_on", "updated_at"])
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
    if device.status != Device.Status.ISSUED:
        raise DeviceStateError(f"{device.asset_tag} is {device.get_status_display()}, not issued")
    holder = device.holder
    device.status, device.holder, device.issued_on = Device.Status.IN_STOCK, None, None
    device.save(update_fields=["status", "holder", "issued_on", "updated_at"])
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
    if device.status in (Device.Status.LOST, Device.Status.STOLEN, Device.Status.DISPOSED):
        raise DeviceStateError(f"{device.asset_tag} is already {device.get_status_display()}")
    holder = device.holder
    device.status = Device.Status.STOLEN if stolen else Device.Status.LOST
    device.holder, device.issued_on = None, None
    device.save(update_fields=["status", "holder", "issued_on", "updated_at"])
    kind = DeviceEvent.Kind.STOLEN if stolen else DeviceEvent.Kind.LOST
    return _event(device, kind, by, on, person=holder, notes=notes)
