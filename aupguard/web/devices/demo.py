"""Demo devices for the demo trust: laptops issued at Ash Primary and Wells Primary (Tom Hughes, who
leaves on 18 December 2026, holds one; so does Aisha Khan at Wells), stock, an encrypted USB drive,
a lost phone for the IT team to close, and a central laptop. Safe to run again: a device whose
asset tag is already in the register is left as it is."""

from __future__ import annotations

import datetime as dt

from aupguard.web.devices import lifecycle
from aupguard.web.devices.models import Device
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person

# asset tag, school slug ("" central), kind, make and model, serial, encrypted, added,
# issued to (email, date) or None, lost on (date, note) or None
DEMO_DEVICES: list[
    tuple[str, str, str, str, str, bool, str, tuple[str, str] | None, tuple[str, str] | None]
] = [
    (
        "ASH-L-001",
        "ash-primary",
        "laptop",
        "Dell Latitude 3440",
        "7HX2Q34",
        True,
        "2023-08-30",
        ("t.hughes@ash.demotrust.org.uk", "2023-09-04"),
        None,
    ),
    (
        "ASH-L-002",
        "ash-primary",
        "laptop",
        "Dell Latitude 3440",
        "7HX2Q35",
        True,
        "2023-08-30",
        ("e.green@ash.demotrust.org.uk", "2023-09-04"),
        None,
    ),
    ("ASH-L-003", "ash-primary", "laptop", "Dell Latitude 3440", "7HX2Q36", True, "2023-08-30", None, None),
    (
        "ASH-T-001",
        "ash-primary",
        "tablet",
        "Apple iPad (10th generation)",
        "DMPXK2LQ1",
        True,
        "2024-02-12",
        ("m.wilson@ash.demotrust.org.uk", "2024-02-19"),
        None,
    ),
    (
        "ASH-P-001",
        "ash-primary",
        "phone",
        "Samsung Galaxy A35",
        "R58W90ABCD",
        True,
        "2025-01-06",
        ("k.oconnor@ash.demotrust.org.uk", "2025-01-07"),
        (
            "2026-11-24",
            "Left on the train home from a trust meeting; reported to the station's lost property.",
        ),
    ),
    (
        "WPS-L-001",
        "wells-primary",
        "laptop",
        "HP ProBook 450 G10",
        "5CD3471XYZ",
        True,
        "2024-01-02",
        ("a.khan@wells.redbridge.sch.uk", "2024-01-08"),
        None,
    ),
    (
        "WPS-L-002",
        "wells-primary",
        "laptop",
        "HP ProBook 450 G10",
        "5CD3471XZA",
        True,
        "2024-01-02",
        None,
        None,
    ),
    (
        "WPS-U-001",
        "wells-primary",
        "removable_media",
        "Kingston IronKey Vault Privacy 50, 32 GB",
        "IK50-0091",
        True,
        "2025-03-03",
        None,
        None,
    ),
    (
        "WLT-L-001",
        "",
        "laptop",
        "Lenovo ThinkPad T14",
        "PF4B7XQ2",
        True,
        "2024-04-15",
        ("d.reid@demotrust.org.uk", "2024-04-16"),
        None,
    ),
]


def load(trust: Trust) -> str:
    schools = {school.slug: school for school in trust.schools.all()}
    people = {person.email: person for person in Person.objects.filter(trust=trust)}
    added = 0
    for tag, slug, kind, make_model, serial, encrypted, added_on, issued, lost in DEMO_DEVICES:
        if Device.objects.filter(trust=trust, asset_tag=tag).exists():
            continue
        device = lifecycle.add_device(
            trust,
            school=schools.get(slug) if slug else None,
            asset_tag=tag,
            kind=kind,
            make_model=make_model,
            serial_number=serial,
            encrypted=encrypted,
            by=None,
            on=dt.date.fromisoformat(added_on),
        )
        added += 1
        if issued is not None and issued[0] in people:
            lifecycle.issue(device, people[issued[0]], by=None, on=dt.date.fromisoformat(issued[1]))
        if lost is not None:
            lifecycle.mark_missing(
                device, stolen=False, by=None, on=dt.date.fromisoformat(lost[0]), notes=lost[1]
            )
    devices = Device.objects.filter(trust=trust)
    issued_count = devices.filter(status=Device.Status.ISSUED).count()
    return (
        f"Devices: {added} added, {devices.count()} in the register, {issued_count} issued, "
        f"{devices.filter(status__in=(Device.Status.LOST, Device.Status.STOLEN)).count()} lost or stolen"
    )
