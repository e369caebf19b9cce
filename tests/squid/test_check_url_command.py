"""`aupguard check url` as scripts call it: DESIGN.md's JSON lines with the categories."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT


def _check(small_db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aupguard", "check", "url", "--categories", str(small_db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def test_one_json_line_per_url_with_its_categories(small_db: Path) -> None:
    urls = ["https://www.bet365.com/sport?x=1", "teams.microsoft.com:443", "http://ttrockstars.com/"]
    result = _check(small_db, "--policy", "wells", "--role", "staff", "--json", *urls)
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["input"] for line in lines] == urls
    bet, teams, maths = lines
    assert bet["verdict"] == "block" and bet["categories"] == ["gambling"]
    assert bet["findings"] == [
        {
            "check": "web.blocked_category",
            "clause": "RB-6.7.7",
            "action": "block",
            "where": "www.bet365.com",
            "evidence": "category gambling",
        }
    ]
    assert teams == {"input": "teams.microsoft.com:443", "verdict": "allow", "findings": [], "categories": []}
    assert maths["verdict"] == "allow" and maths["categories"] == ["games"]


def test_working_hours_come_from_at_in_the_pack_s_time_zone(small_db: Path) -> None:
    morning = _check(
        small_db,
        "--policy",
        "wonder",
        "--role",
        "staff",
        "--at",
        "2026-12-01T10:30",
        "--json",
        "https://www.facebook.com/",
    )
    evening = _check(
        small_db,
        "--policy",
        "wonder",
        "--role",
        "staff",
        "--at",
        "2026-12-01T19:30",
        "--json",
        "https://www.facebook.com/",
    )
    assert json.loads(morning.stdout)["verdict"] == "warn"
    assert json.loads(evening.stdout)["verdict"] == "allow"


def test_a_malformed_url_gets_an_error_line_and_exit_2(small_db: Path) -> None:
    result = _check(small_db, "--policy", "wells", "--role", "staff", "--json", "http://", "casino.test")
    assert result.returncode == 2
    bad, good = (json.loads(line) for line in result.stdout.splitlines())
    assert bad["input"] == "http://" and bad["error"]
    assert good["verdict"] == "block"


def test_bad_usage_and_a_missing_database_are_one_line_errors(small_db: Path, tmp_path: Path) -> None:
    role = _check(small_db, "--policy", "wells", "--role", "pupil", "x.com")
    assert role.returncode == 2 and "expected a role key" in role.stderr
    missing = subprocess.run(
        [
            sys.executable,
            "-m",
            "aupguard",
            "check",
            "url",
            "--policy",
            "wells",
            "--role",
            "staff",
            "--categories",
            str(tmp_path / "none.aupcat"),
            "x.com",
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert (
        missing.returncode == 2 and "make categories" in missing.stderr and "Traceback" not in missing.stderr
    )


def test_the_readable_output_quotes_the_clause(small_db: Path) -> None:
    result = _check(small_db, "--policy", "wells", "--role", "staff", "casino.test")
    assert "casino.test: BLOCK [gambling]" in result.stdout
    assert "RB-6.7.7" in result.stdout and "gambling" in result.stdout
