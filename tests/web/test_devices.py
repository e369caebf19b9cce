"""The asset register: keepers add, issue, take back (the Returned Device Form), lose, find and dispose
of devices; everyone sees their own devices; nobody sees another school's."""

from __future__ import annotations

import datetime as dt
import itertools
from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from aupguard.web.audit.models import AuditEvent
from aupguard.web.devices import demo as devices_demo
from aupguard.web.devices import lifecycle
from aupguard.web.devices.models import TRANSITIONS, Device, DeviceEvent
from aupguard.web.devices.needs import needs_of
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from tests.conftest import PACKS
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, signed_in

pytestmark = pytest.mark.django_db

TRUST_IT = "s.ahmed@demotrust.org.uk"  # network manager and IT support across the trust
TOM = "t.hughes@ash.demotrust.org.uk"  # Ash, leaving; holds ASH-L-001
ASH_MANAGER = "m.wilson@ash.demotrust.org.uk"
WELLS_HEAD = "j.ward@wells.redbridge.sch.uk"
AISHA = "a.khan@wells.redbridge.sch.uk"  # Wells; holds WPS-L-001


@pytest.fixture
def demo() -> Trust:
    call_command("load_packs", str(PACKS / "wonder.yaml"), str(PACKS / "wells.yaml"), stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())
    trust = Trust.objects.get(slug="demo-trust")
    devices_demo.load(trust)
    return trust


def device(tag: str) -> Device:
    return Device.objects.get(asset_tag=tag)


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def today() -> dt.date:
    return timezone.localdate()


def test_the_demo_register_has_tom_s_and_aisha_s_laptops_and_loads_once(demo: Trust) -> None:
    assert device("ASH-L-001").holder == person(TOM)
    assert device("WPS-L-001").holder == person(AISHA)
    assert device("ASH-P-001").status == Device.Status.LOST
    before = (Device.objects.count(), DeviceEvent.objects.count(), AuditEvent.objects.count())
    summary = devices_demo.load(demo)
    assert summary.startswith("Devices: 0 added, 9 in the register, 5 issued, 1 lost or stolen")
    assert (Device.objects.count(), DeviceEvent.objects.count(), AuditEvent.objects.count()) == before


def test_each_keeper_sees_the_devices_of_the_schools_they_keep(demo: Trust) -> None:
    trust_wide = signed_in(TRUST_IT).get("/devices/").text
    assert "ASH-L-001" in trust_wide and "WPS-L-001" in trust_wide and "WLT-L-001" in trust_wide
    ash = signed_in(ASH_HEAD).get("/devices/").text
    assert "ASH-L-001" in ash and "WPS-L-001" not in ash and "WLT-L-001" not in ash
    wells = signed_in(WELLS_HEAD).get("/devices/").text
    assert "WPS-L-001" in wells and "ASH-L-001" not in wells
    birch = signed_in(BIRCH_HEAD).get("/devices/").text
    assert "The register is empty" in birch and "ASH-L-" not in birch
    # Someone who keeps no register is taken to their own devices.
    own = signed_in(ASH_TEACHER).get("/devices/")
    assert own.status_code == 302 and own["Location"] == f"/devices/person/{person(ASH_TEACHER).pk}/"


