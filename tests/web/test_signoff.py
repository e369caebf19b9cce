"""Reading and signing the policy, the version check, and the dashboard, as each person uses them."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.utils import timezone

from aupguard.web.audit.models import AuditEvent
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.models import SignOff
from tests.conftest import PACKS
from tests.web.test_people import ASH_HEAD, ASH_TEACHER, BIRCH_HEAD, TRUST_DPL, signed_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo() -> None:
    call_command("load_packs", str(PACKS / "wonder.yaml"), str(PACKS / "wells.yaml"), stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


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
    client = signed_in("a.khan@wells.redbridge.sch.uk")
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


def test_the_dashboard_counts_by_school_and_role_and_lists_the_overdue(demo: None) -> None:
    PolicyVersion.objects.update(published_at=timezone.now() - dt.timedelta(days=40))
    signed_in(ASH_TEACHER).post("/my-policy/", {"agree": "on", "typed_name": "Emma Green"})
    trust_view = signed_in(TRUST_DPL).get("/my-policy/dashboard/")
    assert trust_view.status_code == 200
    ash_signers = Person.objects.filter(school__slug="ash-primary", account_kind="person").exclude(
        leave_date__lt=timezone.localdate()
    )
    assert f"<strong>1</strong> of {ash_signers.count()}" in trust_view.text
    assert "Birch Academy" in trust_view.text and "Wells Primary School" in trust_view.text
    assert "Mark Wilson" in trust_view.text and "Emma Green ·" not in trust_view.text  # overdue list
    ash_view = signed_in(ASH_HEAD).get("/my-policy/dashboard/").text
    assert "Ash Primary School" in ash_view and "Birch Academy" not in ash_view
    assert signed_in(ASH_TEACHER).get("/my-policy/dashboard/").status_code == 403
    assert "Ash Primary School" not in signed_in(BIRCH_HEAD).get("/my-policy/dashboard/").text
