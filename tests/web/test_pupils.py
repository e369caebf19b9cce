"""Pupils: the roster import with its preview, who may see pupils, and the exports the guards read."""

from __future__ import annotations

import json
import subprocess
import sys
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from aupguard.engine.people import Pupil as RosterPupil
from aupguard.engine.people import read_directory, read_roster
from aupguard.web.audit.models import AuditEvent
from aupguard.web.org.management.commands.load_demo import DEMO_DIRECTORY, DEMO_PASSWORD
from aupguard.web.org.models import School, Trust
from aupguard.web.people.demo_pupils import DEMO_PUPILS, load_pupils
from aupguard.web.people.imports import plan_directory_import
from aupguard.web.people.models import Person, Pupil, PupilUpload
from aupguard.web.people.pupils import plan_roster_import

pytestmark = pytest.mark.django_db

TRUST_DPL = "d.reid@demotrust.org.uk"
WELLS_HEAD = "j.ward@wells.redbridge.sch.uk"
WELLS_DPL = "t.osei@wells.redbridge.sch.uk"
WELLS_TEACHER = "a.khan@wells.redbridge.sch.uk"
ASH_HEAD = "k.oconnor@ash.demotrust.org.uk"
ASH_TEACHER = "e.green@ash.demotrust.org.uk"
BIRCH_HEAD = "n.patel@birch.demotrust.org.uk"

HEADER = "upn,first_name,last_name,preferred_name,year_group,school,contact_emails"
OLIVER = "K317201626001"
HARRY = "R317201625004"


@pytest.fixture(autouse=True)
def no_second_factor(settings: LazySettings) -> None:
    """The second factor the DPL and IT roles need is the accounts tests' subject; here, what the
    pupil pages show to whom once signed in."""
    settings.AUPGUARD_MFA_ROLES = ()


@pytest.fixture
def trust() -> Trust:
    call_command("load_demo", "--people-only", stdout=StringIO())
    trust = Trust.objects.get(slug="demo-trust")
    load_pupils(trust)
    return trust


def school(slug: str) -> School:
    return School.objects.get(slug=slug)


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def demo_lines() -> list[str]:
    return DEMO_PUPILS.read_text(encoding="utf-8").splitlines()


def upload(client: Client, content: str, scope: str, name: str = "pupils.csv") -> str:
    """Upload a roster for `scope` (a school's slug, or "trust"); the preview's address."""
    value = scope if scope == "trust" else str(school(scope).pk)
    response = client.post(
        "/people/pupils/import/",
        {"scope": value, "file": SimpleUploadedFile(name, content.encode(), "text/csv")},
    )
    assert response.status_code == 302, response.content
    return str(response["Location"])


def _upn(pupil: RosterPupil) -> str:
    return pupil.upn


def on_roster(slug: str) -> set[str]:
    return set(Pupil.objects.filter(school__slug=slug, in_roster=True).values_list("upn", flat=True))


# --- the demo roster -------------------------------------------------------------------------------


def test_the_demo_roster_is_wells_primary_s_and_loading_it_again_changes_nothing(trust: Trust) -> None:
    assert on_roster("wells-primary") == {p.upn for p in read_roster(DEMO_PUPILS)}
    millie = Pupil.objects.get(upn="Z317201626002")
    assert millie.preferred_name == "Millie" and millie.contact_emails == ["clarke.family@yahoo.co.uk"]
    uploads, events, pupils = PupilUpload.objects.count(), AuditEvent.objects.count(), Pupil.objects.count()
    assert load_pupils(trust) == "Wells Primary School: 5 pupils on the roster (0 added, 0 updated)"
    assert (PupilUpload.objects.count(), AuditEvent.objects.count(), Pupil.objects.count()) == (
        uploads,
        events,
        pupils,
    )


# --- who sees pupils -------------------------------------------------------------------------------


