"""Cyber-security training: recording it (your own, or for others as a record keeper), when it is due
and overdue, the training side of the dashboard, the home page and the reminders."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core import mail
from django.core.management import call_command
from django.utils import timezone

from aupguard.web.audit.models import AuditEvent
from aupguard.web.home.views import needs_of as home_needs_of
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person
from aupguard.web.signoff.actions import do_record_training
from aupguard.web.signoff.models import Reminder, Training
from aupguard.web.signoff.queries import (
    cohorts_for,
    school_rows,
    signoff_overdue_people,
    training_overdue_people,
)
from aupguard.web.signoff.reminders import plan_reminders
from aupguard.web.signoff.status import status_of, training_status_of
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, TRUST_DPL, signed_in
from tests.web.test_signoff import ASH_COLLEAGUE, WELLS_HEAD, WELLS_TEACHER, publish_wonder

pytestmark = pytest.mark.django_db

COURSE = "NCSC Cyber Security Training for School Staff"


@pytest.fixture
def demo() -> None:
    """The demo trust without the demo's training records: each test states the training it needs."""
    call_command("load_packs", "wonder", "wells", stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())
    Training.objects.all().delete()


def days_ago(days: int) -> dt.date:
    return timezone.localdate() - dt.timedelta(days=days)


def record(email: str, completed: int, course: str = COURSE) -> Training:
    person = Person.objects.get(email=email)
    assert person.user is not None
    return do_record_training(person, course=course, completed_on=days_ago(completed), actor=person.user)


def form(completed_on: str, course: str = COURSE, **more: str) -> dict[str, str]:
    return {"course": course, "completed_on": completed_on, "provider": "", "evidence": "", **more}


# ---------------------------------------------------------------- recording


def test_staff_record_their_own_training_and_see_their_history(demo: None) -> None:
    client = signed_in(ASH_TEACHER)
    page = client.get("/my-policy/training/")
    assert page.status_code == 200 and "No training recorded yet." in page.text
    assert "no due date" in page.text  # the demo trust's policy sets no training interval
    day = days_ago(12)
    response = client.post(
        "/my-policy/training/",
        form(day.isoformat(), provider="National Cyber Security Centre", evidence="cert  NCSC-1"),
    )
    assert response.status_code == 302
    (training,) = Training.objects.all()
    assert training.person.email == ASH_TEACHER and training.recorded_by.username == ASH_TEACHER
    assert training.completed_on == day and training.evidence == "cert NCSC-1"
    history = client.get("/my-policy/training/").text
    assert f"Recorded: {COURSE}, completed {day:%-d %B %Y}." in history
    assert "National Cyber Security Centre" in history and "No training recorded yet." not in history
    event = AuditEvent.objects.filter(action="training.record").latest("at")
    assert event.actor_name == ASH_TEACHER and event.details["completed_on"] == day.isoformat()


@pytest.mark.parametrize(
    ("posted", "error"),
    [
        (form("", course=""), "Enter the name of the course."),
        (form(""), "Enter the date the course was completed."),
        (form("31/02/2026"), "Enter the date as day/month/year, for example 14/09/2026."),
        (form((timezone.localdate() + dt.timedelta(days=1)).isoformat()), "cannot be in the future"),
        (form("01/01/1999"), "Check the year: that date is before 2000."),
    ],
)
def test_a_bad_training_form_is_explained_next_to_the_field(
    demo: None, posted: dict[str, str], error: str
) -> None:
    response = signed_in(ASH_TEACHER).post("/my-policy/training/", posted)
    assert response.status_code == 200 and error in response.text
    assert 'aria-invalid="true"' in response.text
    assert not Training.objects.exists()


def test_the_same_course_on_the_same_day_is_recorded_once(demo: None) -> None:
    client = signed_in(ASH_TEACHER)
    client.post("/my-policy/training/", form("14/09/2026"))
    again = client.post("/my-policy/training/", form("2026-09-14"))
    assert again.status_code == 200 and "is already recorded for you." in again.text
    assert Training.objects.count() == 1


def test_a_record_keeper_records_training_for_someone_in_their_school(demo: None) -> None:
    emma = Person.objects.get(email=ASH_TEACHER)
    head = signed_in(ASH_HEAD)
    page = head.get(f"/my-policy/training/people/{emma.pk}/")
    assert page.status_code == 200 and "Cyber security training: Emma Green" in page.text
    assert head.post(f"/my-policy/training/people/{emma.pk}/", form("2026-11-02")).status_code == 302
    training = Training.objects.get(person=emma)
    assert training.recorded_by.username == ASH_HEAD
    assert "Kate O&#x27;Connor" in signed_in(ASH_TEACHER).get("/my-policy/training/").text  # recorded by
    # A trust-wide DPL records for any school, Wells included.
    aisha = Person.objects.get(email=WELLS_TEACHER)
    assert (
        signed_in(TRUST_DPL).post(f"/my-policy/training/people/{aisha.pk}/", form("2026-11-03")).status_code
        == 302
    )
    assert Training.objects.filter(person=aisha).exists()


