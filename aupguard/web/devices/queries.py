"""Reads of the asset register that pages, the leaver checklist and the home page share.

These take records already reached through `access.py`; they add no permission of their own.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import QuerySet

from aupguard.web.devices.models import Device, DeviceEvent
from aupguard.web.people.models import Person


def held_by(people: Iterable[Person] | Person) -> QuerySet[Device]:
    """Devices issued to these people now."""
    ids = [people.pk] if isinstance(people, Person) else [p.pk for p in people]
    return Device.objects.filter(status=Device.Status.ISSUED, holder_id__in=ids).select_related(
        "school", "holder"
    )


def history_of_person(person: Person) -> QuerySet[DeviceEvent]:
    """Everything that happened to devices while this person held them, newest first."""
    return DeviceEvent.objects.filter(person=person).select_related("device", "received_by", "recorded_by")


def history_of_device(device: Device) -> QuerySet[DeviceEvent]:
    return device.events.select_related("person", "received_by", "recorded_by")


def last_return(device: Device) -> DeviceEvent | None:
    return device.events.filter(kind=DeviceEvent.Kind.RETURNED).order_by("-on", "-id").first()


def still_missing(devices: QuerySet[Device]) -> QuerySet[Device]:
    """Lost or stolen and not yet found or written off (disposed of)."""
    return devices.filter(status__in=(Device.Status.LOST, Device.Status.STOLEN)).select_related("school")


def missing_since(device: Device) -> DeviceEvent | None:
    return (
        device.events.filter(kind__in=(DeviceEvent.Kind.LOST, DeviceEvent.Kind.STOLEN))
        .order_by("-on", "-id")
        .first()
    )
