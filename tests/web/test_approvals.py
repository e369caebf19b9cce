"""Requests and approvals, as the people of the demo trust use them, and the snapshot that lets the
guards through.

The cast (demo/trust-staff.csv): at Wells Primary (pack wells) Aisha Khan (staff) and James Ward
(headteacher, senior leader, her line manager), Thomas Osei (DPL) and Vera Nowak (volunteer); at Ash
Primary (pack wonder) Emma Green (staff) and Kate O'Connor (head); Lucy Morgan (COO, trust-wide);
Priya Shah (CEO and senior leader, trust-wide). A test school on pack `oak` adds the workflows wells
and wonder lack (filtered_site_access, leaver_mailbox_access, learner_data_app).
"""

from __future__ import annotations

import datetime as dt
import json
import re
from collections.abc import Callable
from contextlib import AbstractContextManager
from email.message import EmailMessage
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings, settings
from django.contrib.auth.models import User
from django.core import mail
from django.core.management import CommandError, call_command
from django.db import IntegrityError, transaction
from django.test import Client
from django.utils import timezone

from aupguard.cli import main as aupguard_main
from aupguard.engine.approvals import read_approvals
from aupguard.engine.web.compile import build_database
from aupguard.web.approvals import demo as approvals_demo
from aupguard.web.approvals.access import approvers_for, can_decide, visible_requests
from aupguard.web.approvals.actions import (
    Assessment,
    RequestRefused,
    do_decide_request,
    do_record_risk_assessment,
    do_revoke_request,
)
from aupguard.web.approvals.models import Request
from aupguard.web.approvals.needs import needs_of
from aupguard.web.approvals.queries import waiting_for
from aupguard.web.approvals.scopes import clean_domain
from aupguard.web.approvals.workflows import enabled_for
from aupguard.web.audit.models import AuditEvent
from aupguard.web.org.management.commands.load_demo import DEMO_PASSWORD
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person, RoleAssignment
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

AISHA = "a.khan@wells.redbridge.sch.uk"
JAMES = "j.ward@wells.redbridge.sch.uk"
THOMAS = "t.osei@wells.redbridge.sch.uk"
VERA = "v.nowak@wells.redbridge.sch.uk"
EMMA = "e.green@ash.demotrust.org.uk"
ASH_HEAD = "k.oconnor@ash.demotrust.org.uk"
MARK = "m.wilson@ash.demotrust.org.uk"
LUCY = "l.morgan@demotrust.org.uk"
PRIYA = "p.shah@demotrust.org.uk"
BIRCH_HEAD = "n.patel@birch.demotrust.org.uk"
OAK_TEACHER = "o.teacher@oak.demotrust.org.uk"
OAK_HEAD = "o.head@oak.demotrust.org.uk"
OAK_DPL = "o.dpl@oak.demotrust.org.uk"

Capture = Callable[..., AbstractContextManager[list[Callable[[], Any]]]]


@pytest.fixture(autouse=True)
def _no_second_factor(settings: LazySettings) -> None:
    # Signing in with a second factor is the accounts app's to test; here everyone signs in with a password.
    settings.AUPGUARD_MFA_ROLES = ()


@pytest.fixture
def demo() -> Trust:
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())
    return Trust.objects.get(slug="demo-trust")


def _person(
    trust: Trust, school: School, email: str, name: str, roles: list[str], manager: Person | None = None
) -> Person:
    first, last = name.split()
    user = User.objects.create_user(username=email, email=email, password=DEMO_PASSWORD)
    person = Person.objects.create(
        trust=trust,
        school=school,
        email=email,
        first_name=first,
        last_name=last,
        user=user,
        line_manager=manager,
    )
    for role in roles:
        RoleAssignment.objects.create(person=person, school=school, role=role)
    return person


@pytest.fixture
def oak(demo: Trust) -> School:
    """A school of the demo trust that follows pack oak."""
    school = School.objects.create(trust=demo, slug="oak-primary", name="Oak Primary School", pack_id="oak")
    head = _person(demo, school, OAK_HEAD, "Olu Head", ["headteacher", "senior_leader", "line_manager"])
    _person(demo, school, OAK_DPL, "Ola Dee", ["dpl"])
    _person(demo, school, OAK_TEACHER, "Oscar Teacher", ["staff"], manager=head)
    return school


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def person(email: str) -> Person:
    return Person.objects.get(email=email)


def _days(n: int) -> str:
    return (timezone.localdate() + dt.timedelta(days=n)).isoformat()


def ask(client: Client, workflow: str, **fields: str) -> Any:
    data = {
        "details": "I need this for a moderation meeting next week.",
        "first_day": _days(0),
        "last_day": _days(13),
    }
    data.update(fields)
    return client.post(f"/requests/new/{workflow}/", data)


def made(email: str, workflow: str) -> Request:
    return Request.objects.filter(requester__email=email, workflow=workflow).latest("pk")