def test_pupils_are_listed_only_to_the_record_keepers_of_their_school(trust: Trust) -> None:
    assert Client().get("/people/pupils/").status_code == 302  # to the sign-in page
    wells = signed_in(WELLS_HEAD).get("/people/pupils/")
    assert wells.status_code == 200
    assert "Oliver Mensah" in wells.text and "<strong>5</strong> pupils" in wells.text
    assert "clarke.family@yahoo.co.uk" in wells.text and "(known as Millie)" in wells.text
    assert signed_in(WELLS_DPL).get("/people/pupils/").status_code == 200
    everyone = signed_in(TRUST_DPL).get("/people/pupils/").text
    assert "Oliver Mensah" in everyone and "Every school" in everyone  # a trust-wide DPL chooses a school
    # Ordinary staff, even in the pupil's own school, do not learn the list exists.
    assert signed_in(WELLS_TEACHER).get("/people/pupils/").status_code == 404
    assert signed_in(ASH_TEACHER).get("/people/pupils/").status_code == 404
    # Another school's head sees their own (empty) roster, never this school's, whatever they ask for.
    birch = signed_in(BIRCH_HEAD)
    own = birch.get("/people/pupils/").text
    assert "<strong>0</strong> pupils" in own and "Mensah" not in own
    wells_pk = str(school("wells-primary").pk)
    asked = birch.get("/people/pupils/", {"q": "Mensah", "school": wells_pk, "former": "1"})
    assert "No pupil matches" in asked.text and "Oliver" not in asked.text


def test_a_keeper_who_has_left_sees_no_pupils(trust: Trust) -> None:
    Person.objects.filter(email=WELLS_HEAD).update(in_directory=False)
    assert signed_in(WELLS_HEAD).get("/people/pupils/").status_code == 404


def test_the_list_is_searched_by_name_or_upn_and_paged(trust: Trust) -> None:
    extra = [f"A9{n:011d},Pupil{n:02d},Testing,,3,Wells Primary School," for n in range(60)]
    client = signed_in(WELLS_HEAD)
    assert client.post(upload(client, "\n".join([*demo_lines(), *extra]), "wells-primary")).status_code == 200
    first = client.get("/people/pupils/").text
    assert "<strong>65</strong> pupils" in first and "Page 1 of 2" in first
    found = client.get("/people/pupils/", {"q": "oliver MEN"}).text
    assert "<strong>1</strong> pupil matching" in found and "Oliver Mensah" in found
    assert "Oliver Mensah" in client.get("/people/pupils/", {"q": OLIVER.lower()}).text
    paged = client.get("/people/pupils/", {"q": "testing"}).text
    assert "<strong>60</strong> pupils" in paged and "?q=testing&amp;page=2" in paged


# --- the import -----------------------------------------------------------------------------------


def test_a_school_s_roster_is_previewed_then_imported_and_never_deletes(trust: Trust) -> None:
    client = signed_in(WELLS_HEAD)
    # A school's own export often has no school column: every row is then this school's.
    rows = [line.rsplit(",", 2)[0] + "," + line.rsplit(",", 1)[1] for line in demo_lines()[1:]]
    rows = [row.replace(",Millie,", ",Amy,") for row in rows if not row.startswith(HARRY)]
    new = "T317201622006,Noah,Williams,,2,noah.williams.parent@gmail.com"
    content = "\n".join(["upn,first_name,last_name,preferred_name,year_group,contact_emails", *rows, new])
    location = upload(client, content, "wells-primary", name="wells-2027.csv")
    preview = client.get(location).text
    assert "1</strong> to add, <strong>1</strong> to update" in preview
    assert "preferred_name: Millie → Amy" in preview and "Noah Williams" in preview
    assert "Not in this file (1)" in preview and "Harry Smith" in preview and "Nobody is deleted" in preview
    assert Pupil.objects.get(upn="Z317201626002").preferred_name == "Millie"  # nothing written yet

    done = client.post(location).text
    assert "1 added, 1 updated, 0 joined from another school of the trust, 1 marked" in done
    harry = Pupil.objects.get(upn=HARRY)  # kept, with whatever records point at him
    assert harry.in_roster is False
    assert Pupil.objects.get(upn="T317201622006").school == school("wells-primary")
    event = AuditEvent.objects.filter(action="pupils.import").latest("at")
    assert event.actor_name == WELLS_HEAD and event.school == school("wells-primary")
    assert event.details["no_longer_listed"] == [harry.pk]
    assert event.details["added"] == [Pupil.objects.get(upn="T317201622006").pk]
    assert event.details["updated"] == {str(Pupil.objects.get(upn="Z317201626002").pk): ["preferred_name"]}
    # The audit log can never be erased: it holds record ids, never a child's name or UPN.
    assert HARRY not in json.dumps(event.details) and "Noah" not in json.dumps(event.details)
    assert client.post(location).status_code == 404  # an upload is imported once

    listed = client.get("/people/pupils/").text
    assert "Harry Smith" not in listed and "Noah Williams" in listed
    former = client.get("/people/pupils/", {"former": "1"}).text
    assert "Harry Smith" in former and "no longer on the roster" in former
    # Listed again, he comes back.
    preview = client.get(upload(client, DEMO_PUPILS.read_text(), "wells-primary")).text
    assert "back on the roster" in preview and "Not in this file (1)" in preview  # Noah, this time


