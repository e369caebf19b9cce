"""A broken pack gives one clear line per problem: file, line, clause, field and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from aupguard.engine.packs import PackError, load_pack
from tests.conftest import DATA


def write(pack_dir: Path, text: str, name: str = "tiny.yaml") -> Path:
    path = pack_dir / name
    path.write_text(text, encoding="utf-8")
    return path


def problems_of(path: Path) -> list[str]:
    with pytest.raises(PackError) as caught:
        load_pack(path)
    return [str(p) for p in caught.value.problems]


def test_it_loads_a_valid_pack() -> None:
    pack = load_pack(DATA / "packs" / "tiny.yaml")
    assert pack.id == "tiny"
    assert [c.id for c in pack.clauses][:3] == ["TINY-0.1", "TINY-1.1", "TINY-1.2"]
    assert pack.clause("TINY-1.1").checks[0].action == "block"
    assert pack.clause("TINY-2.3").mechanisms == ("register", "check")
    assert pack.settings.working_hours.start.isoformat() == "08:30:00"
    assert pack.settings.bcc_limit is None  # the policy sets none, so the check has no limit
    assert pack.settings.webmail_domains[0] == "gmail.com"  # defaults fill what a pack leaves out
    assert pack.authorities()["workflow:removable_media"] == "senior_leader"


# (name, replace this, with this, expected line, expected text of the single problem)
BROKEN = [
    (
        "missing field",
        "    section: 1 Email\n    text: Staff must never",
        "    text: Staff must never",
        29,
        "clause TINY-1.1: missing field 'section'",
    ),
    (
        "unknown mechanism",
        "    mechanism: workflow\n",
        "    mechanism: approval\n",
        54,
        "clause TINY-2.1: mechanism: unknown mechanism 'approval' (expected one of: check, workflow, "
        "register, attestation, information)",
    ),
    (
        "unknown check id",
        "{id: email.card_number, action: block}",
        "{id: email.card_numbr, action: block}",
        35,
        "clause TINY-1.1: checks[0].id: unknown check 'email.card_numbr' (expected a check from the "
        "catalogue; did you mean 'email.card_number'?)",
    ),
    (
        "duplicate clause id",
        "  - id: TINY-2.2\n",
        "  - id: TINY-2.1\n",
        56,
        "clause TINY-2.1: id: duplicate clause id (first used on line 51)",
    ),
    (
        "bad date",
        "  review: 2027-09-01",
        "  review: 2027-02-30",
        11,
        "dates.review: expected a date YYYY-MM-DD (or null), got '2027-02-30'",
    ),
    (
        "date that is not a date at all",
        "  review: 2027-09-01",
        "  review: Summer Term 2029",
        11,
        "dates.review: expected a date YYYY-MM-DD (or null), got 'Summer Term 2029'",
    ),
    (
        "YAML syntax error",
        "    section: 1 Email\n    text: Staff",
        "    section: 1 Email\n   text: Staff",
        31,
        "YAML syntax error: did not find expected '-' indicator",
    ),
    (
        "unknown workflow",
        "{id: removable_media, approver: senior_leader}",
        "{id: usb_sticks, approver: senior_leader}",
        55,
        "clause TINY-2.1: workflow.id: unknown workflow 'usb_sticks'",
    ),
    (
        "role not declared",
        "{id: removable_media, approver: senior_leader}",
        "{id: removable_media, approver: siro}",
        55,
        "clause TINY-2.1: workflow.approver: role 'siro' is not declared in the pack's roles",
    ),
    (
        "alert without anyone to alert",
        "{id: email.confidential_unmarked, action: warn}",
        "{id: email.confidential_unmarked, action: alert}",
        50,
        "clause TINY-1.3: checks[0].notify: action alert needs the roles to notify",
    ),
    (
        "parameter the check does not take",
        "params: {hours: 72}",
        "params: {days: 3}",
        67,
        "clause TINY-2.3: checks[0].params.days: breach.ico_deadline has no parameter 'days' "
        "(it takes: hours)",
    ),
    (
        "mechanism field without its mechanism",
        "    mechanism: attestation\n",
        "    mechanism: information\n",
        60,
        "clause TINY-2.2: attestation: 'attestation' given but the mechanism is not attestation",
    ),
    (
        "setting of the wrong type",
        "  internal_domains: [tiny.sch.uk]",
        "  internal_domains: [tiny.sch.uk]\n  bcc_limit: ten",
        21,
        "settings.bcc_limit: expected a whole number of at least 1, got 'ten'",
    ),
    (
        "unknown web category",
        "all: [adult, gambling]",
        "all: [adult, gamblin]",
        23,
        "settings.blocked_categories.all[1]: unknown category 'gamblin'",
    ),
    (
        "newer format",
        "format_version: 1",
        "format_version: 7",
        2,
        "format_version: this aupguard reads format_version 1; 7 is newer: upgrade aupguard",
    ),
    (
        "misspelt top-level field",
        "organisation: Tiny",
        "organization: Tiny",
        4,
        "organization: unknown field 'organization'",
    ),
]


@pytest.mark.parametrize(("name", "old", "new", "line", "expected"), BROKEN, ids=[b[0] for b in BROKEN])
def test_it_reports_each_problem_on_one_line(
    pack_dir: Path, tiny_text: str, name: str, old: str, new: str, line: int, expected: str
) -> None:
    assert old in tiny_text, f"case {name!r} no longer matches tiny.yaml"
    path = write(pack_dir, tiny_text.replace(old, new, 1))
    problems = problems_of(path)
    assert len(problems) == (2 if name == "misspelt top-level field" else 1), problems
    assert any(p.startswith(f"{path}:{line}: {expected}") for p in problems), problems
    assert all("Traceback" not in p for p in problems)


def test_it_reports_every_problem_not_just_the_first(pack_dir: Path, tiny_text: str) -> None:
    text = tiny_text.replace("email.card_number", "email.nope").replace("removable_media", "usb")
    text = text.replace("review: 2027-09-01", "review: soon")
    problems = problems_of(write(pack_dir, text))
    assert len(problems) == 3
    assert [p.split(":")[1] for p in problems] == ["11", "35", "55"]  # in file order


def test_one_workflow_has_one_approver(pack_dir: Path, tiny_text: str) -> None:
    text = tiny_text.replace(
        "    mechanism: attestation\n    attestation: {training: true}",
        "    mechanism: workflow\n    workflow: {id: removable_media, approver: dpl}",
    )
    (problem,) = problems_of(write(pack_dir, text))
    assert "clause TINY-2.2: workflow.approver: workflow removable_media is approved by " in problem
    assert "'senior_leader' in clause TINY-2.1" in problem


def test_the_id_must_match_the_file_name(pack_dir: Path, tiny_text: str) -> None:
    (problem,) = problems_of(write(pack_dir, tiny_text, name="other.yaml"))
    assert problem.endswith("id: the id 'tiny' must equal the file name 'other'")


def test_it_names_a_missing_file(tmp_path: Path) -> None:
    (problem,) = problems_of(tmp_path / "absent.yaml")
    assert problem == f"{tmp_path / 'absent.yaml'}: file not found"


def test_it_reports_an_empty_file(pack_dir: Path) -> None:
    (problem,) = problems_of(write(pack_dir, "# nothing yet\n"))
    assert "the file is empty" in problem


def test_it_reports_duplicate_keys(pack_dir: Path, tiny_text: str) -> None:
    (problem,) = problems_of(
        write(pack_dir, tiny_text.replace("title: Acceptable", "title: A\ntitle: Acceptable"))
    )
    assert ":6: duplicate key 'title'" in problem


def test_unquoted_working_hours_read_as_times(pack_dir: Path, tiny_text: str) -> None:
    # YAML 1.1 reads an unquoted 08:30 as the number 510; authors should not have to know that.
    pack = load_pack(write(pack_dir, tiny_text.replace('start: "08:30"', "start: 08:30")))
    assert pack.settings.working_hours.start.isoformat() == "08:30:00"


def test_a_grace_period_may_be_zero_days_but_a_limit_may_not_be_zero(pack_dir: Path, tiny_text: str) -> None:
    text = tiny_text.replace(
        "      - {id: breach.ico_deadline, action: alert, notify: [dpl], params: {hours: 72}}",
        "      - {id: breach.ico_deadline, action: alert, notify: [dpl], params: {hours: 72}}\n"
        "      - {id: account.not_disabled, action: alert, notify: [dpl], params: {grace_days: 0}}",
    )
    pack = load_pack(write(pack_dir, text))
    assert pack.clause("TINY-2.3").checks[1].params["grace_days"] == 0
    (problem,) = problems_of(write(pack_dir, text.replace("params: {hours: 72}", "params: {hours: 0}")))
    assert "checks[0].params.hours: expected a whole number of at least 1, got 0" in problem