@pytest.fixture
def removable_media(demo: Trust) -> Request:
    """Aisha's pending removable media request, made through the page."""
    response = ask(
        signed_in(AISHA), "removable_media", scope="Encrypted USB drive WPS-USB-014: moderation samples"
    )
    assert response.status_code == 302, response.content.decode()
    return made(AISHA, "removable_media")


# --- making a request -----------------------------------------------------------------------------


def test_make_a_request_offers_only_what_each_person_s_policy_enables(demo: Trust) -> None:
    wells = signed_in(AISHA).get("/requests/new/").content.decode()
    assert "Use removable media" in wells and "Send bulk email" in wells
    assert "RB-6.2.1" in wells and "James Ward" in wells  # the clause and who decides
    assert "An exemption from part of the policy" not in wells
    ash = signed_in(EMMA).get("/requests/new/").content.decode()
    assert "An exemption from part of the policy" in ash and "WLP-5.31" in ash and "Lucy Morgan" in ash
    assert "Use removable media" not in ash
    assert signed_in(EMMA).get("/requests/new/removable_media/").status_code == 404


def test_the_form_shows_the_clause_and_who_decides_and_fits_the_scope_to_the_workflow(demo: Trust) -> None:
    page = signed_in(AISHA).get("/requests/new/removable_media/").content.decode()
    assert "All removable media must be approved before use" in page  # RB-6.2.2, quoted
    assert "James Ward" in page and "Priya Shah" in page  # Wells' senior leader and the trust's
    assert "The device and what it will hold" in page and 'type="date"' in page
    assert f'value="{_days(0)}"' in page  # starts today by default
    bulk = signed_in(AISHA).get("/requests/new/bulk_email/").content.decode()
    assert "Which mailing" in bulk and f'value="{_days(6)}"' in bulk  # a week by default


def test_a_teacher_asks_for_removable_media_and_the_senior_leader_approves_it(
    demo: Trust, django_capture_on_commit_callbacks: Capture
) -> None:
    aisha = signed_in(AISHA)
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(
            aisha,
            "removable_media",
            scope="Encrypted USB drive WPS-USB-014: Year 4 moderation samples",
            details="I take our writing samples to the borough moderation meeting each term.",
        )
    req = made(AISHA, "removable_media")
    assert response.status_code == 302 and response.url == f"/requests/{req.pk}/"
    assert (req.status, req.clause_id, req.approver_role, req.school.slug) == (
        "pending",
        "RB-6.2.1",
        "senior_leader",
        "wells-primary",
    )
    (told,) = mail.outbox
    assert set(told.to) == {JAMES, PRIYA} and req.reference in told.subject and "/requests/" in told.body
    assert told.from_email == settings.DEFAULT_FROM_EMAIL
    assert "has gone to" in aisha.get(response.url).content.decode()

    james = signed_in(JAMES)
    waiting = james.get("/requests/waiting/").content.decode()
    assert "Aisha Khan" in waiting and "WPS-USB-014" in waiting
    page = james.get(f"/requests/{req.pk}/").content.decode()
    assert "Removable media such as memory sticks should not be used" in page and "Record my decision" in page
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        decided = james.post(
            f"/requests/{req.pk}/decide/", {"decision": "approve", "note": "Keep it encrypted."}
        )
    assert decided.status_code == 302
    req.refresh_from_db()
    assert (
        req.status == "approved"
        and req.decided_by == person(JAMES)
        and req.decision_note == "Keep it encrypted."
    )
    (told,) = mail.outbox
    assert told.to == [AISHA] and told.cc == [JAMES] and "approved" in told.subject
    mine = aisha.get("/requests/").content.decode()
    assert "approved" in mine and "James Ward" in mine
    actions = list(
        AuditEvent.objects.filter(target_type="request", target_id=str(req.pk)).values_list(
            "action", flat=True
        )
    )
    assert sorted(actions) == ["approvals.approve", "approvals.request"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"details": "usb"}, "details", "Say what you need and why"),
        ({"scope": ""}, "scope", "This field is required"),
        ({"first_day": _days(-1)}, "first_day", "cannot be in the past"),
        ({"first_day": "31/02/2027"}, "first_day", "Enter a valid date"),
        ({"last_day": _days(-1), "first_day": _days(0)}, "last_day", "on or after the first day"),
        ({"last_day": _days(400)}, "last_day", "at most 366 days"),
    ],
)
def test_bad_input_gets_a_clear_error_next_to_its_field(
    demo: Trust, fields: dict[str, str], field: str, message: str
) -> None:
    values = {"scope": "USB drive WPS-USB-014", **fields}
    response = ask(signed_in(AISHA), "removable_media", **values)
    assert response.status_code == 200
    page = response.content.decode()
    assert re.search(rf'id="id_{field}_error" class="error">[^<]*{message}', page), page
    assert 'aria-invalid="true"' in page and not Request.objects.exists()