def test_the_register_filters_by_status_kind_school_and_search_and_pages(demo: Trust) -> None:
    client = signed_in(TRUST_IT)
    ash = demo.schools.get(slug="ash-primary")
    issued = client.get("/devices/", {"status": "issued"}).text
    assert "ASH-L-001" in issued and "ASH-L-003" not in issued and "WPS-L-002" not in issued
    assert "ASH-T-001" in client.get("/devices/", {"kind": "tablet"}).text
    assert "ASH-L-001" not in client.get("/devices/", {"kind": "tablet"}).text
    at_ash = client.get("/devices/", {"school": ash.pk}).text
    assert "ASH-L-003" in at_ash and "WPS-L-001" not in at_ash and "WLT-L-001" not in at_ash
    central = client.get("/devices/", {"school": "central"}).text
    assert "WLT-L-001" in central and "ASH-L-001" not in central
    assert "ASH-P-001" in client.get("/devices/", {"status": "missing"}).text
    by_holder = client.get("/devices/", {"q": "hughes"}).text
    assert "ASH-L-001" in by_holder and "ASH-L-002" not in by_holder
    # A value that is not an option is said so next to its field; the other filters still apply.
    odd = client.get("/devices/", {"status": "borrowed", "kind": "tablet"})
    assert odd.status_code == 200 and "Select a valid choice" in odd.text and "ASH-T-001" in odd.text
    assert "ASH-L-001" not in odd.text
    # A Birch head cannot ask for Ash's devices by naming the school.
    assert "ASH-L-001" not in signed_in(BIRCH_HEAD).get("/devices/", {"school": ash.pk}).text
    for number in range(60):
        lifecycle.add_device(
            demo, school=ash, asset_tag=f"ASH-X-{number:03}", kind="other", by=None, on=today()
        )
    first = client.get("/devices/", {"school": ash.pk}).text
    assert "Page 1 of 2" in first and f"school={ash.pk}&amp;page=2" in first
    assert "ASH-X-059" in client.get("/devices/", {"school": ash.pk, "page": 2}).text


def test_adding_a_device_and_the_asset_tag_unique_in_the_trust(demo: Trust) -> None:
    client = signed_in(ASH_HEAD)
    ash = demo.schools.get(slug="ash-primary")
    wells = demo.schools.get(slug="wells-primary")
    form = {"asset_tag": "ASH-L-010", "kind": "laptop", "school": ash.pk, "make_model": "Dell Latitude 3450"}
    response = client.post("/devices/add/", form)
    added = device("ASH-L-010")
    assert response.status_code == 302 and response["Location"] == f"/devices/{added.pk}/"
    assert added.status == Device.Status.IN_STOCK and added.school == ash
    assert added.events.get().kind == DeviceEvent.Kind.ADDED
    event = AuditEvent.objects.get(action="device.add", target_id=str(added.pk))
    assert event.actor_name == ASH_HEAD and event.school == ash
    # The same tag again, in any case, is refused with the reason; so is a tag another school uses.
    again = client.post("/devices/add/", {**form, "asset_tag": "ash-l-010"})
    assert "Another device in the trust already has the asset tag ash-l-010" in again.text
    assert "Another device in the trust already has the asset tag WPS-L-002" in (
        client.post("/devices/add/", {**form, "asset_tag": "WPS-L-002"}).text
    )
    # An Ash keeper cannot file a device under Wells.
    assert (
        "Select a valid choice"
        in client.post("/devices/add/", {**form, "asset_tag": "X", "school": wells.pk}).text
    )
    assert "This field is required" in client.post("/devices/add/", {**form, "asset_tag": " "}).text
    assert Device.objects.filter(asset_tag__iexact="ash-l-010").count() == 1
    assert signed_in(ASH_TEACHER).get("/devices/add/").status_code == 403


