"""Incidents and personal data breaches, as the demo trust's staff, heads and DPLs use them.

The cast (demo/trust-staff.csv): Emma Green and Tom Hughes teach at Ash (pack `wonder`), Kate O'Connor
is Ash's head and DSL, Nadia Patel Birch's head, Aisha Khan teaches at Wells (its own pack `wells`),
Thomas Osei is Wells's own DPL, Daniel Reid the trust's DPL, Samir Ahmed the trust's IT support.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from io import StringIO
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.contrib.auth import get_user_model
from django.core import mail
from django.core.management import call_command
from django.db.models import QuerySet
from django.test import Client
from django.utils import timezone

from aupguard.engine.catalogue import INCIDENT_KINDS
from aupguard.web.audit.models import AuditEvent
from aupguard.web.devices.models import Device, DeviceEvent
from aupguard.web.incidents import demo as incidents_demo
from aupguard.web.incidents.access import breaches_kept_by, can_handle, incidents_handled_by, is_dpl_for
from aupguard.web.incidents.actions import do_open_breach, do_report_incident
from aupguard.web.incidents.clock import Clock, ico_deadline
from aupguard.web.incidents.kinds import KINDS
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.incidents.needs import needs_of
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person
from tests.conftest import PACKS
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, TRUST_DPL, signed_in

pytestmark = pytest.mark.django_db

ASH_COLLEAGUE = "t.hughes@ash.demotrust.org.uk"
ASH_SENIOR = "m.wilson@ash.demotrust.org.uk"
BIRCH_TEACHER = "j.cole@birch.demotrust.org.uk"
WELLS_TEACHER = "a.khan@wells.redbridge.sch.uk"
WELLS_HEAD = "j.ward@wells.redbridge.sch.uk"
WELLS_DPL = "t.osei@wells.redbridge.sch.uk"
TRUST_IT = "s.ahmed@demotrust.org.uk"
TRUST_CEO = "p.shah@demotrust.org.uk"
LONDON = ZoneInfo("Europe/London")

Commit = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture
def demo() -> None:
    call_command("load_packs", str(PACKS / "wonder.yaml"), str(PACKS / "wells.yaml"), stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())


@pytest.fixture
def sent(django_capture_on_commit_callbacks: Commit) -> Iterator[Commit]:
    """Emails are sent when the transaction commits; the test's transaction never does."""
    yield django_capture_on_commit_callbacks


#: The demo's own incidents (load_demo makes them): tests look only at what they made themselves.
DEMO_TEXTS = (incidents_demo.SITE, incidents_demo.PHISH, incidents_demo.MISSENT)


def new_incidents() -> QuerySet[Incident]:
    return Incident.objects.exclude(what_happened__in=DEMO_TEXTS)


def new_breaches() -> QuerySet[Breach]:
    return Breach.objects.exclude(incident__what_happened__in=DEMO_TEXTS)


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def local(moment: dt.datetime) -> str:
    """A time as a datetime-local field sends it."""
    return timezone.localtime(moment).strftime("%Y-%m-%dT%H:%M")


def an_hour_ago() -> str:
    return local(timezone.now() - dt.timedelta(hours=1))


def report(email: str, kind: str, **fields: object) -> Incident:
    """A report made through the real action, as the form would make it."""
    who = person(email)
    return do_report_incident(
        who,
        kind,
        occurred_at=timezone.now() - dt.timedelta(hours=2),
        what_happened=fields.pop("what_happened", "Something happened."),
        fields=fields,
        notify_people=False,
    )


def issued_laptop(holder: Person, tag: str = "TEST-INC-042") -> Device:
    return Device.objects.create(
        trust=holder.trust,
        school=holder.school,
        asset_tag=tag,
        kind=Device.Kind.LAPTOP,
        make_model="Dell Latitude 3540",
        status=Device.Status.ISSUED,
        holder=holder,
        issued_on=dt.date(2025, 9, 1),
    )


def errors_of(html: str) -> str:
    return " ".join(re.findall(r'class="error"[^>]*>([^<]*)<', html))


# Reporting --------------------------------------------------------------------------------------------


def test_every_incident_kind_in_the_catalogue_has_a_report_form(demo: None) -> None:
    assert tuple(KINDS) == INCIDENT_KINDS
    client = signed_in(ASH_TEACHER)
    choose = client.get("/incidents/report/").text
    for kind, info in KINDS.items():
        assert f"/incidents/report/{kind}/" in choose
        page = client.get(f"/incidents/report/{kind}/")
        assert page.status_code == 200 and info.title in page.text, kind
    assert client.get("/incidents/report/not_a_kind/").status_code == 404