def test_a_colleague_or_another_school_can_neither_see_nor_record_someone_s_training(demo: None) -> None:
    emma = Person.objects.get(email=ASH_TEACHER)
    record(ASH_TEACHER, 10)
    url = f"/my-policy/training/people/{emma.pk}/"
    for outsider in (ASH_COLLEAGUE, BIRCH_HEAD, WELLS_HEAD):
        client = signed_in(outsider)
        assert client.get(url).status_code == 404, outsider
        assert client.post(url, form("2026-11-01", course="Something else")).status_code == 404, outsider
    assert Training.objects.count() == 1
    # Their own page under their id is their own training page.
    response = signed_in(ASH_TEACHER).get(url)
    assert response.status_code == 302 and response["Location"] == "/my-policy/training/"
    office = Person.objects.get(email="office@ash.demotrust.org.uk")  # a shared inbox trains no one
    assert signed_in(ASH_HEAD).get(f"/my-policy/training/people/{office.pk}/").status_code == 404


# ---------------------------------------------------------------- due and overdue


@pytest.mark.parametrize(
    ("published", "started", "trained", "due", "overdue", "due_in"),
    [
        (10, None, [], True, False, 18),  # never trained: 28 days from publication
        (40, None, [], True, True, -12),
        (40, 5, [], True, False, 23),  # a new starter: 28 days from their first day
        (400, None, [300], False, False, 65),  # good for a year: not yet due
        (400, None, [340], True, False, 25),  # due 28 days before it runs out
        (400, None, [365], True, False, 0),  # the last day in time
        (400, None, [366], True, True, -1),
        (400, None, [366, 10], False, False, 355),  # the latest course counts
    ],
)
def test_training_is_due_and_overdue_the_same_way_for_a_person_the_dashboard_and_the_reminders(
    demo: None,
    published: int,
    started: int | None,
    trained: list[int],
    due: bool,
    overdue: bool,
    due_in: int,
) -> None:
    publish_wonder(published, training_interval=365)
    Person.objects.filter(email=ASH_TEACHER).update(
        start_date=days_ago(started) if started else dt.date(2021, 9, 1)
    )
    for n, completed in enumerate(trained):
        record(ASH_TEACHER, completed, course=f"Course {n}")
    emma = Person.objects.get(email=ASH_TEACHER)
    today = timezone.localdate()

    status = training_status_of(emma)
    assert (status.interval_days, status.due, status.overdue) == (365, due, overdue)
    assert status.due_on == today + dt.timedelta(days=due_in)

    trust = Trust.objects.get(slug="demo-trust")
    cohorts = cohorts_for(trust, trust.schools.all(), central=True)
    late = training_overdue_people(Person.objects.filter(pk=emma.pk), cohorts, today)
    assert [p.pk for p in late] == ([emma.pk] if overdue else []) and late.count() == int(overdue)
    (ash,) = [
        row
        for row in school_rows(
            Person.objects.filter(pk=emma.pk), cohorts, trust.schools.all(), timezone.now()
        )
        if row.total
    ]
    assert ash.trained == (1 if trained and not overdue else 0)  # "done": a course still good
    planned = [p for p in plan_reminders(timezone.now()) if p.person_id == emma.pk]
    assert [p.training_due for p in planned if p.training_due] == ([status.due_on] if due else [])


@pytest.mark.parametrize(
    ("published", "started", "signed", "due", "overdue", "deadline_in"),
    [
        (10, None, None, True, False, dt.timedelta(days=18)),
        (40, None, None, True, True, dt.timedelta(days=-12)),
        (40, 5, None, True, False, None),  # a new starter: until the end of their 28th day
        (500, None, 100, False, False, None),  # signed and still good
        (500, None, 370, True, False, dt.timedelta(days=23)),  # lapsed: 28 days to sign again
        (500, None, 400, True, True, dt.timedelta(days=-7)),
    ],
)
def test_a_signature_is_due_and_overdue_the_same_way_for_a_person_and_the_dashboard(
    demo: None,
    published: int,
    started: int | None,
    signed: int | None,
    due: bool,
    overdue: bool,
    deadline_in: dt.timedelta | None,
) -> None:
    version = publish_wonder(published)
    Person.objects.filter(email=ASH_TEACHER).update(
        start_date=days_ago(started) if started else dt.date(2021, 9, 1)
    )
    emma = Person.objects.get(email=ASH_TEACHER)
    if signed is not None:
        emma.signoffs.create(
            version=version, typed_name="Emma Green", signed_at=timezone.now() - dt.timedelta(days=signed)
        )
    now = timezone.now()
    status = status_of(emma, now)
    assert (status.due, status.overdue) == (due, overdue)
    if deadline_in is not None:
        assert status.deadline is not None
        assert abs(status.deadline - (now + deadline_in)) < dt.timedelta(minutes=1)
    if started:
        assert status.deadline is not None and timezone.localtime(status.deadline).date() == days_ago(
            started
        ) + dt.timedelta(days=29)
    trust = Trust.objects.get(slug="demo-trust")
    cohorts = cohorts_for(trust, trust.schools.all(), central=True)
    late = signoff_overdue_people(Person.objects.filter(pk=emma.pk), cohorts, now)
    assert [p.pk for p in late] == ([emma.pk] if overdue else []) and late.count() == int(overdue)
    (ash,) = [
        row
        for row in school_rows(Person.objects.filter(pk=emma.pk), cohorts, trust.schools.all(), now)
        if row.total
    ]
    assert ash.signed == (0 if due else 1)