def test_a_keeper_issues_only_to_people_they_may_see(demo: Trust) -> None:
    client = signed_in(ASH_HEAD)
    spare = device("ASH-L-003")
    url = f"/devices/{spare.pk}/issue/"
    page = client.get(url).text
    assert 'list="people"' in page and 'value="e.green@ash.demotrust.org.uk"' in page
    assert "a.khan@" not in page  # Wells people are not offered to Ash's head ...
    refused = client.post(url, {"person": AISHA, "on": today().isoformat()})
    assert f"No one you keep devices for has the address {AISHA}" in refused.text  # ... nor accepted
    future = client.post(url, {"person": ASH_TEACHER, "on": (today() + dt.timedelta(days=3)).isoformat()})
    assert "The date cannot be in the future" in future.text
    left = person(ASH_MANAGER)
    left.leave_date = today() - dt.timedelta(days=2)
    left.save()
    assert "Mark Wilson left on" in client.post(url, {"person": ASH_MANAGER, "on": today().isoformat()}).text
    assert device("ASH-L-003").status == Device.Status.IN_STOCK
    done = client.post(
        url, {"person": ASH_TEACHER.upper(), "on": today().isoformat(), "notes": "with charger"}
    )
    assert done.status_code == 302 and done["Location"] == f"/devices/{spare.pk}/"
    spare.refresh_from_db()
    assert spare.status == Device.Status.ISSUED and spare.holder == person(ASH_TEACHER)
    assert spare.issued_on == today()
    assert AuditEvent.objects.filter(
        action="device.issue", target_id=str(spare.pk), actor_name=ASH_HEAD
    ).exists()
    # Issued already: the page says why it cannot be issued again, and nothing changes.
    again = client.post(url, {"person": ASH_TEACHER, "on": today().isoformat()})
    assert again.status_code == 409 and "ASH-L-003 is issued: it cannot be issued now" in again.text


def test_the_returned_device_form(demo: Trust) -> None:
    client = signed_in(TRUST_IT)
    laptop = device("ASH-L-001")
    url = f"/devices/{laptop.pk}/return/"
    form = client.get(url).text
    assert "Returned Device Form" in form and "Received by" in form and "Has its data been wiped?" in form
    assert "Kate O&#x27;Connor" in form  # Ash's head may sign for it, as seed 000 says
    empty = client.post(url, {"on": today().isoformat()}).text
    assert "Choose the condition it came back in." in empty and "Answer yes or no." in empty
    early = client.post(
        url,
        {"on": "2023-09-01", "condition": "good", "data_wiped": "yes", "received_by": person(TRUST_IT).pk},
    ).text
    assert "It was issued on 4 September 2023: the date cannot be earlier." in early
    stranger = person(BIRCH_HEAD).pk  # not someone who takes Ash's devices back
    odd = client.post(
        url, {"on": today().isoformat(), "condition": "good", "data_wiped": "yes", "received_by": stranger}
    ).text
    assert "Select a valid choice" in odd
    assert device("ASH-L-001").status == Device.Status.ISSUED
    head = person(ASH_HEAD)
    done = client.post(
        url,
        {
            "on": today().isoformat(),
            "condition": "incomplete",
            "data_wiped": "no",
            "received_by": head.pk,
            "notes": "no charger",
        },
    )
    assert done.status_code == 302
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.IN_STOCK and laptop.holder is None and laptop.issued_on is None
    returned = laptop.events.get(kind=DeviceEvent.Kind.RETURNED)
    assert (returned.person, returned.condition, returned.data_wiped, returned.received_by) == (
        person(TOM),
        "incomplete",
        False,
        head,
    )
    assert returned.recorded_by == person(TRUST_IT)
    page = client.get(f"/devices/{laptop.pk}/").text
    assert "Received by: Kate O&#x27;Connor" in page and "Data wiped: no" in page
    assert "returned without its data wiped" in page
    assert (
        AuditEvent.objects.get(action="device.return", target_id=str(laptop.pk)).details["received_by"]
        == head.email
    )