def test_a_teacher_reports_an_inappropriate_site_with_date_time_address_and_action(
    demo: None, sent: Commit
) -> None:
    client = signed_in(ASH_TEACHER)
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    with sent(execute=True):
        response = client.post(
            "/incidents/report/inappropriate_site_accessed/",
            {
                "occurred_at": f"{yesterday:%Y-%m-%d}T10:40",
                "what_happened": "A search for times-tables games opened a casino page.",
                "web_address": "http://free-spins-casino.example/",
                "action_taken": "Closed the page at once.",
            },
        )
    (incident,) = new_incidents()
    assert response.status_code == 302 and response.url == f"/incidents/{incident.pk}/"
    assert (
        incident.reporter.email == ASH_TEACHER and incident.school and incident.school.slug == "ash-primary"
    )
    assert (
        timezone.localtime(incident.occurred_at).strftime("%Y-%m-%d %H:%M") == f"{yesterday:%Y-%m-%d} 10:40"
    )
    assert incident.web_address == "http://free-spins-casino.example/"
    assert incident.action_taken == "Closed the page at once." and incident.status == "open"
    page = client.get(response.url).text
    assert "free-spins-casino.example" in page and "Thank you: your report" in page
    # wonder names no one for this kind: the head is told, without the report's content.
    (message,) = mail.outbox
    assert message.to == [ASH_HEAD] and "inappropriate website opened" in message.subject
    assert f"/incidents/{incident.pk}/" in message.body and "casino" not in message.body
    event = AuditEvent.objects.get(action="incident.report", target_id=str(incident.pk))
    assert event.target_id == str(incident.pk) and event.details["told"] == [ASH_HEAD]


def test_a_report_with_problems_is_refused_with_a_message_by_each_field(demo: None) -> None:
    client = signed_in(ASH_TEACHER)
    empty = client.post("/incidents/report/inappropriate_site_accessed/", {})
    assert empty.status_code == 200 and errors_of(empty.text).count("This field is required.") == 4
    assert 'aria-invalid="true"' in empty.text and "Please correct the 4 problems below." in empty.text
    tomorrow = local(timezone.now() + dt.timedelta(days=1))
    future = client.post(
        "/incidents/report/phishing/",
        {"occurred_at": tomorrow, "what_happened": "An email.", "action_taken": "Deleted it."},
    )
    assert "The time it happened cannot be in the future." in future.text
    garbled = client.post(
        "/incidents/report/phishing/",
        {"occurred_at": "last tuesday", "what_happened": "An email.", "action_taken": "Deleted it."},
    )
    assert "Enter a date and time, such as 24/10/2025 14:30." in garbled.text
    # 01:30 on 26 October 2025 happened twice in London: which one is not guessed.
    twice = client.post(
        "/incidents/report/phishing/",
        {"occurred_at": "2025-10-26T01:30", "what_happened": "An email.", "action_taken": "Deleted it."},
    )
    assert "couldn’t be interpreted in time zone Europe/London" in twice.text
    assert not new_incidents().exists()


def test_a_phishing_report_asks_what_was_clicked(demo: None) -> None:
    client = signed_in(BIRCH_TEACHER)
    form = client.get("/incidents/report/phishing/").text
    assert "Say whether you clicked a link" in form and "Web address" not in form
    client.post(
        "/incidents/report/phishing/",
        {"occurred_at": an_hour_ago(), "what_happened": "Fake Microsoft email.", "action_taken": "Nothing."},
    )
    (incident,) = new_incidents()
    assert incident.kind == "phishing" and incident.school and incident.school.slug == "birch-academy"


def test_a_lost_laptop_is_marked_lost_on_the_asset_register(demo: None, sent: Commit) -> None:
    aisha = person(WELLS_TEACHER)
    laptop = issued_laptop(aisha)
    someone_elses = issued_laptop(person("j.cole@birch.demotrust.org.uk"), tag="TEST-INC-007")
    client = signed_in(WELLS_TEACHER)
    form = client.get("/incidents/report/lost_or_stolen_device/").text
    assert "TEST-INC-042" in form and "TEST-INC-007" not in form
    fields = {
        "occurred_at": an_hour_ago(),
        "what_happened": "Taken from my car outside my house.",
        "device_stolen": "stolen",
        "location": "Outside 12 Elm Road",
        "personal_data": "unknown",
    }
    refused = client.post("/incidents/report/lost_or_stolen_device/", {**fields, "device": someone_elses.pk})
    assert "Select a valid choice" in refused.text
    nothing = client.post("/incidents/report/lost_or_stolen_device/", fields)
    assert "Choose the device from the list, or describe it." in nothing.text
    with sent(execute=True):
        client.post("/incidents/report/lost_or_stolen_device/", {**fields, "device": laptop.pk})
    laptop.refresh_from_db()
    (incident,) = new_incidents()
    assert laptop.status == Device.Status.STOLEN and laptop.holder is None and incident.device == laptop
    event = DeviceEvent.objects.get(device=laptop, kind=DeviceEvent.Kind.STOLEN)
    assert event.person == aisha and incident.reference in event.notes
    # wells: lost devices go to IT support (RB-8.1) and the DPL (RB-8.2), the trust's and the school's.
    assert sorted(m.to[0] for m in mail.outbox) == sorted([TRUST_IT, TRUST_DPL, WELLS_DPL])


