"""The home page: what needs each person, most urgent first."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aupguard.web.incidents.models import Breach
from aupguard.web.org.management.commands.load_demo import DEMO_PASSWORD
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.models import SignOff

pytestmark = pytest.mark.django_db

TEACHER = "e.green@ash.demotrust.org.uk"


@pytest.fixture
def demo() -> None:
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def test_someone_not_signed_in_is_asked_to_sign_in(client: Client) -> None:
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(reverse("login"))


def test_an_unsigned_policy_is_on_the_home_page_until_it_is_signed(demo: None) -> None:
    client = signed_in(TEACHER)
    page = client.get("/").content.decode()
    assert "Read and sign the policy" in page and reverse("signoff:my-policy") in page
    emma = Person.objects.get(email=TEACHER)
    version = PolicyVersion.objects.filter(pack_id="wonder").latest("published_at")
    SignOff.objects.create(person=emma, version=version, typed_name="Emma Green")
    page = client.get("/").content.decode()
    assert "Read and sign the policy" not in page
    assert "Nothing needs you right now." in page


def test_an_overdue_signature_is_marked_overdue(demo: None) -> None:
    PolicyVersion.objects.filter(pack_id="wonder").update(published_at=timezone.now() - dt.timedelta(days=60))
    page = signed_in(TEACHER).get("/").content.decode()
    assert "Read and sign the policy" in page and "(overdue)" in page and 'class="need urgent"' in page


def test_the_dpl_s_home_page_has_the_open_breach_with_its_clock_and_the_registers(demo: None) -> None:
    page = signed_in("d.reid@demotrust.org.uk").get("/").content.decode()
    breach = Breach.objects.get()  # the demo's open breach
    assert f"Personal data breach {breach.reference}" in page
    assert "ICO deadline" in page and 'class="countdown' in page
    for register in ("Data breaches", "Incidents", "Leavers", "Sign-off and training"):
        assert f">{register}</a>" in page, register
    teacher = signed_in(TEACHER).get("/").content.decode()
    assert "Personal data breach" not in teacher and "Registers you keep" not in teacher