def test_a_site_request_needs_a_domain(oak: School) -> None:
    teacher = signed_in(OAK_TEACHER)
    for bad, message in [
        ("not a site", "not a web address"),
        ("co.uk", "ending many organisations share"),
        ("10.1.2.3", "not a numeric"),
    ]:
        page = ask(teacher, "filtered_site_access", scope=bad).content.decode()
        assert message in page, bad
    assert ask(teacher, "filtered_site_access", scope="https://www.HackTheBox.com/login").status_code == 302
    assert made(OAK_TEACHER, "filtered_site_access").scope == "www.hackthebox.com"


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("example.org", "example.org"),
        ("http://Sub.Example.org:8080/path?q=1", "sub.example.org"),
        ("bücher.example", "xn--bcher-kva.example"),
        ("localhost", None),
        ("exa_mple.com", None),
        ("-bad.com", None),
        ("sch.uk", None),
        ("x.123", None),
    ],
)
def test_domains_are_normalised_or_refused(value: str, expected: str | None) -> None:
    if expected is None:
        with pytest.raises(ValueError, match=r"\w"):
            clean_domain(value)
    else:
        assert clean_domain(value) == expected


def test_a_learner_data_app_needs_its_dpia_reference(oak: School) -> None:
    teacher = signed_in(OAK_TEACHER)
    page = ask(teacher, "learner_data_app", scope="Reading Eggs").content.decode()
    assert "needs a DPIA first" in page and not Request.objects.exists()
    assert (
        ask(teacher, "learner_data_app", scope="Reading Eggs", dpia_reference="DPIA-2026-04").status_code
        == 302
    )
    assert made(OAK_TEACHER, "learner_data_app").dpia_reference == "DPIA-2026-04"


def test_a_mailbox_request_names_whose_mailbox(demo: Trust) -> None:
    james = signed_in(JAMES)
    page = ask(james, "mailbox_access", scope="", subject="").content.decode()
    assert "Choose whose mailbox it is" in page
    page = ask(james, "mailbox_access", scope="someone@", subject="").content.decode()
    assert "Give the mailbox&#x27;s email address" in page
    aisha = person(AISHA)
    page = ask(james, "mailbox_access", scope=THOMAS, subject=str(aisha.pk)).content.decode()
    assert "This is not Aisha Khan&#x27;s address" in page
    assert ask(james, "mailbox_access", scope="", subject=str(aisha.pk)).status_code == 302
    req = made(JAMES, "mailbox_access")
    assert (req.scope, req.subject) == (AISHA, aisha)
    assert ask(james, "mailbox_access", scope=THOMAS.upper(), subject="").status_code == 302
    assert made(JAMES, "mailbox_access").subject == person(THOMAS)  # found from the address


def test_a_leaver_s_mailbox_link_from_the_leavers_page_is_prefilled(oak: School) -> None:
    teacher = person(OAK_TEACHER)
    teacher.leave_date = timezone.localdate() + dt.timedelta(days=10)
    teacher.save()
    head = signed_in(OAK_HEAD)
    response = head.get(f"/requests/new/?workflow=leaver_mailbox_access&subject={teacher.pk}")
    assert response.status_code == 302 and response.url.startswith("/requests/new/leaver_mailbox_access/")
    page = head.get(response.url).content.decode()
    assert f'value="{OAK_TEACHER}"' in page and f'<option value="{teacher.pk}" selected>' in page
    assert f'value="{_days(11)}"' in page  # from the day after the last working day


def test_a_policy_without_a_leaver_workflow_offers_the_one_that_covers_it(demo: Trust) -> None:
    aisha = person(AISHA)
    james = signed_in(JAMES)
    response = james.get(f"/requests/new/?workflow=leaver_mailbox_access&subject={aisha.pk}")
    assert (
        response.url.startswith("/requests/new/mailbox_access/")
        and "asked=leaver_mailbox_access" in response.url
    )
    page = james.get(response.url).content.decode()
    assert "no separate request for “open a leaver&#x27;s mailbox”" in page and f'value="{AISHA}"' in page
    # Ash follows wonder, which has no mailbox workflow at all: say so instead of a broken form.
    emma = person(EMMA)
    page = (
        signed_in(MARK)
        .get(f"/requests/new/?workflow=leaver_mailbox_access&subject={emma.pk}")
        .content.decode()
    )
    assert "Your policy has no request for" in page
    # Someone of another school in the link is not filled in, and the page says so.
    page = james.get(f"/requests/new/mailbox_access/?subject={emma.pk}").content.decode()
    assert "cannot be asked for from your school" in page and f'value="{EMMA}"' not in page