def test_a_device_not_on_the_register_is_described_instead(demo: None) -> None:
    # Whatever the demo issued her goes back to stock: she holds nothing on the register.
    Device.objects.filter(holder__email=ASH_TEACHER).update(status=Device.Status.IN_STOCK, holder=None)
    client = signed_in(ASH_TEACHER)
    form = client.get("/incidents/report/lost_or_stolen_device/").text
    assert "Which of your devices?" not in form
    undescribed = client.post(
        "/incidents/report/lost_or_stolen_device/",
        {"occurred_at": an_hour_ago(), "what_happened": "Lost.", "device_stolen": "lost", "location": "Bus"},
    )
    assert "Describe the device: what it is and any label or asset tag." in undescribed.text
    client.post(
        "/incidents/report/lost_or_stolen_device/",
        {
            "occurred_at": an_hour_ago(),
            "what_happened": "Left on the train.",
            "device_stolen": "lost",
            "location": "Northern line",
            "personal_data": "yes",
            "device_description": "School iPad, blue case",
        },
    )
    (incident,) = new_incidents()
    assert incident.device is None and incident.device_description == "School iPad, blue case"
    assert incident.device_stolen is False and incident.personal_data == "yes"


def test_someone_not_in_the_directory_cannot_report(demo: None) -> None:
    get_user_model().objects.create_user("contractor@example.org", password="aupguard-demo")
    client = Client()
    client.login(username="contractor@example.org", password="aupguard-demo")
    assert client.get("/incidents/report/phishing/").status_code == 403
    assert Client().get("/incidents/report/").status_code == 302  # to the sign-in page


# Who sees what ---------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "status"),
    [
        (ASH_TEACHER, 200),  # the reporter
        (ASH_COLLEAGUE, 404),  # a colleague in the same school
        (ASH_HEAD, 200),  # the school's head handles every kind
        (BIRCH_HEAD, 404),  # another school's head
        (TRUST_DPL, 200),  # the trust's DPL
        (WELLS_DPL, 404),  # another school's DPL
        (TRUST_IT, 404),  # wonder routes nothing to IT
    ],
)
def test_an_incident_page_is_seen_by_its_reporter_and_handlers_only(
    demo: None, email: str, status: int
) -> None:
    incident = report(ASH_TEACHER, "inappropriate_site_accessed", web_address="x.example", action_taken="-")
    assert signed_in(email).get(f"/incidents/{incident.pk}/").status_code == status


@pytest.mark.parametrize(
    ("email", "sees"),
    [
        (ASH_HEAD, {"ash-site"}),
        (BIRCH_HEAD, set()),
        (WELLS_HEAD, {"wells-laptop"}),
        (TRUST_DPL, {"ash-site", "wells-laptop"}),
        (WELLS_DPL, {"wells-laptop"}),
        # IT support is named for lost devices by wells (RB-8.1), for nothing by wonder.
        (TRUST_IT, {"wells-laptop"}),
    ],
)
def test_the_register_by_role_and_school(demo: None, email: str, sees: set[str]) -> None:
    ash = report(ASH_TEACHER, "inappropriate_site_accessed", web_address="x.example", action_taken="-")
    wells = report(
        WELLS_TEACHER,
        "lost_or_stolen_device",
        device_stolen=False,
        location="Hall",
        personal_data="no",
        device_description="iPad",
    )
    page = signed_in(email).get("/incidents/")
    assert page.status_code == 200
    shown = {
        name for name, i in (("ash-site", ash), ("wells-laptop", wells)) if i.reference + "<" in page.text
    }
    assert shown == sees


def test_the_register_filters_by_status_kind_and_school(demo: None) -> None:
    phishing = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    wells = report(WELLS_TEACHER, "malware", action_taken="Unplugged it.")
    wells.status, wells.outcome, wells.closed_at = "closed", "Cleaned.", timezone.now()
    wells.save()
    client = signed_in(TRUST_DPL)

    def shown(query: str) -> set[str]:
        page = client.get(f"/incidents/{query}")
        assert page.status_code == 200
        return {i.reference for i in (phishing, wells) if i.reference + "<" in page.text}

    assert shown("") == {phishing.reference}  # open ones first
    assert shown("?status=all") == {phishing.reference, wells.reference}
    assert shown("?status=closed") == {wells.reference}
    assert shown("?status=all&kind=malware") == {wells.reference}
    assert shown(f"?status=all&school={phishing.school_id}") == {phishing.reference}
    assert shown("?status=nonsense&school=999999") == {phishing.reference}  # ignored, not an error


def test_the_register_is_refused_to_those_who_handle_nothing(demo: None) -> None:
    assert signed_in(ASH_TEACHER).get("/incidents/").status_code == 403


def test_the_dsl_sees_safeguarding_but_not_other_kinds(demo: None) -> None:
    # Wells's DPL is also its DSL; Kate O'Connor is Ash's head and DSL. Make a DSL who is only that.
    osei = person(WELLS_DPL)
    osei.role_assignments.filter(role="dpl").delete()
    safeguarding = report(WELLS_TEACHER, "safeguarding", what_happened="A pupil's message.")
    fault = report(WELLS_TEACHER, "damage_or_fault", what_happened="Projector broken.")
    client = signed_in(WELLS_DPL)
    assert client.get(f"/incidents/{safeguarding.pk}/").status_code == 200
    assert client.get(f"/incidents/{fault.pk}/").status_code == 404


