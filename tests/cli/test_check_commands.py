"""`aupguard check email | text` as a script calls them (DESIGN.md, "Command line")."""

from __future__ import annotations

import json
import subprocess
import sys

from tests.conftest import DATA, ROOT

EMAIL = DATA / "email"
OUTBOX = EMAIL / "outbox"
PEOPLE = ("--roster", str(EMAIL / "wells_pupils.csv"), "--directory", str(EMAIL / "wells_staff.csv"))


def aupguard(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aupguard", *args], capture_output=True, text=True, cwd=ROOT, check=False
    )


def test_check_email_prints_one_json_line_per_message_in_input_order() -> None:
    files = sorted(str(p) for p in OUTBOX.glob("*.eml"))
    result = aupguard("check", "email", "--policy", "wells", *PEOPLE, "--json", *files)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == files
    by_name = {line["input"].rsplit("/", 1)[1]: line for line in lines}

    payment = by_name["01-trip-payment.eml"]
    assert payment["verdict"] == "block"
    (card,) = [f for f in payment["findings"] if f["check"] == "email.card_number"]
    assert card == {
        "check": "email.card_number",
        "clause": "RB-5.22",
        "action": "block",
        "where": "body",
        "evidence": "4111 **** **** 1111",
    }
    assert "4111 1111 1111 1111" not in result.stdout

    assert by_name["02-briefing.eml"] == {"input": files[1], "verdict": "allow", "findings": []}
    assert by_name["03-parents-in-to.eml"]["verdict"] == "hold"
    assert {f["check"] for f in by_name["05-safeguarding.eml"]["findings"]} >= {
        "email.personal_data_unencrypted"
    }


def test_an_unreadable_input_gets_its_own_error_line_and_exit_status_2() -> None:
    good = str(OUTBOX / "02-briefing.eml")
    result = aupguard("check", "email", "--policy", "wells", "--json", "missing.eml", good)
    assert result.returncode == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first == {"input": "missing.eml", "error": "no such file"}
    assert second["verdict"] == "allow"


def test_the_readable_summary_quotes_the_clause() -> None:
    result = aupguard("check", "email", "--policy", "wells", *PEOPLE, str(OUTBOX / "01-trip-payment.eml"))
    assert result.returncode == 0, result.stderr
    assert "BLOCK" in result.stdout
    assert "email.card_number (RB-5.22) in body: 4111 **** **** 1111" in result.stdout
    assert "PAN" in result.stdout  # the clause's own words


def test_bad_usage_is_one_line_on_stderr() -> None:
    broken_roster = DATA / "directories" / "staff_broken.csv"
    result = aupguard("check", "email", "--policy", "wells", "--directory", str(broken_roster), "x.eml")
    assert result.returncode == 2
    assert "staff_broken.csv:3: email:" in result.stderr
    assert "Traceback" not in result.stderr
    at = aupguard("check", "email", "--policy", "wells", "--at", "next tuesday", "x.eml")
    assert at.returncode == 2 and "--at: expected an ISO 8601 time" in at.stderr


def test_check_text_for_an_ai_tool_finds_names_and_identifiers(tmp_path: object) -> None:
    from pathlib import Path

    prompt = Path(str(tmp_path)) / "prompt.txt"
    prompt.write_text(
        "Write a kind report comment for Amelia Clarke, who has an EHCP for dyslexia. UPN K317201626001.",
        encoding="utf-8",
    )
    clean = Path(str(tmp_path)) / "clean.txt"
    clean.write_text("Suggest three starter activities on fractions for Year 5.", encoding="utf-8")
    result = aupguard(
        "check", "text", "--policy", "oak", "--channel", "ai", *PEOPLE, "--json", str(prompt), str(clean)
    )
    assert result.returncode == 0, result.stderr
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["verdict"] == "block"
    evidence = {f["evidence"] for f in first["findings"]}
    assert "pupil A. C. with 'EHCP'" in evidence
    assert "K*********001" in evidence
    assert all(f["check"] == "ai.personal_data" for f in first["findings"])
    assert second == {"input": str(clean), "verdict": "allow", "findings": []}


def test_a_pack_list_with_a_bad_line_is_named_not_a_traceback(tmp_path: object) -> None:
    import shutil
    from pathlib import Path

    from tests.conftest import PACKS

    folder = Path(str(tmp_path))
    shutil.copy(PACKS / "wells.yaml", folder / "wells.yaml")
    shutil.copytree(PACKS / "lists", folder / "lists")
    with open(folder / "lists" / "school-essentials.txt", "a", encoding="utf-8") as f:
        f.write("teams microsoft com\n")
    result = aupguard(
        "check", "email", "--policy", str(folder / "wells.yaml"), str(OUTBOX / "02-briefing.eml")
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "school-essentials.txt:" in result.stderr and "expected a domain or a URL prefix" in result.stderr
