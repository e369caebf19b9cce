"""Leavers: the checklist from outstanding to complete, who sees and confirms it, the daily command
that closes sign-ins, and sign-in refused after the leaving date."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.conf import LazySettings
from django.contrib.auth import authenticate
from django.core.checks import run_checks
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aupguard.web.approvals.models import Request
from aupguard.web.audit.models import AuditEvent
from aupguard.web.devices import demo as devices_demo
from aupguard.web.devices import lifecycle
from aupguard.web.devices.models import Device
from aupguard.web.leavers import demo as leavers_demo
from aupguard.web.leavers.checklist import State, checklist_of
from aupguard.web.leavers.models import Confirmation
from aupguard.web.leavers.needs import needs_of
from aupguard.web.leavers.signin import GATE
from aupguard.web.org.management.commands.load_demo import DEMO_PASSWORD
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from tests.conftest import PACKS
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, TRUST_DPL, TRUST_HR, signed_in

pytestmark = pytest.mark.django_db

TRUST_IT = "s.ahmed@demotrust.org.uk"
TOM = "t.hughes@ash.demotrust.org.uk"  # leaving; holds ASH-L-001; reports to Mark Wilson
TOM_S_MANAGER = "m.wilson@ash.demotrust.org.uk"
WELLS_DPL = "t.osei@wells.redbridge.sch.uk"


@pytest.fixture
def demo() -> Trust:
    packs = [str(PACKS / f"{pack}.yaml") for pack in ("wonder", "wells", "oak")]
    call_command("load_packs", *packs, stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())
    trust = Trust.objects.get(slug="demo-trust")
    devices_demo.load(trust)
    return trust


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def today() -> dt.date:
    return timezone.localdate()


def leaving(email: str, on: dt.date) -> Person:
    who = person(email)
    who.leave_date = on
    who.save()
    return who


def tom_s_school_follows_oak() -> None:
    """Ash Primary on seed 003's pack: a leaver mailbox-access route (approved by the DPL) and a
    90-day mailbox retention, which neither demo pack has."""
    School.objects.filter(slug="ash-primary").update(pack_id="oak")


def test_a_leaver_s_checklist_goes_from_outstanding_to_complete(demo: Trust) -> None:
    tom = leaving(TOM, today())  # today is the last working day
    client = signed_in(TRUST_IT)
    url = f"/leavers/{tom.pk}/"
    page = client.get(url).text
    assert "Outstanding: 2" in page
    assert "School accounts (Microsoft 365, Google Workspace): not yet confirmed disabled by IT." in page
    assert "ASH-L-001" in page and "Record its return" in page
    # Wonder (seed 000) has no route to a leaver's mailbox for the line manager, nor a retention period.
    assert "There is no such route in this policy" in page
    assert "the policy sets none" in page
    # The return is recorded from the checklist, and the form brings the IT team back to it.
    laptop = Device.objects.get(asset_tag="ASH-L-001")
    returned = client.post(
        f"/devices/{laptop.pk}/return/",
        {
            "on": today().isoformat(),
            "condition": "good",
            "data_wiped": "yes",
            "received_by": person(TRUST_IT).pk,
            "next": url,
        },
    )
    assert returned.status_code == 302 and returned["Location"] == url
    assert "Outstanding: 1" in client.get(url).text
    confirm = f"/leavers/{tom.pk}/confirm/school_accounts_disabled/"
    future = client.post(
        confirm, {"school_accounts_disabled-done_on": (today() + dt.timedelta(days=1)).isoformat()}
    )
    assert "The date cannot be in the future" in future.text
    assert "Enter a date" in client.post(confirm, {"school_accounts_disabled-done_on": "18/13/2026"}).text
    assert not Confirmation.objects.exists()
    done = client.post(
        confirm,
        {
            "school_accounts_disabled-done_on": today().isoformat(),
            "school_accounts_disabled-notes": "M365 and MIS",
        },
    )
    assert done.status_code == 302 and done["Location"] == url
    page = client.get(url).text
    assert "disabled on" in page and "confirmed by Samir Ahmed" in page
    assert "Outstanding: 1" in page  # aupguard's own sign-in is still open until the end of today
    client.post(f"/leavers/{tom.pk}/close-sign-in/")
    tom.refresh_from_db()
    assert tom.user is not None and tom.user.is_active is False
    assert "The checklist is complete." in client.get(url).text
    assert AuditEvent.objects.filter(
        action="leavers.confirm.school_accounts_disabled", actor_name=TRUST_IT
    ).exists()
    assert AuditEvent.objects.get(action="leavers.close_sign_in").reason == "closed early, from the checklist"
    # Confirming twice changes nothing.
    client.post(confirm, {"school_accounts_disabled-done_on": "2020-01-01"})
    assert Confirmation.objects.get().done_on == today()


def test_the_mailbox_route_and_retention_come_from_the_leaver_s_policy(demo: Trust) -> None:
    tom_s_school_follows_oak()
    tom = leaving(TOM, today() - dt.timedelta(days=1))
    url = f"/leavers/{tom.pk}/"
    manager_view = signed_in(TOM_S_MANAGER).get(url).text
    ask = f"/requests/new/?workflow=leaver_mailbox_access&amp;subject={tom.pk}"
    assert ask in manager_view and "the dpl approves" in manager_view
    assert ask not in signed_in(TRUST_IT).get(url).text  # the line manager asks, not IT
    deletion = tom.leave_date + dt.timedelta(days=90)
    checklist = checklist_of(tom)
    assert checklist.mailbox_deletion_date == deletion
    assert checklist.item("mailbox_deletion").state == State.LATER
    assert checklist.item("mailbox_access").state == State.OPTIONAL  # never holds the checklist open
    it_view = signed_in(TRUST_IT).get(url).text
    assert "Confirm the mailbox is deleted" not in it_view  # kept for 90 days: nothing to confirm yet
    early = signed_in(TRUST_IT).post(
        f"/leavers/{tom.pk}/confirm/mailbox_deleted/", {"mailbox_deleted-done_on": today().isoformat()}
    )
    assert "The policy keeps a leaver&#x27;s mailbox until" in early.text
    now = timezone.now()
    oak = PolicyVersion.objects.get(pack_id="oak")
    approved = Request.objects.create(
        trust=demo,
        school=tom.school,
        workflow="leaver_mailbox_access",
        requester=person(TOM_S_MANAGER),
        subject=tom,
        version=oak,
        clause_id="TOP-10.2",
        approver_role="dpl",
        details="Handover of the Year 4 trip correspondence",
        starts=now - dt.timedelta(hours=1),
        expires=now + dt.timedelta(days=14),
        status=Request.Status.APPROVED,
        decided_by=person(TRUST_DPL),
        decided_at=now,
    )
    access = checklist_of(tom).item("mailbox_access")
    assert access.state == State.DONE and "asked by Mark Wilson" in access.lines[0]
    assert "access until" in access.lines[0]
    assert ask not in signed_in(TOM_S_MANAGER).get(url).text  # nothing to ask for while it runs
    Request.objects.filter(pk=approved.pk).update(
        starts=now - dt.timedelta(days=30), expires=now - dt.timedelta(days=1)
    )
    assert "the access ended on" in checklist_of(tom).item("mailbox_access").lines[0]
    assert ask in signed_in(TOM_S_MANAGER).get(url).text  # over: it may be asked for again
    # A hundred days on, the deletion is overdue until the IT team confirms it.
    later = checklist_of(tom, today=today() + dt.timedelta(days=100))
    deletion_item = later.item("mailbox_deletion")
    assert deletion_item.state == State.TO_DO and deletion_item.overdue


def test_the_mailbox_deletion_is_confirmed_after_the_retention_period(demo: Trust) -> None:
    tom_s_school_follows_oak()
    tom = leaving(TOM, today() - dt.timedelta(days=95))
    client = signed_in(TRUST_IT)
    url = f"/leavers/{tom.pk}/confirm/mailbox_deleted/"
    too_soon = (tom.leave_date + dt.timedelta(days=89)).isoformat()
    assert (
        "it cannot have been deleted earlier" in client.post(url, {"mailbox_deleted-done_on": too_soon}).text
    )
    assert client.post(url, {"mailbox_deleted-done_on": today().isoformat()}).status_code == 302
    assert checklist_of(tom).item("mailbox_deletion").state == State.DONE


def test_who_sees_the_leavers_list(demo: Trust) -> None:
    tom = leaving(TOM, today() + dt.timedelta(days=10))
    gone = leaving(ASH_TEACHER, today() - dt.timedelta(days=61))
    for email in (TRUST_HR, TRUST_IT, TRUST_DPL, ASH_HEAD, TOM_S_MANAGER):
        page = signed_in(email).get("/leavers/")
        assert page.status_code == 200 and "Tom Hughes" in page.text, email
        assert "Emma Green" not in page.text, email  # left more than 60 days ago
    assert "Emma Green" in signed_in(TRUST_HR).get("/leavers/", {"earlier": "on"}).text
    assert "Tom Hughes" not in signed_in(BIRCH_HEAD).get("/leavers/").text
    assert "Tom Hughes" not in signed_in(WELLS_DPL).get("/leavers/").text
    assert (
        signed_in("j.cole@birch.demotrust.org.uk").get("/leavers/").status_code == 403
    )  # no role, no reports
    birch = School.objects.get(slug="birch-academy")
    assert "Tom Hughes" not in signed_in(TRUST_HR).get("/leavers/", {"school": birch.pk}).text
    assert tom.pk and gone.pk


def test_who_sees_a_checklist_and_who_confirms_it(demo: Trust) -> None:
    tom = leaving(TOM, today())
    url = f"/leavers/{tom.pk}/"
    confirm = f"/leavers/{tom.pk}/confirm/school_accounts_disabled/"
    form = {"school_accounts_disabled-done_on": today().isoformat()}
    for email in (ASH_TEACHER, BIRCH_HEAD, WELLS_DPL):  # a colleague, another school's head and DPL
        client = signed_in(email)
        assert client.get(url).status_code == 404, email
        assert client.post(confirm, form).status_code == 404, email
    assert signed_in(TOM).get(url).status_code == 404  # the leaver's own tasks are on their home page
    for email in (ASH_HEAD, TRUST_HR, TRUST_DPL, TOM_S_MANAGER):  # may read, not confirm
        client = signed_in(email)
        page = client.get(url)
        assert page.status_code == 200 and "Confirm disabled" not in page.text, email
        assert client.post(confirm, form).status_code == 403, email
        assert client.post(f"/leavers/{tom.pk}/close-sign-in/").status_code == 403, email
    assert not Confirmation.objects.exists()
    it = signed_in(TRUST_IT)
    assert "Confirm disabled" in it.get(url).text
    assert it.get(confirm).status_code == 405  # a confirmation is a POST
    assert it.post(f"/leavers/{tom.pk}/confirm/payroll/", form).status_code == 404
    # The line manager sees the devices outstanding but not the IT team's device pages.
    manager_view = signed_in(TOM_S_MANAGER).get(url).text
    laptop = Device.objects.get(asset_tag="ASH-L-001")
    assert "ASH-L-001" in manager_view and f'href="/devices/{laptop.pk}/"' not in manager_view
    not_leaving = person(ASH_TEACHER)
    assert signed_in(TRUST_IT).get(f"/leavers/{not_leaving.pk}/").status_code == 404


def test_close_leaver_accounts_closes_each_leaver_once(demo: Trust) -> None:
    leaving(TOM, today() - dt.timedelta(days=1))
    leaving(ASH_TEACHER, today())  # the last working day: still open
    out = StringIO()
    call_command("close_leaver_accounts", "--dry-run", stdout=out)
    assert f"would close {TOM}" in out.getvalue() and person(TOM).user.is_active  # type: ignore[union-attr]
    out = StringIO()
    call_command("close_leaver_accounts", stdout=out)
    assert f"closed {TOM}" in out.getvalue() and "Closed 1 sign-in of people who have left." in out.getvalue()
    assert person(TOM).user.is_active is False  # type: ignore[union-attr]
    assert person(ASH_TEACHER).user.is_active is True  # type: ignore[union-attr]
    event = AuditEvent.objects.get(action="leavers.close_sign_in")
    assert event.actor_name == "aupguard" and event.target_id == str(person(TOM).pk)
    out = StringIO()
    call_command("close_leaver_accounts", stdout=out)
    assert "No sign-in to close" in out.getvalue()
    assert AuditEvent.objects.filter(action="leavers.close_sign_in").count() == 1
    out = StringIO()
    call_command("close_leaver_accounts", "--today", (today() + dt.timedelta(days=1)).isoformat(), stdout=out)
    assert f"closed {ASH_TEACHER}" in out.getvalue()
    with pytest.raises(CommandError, match="expected a date"):
        call_command("close_leaver_accounts", "--today", "tomorrow")


def test_sign_in_is_refused_after_the_leaving_date_even_before_the_daily_run(
    demo: Trust, settings: LazySettings
) -> None:
    # First, as settings.py has it; said again here so that this test does not rest on that file.
    settings.AUTHENTICATION_BACKENDS = [GATE, *(b for b in settings.AUTHENTICATION_BACKENDS if b != GATE)]
    leaving(TOM, today())
    assert Client().login(username=TOM, password=DEMO_PASSWORD)  # the last working day
    assert Client().post(reverse("login"), {"login": TOM, "password": DEMO_PASSWORD}).status_code == 302
    session = signed_in(TOM)
    assert session.get(f"/devices/person/{person(TOM).pk}/").status_code == 200
    leaving(TOM, today() - dt.timedelta(days=1))
    assert not Client().login(username=TOM, password=DEMO_PASSWORD)
    assert authenticate(email=TOM, password=DEMO_PASSWORD) is None  # the email sign-in is refused too
    page = Client().post(reverse("login"), {"login": TOM, "password": DEMO_PASSWORD})
    assert page.status_code == 200 and "_auth_user_id" not in page.client.session  # the sign-in page too
    assert AuditEvent.objects.filter(action="leavers.sign_in_refused").count() == 3
    assert not Client().login(username=TOM, password="wrong password")
    assert AuditEvent.objects.filter(action="leavers.sign_in_refused").count() == 3  # only real attempts
    assert signed_in(ASH_TEACHER)  # nobody else is affected
    # The daily run closes the account, which ends the session opened on the last working day.
    call_command("close_leaver_accounts", stdout=StringIO())
    assert session.get(f"/devices/person/{person(TOM).pk}/").status_code == 302


def test_the_system_check_warns_until_the_gate_is_the_first_backend(settings: LazySettings) -> None:
    settings.AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
    assert "aupguard.leavers.W001" in [m.id for m in run_checks()]
    settings.AUTHENTICATION_BACKENDS = [GATE, "django.contrib.auth.backends.ModelBackend"]
    assert "aupguard.leavers.W001" not in [m.id for m in run_checks()]


def test_the_home_page_asks_the_it_team_and_the_line_manager(demo: Trust) -> None:
    tom = leaving(TOM, today() + dt.timedelta(days=5))
    (it_need,) = needs_of(person(TRUST_IT))
    assert it_need.title == "Leaver checklist: Tom Hughes" and it_need.url == f"/leavers/{tom.pk}/"
    assert "accounts disabled on the last working day; every device returned" in it_need.detail
    assert timezone.localtime(it_need.due).date() == tom.leave_date and not it_need.urgent
    (manager_need,) = needs_of(person(TOM_S_MANAGER))
    assert (
        manager_need.title == "Make sure Tom Hughes returns 1 device" and "ASH-L-001" in manager_need.detail
    )
    for email in (ASH_HEAD, TRUST_HR, BIRCH_HEAD, ASH_TEACHER):
        assert needs_of(person(email)) == [], email
    assert needs_of(person(TRUST_IT), today=today() - dt.timedelta(days=40)) == []  # too early to ask
    late = needs_of(person(TRUST_IT), today=today() + dt.timedelta(days=6))
    assert late[0].urgent
    laptop = Device.objects.get(asset_tag="ASH-L-001")
    lifecycle.return_device(
        laptop, by=None, on=today(), condition="good", data_wiped=True, received_by=person(TRUST_IT)
    )
    assert needs_of(person(TOM_S_MANAGER)) == []
    (it_need,) = needs_of(person(TRUST_IT))
    assert "every device returned" not in it_need.detail


def test_the_demo_says_who_is_leaving(demo: Trust) -> None:
    leaving(TOM, today() + dt.timedelta(days=17))
    summary = leavers_demo.load(demo)
    assert summary.startswith("Leavers: Tom Hughes (") and "2 outstanding" in summary
    assert leavers_demo.load(demo) == summary