def test_a_pack_that_routes_to_the_line_manager_means_the_reporter_s_own(demo: None, sent: Commit) -> None:
    # oak (TOP-16.4) reports phishing to a senior leader and the line manager.
    call_command("load_packs", str(PACKS / "oak.yaml"), stdout=StringIO())
    School.objects.filter(slug="ash-primary").update(pack_id="oak")
    emma, tom = person(ASH_TEACHER), person(ASH_COLLEAGUE)
    emma.line_manager = tom
    emma.save()
    with sent(execute=True):
        signed_in(ASH_TEACHER).post(
            "/incidents/report/phishing/",
            {"occurred_at": an_hour_ago(), "what_happened": "Fake invoice.", "action_taken": "Deleted it."},
        )
    phishing = new_incidents().get()
    # Ash's senior leaders, the trust-wide one (the CEO), and Emma's own line manager.
    told = sorted([ASH_HEAD, ASH_SENIOR, TRUST_CEO, ASH_COLLEAGUE])
    assert sorted(m.to[0] for m in mail.outbox) == told
    fault = report(ASH_TEACHER, "damage_or_fault")  # oak: senior leaders only
    someone_elses = report(ASH_SENIOR, "phishing", action_taken="-")  # managed by the head
    client = signed_in(ASH_COLLEAGUE)
    assert client.get(f"/incidents/{phishing.pk}/").status_code == 200
    assert client.get(f"/incidents/{fault.pk}/").status_code == 404
    assert client.get(f"/incidents/{someone_elses.pk}/").status_code == 404
    assert client.post(f"/incidents/{phishing.pk}/assign/", {"handler": tom.pk}).status_code == 302


def test_a_central_team_report_reaches_the_trust_s_dpl(demo: None, sent: Commit) -> None:
    with sent(execute=True):
        signed_in(TRUST_IT).post(
            "/incidents/report/phishing/",
            {"occurred_at": an_hour_ago(), "what_happened": "Fake invoice.", "action_taken": "Deleted it."},
        )
    incident = new_incidents().get()
    assert incident.school is None and [m.to for m in mail.outbox] == [[TRUST_DPL]]
    assert signed_in(TRUST_DPL).get(f"/incidents/{incident.pk}/").status_code == 200
    assert signed_in(ASH_HEAD).get(f"/incidents/{incident.pk}/").status_code == 404


def test_someone_who_has_left_handles_nothing(demo: None) -> None:
    # Sign-in is refused to leavers; a session or account that outlives the leaving date still sees nothing.
    incident = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    _breach()
    head, dpl = person(ASH_HEAD), person(TRUST_DPL)
    assert (
        can_handle(head, incident) and incidents_handled_by(head).exists() and breaches_kept_by(dpl).exists()
    )
    Person.objects.filter(email__in=[ASH_HEAD, TRUST_DPL]).update(
        leave_date=timezone.localdate() - dt.timedelta(days=1)
    )
    head, dpl = person(ASH_HEAD), person(TRUST_DPL)
    assert not can_handle(head, incident) and not incidents_handled_by(head).exists()
    assert not breaches_kept_by(dpl).exists() and not is_dpl_for(dpl, incident.school)


def test_my_reports_lists_only_mine(demo: None) -> None:
    mine = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    theirs = report(ASH_COLLEAGUE, "phishing", action_taken="Deleted.")
    page = signed_in(ASH_TEACHER).get("/incidents/mine/").text
    assert mine.reference + "<" in page and theirs.reference + "<" not in page


# Handling --------------------------------------------------------------------------------------------


def test_a_handler_takes_an_incident_on_and_closes_it_with_an_outcome(demo: None) -> None:
    incident = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    head = signed_in(ASH_HEAD)
    page = head.get(f"/incidents/{incident.pk}/").text
    assert "Save who handles it" in page and "Open a breach record" not in page  # the head is no DPL
    kate = person(ASH_HEAD)
    assert head.post(f"/incidents/{incident.pk}/assign/", {"handler": kate.pk}).status_code == 302
    refused = head.post(f"/incidents/{incident.pk}/close/", {"outcome": ""})
    assert "This field is required." in errors_of(refused.text)
    head.post(f"/incidents/{incident.pk}/close/", {"outcome": "Sender blocked; staff warned."})
    incident.refresh_from_db()
    assert incident.status == "closed" and incident.handler == kate and incident.closed_by == kate
    assert "Sender blocked" in signed_in(ASH_TEACHER).get(f"/incidents/{incident.pk}/").text
    head.post(f"/incidents/{incident.pk}/reopen/", {"reason": "It happened again."})
    incident.refresh_from_db()
    assert incident.status == "open" and incident.closed_at is None
    events = AuditEvent.objects.filter(target_type="incident", target_id=str(incident.pk))
    actions = list(events.values_list("action", flat=True))
    assert sorted(actions) == ["incident.assign", "incident.close", "incident.reopen", "incident.report"]


