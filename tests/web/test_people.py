"""People: the demo trust's directory, who sees whom, and the directory import with its preview."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.test import Client

from aupguard.web.audit.models import AppendOnlyError, AuditEvent
from aupguard.web.org.management.commands.load_demo import DEMO_DIRECTORY, DEMO_PASSWORD
from aupguard.web.people.models import Person

pytestmark = pytest.mark.django_db

TRUST_DPL = "d.reid@demotrust.org.uk"
TRUST_HR = "c.evans@demotrust.org.uk"
ASH_HEAD = "k.oconnor@ash.demotrust.org.uk"
ASH_TEACHER = "e.green@ash.demotrust.org.uk"
BIRCH_HEAD = "n.patel@birch.demotrust.org.uk"


@pytest.fixture
def demo() -> None:
    call_command("load_demo", "--people-only", stdout=StringIO())


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def test_the_demo_trust_has_people_in_every_role_it_needs(demo: None) -> None:
    roles = set(Person.objects.values_list("role_assignments__role", flat=True))
    for role in (
        "staff",
        "headteacher",
        "senior_leader",
        "line_manager",
        "dpl",
        "dsl",
        "coo",
        "siro",
        "hr",
        "it_support",
        "network_manager",
        "estates",
        "governor",
        "volunteer",
        "ceo",
    ):
        assert role in roles, role
    assert (
        Person.objects.get(email="office@ash.demotrust.org.uk").user is None
    )  # no sign-in for a shared inbox


def test_signing_in_and_the_people_each_person_may_see(demo: None) -> None:
    assert Client().get("/people/").status_code == 302  # to the sign-in page
    everyone = signed_in(TRUST_DPL).get("/people/")
    assert everyone.status_code == 200 and "Nadia Patel" in everyone.text and "Aisha Khan" in everyone.text
    ash = signed_in(ASH_HEAD).get("/people/").text
    assert "Emma Green" in ash and "Nadia Patel" not in ash and "Aisha Khan" not in ash
    own = signed_in(ASH_TEACHER).get("/people/").text
    assert "Emma Green" in own and "Kate O&#x27;Connor" not in own and "Import the staff directory" not in own


def test_a_person_s_page_for_the_owner_the_same_school_and_another_school(demo: None) -> None:
    emma = Person.objects.get(email=ASH_TEACHER)
    assert signed_in(ASH_TEACHER).get(f"/people/{emma.pk}/").status_code == 200
    assert signed_in(ASH_HEAD).get(f"/people/{emma.pk}/").status_code == 200
    colleague = Person.objects.get(email="m.wilson@ash.demotrust.org.uk")
    assert signed_in(ASH_TEACHER).get(f"/people/{colleague.pk}/").status_code == 404
    assert signed_in(BIRCH_HEAD).get(f"/people/{emma.pk}/").status_code == 404


def _upload(client: Client, name: str, content: bytes) -> str:
    response = client.post("/people/import/", {"file": SimpleUploadedFile(name, content, "text/csv")})
    assert response.status_code == 302, response.content
    return str(response["Location"])


def test_only_trust_wide_record_keepers_may_import_the_directory(demo: None) -> None:
    assert signed_in(ASH_TEACHER).get("/people/import/").status_code == 403
    assert signed_in(ASH_HEAD).get("/people/import/").status_code == 403  # one school's head: not trust-wide
    assert signed_in(TRUST_HR).get("/people/import/").status_code == 200


def test_a_file_with_problems_is_previewed_row_by_row_and_changes_nothing(demo: None) -> None:
    client = signed_in(TRUST_HR)
    lines = DEMO_DIRECTORY.read_text().splitlines()
    before = list(Person.objects.values_list("email", "start_date", "school"))
    broken = list(lines)
    broken[9] = broken[9].replace("2021-09-01", "31/13/2021")  # Emma Green's start date
    preview = client.get(_upload(client, "staff.csv", "\n".join(broken).encode())).text
    assert "staff.csv:10: start_date: expected a date" in preview
    assert "Nothing has been changed" in preview and "Import these changes" not in preview
    # A file the reader accepts is then checked against the trust: its schools and the role keys.
    unknown = [*lines, "x.new@ash.demotrust.org.uk,Xena,New,staff;wizard,Oak School,,,,,,person"]
    preview = client.get(_upload(client, "staff.csv", "\n".join(unknown).encode())).text
    assert "x.new@ash.demotrust.org.uk: school: expected one of the trust&#x27;s schools" in preview
    assert "wizard not a role key" in preview and "Import these changes" not in preview
    assert list(Person.objects.values_list("email", "start_date", "school")) == before


def test_a_reimport_updates_starts_leavers_and_never_deletes(demo: None) -> None:
    client = signed_in(TRUST_HR)
    lines = [line for line in DEMO_DIRECTORY.read_text().splitlines() if not line.startswith("j.cole@")]
    head = "e.green@ash.demotrust.org.uk,Emma,Green,"
    tail = ",Ash Primary School,m.wilson@ash.demotrust.org.uk,2021-09-01,"
    lines = [
        line.replace(f"{head}staff{tail},", f"{head}staff;line_manager{tail}2027-07-31,") for line in lines
    ]
    location = _upload(client, "staff-2027.csv", "\n".join(lines).encode())
    preview = client.get(location).text
    assert "leaving 31 July 2027" in preview and "roles: staff → line_manager, staff" in preview
    assert "Jamie Cole" in preview and "Nobody is deleted" in preview
    done = client.post(location)
    assert "0 added, 1 updated, 1 marked as no longer in the directory" in done.text
    emma = Person.objects.get(email=ASH_TEACHER)
    assert str(emma.leave_date) == "2027-07-31"
    assert set(emma.role_assignments.values_list("role", flat=True)) == {"staff", "line_manager"}
    jamie = Person.objects.get(email="j.cole@birch.demotrust.org.uk")  # still there, with his records
    assert jamie.in_directory is False
    event = AuditEvent.objects.filter(action="people.import").latest("at")
    assert event.actor_name == TRUST_HR and event.details["no_longer_listed"] == [
        "j.cole@birch.demotrust.org.uk"
    ]
    assert client.post(location).status_code == 404  # an upload is imported once


def test_the_audit_log_is_append_only(demo: None) -> None:
    event = AuditEvent.objects.first()
    assert event is not None
    event.summary = "rewritten"
    with pytest.raises(AppendOnlyError):
        event.save()
    with pytest.raises(AppendOnlyError):
        event.delete()
