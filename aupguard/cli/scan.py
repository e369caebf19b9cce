"""`aupguard scan squid-log`: a proxy log judged against a pack, line by line at each line's time.

    aupguard scan squid-log --policy PACK [--directory STAFF.csv] [--role ROLE] FILE... [--json]

Files may be gzipped (``access.log.1.gz``). With `--json`, one JSON object per file. A file that
cannot be read gets an error line and exit status 2; malformed lines are counted, never fatal.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path
from typing import Any, TextIO

from aupguard.cli.inputs import BAD_INPUT, compile_or_report, read_at, read_pack, read_people, read_snapshot
from aupguard.cli.web import read_categories, role_type
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.logs.scan import ScanReport, SquidLogScanner
from aupguard.process import quiet_gc

__all__ = ["register"]

# About how much of a log is read and judged at once (bytes): lines in a batch are judged together.
READ_SIZE = 1 << 20


def register(commands: argparse._SubParsersAction[Any]) -> None:
    scan = commands.add_parser("scan", help="judge logs against a policy pack after the fact")
    sub = scan.add_subparsers(dest="scan_command", required=True, metavar="WHAT")
    p = sub.add_parser("squid-log", help="Squid's native access.log (gzipped too)")
    p.add_argument("--policy", required=True, metavar="PACK", help="a pack id (wells) or a pack file")
    p.add_argument("--directory", metavar="STAFF.csv", help="staff directory (users' roles)")
    p.add_argument("--approvals", metavar="APPROVALS.json", help="approved filtered_site_access requests")
    p.add_argument("--categories", metavar="FILE", help="the compiled category database")
    p.add_argument("--role", type=role_type, default="staff", metavar="ROLE", help="role of other users")
    p.add_argument("--top", type=int, default=10, metavar="N", help="how many top users and categories")
    p.add_argument("--json", action="store_true", help="one JSON object per file")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.set_defaults(run=run)


def _open(path: Path) -> TextIO:
    with open(path, "rb") as f:
        gzipped = f.read(2) == b"\x1f\x8b"
    if gzipped:
        return gzip.open(path, "rt", encoding="utf-8", errors="replace")
    return open(path, encoding="utf-8", errors="replace")


def run(args: argparse.Namespace) -> int:
    pack = read_pack(args.policy)
    if pack is None:
        return BAD_INPUT
    people = read_people(None, args.directory)
    approvals = read_snapshot(args.approvals)
    db = read_categories(args.categories)
    at = read_at(None, pack)
    compiled = compile_or_report(pack)
    if people is None or approvals is None or db is None or at is None or compiled is None:
        return BAD_INPUT
    ctx = CheckContext(at=at, people=people, approvals=approvals)
    quiet_gc()
    status = 0
    for name in args.files:
        scanner = SquidLogScanner(compiled, ctx, db, (args.role,))
        try:
            with _open(Path(name)) as f:
                number = 1
                while lines := f.readlines(READ_SIZE):
                    scanner.feed_lines(lines, name, number)
                    number += len(lines)
        except (OSError, EOFError) as exc:
            status = BAD_INPUT
            message = getattr(exc, "strerror", None) or str(exc)
            if args.json:
                print(json.dumps({"input": name, "error": f"cannot read: {message}"}))
            else:
                print(f"{name}: ERROR: cannot read: {message}")
            continue
        report = scanner.finish()
        if args.json:
            print(json.dumps({"input": name, **report.as_dict(args.top)}, ensure_ascii=False))
        else:
            _print(name, report, args.top)
    return status


def _print(name: str, r: ScanReport, top: int) -> None:
    print(
        f"{name}: {r.requests:,} requests, {r.refused_by_policy:,} the policy refuses, "
        f"{r.denied_by_squid:,} Squid denied, {r.malformed:,} malformed lines"
    )
    if r.malformed_lines:
        more = " ..." if r.malformed > len(r.malformed_lines) else ""
        print(f"  malformed: {', '.join(r.malformed_lines)}{more}")
    if r.findings:
        print("  findings:")
        for a in r.findings:
            clause = f" ({a.clause})" if a.clause else ""
            print(f"    {a.action:<5} {a.check}{clause}  {a.who}  {a.site}  x{a.count}  {a.evidence}")
    for title, counter in (
        ("top users", r.users),
        ("top categories", r.categories),
        ("most refused", r.blocked_users),
    ):
        if counter:
            print(f"  {title}: " + ", ".join(f"{k} {v:,}" for k, v in counter.most_common(top)))