def test_the_reporter_cannot_handle_their_own_report_and_others_cannot_find_it(demo: None) -> None:
    incident = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    assert (
        signed_in(ASH_TEACHER).post(f"/incidents/{incident.pk}/close/", {"outcome": "x"}).status_code == 403
    )
    assert (
        signed_in(ASH_COLLEAGUE).post(f"/incidents/{incident.pk}/close/", {"outcome": "x"}).status_code == 404
    )
    assert signed_in(BIRCH_HEAD).post(f"/incidents/{incident.pk}/assign/", {}).status_code == 404
    assert signed_in(ASH_HEAD).get(f"/incidents/{incident.pk}/close/").status_code == 405
    incident.refresh_from_db()
    assert incident.status == "open"


def test_only_handlers_can_be_assigned(demo: None) -> None:
    incident = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    refused = signed_in(ASH_HEAD).post(
        f"/incidents/{incident.pk}/assign/", {"handler": person(ASH_COLLEAGUE).pk}
    )
    assert "Select a valid choice" in refused.text
    incident.refresh_from_db()
    assert incident.handler is None


# Breaches --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("model", "start", "end", "allowed"),
    [
        (Incident, "open", "closed", True),
        (Incident, "closed", "open", True),
        (Incident, "open", "open", False),
        (Incident, "closed", "closed", False),
        (Breach, "open", "closed", True),
        (Breach, "closed", "open", False),  # a closed breach record is evidence: it stays closed
        (Breach, "open", "open", False),
        (Breach, "closed", "closed", False),
    ],
)
def test_the_allowed_changes_of_status(
    model: type[Incident | Breach], start: str, end: str, allowed: bool
) -> None:
    assert model(status=start).can_become(end) is allowed


def test_the_deadline_is_72_real_hours_even_across_a_clock_change() -> None:
    plain = dt.datetime(2026, 6, 1, 9, 0, tzinfo=LONDON)
    assert ico_deadline(plain, 72) == dt.datetime(2026, 6, 4, 9, 0, tzinfo=LONDON)
    october = dt.datetime(2025, 10, 24, 12, 0, tzinfo=LONDON)  # BST; the clocks go back on the 26th
    deadline = ico_deadline(october, 72)
    assert deadline - october == dt.timedelta(hours=72)
    assert deadline.astimezone(LONDON) == dt.datetime(2025, 10, 27, 11, 0, tzinfo=LONDON)  # GMT
    march = dt.datetime(2026, 3, 27, 12, 0, tzinfo=LONDON)  # GMT; the clocks go forward on the 29th
    assert ico_deadline(march, 72).astimezone(LONDON) == dt.datetime(2026, 3, 30, 13, 0, tzinfo=LONDON)
    with pytest.raises(ValueError, match="time zone"):
        ico_deadline(dt.datetime(2026, 6, 1, 9, 0), 72)  # noqa: DTZ001


def test_the_clock_in_words() -> None:
    deadline = dt.datetime(2026, 6, 4, 9, 0, tzinfo=dt.UTC)
    running = Clock(deadline, deadline - dt.timedelta(hours=47, minutes=5, seconds=9))
    assert running.text == "47 h 05 min 09 s left" and not running.urgent and not running.overdue
    assert Clock(deadline, deadline - dt.timedelta(hours=23)).urgent
    late = Clock(deadline, deadline + dt.timedelta(hours=1, seconds=2))
    assert late.text == "Overdue by 1 h 00 min 02 s" and late.overdue and late.urgent
    stopped = Clock(deadline, deadline + dt.timedelta(days=3), stopped_at=deadline - dt.timedelta(hours=5))
    assert stopped.text == "Stopped 5 h 00 min 00 s before the deadline" and not stopped.urgent


