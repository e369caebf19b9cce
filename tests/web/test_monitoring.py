"""Monitoring: the guards' findings ingested into the registers, seen only by the pack's viewers,
every look recorded with a reason."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client

from aupguard.web.audit.models import AuditEvent
from aupguard.web.monitoring.models import GuardEvent, GuardEventDay
from aupguard.web.org.management.commands.load_demo import DEMO_PASSWORD

pytestmark = pytest.mark.django_db

ASH_TEACHER = "e.green@ash.demotrust.org.uk"
ASH_HEAD = "k.oconnor@ash.demotrust.org.uk"
BIRCH_HEAD = "n.patel@birch.demotrust.org.uk"
COO = "l.morgan@demotrust.org.uk"  # trust-wide; wonder's viewers are headteacher and coo
WELLS_STAFF = "a.khan@wells.redbridge.sch.uk"


def _relay_line(message_id: str, sender: str, check: str, clause: str) -> str:
    return json.dumps(
        {
            "time": "2026-11-30T10:15:00.000+00:00",
            "event": "held",
            "id": message_id,
            "mail_from": sender,
            "rcpt_tos": ["someone@example.com"],
            "verdict": "hold",
            "findings": [
                {
                    "check": check,
                    "clause": clause,
                    "action": "hold",
                    "where": "body",
                    "evidence": "4111 **** 1111",
                }
            ],
            "pack": "wonder",
            "pack_sha256": "ab" * 32,
        }
    )


@pytest.fixture
def demo(tmp_path: Path) -> Path:
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", "--people-only", stdout=StringIO())
    events = tmp_path / "events.jsonl"
    scan = {
        "input": "access.log",
        "lines": 10,
        "findings": [
            {
                "check": "web.gambling",
                "clause": "RB-6.7.7",
                "action": "block",
                "who": WELLS_STAFF.upper(),
                "where": "casino.example",
                "evidence": "gambling",
                "count": 4,
                "first": "2026-11-30T09:00:00+00:00",
                "last": "2026-11-30T09:05:00+00:00",
            }
        ],
    }
    events.write_text(
        "\n".join(
            [
                _relay_line("m1", ASH_TEACHER, "email.card_number", "WLP-1"),
                json.dumps({"time": "2026-11-30T10:16:00+00:00", "event": "delivered", "id": "m0"}),
                _relay_line("m2", "j.cole@birch.demotrust.org.uk", "email.offensive_language", "WLP-2"),
                _relay_line("m3", "supply.teacher@gmail.com", "email.card_number", "WLP-1"),
                "{not json",
                json.dumps(scan),
            ]
        )
        + "\n"
    )
    return events


def signed_in(email: str) -> Client:
    client = Client()
    assert client.login(username=email, password=DEMO_PASSWORD), email
    return client


def with_reason(email: str) -> Client:
    client = signed_in(email)
    response = client.post(
        "/monitoring/", {"reason": "Checking the card-number alerts for the DPL", "next": "/monitoring/"}
    )
    assert response.status_code == 302
    return client


def test_ingesting_the_guards_files_names_bad_lines_and_adds_nothing_twice(demo: Path) -> None:
    out, err = StringIO(), StringIO()
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=out, stderr=err)
    assert "6 lines, 4 new events, 1 unreadable lines" in out.getvalue().replace(str(demo) + ": ", "")
    assert f"{demo}, line 5:" in err.getvalue()
    ash = GuardEvent.objects.get(ref="m1")
    assert ash.school is not None and ash.school.slug == "ash-primary" and ash.person is not None
    assert GuardEvent.objects.get(ref="m3").person is None  # not in the directory: kept, no school
    web = GuardEvent.objects.get(source="web")
    assert web.count == 4 and web.who == WELLS_STAFF and web.school is not None
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=out, stderr=StringIO())
    assert GuardEvent.objects.count() == 4
    with pytest.raises(CommandError, match="could not be read"):
        call_command(
            "ingest_events", "--trust", "demo-trust", str(demo.parent / "missing.jsonl"), stderr=StringIO()
        )


def test_only_the_pack_s_viewers_see_events_and_only_their_schools(demo: Path) -> None:
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    ash_event = GuardEvent.objects.get(ref="m1")
    assert signed_in(ASH_TEACHER).get("/monitoring/").status_code == 404
    assert signed_in(ASH_TEACHER).get(f"/monitoring/{ash_event.pk}/").status_code == 404
    head = with_reason(ASH_HEAD)
    listed = head.get("/monitoring/").content.decode()
    assert (
        "email.card_number" in listed
        and "email.offensive_language" not in listed
        and "web.gambling" not in listed
    )
    assert head.get(f"/monitoring/{ash_event.pk}/").status_code == 200
    assert with_reason(BIRCH_HEAD).get(f"/monitoring/{ash_event.pk}/").status_code == 404
    coo = with_reason(COO).get("/monitoring/").content.decode()
    # wonder names the COO: Ash, Birch and the events of no school; Wells follows wells, which does not
    assert "Emma Green" in coo and "email.offensive_language" in coo and "supply.teacher@gmail.com" in coo
    assert "web.gambling" not in coo


def test_every_look_needs_a_reason_and_is_recorded(demo: Path) -> None:
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    client = signed_in(ASH_HEAD)
    asked = client.get("/monitoring/").content.decode()
    assert "Why are you looking at monitoring data?" in asked and "email.card_number" not in asked
    short = client.post("/monitoring/", {"reason": "because", "next": "/monitoring/"}).content.decode()
    assert "at least 10 characters" in short
    client.post("/monitoring/", {"reason": "Following up a held message", "next": "/monitoring/"})
    assert "email.card_number" in client.get("/monitoring/").content.decode()
    look = AuditEvent.objects.filter(action="monitoring.view").latest("at")
    assert look.reason == "Following up a held message" and look.actor_name == ASH_HEAD


def test_an_event_is_dismissed_with_a_note_and_the_change_is_audited(demo: Path) -> None:
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    event = GuardEvent.objects.get(ref="m1")
    client = with_reason(ASH_HEAD)
    missing = client.post(f"/monitoring/{event.pk}/", {"status": "dismissed"}).content.decode()
    assert "This field is required." in missing
    client.post(
        f"/monitoring/{event.pk}/", {"status": "dismissed", "note": "A test card number from the bank"}
    )
    event.refresh_from_db()
    assert event.status == "dismissed" and event.status_by is not None
    assert AuditEvent.objects.filter(action="monitoring.status", target_id=str(event.pk)).exists()


def test_the_summary_counts_each_school_s_checks_from_the_daily_counts(demo: Path) -> None:
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    client = signed_in(COO)
    page = client.get("/monitoring/summary/").content.decode()
    # One count row per school, check and day, whatever day the tests run on.
    rows = {
        (r.school.slug if r.school else None, r.check_id): (r.events, r.times)
        for r in GuardEventDay.objects.all()
    }
    assert rows == {
        ("ash-primary", "email.card_number"): (1, 1),
        ("birch-academy", "email.offensive_language"): (1, 1),
        (None, "email.card_number"): (1, 1),
        ("wells-primary", "web.gambling"): (1, 4),
    }
    assert "Why are you looking" not in page  # counts only: no reason asked
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    assert GuardEventDay.objects.count() == 4  # counted again, not twice


def test_the_list_counts_from_the_daily_counts_and_filters_the_events_themselves(demo: Path) -> None:
    call_command("ingest_events", "--trust", "demo-trust", str(demo), stdout=StringIO(), stderr=StringIO())
    client = with_reason(COO)
    assert "3 events" in client.get("/monitoring/").content.decode()  # Ash, Birch and no school
    only_cards = client.get("/monitoring/?check=email.card_number").content.decode()
    assert "2 events" in only_cards and "email.offensive_language" not in only_cards
    by_who = client.get("/monitoring/?who=supply").content.decode()  # not in the daily counts
    assert "1 event<" in by_who and "supply.teacher@gmail.com" in by_who