def test_problems_are_named_by_line_and_field_and_change_nothing(trust: Trust) -> None:
    client = signed_in(WELLS_HEAD)
    lines = demo_lines()
    lines[2] = lines[2].replace("clarke.family@yahoo.co.uk", "clarke.family(at)yahoo.co.uk")
    lines[3] = "," + lines[3].split(",", 1)[1]  # no UPN
    preview = client.get(upload(client, "\n".join(lines), "wells-primary")).text
    assert "pupils.csv:3: contact_emails: expected an email address" in preview
    assert "pupils.csv:4: upn: expected a Unique Pupil Number, got an empty value" in preview
    assert "Nothing has been changed" in preview and "Import these changes" not in preview

    # A file the reader accepts is then checked against the trust: a school's roster is its own.
    lines = [*demo_lines(), "M317201623007,Ruby,Jones,,3,Birch Academy,"]
    preview = client.get(upload(client, "\n".join(lines), "wells-primary")).text
    assert (
        "M317201623007: school: this is Wells Primary School&#x27;s roster, but the row names Birch"
        in preview
    )
    assert "Import these changes" not in preview
    assert Pupil.objects.filter(upn="M317201623007").count() == 0
    assert on_roster("wells-primary") == {p.upn for p in read_roster(DEMO_PUPILS)}


def test_a_trust_wide_roster_names_each_pupil_s_school(trust: Trust) -> None:
    client = signed_in(TRUST_DPL)
    ash_pupil = "L317201621008,Isla,Brown,,1,Ash Primary School,brown.home@gmail.com"
    birch_pupil = "P317201620009,Leo,Taylor,,R,birch-academy,"  # a slug names the school too
    problems = [
        *demo_lines(),
        ash_pupil,
        "W317201620010,Mia,Evans,,R,,",
        "Y317201620011,Ella,Hall,,R,Oak School,",
    ]
    preview = client.get(upload(client, "\n".join(problems), "trust")).text
    assert "W317201620010: school: a trust-wide roster names each pupil&#x27;s school" in preview
    assert "Y317201620011: school: expected one of the trust&#x27;s schools" in preview
    assert "Import these changes" not in preview

    client.post(upload(client, "\n".join([*demo_lines(), ash_pupil, birch_pupil]), "trust"))
    assert on_roster("ash-primary") == {"L317201621008"} and on_roster("birch-academy") == {"P317201620009"}
    ash = signed_in(ASH_HEAD).get("/people/pupils/").text
    assert "Isla Brown" in ash and "Leo Taylor" not in ash and "Oliver Mensah" not in ash
    birch = signed_in(BIRCH_HEAD).get("/people/pupils/").text
    assert "Leo Taylor" in birch and "Isla Brown" not in birch and "Oliver Mensah" not in birch


def test_a_pupil_who_changes_school_moves_with_their_upn(trust: Trust) -> None:
    client = signed_in(ASH_HEAD)
    oliver = next(line for line in demo_lines() if line.startswith(OLIVER))
    location = upload(client, "\n".join([HEADER, oliver.replace("Wells Primary School", "")]), "ash-primary")
    preview = client.get(location).text
    assert "joins from Wells Primary School" in preview and "Not in this file" not in preview
    client.post(location)
    moved = Pupil.objects.get(upn=OLIVER)
    assert moved.school == school("ash-primary") and moved.in_roster
    assert "Oliver Mensah" not in signed_in(WELLS_HEAD).get("/people/pupils/").text
    event = AuditEvent.objects.filter(action="pupils.import").latest("at")
    assert event.details["moved"] == {str(moved.pk): "wells-primary"}