def test_lost_stolen_found_and_disposed_of(demo: Trust) -> None:
    client = signed_in(ASH_HEAD)
    laptop = device("ASH-L-002")
    # Never disposed of while someone holds it.
    refused = client.post(
        f"/devices/{laptop.pk}/dispose/", {"on": today().isoformat(), "reason": "old", "data_wiped": "yes"}
    )
    assert refused.status_code == 409 and "it cannot be disposed of now" in refused.text
    missing_page = client.get(f"/devices/{laptop.pk}/missing/").text
    assert "72 hours" in missing_page and "/incidents/report/lost_or_stolen_device/" in missing_page
    assert (
        "Say where and when it was last seen."
        in client.post(f"/devices/{laptop.pk}/missing/", {"what": "stolen", "on": today().isoformat()}).text
    )
    client.post(
        f"/devices/{laptop.pk}/missing/",
        {"what": "stolen", "on": today().isoformat(), "notes": "Car broken into; crime ref 01/2345"},
    )
    laptop.refresh_from_db()
    stolen = laptop.events.get(kind=DeviceEvent.Kind.STOLEN)
    assert (
        laptop.status == Device.Status.STOLEN
        and laptop.holder is None
        and stolen.person == person(ASH_TEACHER)
    )
    assert "Reported stolen on" in client.get(f"/devices/{laptop.pk}/").text
    client.post(f"/devices/{laptop.pk}/found/", {"on": today().isoformat(), "notes": "recovered by police"})
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.IN_STOCK
    assert (
        "Give the reason for disposing of it."
        in client.post(
            f"/devices/{laptop.pk}/dispose/", {"on": today().isoformat(), "data_wiped": "yes"}
        ).text
    )
    client.post(
        f"/devices/{laptop.pk}/dispose/",
        {
            "on": today().isoformat(),
            "reason": "Screen damaged beyond repair; WEEE collection",
            "data_wiped": "yes",
        },
    )
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.DISPOSED
    assert laptop.events.get(kind=DeviceEvent.Kind.DISPOSED).notes.startswith("Screen damaged")
    actions = [e.action for e in AuditEvent.objects.filter(target_type="device", target_id=str(laptop.pk))]
    assert {"device.stolen", "device.found", "device.dispose"} <= set(actions)
    assert client.get(f"/devices/{laptop.pk}/issue/").status_code == 409


def test_the_incidents_register_marks_a_device_missing_with_the_holder_kept_on_the_event(demo: Trust) -> None:
    laptop = device("WPS-L-001")
    head = person(WELLS_HEAD)
    event = lifecycle.mark_missing(laptop, stolen=False, by=head, on=today(), notes="left on a bus")
    laptop.refresh_from_db()
    assert laptop.status == Device.Status.LOST and laptop.holder is None
    assert (event.kind, event.person, event.recorded_by) == ("lost", person(AISHA), head)
    assert AuditEvent.objects.get(action="device.lost", target_id=str(laptop.pk)).actor_name == WELLS_HEAD
    with pytest.raises(lifecycle.DeviceStateError):
        lifecycle.mark_missing(laptop, stolen=True, by=head, on=today())


@pytest.mark.parametrize(("status", "change"), list(itertools.product(Device.Status.values, TRANSITIONS)))
def test_every_change_from_every_status_follows_the_table(demo: Trust, status: str, change: str) -> None:
    subject = lifecycle.add_device(demo, school=None, asset_tag="T-1", kind="laptop", by=None, on=today())
    holder = person(TRUST_IT)
    Device.objects.filter(pk=subject.pk).update(
        status=status,
        holder=holder if status == "issued" else None,
        issued_on=today() if status == "issued" else None,
    )
    subject.refresh_from_db()
    do = {
        "issued": lambda: lifecycle.issue(subject, holder, by=None, on=today()),
        "returned": lambda: lifecycle.return_device(
            subject, by=None, on=today(), condition="good", data_wiped=True, received_by=holder
        ),
        "lost": lambda: lifecycle.mark_missing(subject, stolen=False, by=None, on=today()),
        "stolen": lambda: lifecycle.mark_missing(subject, stolen=True, by=None, on=today()),
        "found": lambda: lifecycle.found(subject, by=None, on=today()),
        "disposed": lambda: lifecycle.dispose(
            subject, by=None, on=today(), reason="obsolete", data_wiped=True
        ),
    }[change]
    sources, target = TRANSITIONS[change]
    if status in sources:
        do()
        subject.refresh_from_db()
        assert subject.status == target and (subject.holder is not None) == (target == "issued")
    else:
        with pytest.raises(lifecycle.DeviceStateError):
            do()
        subject.refresh_from_db()
        assert subject.status == status