# --- who sees and decides -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("email", "sees", "decides"),
    [
        (AISHA, 200, False),  # the requester: sees it, never decides it
        (JAMES, 200, True),  # Wells' senior leader
        (PRIYA, 200, True),  # the trust-wide senior leader
        (THOMAS, 404, False),  # same school, DPL: not the approving role
        (VERA, 404, False),  # same school, volunteer
        (ASH_HEAD, 404, False),  # a senior leader, of another school
        (LUCY, 404, False),  # trust-wide, another role
        (BIRCH_HEAD, 404, False),
    ],
)
def test_the_role_matrix_for_a_wells_removable_media_request(
    removable_media: Request, email: str, sees: int, decides: bool
) -> None:
    client = signed_in(email)
    response = client.get(f"/requests/{removable_media.pk}/")
    assert response.status_code == sees
    assert ("Record my decision" in response.content.decode()) is decides
    assert ("Aisha Khan" in client.get("/requests/waiting/").content.decode()) is decides
    assert can_decide(person(email), removable_media) is decides
    assessing = client.get(f"/requests/{removable_media.pk}/risk-assessment/").status_code
    assert assessing == (200 if email in (AISHA, JAMES, PRIYA) else 404)
    # Those who cannot see it get 404 for every action; withdraw last, as the requester's succeeds.
    for action in ("decide", "revoke", "withdraw"):
        status = client.post(f"/requests/{removable_media.pk}/{action}/", {}).status_code
        assert (status == 404) is (sees == 404), (action, status)


def test_the_requester_never_decides_their_own_request(demo: Trust) -> None:
    james = signed_in(JAMES)  # a senior leader asking for what senior leaders approve
    assert ask(james, "removable_media", scope="USB drive for the governors' pack").status_code == 302
    req = made(JAMES, "removable_media")
    assert list(approvers_for(req)) == [person(PRIYA)]
    assert "Record my decision" not in james.get(f"/requests/{req.pk}/").content.decode()
    assert "governors" not in james.get("/requests/waiting/").content.decode()
    assert james.post(f"/requests/{req.pk}/decide/", {"decision": "approve"}).status_code == 403
    with pytest.raises(RequestRefused, match="someone else must decide"):
        do_decide_request(req, approve=True, note="", decider=person(JAMES), actor=None)
    req.refresh_from_db()
    assert req.status == "pending"
    # The database is the last line, whatever code forgets.
    with pytest.raises(IntegrityError), transaction.atomic():
        Request.objects.filter(pk=req.pk).update(
            status="approved", decided_by=person(JAMES), decided_at=timezone.now()
        )


def test_get_is_refused_on_the_post_only_pages(removable_media: Request) -> None:
    james = signed_in(JAMES)
    for action in ("decide", "revoke", "withdraw"):
        assert james.get(f"/requests/{removable_media.pk}/{action}/").status_code == 405


def test_nobody_signed_in_is_sent_to_sign_in(removable_media: Request) -> None:
    for url in ("/requests/", "/requests/new/", "/requests/waiting/", f"/requests/{removable_media.pk}/"):
        response = Client().get(url)
        assert response.status_code == 302 and "login" in response.url


def test_routing_agrees_with_who_may_decide_for_everyone(demo: Trust, oak: School) -> None:
    for email, workflow, scope in [
        (AISHA, "removable_media", "USB drive"),
        (AISHA, "sensitive_info_sharing", "SEN report to the speech therapist"),
        (EMMA, "exemption", "WLP-5.7"),
        (JAMES, "ai_tool", "Copilot"),
        (OAK_TEACHER, "filtered_site_access", "example.org"),
    ]:
        assert ask(signed_in(email), workflow, scope=scope).status_code == 302, (email, workflow)
    now = timezone.now()
    requests = list(Request.objects.all())
    for someone in Person.objects.filter(account_kind="person"):
        routed = set(waiting_for(someone, now))
        for req in requests:
            assert (req in routed) is can_decide(someone, req), (someone.email, req.workflow)
            assert (req in set(visible_requests(someone))) is (req.requester == someone or req in routed)


def test_a_line_manager_workflow_goes_to_the_requester_s_own_line_manager(demo: Trust) -> None:
    assert (
        ask(
            signed_in(AISHA), "sensitive_info_sharing", scope="SEN report to the speech therapist"
        ).status_code
        == 302
    )
    req = made(AISHA, "sensitive_info_sharing")
    assert list(approvers_for(req)) == [person(JAMES)]
    assert signed_in(MARK).get(f"/requests/{req.pk}/").status_code == 404  # a line manager, not hers


