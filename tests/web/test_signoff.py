"""Reading and signing the policy, the version check, the dashboard, the campaigns and the reminder
emails, as each person uses them."""

from __future__ import annotations

import datetime as dt
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from aupguard.engine.packs import parse_pack
from aupguard.web.audit.models import AuditEvent
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person, RoleAssignment
from aupguard.web.policies.actions import do_publish_policy_version
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff import demo as signoff_demo
from aupguard.web.signoff.models import Campaign, Reminder, SignOff
from tests.conftest import PACKS
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, TRUST_DPL, signed_in

pytestmark = pytest.mark.django_db

ASH_COLLEAGUE = "m.wilson@ash.demotrust.org.uk"
WELLS_HEAD = "j.ward@wells.redbridge.sch.uk"
WELLS_TEACHER = "a.khan@wells.redbridge.sch.uk"


@pytest.fixture
def demo() -> None:
    call_command("load_packs", str(PACKS / "wonder.yaml"), str(PACKS / "wells.yaml"), stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())


class Clock:
    """`timezone.now()` for the code under test, moved on by the test."""

    def __init__(self) -> None:
        self.now = timezone.now()

    def __call__(self) -> dt.datetime:
        return self.now

    def days(self, days: int) -> None:
        self.now += dt.timedelta(days=days)


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    the_clock = Clock()
    monkeypatch.setattr(timezone, "now", the_clock)
    return the_clock


def publish_wonder(published_days_ago: int = 0, *, training_interval: int | None = None) -> PolicyVersion:
    """A new version of the demo trust's pack, as if published `published_days_ago`, optionally with
    an annual training interval (the seed says null); the earlier version is moved before it."""
    text = (PACKS / "wonder.yaml").read_text(encoding="utf-8")
    if training_interval is not None:
        text = text.replace("training_interval_days: null", f"training_interval_days: {training_interval}")
    text = text.replace("policy_version: June 2026", "policy_version: June 2026 (revised)")
    version, _ = do_publish_policy_version(parse_pack(text, PACKS / "wonder.yaml"), text)
    published = timezone.now() - dt.timedelta(days=published_days_ago)
    PolicyVersion.objects.filter(pack_id="wonder").exclude(pk=version.pk).update(
        published_at=published - dt.timedelta(days=1)
    )
    PolicyVersion.objects.filter(pk=version.pk).update(published_at=published)
    version.refresh_from_db()
    return version


def sign(email: str) -> None:
    person = Person.objects.get(email=email)
    response = signed_in(email).post("/my-policy/", {"agree": "on", "typed_name": person.full_name})
    assert response.status_code == 302


def ash_signers() -> int:
    return (
        Person.objects.filter(school__slug="ash-primary", account_kind="person")
        .exclude(leave_date__lt=timezone.localdate())
        .count()
    )


# ---------------------------------------------------------------- reading and signing


def test_a_teacher_reads_the_policy_by_section_and_signs_the_exact_version(demo: None) -> None:
    client = signed_in(ASH_TEACHER)
    page = client.get("/my-policy/")
    wonder = PolicyVersion.objects.get(pack_id="wonder")
    assert page.status_code == 200 and wonder.version_code in page.text and "Sign version" in page.text
    section = client.get("/my-policy/section/2/")
    assert section.status_code == 200 and "WLP-" in section.text and "Next section" in section.text
    refused = client.post("/my-policy/", {"typed_name": "E Green"})
    assert (
        "Tick the box" in refused.text
        and "Type your full name as the directory has it: Emma Green" in refused.text
    )
    assert not SignOff.objects.exists()
    client.post("/my-policy/", {"agree": "on", "typed_name": "  emma   green "})
    (signoff,) = SignOff.objects.all()
    assert (
        signoff.version == wonder
        and signoff.person.email == ASH_TEACHER
        and signoff.typed_name == "emma green"
    )
    done = client.get("/my-policy/").text
    assert "You signed this version on" in done and "Sign version" not in done
    assert AuditEvent.objects.filter(action="signoff.sign", details__sha256=wonder.sha256).exists()


def test_wells_staff_sign_wells_s_own_policy(demo: None) -> None:
    client = signed_in(WELLS_TEACHER)
    assert PolicyVersion.objects.get(pack_id="wells").version_code in client.get("/my-policy/").text