def test_a_teacher_reports_a_lost_laptop_and_the_dpl_opens_a_breach_and_sees_the_countdown(
    demo: None, sent: Commit
) -> None:
    laptop = issued_laptop(person(ASH_TEACHER), tag="TEST-INC-001")
    with sent(execute=True):
        signed_in(ASH_TEACHER).post(
            "/incidents/report/lost_or_stolen_device/",
            {
                "occurred_at": an_hour_ago(),
                "what_happened": "Left on the bus; it has my class's assessment spreadsheet.",
                "device": laptop.pk,
                "device_stolen": "lost",
                "location": "Number 38 bus",
                "personal_data": "yes",
            },
        )
    (incident,) = new_incidents()
    assert TRUST_DPL in [m.to[0] for m in mail.outbox]  # a possible breach: the DPL hears of it
    mail.outbox.clear()
    dpl = signed_in(TRUST_DPL)
    incident_page = dpl.get(f"/incidents/{incident.pk}/").text
    assert "Open a breach record" in incident_page
    form = dpl.get(f"/incidents/{incident.pk}/breach/").text
    assert local(incident.reported_at) in form  # the clock starts, by default, at the report
    with sent(execute=True):
        opened = dpl.post(f"/incidents/{incident.pk}/breach/", {"aware_at": local(incident.reported_at)})
    breach = Breach.objects.get(incident=incident)
    assert opened.url == f"/incidents/breaches/{breach.pk}/"
    assert breach.report_hours == 72
    assert breach.deadline == ico_deadline(breach.aware_at, 72)
    page = dpl.get(opened.url).text
    assert re.search(r'role="timer" data-deadline="\d+" data-now="\d+">7[01] h \d\d min \d\d s left<', page)
    assert "aupguard/countdown.js" in page
    assert timezone.localtime(breach.deadline).strftime("%H:%M") in page
    (message,) = mail.outbox  # Ash has one DPL, the trust's
    assert message.to == [TRUST_DPL] and "report by" in message.subject
    assert AuditEvent.objects.filter(action="breach.open", target_id=str(breach.pk)).exists()
    assert AuditEvent.objects.filter(action="breach.view", target_id=str(breach.pk)).count() == 1
    # The same incident cannot get a second breach: its page leads to the first.
    assert dpl.get(f"/incidents/{incident.pk}/breach/").url == opened.url


def test_a_breach_opened_before_the_october_clock_change_is_due_72_real_hours_later(demo: None) -> None:
    incident = report(ASH_TEACHER, "data_breach")
    signed_in(TRUST_DPL).post(f"/incidents/{incident.pk}/breach/", {"aware_at": "2025-10-24T12:00"})
    breach = Breach.objects.get(incident=incident)
    assert breach.deadline == dt.datetime(2025, 10, 27, 11, 0, tzinfo=dt.UTC)
    page = signed_in(TRUST_DPL).get(f"/incidents/breaches/{breach.pk}/").text
    assert "Fri 24 Oct 2025, 12:00 BST" in page and "Mon 27 Oct 2025, 11:00 GMT" in page
    assert re.search(r'class="countdown error"[^>]*>Overdue by \d+ h', page)


def test_a_breach_cannot_start_in_the_future(demo: None) -> None:
    incident = report(ASH_TEACHER, "data_breach")
    tomorrow = local(timezone.now() + dt.timedelta(days=1))
    refused = signed_in(TRUST_DPL).post(f"/incidents/{incident.pk}/breach/", {"aware_at": tomorrow})
    assert "cannot be in the future" in refused.text and not new_breaches().exists()


def _breach(email: str = ASH_TEACHER, hours_ago: float = 3) -> Breach:
    incident = report(email, "misdirected_email", personal_data="yes", action_taken="Asked to delete.")
    dpl = person(TRUST_DPL)
    return do_open_breach(
        incident, timezone.now() - dt.timedelta(hours=hours_ago), actor=dpl, notify_people=False
    )


@pytest.mark.parametrize(
    ("email", "status"),
    [
        (TRUST_DPL, 200),
        (ASH_TEACHER, 404),  # the reporter
        (ASH_COLLEAGUE, 404),
        (ASH_HEAD, 404),  # handles the incident, but the breach register is the DPL's
        (BIRCH_HEAD, 404),
        (WELLS_DPL, 404),  # a DPL, but of another school
    ],
)
def test_a_breach_is_seen_by_its_school_s_dpl_only(demo: None, email: str, status: int) -> None:
    breach = _breach()
    client = signed_in(email)
    for page in ("", "assess/", "decide/", "respond/"):
        assert client.get(f"/incidents/breaches/{breach.pk}/{page}").status_code == status
    opening = client.get(f"/incidents/{breach.incident.pk}/breach/").status_code
    assert opening == (302 if status == 200 else 404)  # the DPL is led to the breach already open


def test_the_breach_register_is_the_dpl_s_and_every_view_is_audited(demo: None) -> None:
    ash = _breach()
    wells = _breach(WELLS_TEACHER)
    assert signed_in(ASH_HEAD).get("/incidents/breaches/").status_code == 403
    trust = signed_in(TRUST_DPL).get("/incidents/breaches/").text
    assert ash.reference + "<" in trust and wells.reference + "<" in trust and "h " in trust
    school = signed_in(WELLS_DPL).get("/incidents/breaches/").text
    assert wells.reference + "<" in school and ash.reference + "<" not in school
    views = AuditEvent.objects.filter(action="breach.view", target_type="breach_register")
    assert {e.actor_name: sorted(e.details["breaches"]) for e in views} == {
        TRUST_DPL: sorted([*Breach.objects.filter(status="open").values_list("pk", flat=True)]),
        WELLS_DPL: [wells.pk],
    }
    signed_in(TRUST_DPL).get(f"/incidents/breaches/{ash.pk}/assess/")
    assert AuditEvent.objects.filter(action="breach.view", target_id=str(ash.pk)).count() == 1


