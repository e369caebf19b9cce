"""The policy commands as scripts call them: output, JSON and exit status are the contract."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from tests.conftest import DATA

TINY = str(DATA / "packs" / "tiny.yaml")


def aupguard(*args: str, packs_dir: Path = DATA / "packs") -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "AUPGUARD_PACKS_DIR": str(packs_dir)}
    return subprocess.run(
        [sys.executable, "-m", "aupguard", *args], capture_output=True, text=True, env=env, check=False
    )


def test_list_prints_one_json_line_per_pack() -> None:
    result = aupguard("policy", "list", "--json")
    assert result.returncode == 0, result.stderr
    (line,) = result.stdout.splitlines()
    row = json.loads(line)
    assert row["id"] == "tiny"
    assert row["clauses"] == 7
    assert row["version_code"] == row["sha256"][:12]


def test_list_flags_a_broken_pack_and_still_lists_the_others(pack_dir: Path, tiny_text: str) -> None:
    (pack_dir / "tiny.yaml").write_text(tiny_text, encoding="utf-8")
    (pack_dir / "broken.yaml").write_text("id: broken\nclauses: [\n", encoding="utf-8")
    result = aupguard("policy", "list", "--json", packs_dir=pack_dir)
    assert result.returncode == 2
    rows = [json.loads(line) for line in result.stdout.splitlines()]
    assert rows[0]["input"].endswith("broken.yaml") and "YAML syntax error" in rows[0]["error"]
    assert rows[1]["id"] == "tiny"


def test_show_json_has_the_clauses_in_source_order_with_their_mechanisms() -> None:
    result = aupguard("policy", "show", "tiny", "--json")
    assert result.returncode == 0, result.stderr
    pack = json.loads(result.stdout)
    clauses = pack["clauses"]
    assert [c["id"] for c in clauses] == [
        "TINY-0.1",
        "TINY-1.1",
        "TINY-1.2",
        "TINY-1.3",
        "TINY-2.1",
        "TINY-2.2",
        "TINY-2.3",
    ]
    assert clauses[1] == {
        "id": "TINY-1.1",
        "section": "1 Email",
        "text": "Staff must never send payment card numbers by email.",
        "mechanism": ["check"],
        "applies_to": ["staff"],
        "checks": [{"id": "email.card_number", "action": "block"}],
    }
    assert clauses[4]["workflow"] == {"id": "removable_media", "approver": "senior_leader", "requires": []}
    assert clauses[6]["register"] == {
        "id": "incident",
        "kind": "lost_or_stolen_device",
        "report_to": ["dpl"],
        "clock_hours": 72,
    }
    assert pack["settings"]["working_hours"] == {
        "days": ["mon", "tue", "wed", "thu", "fri"],
        "start": "08:30",
        "end": "16:30",
    }


def test_show_text_groups_clauses_by_section() -> None:
    result = aupguard("policy", "show", TINY)
    assert result.returncode == 0
    out = result.stdout
    assert out.index("== 1 Email") < out.index("TINY-1.1") < out.index("== 2 Devices") < out.index("TINY-2.1")
    assert "[workflow removable_media (approver: senior_leader)]" in out


def test_coverage_exits_0_for_a_complete_pack_and_1_with_problems(pack_dir: Path, tiny_text: str) -> None:
    ok = aupguard("policy", "coverage", "tiny", "--json")
    assert ok.returncode == 0
    report = json.loads(ok.stdout)
    assert report["problems"] == []
    assert report["by_mechanism"]["check"] == ["TINY-1.1", "TINY-1.2", "TINY-1.3", "TINY-2.3"]
    assert report["workflows"] == {"removable_media": {"approver": "senior_leader", "clauses": ["TINY-2.1"]}}

    start = tiny_text.index("  - id: TINY-2.2")
    end = tiny_text.index("  - id: TINY-2.3")
    (pack_dir / "tiny.yaml").write_text(tiny_text[:start] + tiny_text[end:], encoding="utf-8")
    gap = aupguard("policy", "coverage", "tiny", packs_dir=pack_dir)
    assert gap.returncode == 1
    assert "no clause quotes this sentence: 'Lock your screen whenever you leave your desk.'" in gap.stdout


def test_coverage_of_a_pack_that_does_not_load_lists_its_problems(pack_dir: Path, tiny_text: str) -> None:
    (pack_dir / "tiny.yaml").write_text(tiny_text.replace("action: block", "action: shout"), encoding="utf-8")
    result = aupguard("policy", "coverage", "tiny", packs_dir=pack_dir)
    assert result.returncode == 1
    assert "clause TINY-1.1: checks[0].action: unknown action 'shout'" in result.stdout


def test_diff_json_names_the_changes(pack_dir: Path, tiny_text: str) -> None:
    other = pack_dir / "tiny.yaml"
    other.write_text(
        tiny_text.replace("personal_devices", "x").replace(
            "  working_hours", "  personal_devices: forbidden\n  working_hours"
        ),
        encoding="utf-8",
    )
    result = aupguard("policy", "diff", TINY, str(other), "--json")
    assert result.returncode == 0, result.stderr
    d = json.loads(result.stdout)
    assert d["settings"] == [
        {"setting": "personal_devices", "a": "allowed_with_conditions", "b": "forbidden"}
    ]
    assert d["clauses"]["unchanged"] == 7


def test_an_unknown_pack_is_one_line_on_stderr_and_exit_2() -> None:
    result = aupguard("policy", "show", "atlantis")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "no pack with id 'atlantis' (packs in" in result.stderr and "tiny" in result.stderr


def test_bad_usage_is_one_line_and_exit_2() -> None:
    result = aupguard("policy", "shwo", "tiny")
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert "invalid choice: 'shwo'" in result.stderr


def test_a_broken_pack_gives_one_line_per_problem_and_exit_2(pack_dir: Path, tiny_text: str) -> None:
    text = tiny_text.replace("email.card_number", "email.card").replace("review: 2027-09-01", "review: never")
    (pack_dir / "tiny.yaml").write_text(text, encoding="utf-8")
    result = aupguard("policy", "show", "tiny", packs_dir=pack_dir)
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 2
    assert "Traceback" not in result.stderr