def test_a_request_nobody_can_decide_is_kept_and_the_headteacher_told(
    demo: Trust, django_capture_on_commit_callbacks: Capture
) -> None:
    RoleAssignment.objects.filter(role="senior_leader", person__email__in=[JAMES, PRIYA]).delete()
    aisha = signed_in(AISHA)
    form = aisha.get("/requests/new/removable_media/").content.decode()
    assert "Nobody at Wells Primary School or across the trust can decide this request" in form
    assert "James Ward will be told" in form
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(aisha, "removable_media", scope="USB drive WPS-USB-014")
    assert "nobody can decide it yet" in aisha.get(response.url).content.decode()
    (told,) = mail.outbox
    assert told.to == [JAMES] and "no senior leader for Wells Primary School" in told.subject
    (need,) = needs_of(person(JAMES))
    assert need.title.startswith("Nobody can decide Aisha Khan's request") and need.urgent
    # Giving someone the role routes it to them at once.
    RoleAssignment.objects.create(person=person(THOMAS), school=person(THOMAS).school, role="senior_leader")
    assert "Aisha Khan" in signed_in(THOMAS).get("/requests/waiting/").content.decode()
    assert needs_of(person(JAMES)) == []


# --- decisions --------------------------------------------------------------------------------------


def test_an_exemption_cannot_be_approved_without_a_risk_assessment(demo: Trust) -> None:
    emma = signed_in(EMMA)
    assert (
        ask(
            emma, "exemption", scope="WLP-5.7", details="Run the music assembly from my own iPad this term."
        ).status_code
        == 302
    )
    req = made(EMMA, "exemption")
    lucy = signed_in(LUCY)
    page = lucy.get(f"/requests/{req.pk}/").content.decode()
    assert "No risk assessment yet" in page and "An exemption to any element of this policy" in page
    refused = lucy.post(f"/requests/{req.pk}/decide/", {"decision": "approve"}).content.decode()
    assert "cannot be approved without a risk assessment" in refused
    req.refresh_from_db()
    assert req.status == "pending"

    # The requester writes the assessment; a residual risk above the risk before is refused.
    bad = emma.post(
        f"/requests/{req.pk}/risk-assessment/",
        {"likelihood": "low", "impact": "low", "mitigations": "", "residual_risk": "high"},
    ).content.decode()
    assert "Say what reduces the risk" in bad and "cannot be higher than the likelihood or impact" in bad
    saved = emma.post(
        f"/requests/{req.pk}/risk-assessment/",
        {
            "likelihood": "medium",
            "impact": "medium",
            "mitigations": "School account only; no pupil data.",
            "residual_risk": "low",
        },
    )
    assert saved.status_code == 302
    page = lucy.get(f"/requests/{req.pk}/").content.decode()
    assert "School account only; no pupil data." in page and "Emma Green" in page
    assert lucy.post(f"/requests/{req.pk}/decide/", {"decision": "approve"}).status_code == 302
    req.refresh_from_db()
    assert req.status == "approved" and req.decided_by == person(LUCY)
    # Once decided, the assessment is evidence and no longer changes.
    assert emma.get(f"/requests/{req.pk}/risk-assessment/").status_code == 403
    with pytest.raises(RequestRefused):
        do_record_risk_assessment(
            req, Assessment("low", "low", "x", "low"), assessor=person(EMMA), actor=None
        )
    assert AuditEvent.objects.filter(action="approvals.risk_assessment", target_id=str(req.pk)).count() == 1


def test_turning_down_needs_a_reason_and_the_requester_is_told(
    removable_media: Request, django_capture_on_commit_callbacks: Capture
) -> None:
    james = signed_in(JAMES)
    page = james.post(
        f"/requests/{removable_media.pk}/decide/", {"decision": "reject", "note": " "}
    ).content.decode()
    assert "Say why you are turning the request down" in page
    assert (
        james.post(f"/requests/{removable_media.pk}/decide/", {})
        .content.decode()
        .count("Choose approve or turn down")
        == 1
    )
    with django_capture_on_commit_callbacks(execute=True):
        james.post(
            f"/requests/{removable_media.pk}/decide/", {"decision": "reject", "note": "Use OneDrive instead."}
        )
    removable_media.refresh_from_db()
    assert removable_media.status == "rejected"
    (told,) = mail.outbox
    assert told.to == [AISHA] and "turned down" in told.subject and "Use OneDrive instead." in told.body
    # Decided once: a second approver finds nothing left to decide.
    assert (
        signed_in(PRIYA).post(f"/requests/{removable_media.pk}/decide/", {"decision": "approve"}).status_code
        == 403
    )


def test_an_approver_can_shorten_the_period_but_not_lengthen_it(removable_media: Request) -> None:
    james = signed_in(JAMES)
    longer = james.post(
        f"/requests/{removable_media.pk}/decide/", {"decision": "approve", "last_day": _days(30)}
    ).content.decode()
    assert "an approval can be shorter, not longer" in longer
    james.post(f"/requests/{removable_media.pk}/decide/", {"decision": "approve", "last_day": _days(6)})
    removable_media.refresh_from_db()
    assert (
        removable_media.status == "approved"
        and removable_media.last_day == timezone.localdate() + dt.timedelta(days=6)
    )


