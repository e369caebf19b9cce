"""`aupguard policy list | show PACK | coverage PACK | diff PACK_A PACK_B`."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from typing import Any

from aupguard.cli.inputs import BAD_INPUT, read_pack
from aupguard.engine.packs import (
    Clause,
    PackError,
    PackNotFound,
    available_packs,
    coverage,
    describe_enforcement,
    diff_packs,
    load_pack,
    pack_as_dict,
    packs_dir,
    resolve_pack,
)

PROBLEMS_FOUND = 1


def register(commands: argparse._SubParsersAction[Any]) -> None:
    policy = commands.add_parser("policy", help="list, show, check coverage of and compare policy packs")
    sub = policy.add_subparsers(dest="policy_command", required=True, metavar="SUBCOMMAND")

    def add(name: str, help_text: str, run: Any, *packs: str) -> None:
        p: argparse.ArgumentParser = sub.add_parser(name, help=help_text, description=help_text)
        for metavar in packs:
            p.add_argument(metavar.lower(), metavar=metavar, help="a pack id (wells) or a pack file")
        p.add_argument("--json", action="store_true", help="machine output: JSON")
        p.set_defaults(run=run)

    add("list", "list the packs in the packs folder", run_list)
    add("show", "print a pack's clauses by section, with how each is enforced", run_show, "PACK")
    add(
        "coverage", "clauses by mechanism, checks and workflows used, and every problem", run_coverage, "PACK"
    )
    add("diff", "compare two packs, or two versions of one, clause by clause", run_diff, "PACK_A", "PACK_B")


def _emit(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False))


def run_list(args: argparse.Namespace) -> int:
    status = 0
    paths = available_packs()
    if not paths and not args.json:
        print(f"no packs in {packs_dir()}")
    for path in paths:
        try:
            pack = load_pack(path)
        except PackError as exc:
            status = BAD_INPUT
            first = exc.problems[0]
            if args.json:
                _emit({"input": str(path), "error": str(first), "problems": len(exc.problems)})
            else:
                print(f"{path.stem:<22} BROKEN: {first} ({len(exc.problems)} problem(s))")
            continue
        if args.json:
            _emit(
                {
                    "id": pack.id,
                    "organisation": pack.organisation,
                    "title": pack.title,
                    "policy_version": pack.policy_version,
                    "clauses": len(pack.clauses),
                    "sha256": pack.sha256,
                    "version_code": pack.version_code,
                    "review": pack.dates.review.isoformat() if pack.dates.review else None,
                }
            )
        else:
            print(
                f"{pack.id:<22} {pack.version_code}  {len(pack.clauses):>3} clauses  "
                f"{pack.organisation}: {pack.title} ({pack.policy_version})"
            )
    return status


def enforcement_summary(clause: Clause) -> str:
    return "; ".join(describe_enforcement(clause))


def run_show(args: argparse.Namespace) -> int:
    pack = read_pack(args.pack)
    if pack is None:
        return BAD_INPUT
    if args.json:
        _emit(pack_as_dict(pack))
        return 0
    d = pack.dates
    print(f"{pack.title} — {pack.organisation}")
    print(f"pack {pack.id}, policy version {pack.policy_version}, version code {pack.version_code}")
    print(
        f"approved {d.approved or '-'} by {pack.approved_by or '-'}; "
        f"implemented {d.implemented or '-'}; review {d.review or '-'}"
    )
    print("authorities: " + "; ".join(f"{k} = {v}" for k, v in pack.authorities().items()))
    wrap = textwrap.TextWrapper(width=100, initial_indent="    ", subsequent_indent="    ")
    for section, clauses in pack.sections():
        print(f"\n== {section}")
        for clause in clauses:
            print(f"  {clause.id}  [{enforcement_summary(clause)}]")
            print(wrap.fill(f"“{clause.text}”"))
            if clause.note:
                print(wrap.fill(f"note: {clause.note}"))
    return 0


def run_coverage(args: argparse.Namespace) -> int:
    try:
        pack = load_pack(resolve_pack(args.pack))
    except PackNotFound as exc:
        print(f"aupguard: error: {exc}", file=sys.stderr)
        return BAD_INPUT
    except PackError as exc:
        if args.json:
            _emit(
                {
                    "input": args.pack,
                    "error": "the pack does not load",
                    "problems": [str(p) for p in exc.problems],
                }
            )
        else:
            for problem in exc.problems:
                print(problem)
            print(f"{len(exc.problems)} problem(s): the pack does not load")
        return PROBLEMS_FOUND
    cov = coverage(pack)
    if args.json:
        _emit(cov.as_dict())
        return 0 if cov.ok else PROBLEMS_FOUND
    print(f"{pack.id}: {len(pack.clauses)} clauses, version code {pack.version_code}")
    for mechanism, ids in cov.as_dict()["by_mechanism"].items():
        print(f"  {mechanism:<12} {len(ids):>3}")
    print("checks:")
    for check_id, ids in cov.checks.items():
        print(f"  {check_id:<34} {', '.join(ids)}")
    print("workflows:")
    authorities = pack.authorities()
    for workflow_id, ids in cov.workflows.items():
        approver = authorities[f"workflow:{workflow_id}"]
        print(f"  {workflow_id:<28} approver {approver:<14} {', '.join(ids)}")
    print("registers:")
    for register, ids in cov.registers.items():
        print(f"  {register:<34} {', '.join(ids)}")
    if cov.problems:
        print("problems:")
        for problem in cov.problems:
            print(f"  {problem}")
        print(f"{len(cov.problems)} problem(s)")
        return PROBLEMS_FOUND
    print("no problems: every clause is mapped and every sentence of the source is quoted")
    return 0


def run_diff(args: argparse.Namespace) -> int:
    a, b = read_pack(args.pack_a), read_pack(args.pack_b)
    if a is None or b is None:
        return BAD_INPUT
    d = diff_packs(a, b)
    if args.json:
        _emit(d.as_dict())
        return 0
    print(f"--- {a.id} ({a.version_code})\n+++ {b.id} ({b.version_code})")
    for title, rows, key in (
        ("metadata", d.metadata, "field"),
        ("roles", d.roles, "role"),
        ("settings", d.settings, "setting"),
        ("authorities", d.authorities, "authority"),
    ):
        if rows:
            print(f"\n{title}:")
            for row in rows:
                print(f"  {row[key]}: {_short(row['a'])} -> {_short(row['b'])}")
    print(
        f"\nclauses: {len(d.removed)} only in {a.id}, {len(d.added)} only in {b.id}, "
        f"{len(d.changed)} changed, {d.unchanged} the same"
    )
    for clause in d.removed:
        print(f"  - {clause.id} [{enforcement_summary(clause)}] {_short(clause.text)}")
    for clause in d.added:
        print(f"  + {clause.id} [{enforcement_summary(clause)}] {_short(clause.text)}")
    for ca, cb, changes in d.changed:
        print(f"  ~ {ca.id} -> {cb.id}")
        for change in changes:
            print(f"      {change['field']}: {_short(change['a'])} -> {_short(change['b'])}")
    return 0


def _short(value: object, limit: int = 110) -> str:
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= limit else text[: limit - 1] + "…"