def test_the_decision_needs_an_assessment_a_reason_and_for_a_report_the_ico_reference(demo: None) -> None:
    breach = _breach()
    dpl = signed_in(TRUST_DPL)
    decide = f"/incidents/breaches/{breach.pk}/decide/"
    early = dpl.post(decide, {"decision": "not_report", "reason": "Recipient deleted it."})
    assert "Record the assessment, with its risk level, before the decision." in early.text
    assessment = {
        "nature": "Report emailed to the wrong parent.",
        "data_categories": ["education", "sen"],
        "subject_categories": ["pupils"],
        "approx_people": "1",
        "approx_records": "1",
        "likely_consequences": "Distress to the family.",
        "risk_level": "risk",
    }
    missing = dpl.post(f"/incidents/breaches/{breach.pk}/assess/", {**assessment, "data_categories": []})
    assert "Tick at least one kind of personal data." in missing.text
    dpl.post(f"/incidents/breaches/{breach.pk}/assess/", assessment)
    breach.refresh_from_db()
    assert breach.assessed and breach.data_categories == ["education", "sen"] and breach.approx_people == 1
    no_reason = dpl.post(decide, {"decision": "not_report", "reason": ""})
    assert "This field is required." in errors_of(no_reason.text)
    risky = dpl.post(decide, {"decision": "not_report", "reason": "Recipient deleted it."})
    assert "must be reported to the ICO (UK GDPR art. 33)" in risky.text
    no_reference = dpl.post(
        decide, {"decision": "report", "reason": "Risk to a child.", "reported_at": an_hour_ago()}
    )
    assert "Give the reference the ICO gave you." in no_reference.text
    breach.refresh_from_db()
    assert breach.decision == ""
    dpl.post(
        decide,
        {
            "decision": "report",
            "reason": "SEN details of a child: a risk.",
            "reported_at": an_hour_ago(),
            "ico_reference": " IC-123456-A1B2 ",
        },
    )
    breach.refresh_from_db()
    assert breach.decision == "report" and breach.ico_reference == "IC-123456-A1B2"
    assert breach.decided_by == person(TRUST_DPL) and breach.reported_at is not None
    assert not breach.clock.running and not breach.clock.overdue
    event = AuditEvent.objects.get(action="breach.decide")
    assert event.reason == "SEN details of a child: a risk." and event.details["new"]["decision"] == "report"
    assert "Distress" not in str(AuditEvent.objects.filter(target_type="breach").values_list("details"))
    assert "Stopped" in dpl.get(f"/incidents/breaches/{breach.pk}/").text


def test_a_decision_not_to_report_is_recorded_with_who_and_why(demo: None) -> None:
    breach = _breach()
    dpl = signed_in(TRUST_DPL)
    dpl.post(
        f"/incidents/breaches/{breach.pk}/assess/",
        {
            "nature": "Sent to a colleague's school address by mistake.",
            "data_categories": ["identifiers"],
            "subject_categories": ["staff"],
            "approx_people": "1",
            "approx_records": "1",
            "likely_consequences": "None: the recipient is bound by the same duties.",
            "risk_level": "unlikely",
        },
    )
    dpl.post(
        f"/incidents/breaches/{breach.pk}/decide/",
        {"decision": "not_report", "reason": "Internal recipient, deleted unread."},
    )
    breach.refresh_from_db()
    assert breach.decision == "not_report" and breach.decision_reason == "Internal recipient, deleted unread."
    assert breach.decided_by == person(TRUST_DPL) and breach.reported_at is None
    page = dpl.get(f"/incidents/breaches/{breach.pk}/").text
    assert "Do not report to the ICO" in page and "Daniel Reid" in page


def test_a_late_decision_needs_the_reasons_for_the_delay(demo: None) -> None:
    breach = _breach(hours_ago=80)
    breach.risk_level, breach.assessed_at = "unlikely", timezone.now()
    breach.save()
    dpl = signed_in(TRUST_DPL)
    late = dpl.post(
        f"/incidents/breaches/{breach.pk}/decide/", {"decision": "not_report", "reason": "Low risk."}
    )
    assert "give the reasons for the delay" in late.text
    dpl.post(
        f"/incidents/breaches/{breach.pk}/decide/",
        {"decision": "not_report", "reason": "Low risk.", "late_reason": "Reported to me after half term."},
    )
    breach.refresh_from_db()
    assert breach.decision == "not_report" and breach.clock.overdue