def test_the_requester_withdraws_while_it_waits(
    removable_media: Request, django_capture_on_commit_callbacks: Capture
) -> None:
    assert signed_in(JAMES).post(f"/requests/{removable_media.pk}/withdraw/").status_code == 403
    assert signed_in(THOMAS).post(f"/requests/{removable_media.pk}/withdraw/").status_code == 404
    aisha = signed_in(AISHA)
    assert "Withdraw" in aisha.get("/requests/").content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        assert aisha.post(f"/requests/{removable_media.pk}/withdraw/").status_code == 302
    removable_media.refresh_from_db()
    assert removable_media.status == "withdrawn"
    (told,) = mail.outbox
    assert set(told.to) == {JAMES, PRIYA} and "withdrawn" in told.subject
    assert "Aisha Khan" not in signed_in(JAMES).get("/requests/waiting/").content.decode()
    again = aisha.post(f"/requests/{removable_media.pk}/withdraw/", follow=True).content.decode()
    assert "cannot be withdrawn" in again


def test_an_approval_is_revoked_with_a_reason_by_a_holder_of_the_role(
    removable_media: Request, django_capture_on_commit_callbacks: Capture
) -> None:
    signed_in(JAMES).post(f"/requests/{removable_media.pk}/decide/", {"decision": "approve"})
    assert (
        signed_in(AISHA).post(f"/requests/{removable_media.pk}/revoke/", {"reason": "x"}).status_code == 403
    )
    priya = signed_in(PRIYA)
    assert "Revoke it now" in priya.get(f"/requests/{removable_media.pk}/").content.decode()
    assert (
        "Give the reason"
        in priya.post(f"/requests/{removable_media.pk}/revoke/", {"reason": ""}).content.decode()
    )
    with django_capture_on_commit_callbacks(execute=True):
        priya.post(f"/requests/{removable_media.pk}/revoke/", {"reason": "The drive was reported lost."})
    removable_media.refresh_from_db()
    assert removable_media.status == "revoked" and removable_media.revoked_by == person(PRIYA)
    (told,) = mail.outbox
    assert (
        told.to == [AISHA] and set(told.cc) == {JAMES, PRIYA} and "The drive was reported lost." in told.body
    )
    assert "revoked" in signed_in(AISHA).get("/requests/").content.decode()
    assert AuditEvent.objects.get(action="approvals.revoke").reason == "The drive was reported lost."


def test_expired_approvals_read_as_expired_and_cannot_be_approved_late(removable_media: Request) -> None:
    signed_in(JAMES).post(f"/requests/{removable_media.pk}/decide/", {"decision": "approve"})
    past = timezone.now() - dt.timedelta(days=1)
    Request.objects.filter(pk=removable_media.pk).update(starts=past - dt.timedelta(days=5), expires=past)
    assert "expired" in signed_in(AISHA).get("/requests/").content.decode()
    with pytest.raises(RequestRefused, match="already expired"):
        do_revoke_request(
            Request.objects.get(pk=removable_media.pk), reason="x", revoker=person(JAMES), actor=None
        )
    late = ask(signed_in(AISHA), "removable_media", scope="Another drive")
    assert late.status_code == 302
    other = made(AISHA, "removable_media")
    Request.objects.filter(pk=other.pk).update(starts=past - dt.timedelta(days=5), expires=past)
    page = signed_in(JAMES).post(f"/requests/{other.pk}/decide/", {"decision": "approve"}).content.decode()
    assert "period this request asked for is over" in page
    assert "Aisha Khan" not in signed_in(JAMES).get("/requests/waiting/").content.decode()


@pytest.mark.parametrize("start", list(Request.Status))
@pytest.mark.parametrize("end", list(Request.Status))
def test_the_transition_table_is_the_only_way_statuses_change(start: str, end: str) -> None:
    allowed = {
        ("pending", "approved"),
        ("pending", "rejected"),
        ("pending", "withdrawn"),
        ("approved", "revoked"),
    }
    assert Request(status=start).can_become(end) is ((start, end) in allowed)


# --- the snapshot for the guards -------------------------------------------------------------------


def _approve(req: Request, email: str = JAMES) -> None:
    assert signed_in(email).post(f"/requests/{req.pk}/decide/", {"decision": "approve"}).status_code == 302