def test_the_public_version_check(demo: None, client: Client) -> None:
    wonder = PolicyVersion.objects.get(pack_id="wonder")
    current = client.get("/check/", {"code": wonder.version_code})
    assert "Current: this is" in current.text
    assert "No published policy has the version code" in client.get("/check/", {"code": "0123456789ab"}).text
    assert "12 letters and digits" in client.get("/check/", {"code": "not-a-code"}).text
    newer = PolicyVersion.objects.create(
        pack_id="wonder",
        sha256="f" * 64,
        organisation=wonder.organisation,
        title=wonder.title,
        policy_version="July 2026",
        clause_count=1,
        source_yaml=wonder.source_yaml,
        published_at=timezone.now() + dt.timedelta(minutes=1),
    )
    stale = client.get("/check/", {"code": wonder.version_code})
    assert "Out of date" in stale.text and newer.version_code in stale.text


def test_a_new_starter_is_not_overdue_on_their_first_day(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=60))
    Person.objects.filter(email=ASH_TEACHER).update(start_date=timezone.localdate() - dt.timedelta(days=3))
    page = signed_in(ASH_TEACHER).get("/my-policy/").text
    assert "Please read each section" in page and "overdue" not in page
    assert "Emma Green" not in signed_in(ASH_HEAD).get("/my-policy/dashboard/").text  # not on the list


# ---------------------------------------------------------------- the dashboard