def test_a_upn_held_by_another_trust_is_a_problem_that_does_not_name_it(trust: Trust) -> None:
    other = Trust.objects.create(slug="other-trust", name="Other Trust", pack_id="wonder")
    elm = School.objects.create(trust=other, slug="elm", name="Elm School")
    Pupil.objects.create(school=elm, upn="E317201619012", first_name="Freya", last_name="Lee")
    client = signed_in(WELLS_HEAD)
    lines = [*demo_lines(), "E317201619012,Freya,Lee,,6,Wells Primary School,"]
    preview = client.get(upload(client, "\n".join(lines), "wells-primary")).text
    assert "E317201619012: upn: already on the roster of a school outside Demo Learning Trust" in preview
    assert "Other Trust" not in preview and "Elm School" not in preview
    assert Pupil.objects.get(upn="E317201619012").school == elm


def test_who_may_import_and_preview_a_roster(trust: Trust) -> None:
    assert signed_in(WELLS_TEACHER).get("/people/pupils/import/").status_code == 403
    ash_form = signed_in(ASH_HEAD).get("/people/pupils/import/").text
    assert (
        "Ash Primary School" in ash_form
        and "Birch Academy" not in ash_form
        and "Every school" not in ash_form
    )
    trust_form = signed_in(TRUST_DPL).get("/people/pupils/import/").text
    assert "Every school in Demo Learning Trust" in trust_form and "Birch Academy" in trust_form
    # A school's head cannot upload for another school, even by editing the form.
    ash = signed_in(ASH_HEAD)
    refused = ash.post(
        "/people/pupils/import/",
        {
            "scope": str(school("birch-academy").pk),
            "file": SimpleUploadedFile("p.csv", DEMO_PUPILS.read_bytes(), "text/csv"),
        },
    )
    assert refused.status_code == 200 and "Select a valid choice" in refused.text
    assert not PupilUpload.objects.filter(school__slug="birch-academy").exists()
    missing_file = ash.post("/people/pupils/import/", {"scope": str(school("ash-primary").pk)})
    assert "This field is required" in missing_file.text

    location = upload(signed_in(WELLS_HEAD), DEMO_PUPILS.read_text(), "wells-primary")
    assert signed_in(WELLS_DPL).get(location).status_code == 200  # a keeper of the same school
    assert signed_in(TRUST_DPL).get(location).status_code == 200
    assert signed_in(BIRCH_HEAD).get(location).status_code == 404
    assert signed_in(WELLS_TEACHER).get(location).status_code == 404
    assert signed_in(BIRCH_HEAD).post(location).status_code == 404
    assert PupilUpload.objects.get(pk=location.rstrip("/").rsplit("/", 1)[1]).applied_at is None


def test_an_unchanged_roster_has_nothing_to_import(trust: Trust) -> None:
    client = signed_in(WELLS_HEAD)
    preview = client.get(upload(client, DEMO_PUPILS.read_text(), "wells-primary")).text
    assert "This file changes nothing" in preview and "Import these changes" not in preview


# --- the exports the guards read ------------------------------------------------------------------


