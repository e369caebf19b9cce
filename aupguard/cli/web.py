"""`aupguard check url` and `aupguard squid-helper`: the web guard on the command line.

    aupguard check url --policy PACK --role ROLE [--user EMAIL] [--at ISO-TIME] URL... [--json]
    aupguard squid-helper --policy PACK [--directory CSV] [--approvals JSON] [--role ROLE]
    aupguard squid-helper --print-config

Both read the compiled category database (`--categories FILE`, by default
``$AUPGUARD_VAR_DIR/categories.aupcat``, built by `make` from the UT1 lists in ``data/``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path
from typing import Any

from aupguard.cli.inputs import (
    BAD_INPUT,
    compile_or_report,
    error,
    read_at,
    read_pack,
    read_people,
    read_snapshot,
)
from aupguard.engine.catalogue import ROLES
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlRequest, check_url
from aupguard.engine.web.categories import CategoryDB, CategoryDBError, default_database_path
from aupguard.engine.web.hosts import split_url
from aupguard.squid.helper import SquidGuard, deny_message, serve

__all__ = ["add_check_url", "read_categories", "register", "role_type"]


def read_categories(path: str | None) -> CategoryDB | None:
    file = Path(path) if path else default_database_path()
    if not file.is_file():
        error(
            f"no category database at {file}: build it with `make categories` "
            "(python -m aupguard.engine.web.compile), or give --categories FILE"
        )
        return None
    try:
        return CategoryDB.load(file)
    except (OSError, ValueError, CategoryDBError) as exc:
        error(str(exc))
        return None


def role_type(value: str) -> str:
    if value not in ROLES:
        raise argparse.ArgumentTypeError(f"expected a role key ({', '.join(ROLES)}), got {value!r}")
    return value


def add_check_url(sub: argparse._SubParsersAction[Any]) -> None:
    p = sub.add_parser("url", help="check URLs as the Squid helper would")
    p.add_argument("--policy", required=True, metavar="PACK", help="a pack id (wells) or a pack file")
    p.add_argument(
        "--role", required=True, type=role_type, metavar="ROLE", help="the requester's role (staff)"
    )
    p.add_argument("--user", default="", metavar="EMAIL", help="the requester (for approved requests)")
    p.add_argument("--at", metavar="ISO-TIME", help="decide as at this time (default: now)")
    p.add_argument("--approvals", metavar="APPROVALS.json", help="approved requests (a registers snapshot)")
    p.add_argument("--categories", metavar="FILE", help="the compiled category database")
    p.add_argument("--json", action="store_true", help="one JSON line per URL")
    p.add_argument("urls", nargs="+", metavar="URL")
    p.set_defaults(run=run_check_url)


def run_check_url(args: argparse.Namespace) -> int:
    pack = read_pack(args.policy)
    if pack is None:
        return BAD_INPUT
    approvals = read_snapshot(args.approvals)
    at = read_at(args.at, pack)
    db = read_categories(args.categories)
    compiled = compile_or_report(pack)
    if approvals is None or at is None or db is None or compiled is None:
        return BAD_INPUT
    ctx = CheckContext(at=at, approvals=approvals)
    status = 0
    for url in args.urls:
        try:
            host, path = split_url(url)
        except ValueError as exc:
            status = BAD_INPUT
            if args.json:
                print(json.dumps({"input": url, "error": str(exc)}, ensure_ascii=False))
            else:
                print(f"{url}: ERROR: {exc}")
            continue
        categories = db.categories(url)
        decision = check_url(
            compiled, ctx, UrlRequest(host, path, (args.role,), args.user.lower()), categories
        )
        if args.json:
            line = {"input": url, **decision.as_dict(), "categories": sorted(categories)}
            print(json.dumps(line, ensure_ascii=False), flush=True)
            continue
        shown = ", ".join(sorted(categories)) or "uncategorised"
        print(f"{url}: {decision.verdict.upper()} [{shown}]")
        for f in decision.findings:
            print(f"  {f.action:<5} {f.check}{f' ({f.clause})' if f.clause else ''}: {f.evidence}")
        if decision.findings:
            print(f"  {deny_message(compiled, decision)}")
    return status


def register(commands: argparse._SubParsersAction[Any]) -> None:
    p = commands.add_parser("squid-helper", help="answer Squid's external ACL requests (stdin/stdout)")
    p.add_argument("--policy", metavar="PACK", help="a pack id (wells) or a pack file")
    p.add_argument(
        "--directory", metavar="STAFF.csv", help="staff directory: a user's roles from their address"
    )
    p.add_argument("--approvals", metavar="APPROVALS.json", help="approved filtered_site_access requests")
    p.add_argument("--categories", metavar="FILE", help="the compiled category database")
    p.add_argument(
        "--role", type=role_type, default="staff", metavar="ROLE", help="role of users not in the directory"
    )
    p.add_argument("--print-config", action="store_true", help="print the squid.conf lines and exit")
    p.set_defaults(run=run_helper)


def _print_config(args: argparse.Namespace) -> int:
    from importlib import resources  # noqa: PLC0415 (only here: it takes longer to import than the helper to start)

    files = resources.files("aupguard.squid") / "files"
    snippet = (files / "squid.conf.snippet").read_text(encoding="utf-8")
    helper = f"{sys.executable} -m aupguard squid-helper --policy {args.policy or 'PACK'}"
    print(snippet.format(helper=helper, deny_page=str(files / "ERR_AUPGUARD")), end="")
    return 0


def run_helper(args: argparse.Namespace) -> int:
    if args.print_config:
        return _print_config(args)
    if args.policy is None:
        error("squid-helper: --policy PACK is needed")
        return BAD_INPUT

    def load() -> SquidGuard:
        pack = read_pack(args.policy)
        people = read_people(None, args.directory)
        approvals = read_snapshot(args.approvals)
        db = read_categories(args.categories)
        compiled = compile_or_report(pack) if pack is not None else None
        if compiled is None or people is None or approvals is None or db is None:
            raise ValueError("the pack, directory, approvals or category database could not be read")
        # The time is each request's own (SquidGuard.decide); this one is never read.
        ctx = CheckContext(at=dt.datetime.now(dt.UTC), people=people, approvals=approvals)
        return SquidGuard(compiled, ctx, db, (args.role,))

    try:
        guard = load()
    except ValueError:
        return BAD_INPUT
    first = [guard]

    def loader() -> SquidGuard:
        return first.pop() if first else load()

    return serve(loader)