def test_export_approvals_writes_only_approvals_in_force_atomically(demo: Trust, tmp_path: Path) -> None:
    aisha = signed_in(AISHA)
    for scope in ("kept", "revoked", "rejected", "expired", "pending"):
        ask(aisha, "removable_media", scope=f"USB drive {scope}")
    ask(aisha, "bulk_email", scope="Christmas fair rota to all staff")
    by_scope = {r.scope: r for r in Request.objects.all()}
    for scope in (
        "USB drive kept",
        "USB drive revoked",
        "USB drive expired",
        "Christmas fair rota to all staff",
    ):
        _approve(by_scope[scope])
    signed_in(JAMES).post(
        f"/requests/{by_scope['USB drive rejected'].pk}/decide/", {"decision": "reject", "note": "no"}
    )
    signed_in(JAMES).post(f"/requests/{by_scope['USB drive revoked'].pk}/revoke/", {"reason": "lost"})
    Request.objects.filter(pk=by_scope["USB drive expired"].pk).update(
        starts=timezone.now() - dt.timedelta(days=3), expires=timezone.now() - dt.timedelta(minutes=1)
    )
    out = tmp_path / "approvals.json"
    out.write_text("old")
    out.chmod(0o640)
    stdout = StringIO()
    call_command("export_approvals", "--trust", "demo-trust", "--out", str(out), stdout=stdout)
    assert "2 approval(s) in force" in stdout.getvalue()
    assert [p.name for p in tmp_path.iterdir()] == ["approvals.json"] and out.stat().st_mode & 0o777 == 0o640
    kept, bulk = sorted(read_approvals(out).entries, key=lambda a: a.workflow, reverse=True)
    req = by_scope["USB drive kept"]
    assert (kept.id, kept.requester, kept.workflow, kept.scope) == (
        f"R-{req.pk}",
        AISHA,
        "removable_media",
        "",
    )
    assert kept.starts == req.starts and kept.expires == req.expires and kept.expires.tzinfo is not None
    # A mailing is a description, not something a guard matches: the approval covers the sender.
    assert bulk.workflow == "bulk_email" and bulk.scope == ""
    with pytest.raises(CommandError, match="no trust 'nope'"):
        call_command("export_approvals", "--trust", "nope", "--out", str(out))
    with pytest.raises(CommandError, match="no folder"):
        call_command(
            "export_approvals", "--trust", "demo-trust", "--out", str(tmp_path / "missing" / "a.json")
        )