def test_the_exported_roster_reads_as_the_imported_one(trust: Trust, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    stdout = StringIO()
    call_command("export_roster", trust="demo-trust", out=str(out), stdout=stdout)
    assert f"{out}: 5 pupils of Demo Learning Trust" in stdout.getvalue()
    assert sorted(read_roster(out), key=_upn) == sorted(read_roster(DEMO_PUPILS), key=_upn)
    assert out.read_text().splitlines()[0] == HEADER
    # Read back by the registers, it changes nothing.
    assert not plan_roster_import(trust, None, "roster.csv", out.read_bytes()).changes_anything
    Pupil.objects.filter(upn=HARRY).update(in_roster=False)  # no longer on the roster: not for the guards
    call_command("export_roster", trust="demo-trust", out=str(out), stdout=StringIO())
    assert HARRY not in {p.upn for p in read_roster(out)}
    ash = tmp_path / "ash.csv"
    call_command("export_roster", trust="demo-trust", school="ash-primary", out=str(ash), stdout=StringIO())
    assert len(read_roster(ash)) == 0


def test_the_exported_directory_gives_everyone_their_roles(trust: Trust, tmp_path: Path) -> None:
    out = tmp_path / "staff.csv"
    call_command("export_directory", trust="demo-trust", out=str(out), stdout=StringIO())
    exported = read_directory(out)
    original = read_directory(DEMO_DIRECTORY)
    assert {m.email: set(m.roles) for m in exported} == {m.email: set(m.roles) for m in original}
    for person in Person.objects.filter(trust=trust).prefetch_related("role_assignments"):
        member = exported.get(person.email)
        assert member is not None
        assert set(member.roles) == {a.role for a in person.role_assignments.all()}
    office = exported.get("office@ash.demotrust.org.uk")
    assert office is not None and office.account_kind == "generic_inbound"
    plan = plan_directory_import(trust, "staff.csv", out.read_bytes())
    assert plan.ok and (plan.count_add, plan.count_update, plan.missing) == (0, 0, [])


MESSAGES = {
    "pupil.eml": (
        "From: Aisha Khan <a.khan@wells.redbridge.sch.uk>\nTo: office@wells.redbridge.sch.uk\n"
        "Subject: Oliver Mensah - reading book\n\nPlease find his book.\n"
    ),
    "own.eml": (
        "From: Emma Green <e.green@ash.demotrust.org.uk>\nTo: emma.green.home@gmail.com\n"
        "Subject: Reports\n\nClass reports to finish tonight.\n"
    ),
    "office.eml": (
        "From: Ash Office <office@ash.demotrust.org.uk>\nTo: someone@example.org\n"
        "Subject: Term dates\n\nTerm dates attached.\n"
    ),
}


def _check_email(folder: Path, *people: str) -> list[dict[str, Any]]:
    names = sorted(MESSAGES)
    result = subprocess.run(
        [sys.executable, "-m", "aupguard", "check", "email", "--json", "--policy", "wells", *people, *names],
        cwd=folder,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return [json.loads(line) for line in result.stdout.splitlines()]


def test_check_email_reads_the_exports_as_it_reads_the_school_s_files(trust: Trust, tmp_path: Path) -> None:
    for name, text in MESSAGES.items():
        (tmp_path / name).write_text(text)
    call_command("export_roster", trust="demo-trust", out=str(tmp_path / "roster.csv"), stdout=StringIO())
    call_command("export_directory", trust="demo-trust", out=str(tmp_path / "staff.csv"), stdout=StringIO())
    exported = _check_email(tmp_path, "--roster", "roster.csv", "--directory", "staff.csv")
    originals = _check_email(tmp_path, "--roster", str(DEMO_PUPILS), "--directory", str(DEMO_DIRECTORY))
    assert exported == originals
    fired = {line["input"]: {f["check"] for f in line["findings"]} for line in exported}
    assert fired == {
        "office.eml": {"email.generic_account_outbound"},  # the directory says it is receive-only
        "own.eml": {"email.own_personal_address"},
        "pupil.eml": {"email.pupil_name_in_subject"},  # the roster names Oliver Mensah
    }
    without = {line["input"]: line["findings"] for line in _check_email(tmp_path)}
    assert without["pupil.eml"] == [] and without["office.eml"] == []


def test_an_export_replaces_the_file_whole_or_not_at_all(trust: Trust, tmp_path: Path) -> None:
    out = tmp_path / "roster.csv"
    call_command("export_roster", trust="demo-trust", out=str(out), stdout=StringIO())
    before, mtime = out.read_bytes(), out.stat().st_mtime_ns
    assert out.stat().st_mode & 0o077 == 0  # children's names: the owner's only
    again = StringIO()
    call_command("export_roster", trust="demo-trust", out=str(out), stdout=again)
    assert "unchanged (5 pupils" in again.getvalue() and out.stat().st_mtime_ns == mtime
    assert AuditEvent.objects.filter(action="pupils.export").count() == 1

    # A record the guards could not read (no first name) stops the export; the old file stays.
    Pupil.objects.filter(upn=OLIVER).update(first_name="")
    with pytest.raises(CommandError, match=r"was not written(.|\n)*roster.csv:\d+: first_name"):
        call_command("export_roster", trust="demo-trust", out=str(out), stdout=StringIO())
    assert out.read_bytes() == before and sorted(p.name for p in tmp_path.iterdir()) == ["roster.csv"]

    with pytest.raises(CommandError, match=r"cannot write .*: there is no folder"):
        call_command(
            "export_roster", trust="demo-trust", out=str(tmp_path / "no" / "r.csv"), stdout=StringIO()
        )
    with pytest.raises(CommandError, match="no trust 'nope'; the trusts are: demo-trust"):
        call_command("export_directory", trust="nope", out=str(out), stdout=StringIO())
    with pytest.raises(CommandError, match="has no school 'oak'"):
        call_command("export_roster", trust="demo-trust", school="oak", out=str(out), stdout=StringIO())