def test_the_response_the_lado_flag_and_closing(demo: None) -> None:
    breach = _breach()
    dpl = signed_in(TRUST_DPL)
    respond = f"/incidents/breaches/{breach.pk}/respond/"
    refused = dpl.post(respond, {"individuals_told": "no", "lado_referral": "on"})
    assert "Say why the people affected will not be told." in refused.text
    assert "Give the date of the referral and the LADO&#x27;s name or reference." in refused.text
    early = dpl.post(f"/incidents/breaches/{breach.pk}/close/")
    assert "Record the decision on reporting to the ICO before closing." in early.text
    dpl.post(
        respond,
        {
            "containment": "Recipient confirmed deletion in writing.",
            "individuals_told": "yes",
            "individuals_note": "Phoned the parents on the day.",
            "lado_referral": "on",
            "lado_note": "Referred 2 Dec, ref LADO-778.",
            "lessons_learned": "",
        },
    )
    breach.refresh_from_db()
    assert breach.lado_referral and breach.individuals_told == "yes"
    Breach.objects.filter(pk=breach.pk).update(
        risk_level="unlikely",
        decision="not_report",
        decision_reason="Deleted.",
        decided_by=person(TRUST_DPL),
        decided_at=timezone.now(),
    )
    no_lessons = dpl.post(f"/incidents/breaches/{breach.pk}/close/")
    assert "Record the lessons learned before closing." in no_lessons.text
    dpl.post(
        respond,
        {
            "individuals_told": "yes",
            "individuals_note": "Phoned.",
            "lessons_learned": "Turn off autocomplete.",
        },
    )
    dpl.post(f"/incidents/breaches/{breach.pk}/close/")
    breach.refresh_from_db()
    assert breach.status == "closed" and breach.closed_by == person(TRUST_DPL)
    assert dpl.get(respond).status_code == 403  # a closed record is not edited
    assert breach.reference + "<" not in dpl.get("/incidents/breaches/").text  # open ones by default
    assert breach.reference + "<" in dpl.get("/incidents/breaches/?show=all").text


def test_the_incident_stays_open_while_its_breach_is(demo: None) -> None:
    breach = _breach()
    refused = signed_in(ASH_HEAD).post(f"/incidents/{breach.incident.pk}/close/", {"outcome": "Done."})
    assert "breach record for this incident is still open" in refused.text


def test_the_dpl_records_a_breach_learnt_of_directly(demo: None, sent: Commit) -> None:
    dpl = signed_in(TRUST_DPL)
    form = dpl.get("/incidents/breaches/new/").text
    assert "Wells Primary School" in form and "The trust&#x27;s central team" in form
    wells = person(WELLS_TEACHER).school
    assert wells is not None
    backwards = dpl.post(
        "/incidents/breaches/new/",
        {
            "school": wells.pk,
            "occurred_at": an_hour_ago(),
            "aware_at": local(timezone.now() - dt.timedelta(hours=2)),
            "what_happened": "x",
        },
    )
    assert "The school cannot have become aware before the breach happened." in backwards.text
    with sent(execute=True):
        dpl.post(
            "/incidents/breaches/new/",
            {
                "school": wells.pk,
                "occurred_at": an_hour_ago(),
                "aware_at": an_hour_ago(),
                "what_happened": "A parent phoned.",
            },
        )
    (breach,) = new_breaches()
    assert breach.incident.kind == "data_breach" and breach.incident.school == wells
    assert WELLS_DPL in [m.to[0] for m in mail.outbox if "report by" in m.subject]
    assert signed_in(WELLS_DPL).get("/incidents/breaches/new/").text.count("<option") == 1  # Wells only
    assert signed_in(ASH_HEAD).get("/incidents/breaches/new/").status_code == 403


# Home page and demo ----------------------------------------------------------------------------------


def test_what_needs_each_person(demo: None) -> None:
    calm = _breach(hours_ago=3)
    pressing = _breach(hours_ago=60)
    new = report(ASH_TEACHER, "phishing", action_taken="Deleted.")
    mine = {f"/incidents/breaches/{b.pk}/" for b in (calm, pressing)}
    dpl_needs = [n for n in needs_of(person(TRUST_DPL)) if n.url in mine]
    assert [(n.due, n.urgent) for n in dpl_needs] == [(pressing.deadline, True), (calm.deadline, False)]
    assert "assess it" in dpl_needs[0].title and dpl_needs[0].detail.startswith("ICO deadline")
    head_needs = needs_of(person(ASH_HEAD))
    assert any(n.url == f"/incidents/{new.pk}/" and "New incident" in n.title for n in head_needs)
    assert not any(n.kind == "breach" for n in head_needs)
    assert needs_of(person(ASH_TEACHER)) == []
    assert not any(n.url == f"/incidents/{new.pk}/" for n in needs_of(person(BIRCH_HEAD)))
    new.handler = person(ASH_HEAD)
    new.save()
    assert any(n.title.startswith("Handle phishing email") for n in needs_of(person(ASH_HEAD)))


def test_the_demo_incidents_load_once(demo: None) -> None:
    trust = Trust.objects.get(slug="demo-trust")
    incidents_demo.load(trust)  # load_demo may have called it already: either way, once
    assert incidents_demo.load(trust).startswith("incidents: demo incidents already loaded")
    made = Incident.objects.filter(what_happened__in=DEMO_TEXTS)
    assert sorted(made.values_list("kind", flat=True)) == [
        "inappropriate_site_accessed",
        "misdirected_email",
        "phishing",
    ]
    breach = Breach.objects.get(incident__in=made)
    assert breach.status == "open" and not breach.decision
    assert dt.timedelta(hours=2) < timezone.now() - breach.aware_at < dt.timedelta(hours=4)
    ash_site = made.get(kind="inappropriate_site_accessed")
    assert ash_site.school and ash_site.school.slug == "ash-primary" and ash_site.web_address