def test_a_device_s_page_and_its_change_pages_are_for_its_keepers_only(demo: Trust) -> None:
    laptop = device("ASH-L-002")  # Emma Green's
    for email, expected in (
        (TRUST_IT, 200),
        (ASH_HEAD, 200),
        (BIRCH_HEAD, 404),
        (WELLS_HEAD, 404),
        (ASH_TEACHER, 404),
    ):
        client = signed_in(email)
        assert client.get(f"/devices/{laptop.pk}/").status_code == expected, email
        assert client.get(f"/devices/{laptop.pk}/return/").status_code == expected, email
    history = signed_in(ASH_HEAD).get(f"/devices/{laptop.pk}/").text
    assert "Added to the register" in history and "to Emma Green" in history
    assert signed_in(BIRCH_HEAD).post(f"/devices/{laptop.pk}/missing/", {"what": "lost"}).status_code == 404
    assert device("ASH-L-002").status == Device.Status.ISSUED


def test_a_person_s_devices_page_for_them_their_colleague_another_school_and_the_keepers(demo: Trust) -> None:
    tom = person(TOM)
    url = f"/devices/person/{tom.pk}/"
    own = signed_in(TOM).get(url)
    assert own.status_code == 200 and "Your devices" in own.text and "ASH-L-001" in own.text
    assert f'href="/devices/{device("ASH-L-001").pk}/"' not in own.text  # the device page is the keepers'
    assert signed_in(ASH_TEACHER).get(url).status_code == 404
    assert signed_in(BIRCH_HEAD).get(url).status_code == 404
    assert signed_in(WELLS_HEAD).get(url).status_code == 404
    kept = signed_in(ASH_HEAD).get(url).text
    assert "Tom Hughes's devices" in kept and f'href="/devices/{device("ASH-L-001").pk}/"' in kept
    assert signed_in(TRUST_IT).get(url).status_code == 200
    assert signed_in(TRUST_IT).get("/devices/person/999999/").status_code == 404


def test_the_home_page_asks_a_leaver_to_return_and_keepers_to_close_losses(demo: Trust) -> None:
    tom = person(TOM)
    tom.leave_date = today() + dt.timedelta(days=10)
    tom.save()
    (need,) = needs_of(tom)
    assert need.title == "Return your laptop ASH-L-001" and need.url == f"/devices/person/{tom.pk}/"
    assert (
        timezone.localtime(need.due).date() == tom.leave_date and need.due.hour == 17
    )  # wonder: 08:00-17:00
    assert not need.urgent
    assert needs_of(person(ASH_TEACHER)) == []  # not leaving, keeps nothing
    tom.leave_date = today() + dt.timedelta(days=45)
    tom.save()
    assert needs_of(tom) == []  # too early to ask
    phone = device("ASH-P-001")
    for email in (ASH_HEAD, TRUST_IT):
        titles = [n.title for n in needs_of(person(email))]
        assert "Mobile phone ASH-P-001 was reported lost on 24 November 2026" in titles, email
    assert needs_of(person(BIRCH_HEAD)) == []
    lifecycle.found(phone, by=None, on=today())
    assert needs_of(person(ASH_HEAD)) == []
    ash = demo.schools.get(slug="ash-primary")
    for number in range(6):
        spare = lifecycle.add_device(
            demo, school=ash, asset_tag=f"ASH-Z-{number}", kind="camera", by=None, on=today()
        )
        lifecycle.mark_missing(spare, stolen=bool(number % 2), by=None, on=today())
    (summary,) = needs_of(person(ASH_HEAD))
    assert summary.title == "6 devices are lost or stolen and not yet closed"
    assert summary.url == "/devices/?status=missing"