def test_the_snapshot_endpoint_needs_the_guards_token(
    removable_media: Request, monkeypatch: pytest.MonkeyPatch
) -> None:
    _approve(removable_media)
    monkeypatch.delenv("AUPGUARD_SNAPSHOT_TOKEN", raising=False)
    monkeypatch.delenv("AUPGUARD_SNAPSHOT_TOKEN_FILE", raising=False)
    guard = Client()
    assert guard.get("/requests/snapshot.json").status_code == 404  # not configured: not there
    monkeypatch.setenv("AUPGUARD_SNAPSHOT_TOKEN", "s3cret-token-for-guards")
    assert guard.get("/requests/snapshot.json").status_code == 403
    assert guard.get("/requests/snapshot.json", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403
    assert signed_in(JAMES).get("/requests/snapshot.json").status_code == 403  # a session is not a token
    good = guard.get(
        "/requests/snapshot.json?trust=demo-trust", HTTP_AUTHORIZATION="Bearer s3cret-token-for-guards"
    )
    assert good.status_code == 200 and good["Cache-Control"] == "no-store"
    (entry,) = good.json()["approvals"]
    assert entry["id"] == removable_media.reference and entry["requester"] == AISHA
    missing = guard.get(
        "/requests/snapshot.json?trust=nope", HTTP_AUTHORIZATION="Bearer s3cret-token-for-guards"
    )
    assert missing.status_code == 404


@pytest.fixture
def categories(tmp_path: Path) -> Path:
    root = tmp_path / "lists"
    for category, domains in {"hacking": "hackthebox.com\n", "gambling": "casino.test\n"}.items():
        (root / "ut1" / category).mkdir(parents=True)
        (root / "ut1" / category / "domains").write_text(domains)
    (root / "sinfonietta").mkdir()
    out = tmp_path / "categories.aupcat"
    build_database(root / "ut1", root / "sinfonietta", ROOT / "data" / "categories" / "ut1.csv", out)
    return out


def _cli(capsys: pytest.CaptureFixture[str], *argv: str) -> dict[str, Any]:
    capsys.readouterr()
    assert aupguard_main(["check", *argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_an_exported_site_approval_lets_the_requester_through_the_real_cli(
    oak: School, tmp_path: Path, categories: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    teacher = signed_in(OAK_TEACHER)
    assert (
        ask(
            teacher,
            "filtered_site_access",
            scope="hackthebox.com",
            details="Year 9 computing: a lesson on ethical hacking.",
        ).status_code
        == 302
    )
    req = made(OAK_TEACHER, "filtered_site_access")
    _approve(req, OAK_HEAD)
    snapshot = tmp_path / "approvals.json"
    call_command("export_approvals", "--trust", "demo-trust", "--out", str(snapshot), stdout=StringIO())
    url = ["url", "--policy", "oak", "--role", "staff", "--categories", str(categories)]
    site = "https://academy.hackthebox.com/module/1"
    allowed = _cli(capsys, *url, "--user", OAK_TEACHER, "--approvals", str(snapshot), site)
    assert allowed["verdict"] == "allow" and allowed["categories"] == ["hacking"]
    blocked = _cli(capsys, *url, "--user", OAK_TEACHER, site)
    assert blocked["verdict"] == "block" and blocked["findings"][0]["check"] == "web.blocked_category"
    someone_else = _cli(capsys, *url, "--user", OAK_DPL, "--approvals", str(snapshot), site)
    assert someone_else["verdict"] == "block"
    other_site = _cli(
        capsys, *url, "--user", OAK_TEACHER, "--approvals", str(snapshot), "http://casino.test/"
    )
    assert other_site["verdict"] == "block"
    # Revoked: gone from the next snapshot, and blocked again.
    signed_in(OAK_HEAD).post(f"/requests/{req.pk}/revoke/", {"reason": "The lesson is over."})
    call_command("export_approvals", "--trust", "demo-trust", "--out", str(snapshot), stdout=StringIO())
    assert _cli(capsys, *url, "--user", OAK_TEACHER, "--approvals", str(snapshot), site)["verdict"] == "block"


def test_an_exported_bulk_email_approval_lifts_the_bulk_check_in_the_real_cli(
    demo: Trust, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    message = EmailMessage()
    message["From"] = AISHA
    message["To"] = ", ".join(f"staff{i}@wells.redbridge.sch.uk" for i in range(25))
    message["Subject"] = "Christmas fair rota"
    message.set_content("Hello all,\nThe rota for the fair is below.\nAisha")
    eml = tmp_path / "rota.eml"
    eml.write_bytes(bytes(message))
    snapshot = tmp_path / "approvals.json"

    def checked() -> dict[str, Any]:
        call_command("export_approvals", "--trust", "demo-trust", "--out", str(snapshot), stdout=StringIO())
        return _cli(capsys, "email", "--policy", "wells", "--approvals", str(snapshot), str(eml))

    held = checked()
    assert held["verdict"] == "hold" and [f["check"] for f in held["findings"]] == ["email.bulk_unauthorised"]
    assert ask(signed_in(AISHA), "bulk_email", scope="Christmas fair rota to all staff").status_code == 302
    assert checked()["verdict"] == "hold"  # asked for, not yet approved
    _approve(made(AISHA, "bulk_email"))
    assert checked() == {"input": str(eml), "verdict": "allow", "findings": []}


# --- home page and demo -----------------------------------------------------------------------------


def test_needs_list_decisions_waiting_and_approvals_about_to_end(removable_media: Request) -> None:
    (need,) = needs_of(person(JAMES))
    assert need.title == "Decide Aisha Khan's request: use removable media (a usb drive or memory card)"
    assert need.url == f"/requests/{removable_media.pk}/" and need.kind == "approval" and need.due is not None
    assert needs_of(person(THOMAS)) == [] and needs_of(person(AISHA)) == []
    _approve(removable_media)
    assert needs_of(person(JAMES)) == [] and needs_of(person(AISHA)) == []  # ends in two weeks
    Request.objects.filter(pk=removable_media.pk).update(expires=timezone.now() + dt.timedelta(days=3))
    (ending,) = needs_of(person(AISHA))
    assert ending.title.startswith("Your approval ends soon") and not ending.urgent
    Request.objects.filter(pk=removable_media.pk).update(expires=timezone.now() + dt.timedelta(hours=5))
    assert needs_of(person(AISHA))[0].urgent


def test_the_demo_requests_load_once(demo: Trust) -> None:
    first = approvals_demo.load(demo)
    assert first == "Demo Learning Trust: 3 demo request(s) added"
    assert approvals_demo.load(demo) == "Demo Learning Trust: 0 demo request(s) added"
    approved, pending = Request.objects.filter(requester__email=AISHA, workflow="removable_media").order_by(
        "pk"
    )
    assert (approved.status, approved.decided_by, pending.status) == ("approved", person(JAMES), "pending")
    exemption = Request.objects.get(requester__email=EMMA, workflow="exemption")
    assert exemption.status == "pending" and not hasattr(exemption, "risk_assessment")
    assert [n.title for n in needs_of(person(LUCY))] == [
        "Decide Emma Green's request: an exemption from part of the policy"
    ]
    # The headteacher's page says what is missing before anyone tries to approve it.
    assert "No risk assessment yet" in signed_in(LUCY).get(f"/requests/{exemption.pk}/").content.decode()


def test_views_reach_requests_only_through_access() -> None:
    views = (ROOT / "aupguard" / "web" / "approvals" / "views.py").read_text()
    assert ".objects." not in views


def test_workflows_follow_each_person_s_role(demo: Trust) -> None:
    # wonder's software_install clause (WLP-5.13) applies to staff only: a governor is not offered it.
    fisher = person("g.fisher@birch.demotrust.org.uk")
    assert "software_install" not in enabled_for(fisher).workflows
    assert "software_install" in enabled_for(person(EMMA)).workflows