def test_the_dashboard_counts_by_school_and_role_and_lists_the_overdue(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    sign(ASH_TEACHER)
    trust_view = signed_in(TRUST_DPL).get("/my-policy/dashboard/")
    assert trust_view.status_code == 200
    assert f"<strong>1</strong> of {ash_signers()}" in trust_view.text
    assert "staff 1/2" in trust_view.text  # Emma of Ash's two staff (Tom leaves later this month)
    assert "Birch Academy" in trust_view.text and "Wells Primary School" in trust_view.text
    assert "Central team" in trust_view.text  # the trust's own people, for a trust-wide DPL
    assert "Mark Wilson" in trust_view.text and ">Emma Green<" not in trust_view.text  # overdue list
    ash_view = signed_in(ASH_HEAD).get("/my-policy/dashboard/").text
    assert "Ash Primary School" in ash_view and "Birch Academy" not in ash_view
    assert "Central team" not in ash_view and "Priya Shah" not in ash_view
    assert signed_in(ASH_TEACHER).get("/my-policy/dashboard/").status_code == 403
    birch_view = signed_in(BIRCH_HEAD).get("/my-policy/dashboard/").text
    assert "Ash Primary School" not in birch_view and "Mark Wilson" not in birch_view


def test_the_dashboard_shows_one_school_at_a_time_and_refuses_a_school_it_does_not_know(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    client = signed_in(TRUST_DPL)
    birch = School.objects.get(slug="birch-academy")
    one = client.get("/my-policy/dashboard/", {"school": birch.pk}).text
    assert "Jamie Cole" in one and "Mark Wilson" not in one and "Ash Primary School</th>" not in one
    central = client.get("/my-policy/dashboard/", {"school": "central"}).text
    assert "Daniel Reid" in central and "Jamie Cole" not in central
    wrong = client.get("/my-policy/dashboard/", {"school": "99999"})
    assert wrong.status_code == 200 and "Choose a school from the list." in wrong.text
    ash = School.objects.get(slug="ash-primary")
    # A school keeper cannot pick another school: it is not on their list.
    assert (
        "Choose a school from the list."
        in signed_in(BIRCH_HEAD).get("/my-policy/dashboard/", {"school": ash.pk}).text
    )


def test_the_overdue_list_is_paged_and_counted_in_the_database(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    ash = School.objects.get(slug="ash-primary")
    Person.objects.bulk_create(
        Person(
            trust=ash.trust,
            school=ash,
            email=f"t{n:03}@ash.demotrust.org.uk",
            first_name="Temp",
            last_name=f"T{n:03}",
        )
        for n in range(60)
    )
    client = signed_in(ASH_HEAD)
    first = client.get("/my-policy/dashboard/").text
    overdue = ash_signers()
    assert f"Sign-off overdue ({overdue})" in first and "Page 1 of 2" in first
    second = client.get("/my-policy/dashboard/", {"page": 2}).text
    assert "Page 2 of 2" in second and "Temp T059" in second


def test_the_dashboard_costs_the_same_queries_for_ten_schools_as_for_three(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    client = signed_in(TRUST_DPL)
    client.get("/my-policy/dashboard/")  # warm the per-process pack cache

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get("/my-policy/dashboard/").status_code == 200
        return len(captured)

    three = queries()
    trust = Trust.objects.get(slug="demo-trust")
    for n in range(7):
        school = School.objects.create(trust=trust, name=f"School {n}", slug=f"school-{n}")
        people = Person.objects.bulk_create(
            Person(trust=trust, school=school, email=f"p{k}@s{n}.example.org", last_name=f"P{k}")
            for k in range(5)
        )
        RoleAssignment.objects.bulk_create(
            RoleAssignment(person=p, school=school, role="staff") for p in people
        )
    assert queries() == three


# ---------------------------------------------------------------- campaigns


def test_publishing_a_version_opens_a_campaign_in_each_trust_that_follows_it(
    demo: None, tmp_path: Path
) -> None:
    # The packs were published before the demo trust existed: the demo data opens its campaigns,
    # and loading it again opens and records nothing more.
    trust = Trust.objects.get(slug="demo-trust")
    assert not Campaign.objects.exists()
    signoff_demo.load(trust)
    assert set(Campaign.objects.values_list("version__pack_id", flat=True)) == {"wonder", "wells"}
    assert signoff_demo.load(trust) == "sign-off: 0 campaign(s) opened, 0 training record(s) added"
    # A new version published with the trust in place opens its own campaign; the old one is superseded.
    # A pack file outside the packs folder, with the lists and sources it names beside it.
    for item in PACKS.iterdir():
        if item.name != "wonder.yaml":
            (tmp_path / item.name).symlink_to(item)
    text = (PACKS / "wonder.yaml").read_text(encoding="utf-8")
    (tmp_path / "wonder.yaml").write_text(text.replace("June 2026\n", "December 2026\n", 1), encoding="utf-8")
    out = StringIO()
    call_command("load_packs", str(tmp_path / "wonder.yaml"), stdout=out)
    assert "sign-off open in 1 trust(s)" in out.getvalue()
    new_version = PolicyVersion.objects.filter(pack_id="wonder").latest("published_at")
    assert Campaign.objects.filter(trust=trust, version=new_version).exists()
    listing = signed_in(TRUST_DPL).get("/my-policy/campaigns/").text
    assert "superseded by a newer version" in listing and "open" in listing
    assert AuditEvent.objects.filter(action="signoff.campaign_open").count() == 3


def test_the_campaign_page_shows_progress_and_reminders_to_those_who_keep_the_records(demo: None) -> None:
    sign(ASH_TEACHER)
    call_command("send_reminders", stdout=StringIO())
    wonder = Campaign.objects.get(version__pack_id="wonder")
    wells = Campaign.objects.get(version__pack_id="wells")
    ash_view = signed_in(ASH_HEAD).get(f"/my-policy/campaigns/{wonder.pk}/")
    assert ash_view.status_code == 200
    assert f"<strong>1</strong> of {ash_signers()}" in ash_view.text
    assert "m.wilson@ash.demotrust.org.uk" in ash_view.text  # reminded
    assert "e.green@ash.demotrust.org.uk" not in ash_view.text  # signed: not reminded
    assert "j.cole@birch.demotrust.org.uk" not in ash_view.text  # another school's people
    birch_view = signed_in(BIRCH_HEAD).get(f"/my-policy/campaigns/{wonder.pk}/").text
    assert "j.cole@birch.demotrust.org.uk" in birch_view and "m.wilson@ash" not in birch_view
    # A colleague in the same school, and a school that does not follow the pack: no such campaign.
    assert signed_in(ASH_COLLEAGUE).get(f"/my-policy/campaigns/{wonder.pk}/").status_code == 404
    assert signed_in(ASH_TEACHER).get("/my-policy/campaigns/").status_code == 403
    assert signed_in(WELLS_HEAD).get(f"/my-policy/campaigns/{wonder.pk}/").status_code == 404
    assert signed_in(BIRCH_HEAD).get(f"/my-policy/campaigns/{wells.pk}/").status_code == 404
    assert signed_in(WELLS_HEAD).get(f"/my-policy/campaigns/{wells.pk}/").status_code == 200
    trust_list = signed_in(TRUST_DPL).get("/my-policy/campaigns/").text
    assert str(Reminder.objects.filter(campaign=wonder).count()) in trust_list


# ---------------------------------------------------------------- reminders


def test_reminders_go_to_everyone_who_has_not_signed_once_a_day_with_a_link(
    demo: None, clock: Clock, settings: LazySettings
) -> None:
    settings.AUPGUARD_BASE_URL = "https://aup.demotrust.org.uk"
    sign(ASH_TEACHER)
    out = StringIO()
    call_command("send_reminders", stdout=out)
    owed = set(
        Person.objects.filter(account_kind="person", in_directory=True)
        .exclude(leave_date__lt=timezone.localdate())
        .exclude(email=ASH_TEACHER)
        .values_list("email", flat=True)
    )
    assert {message.to[0] for message in mail.outbox} == owed and len(mail.outbox) == len(owed)
    assert "office@ash.demotrust.org.uk" not in owed  # a shared mailbox signs nothing
    mark = next(m for m in mail.outbox if m.to == [ASH_COLLEAGUE])
    assert "https://aup.demotrust.org.uk/my-policy/" in mark.body and "Dear Mark" in mark.body
    assert mark.subject.startswith("Please read and sign the acceptable use policy by")
    assert mark.extra_headers["Auto-Submitted"] == "auto-generated"
    assert f"{len(owed)} reminder(s) to send ({len(owed)} new), {len(owed)} sent, 0 failed" in out.getvalue()
    assert AuditEvent.objects.filter(action="signoff.reminders_sent").count() == 1

    call_command("send_reminders", stdout=StringIO())  # the same day again: nobody twice
    clock.days(1)
    call_command("send_reminders", stdout=StringIO())  # the next day: not again within the week
    assert len(mail.outbox) == len(owed)
    assert Reminder.objects.filter(status=Reminder.Status.SENT).count() == len(owed)

    sign(ASH_COLLEAGUE)
    clock.days(6)  # a week after the first: everyone still unsigned, and only them
    mail.outbox.clear()
    call_command("send_reminders", stdout=StringIO())
    assert {message.to[0] for message in mail.outbox} == owed - {ASH_COLLEAGUE}


def test_a_late_signature_is_reminded_as_overdue(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    call_command("send_reminders", stdout=StringIO())
    mark = next(m for m in mail.outbox if m.to == [ASH_COLLEAGUE])
    assert mark.subject == "Overdue: Please read and sign the acceptable use policy"
    assert "is overdue: it was due by" in mark.body


class FailingForMark(EmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        if any(ASH_COLLEAGUE in message.to for message in email_messages):
            raise ConnectionRefusedError("mail server refused the connection")
        return super().send_messages(email_messages)


def test_a_reminder_that_failed_is_sent_by_the_next_run_the_same_day_and_only_once(
    demo: None, settings: LazySettings
) -> None:
    settings.EMAIL_BACKEND = "tests.web.test_signoff.FailingForMark"
    err = StringIO()
    call_command("send_reminders", stdout=StringIO(), stderr=err)
    failed = Reminder.objects.get(person__email=ASH_COLLEAGUE)
    assert failed.status == "failed" and "refused the connection" in failed.error
    assert "1 reminder(s) failed" in err.getvalue()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sent_before = len(mail.outbox)
    call_command("send_reminders", stdout=StringIO())
    assert [m.to for m in mail.outbox[sent_before:]] == [[ASH_COLLEAGUE]]
    assert Reminder.objects.get(person__email=ASH_COLLEAGUE).status == "sent"


class NoMailServer(EmailBackend):
    def open(self) -> bool:
        raise ConnectionRefusedError("no mail server")


def test_with_no_mail_server_the_run_fails_loudly_and_the_next_run_sends_everything(
    demo: None, settings: LazySettings
) -> None:
    settings.EMAIL_BACKEND = "tests.web.test_signoff.NoMailServer"
    with pytest.raises(CommandError, match="no mail server"):
        call_command("send_reminders", stdout=StringIO())
    queued = Reminder.objects.count()
    assert queued and Reminder.objects.filter(status="queued").count() == queued and not mail.outbox
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    out = StringIO()
    call_command("send_reminders", stdout=out)
    assert f"{queued} reminder(s) to send (0 new), {queued} sent" in out.getvalue()
    assert len(mail.outbox) == queued == Reminder.objects.filter(status="sent").count()


def test_a_dry_run_lists_who_would_be_reminded_and_sends_nothing(demo: None) -> None:
    out = StringIO()
    call_command("send_reminders", "--dry-run", stdout=out)
    assert f"{ASH_COLLEAGUE}: sign-off" in out.getvalue() and "would be sent" in out.getvalue()
    assert not mail.outbox and not Reminder.objects.exists()


def test_a_large_trust_s_dashboard_shows_totals_and_one_school_by_role(demo: None) -> None:
    client = signed_in(TRUST_DPL)
    small = client.get("/my-policy/dashboard/").text
    assert "By role" in small and "Choose a school to see it by role" not in small
    trust = Trust.objects.get(slug="demo-trust")
    for n in range(10):  # thirteen schools and the central team: past BY_ROLE_SCHOOLS
        school = School.objects.create(trust=trust, name=f"School {n}", slug=f"school-{n}")
        person = Person.objects.create(trust=trust, school=school, email=f"p@s{n}.example.org", last_name="P")
        RoleAssignment.objects.create(person=person, school=school, role="staff")
    large = client.get("/my-policy/dashboard/").text
    assert "By role" not in large and "Choose a school to see it by role" in large
    ash = School.objects.get(slug="ash-primary")
    one = client.get("/my-policy/dashboard/", {"school": ash.pk}).text
    assert "By role" in one and "headteacher" in one