# ---------------------------------------------------------------- the pages that show it


def test_the_dashboard_counts_training_per_school_and_lists_the_overdue(demo: None) -> None:
    publish_wonder(60, training_interval=365)
    record(ASH_TEACHER, 30)
    record(ASH_COLLEAGUE, 400)  # ran out: overdue
    page = signed_in(TRUST_DPL).get("/my-policy/dashboard/").text
    ash_row = page[page.index("Ash Primary School</th>") :].split("</tr>")[0]
    ash_people = Person.objects.filter(school__slug="ash-primary", account_kind="person").exclude(
        leave_date__lt=timezone.localdate()
    )
    assert f"<strong>1</strong> of {ash_people.count()} done" in ash_row
    late = page[page.index('id="training-overdue"') :]
    assert "Mark Wilson" in late and "Kate O&#x27;Connor" in late and ">Emma Green<" not in late
    assert "Jamie Cole" in late  # Birch follows the same pack
    assert "Aisha Khan" not in late  # Wells's own policy sets no interval ...
    assert "The wells policy does not say how often training is due" in page
    wells_row = page[page.index("Wells Primary School</th>") :].split("</tr>")[0]
    assert "no due date in this policy" in wells_row
    ash_view = signed_in(ASH_HEAD).get("/my-policy/dashboard/").text
    assert "Mark Wilson" in ash_view and "Jamie Cole" not in ash_view


def test_the_training_page_says_when_it_is_due(demo: None) -> None:
    publish_wonder(60, training_interval=365)
    overdue = signed_in(ASH_TEACHER).get("/my-policy/training/").text
    assert "Overdue: training was due by" in overdue
    record(ASH_TEACHER, 30)
    done = signed_in(ASH_TEACHER).get("/my-policy/training/").text
    good_until = days_ago(30) + dt.timedelta(days=365)
    assert f"is good until {good_until:%-d %B %Y}" in done


def test_training_due_is_on_the_home_page_until_it_is_recorded(demo: None) -> None:
    emma = Person.objects.get(email=ASH_TEACHER)
    assert not [n for n in home_needs_of(emma) if n.kind == "training"]  # no interval: nothing due
    publish_wonder(60, training_interval=365)
    (need,) = [n for n in home_needs_of(emma) if n.kind == "training"]
    assert (
        need.title == "Do your cyber security training" and need.urgent and need.url == "/my-policy/training/"
    )
    page = signed_in(ASH_TEACHER).get("/").text
    assert "Do your cyber security training" in page
    record(ASH_TEACHER, 340)  # done, but running out within four weeks
    (need,) = [n for n in home_needs_of(emma) if n.kind == "training"]
    assert need.title == "Renew your cyber security training" and not need.urgent
    assert need.due is not None and timezone.localtime(need.due).date() == days_ago(340) + dt.timedelta(
        days=365
    )
    record(ASH_TEACHER, 1, course="Phishing refresher")
    assert not [n for n in home_needs_of(emma) if n.kind == "training"]


def test_reminders_ask_for_training_when_only_training_is_due(demo: None) -> None:
    version = publish_wonder(60, training_interval=365)
    emma = Person.objects.get(email=ASH_TEACHER)
    emma.signoffs.create(version=version, typed_name="Emma Green")
    call_command("send_reminders", stdout=StringIO())
    (message,) = [m for m in mail.outbox if m.to == [ASH_TEACHER]]
    assert message.subject == "Overdue: Please complete your cyber security training"
    assert "/my-policy/training/" in message.body and "/my-policy/\n" not in message.body
    reminder = Reminder.objects.get(person=emma)
    assert reminder.campaign is None and reminder.signoff_due is None and reminder.training_due is not None
    both = next(m for m in mail.outbox if m.to == [ASH_COLLEAGUE])
    assert both.subject == (
        "Overdue: Please sign the acceptable use policy and complete your cyber security training"
    )
