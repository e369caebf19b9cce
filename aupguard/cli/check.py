"""`aupguard check email | text | url`: the engine's decision for each input file (DESIGN.md, "Command line").

With `--json`, one JSON object per input on its own line, in input order:
``{"input": ..., "verdict": ..., "findings": [...]}``, or ``{"input": ..., "error": ...}`` for an
input that cannot be read (the others are still checked, and the exit status is then 2). Without
it, a summary a network manager can read: each input's verdict, then what fired, where, which clause
and its words.
"""

from __future__ import annotations

import argparse
import json
import textwrap
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from aupguard.cli.inputs import BAD_INPUT, compile_or_report, read_at, read_pack, read_people, read_snapshot
from aupguard.cli.web import add_check_url
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.email import check_email
from aupguard.engine.checks.text import check_ai_text
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision
from aupguard.engine.mail import MessageError, read_message

__all__ = ["register"]


class InputError(Exception):
    """One input that cannot be read or parsed; the others are still checked."""


def register(commands: argparse._SubParsersAction[Any]) -> None:
    check = commands.add_parser("check", help="check email messages or text against a policy pack")
    sub = check.add_subparsers(dest="check_command", required=True, metavar="WHAT")

    email = sub.add_parser("email", help="check .eml messages as the relay would")
    _common(email, "FILE.eml")
    email.set_defaults(run=run_email)

    text = sub.add_parser("text", help="check text about to be sent to an AI tool")
    text.add_argument("--channel", required=True, choices=["ai"], help="where the text is going")
    _common(text, "FILE")
    text.set_defaults(run=run_text)

    add_check_url(sub)


def _common(p: argparse.ArgumentParser, metavar: str) -> None:
    p.add_argument("--policy", required=True, metavar="PACK", help="a pack id (wells) or a pack file")
    p.add_argument("--roster", metavar="PUPILS.csv", help="pupils roster CSV (DESIGN.md columns)")
    p.add_argument("--directory", metavar="STAFF.csv", help="staff directory CSV (DESIGN.md columns)")
    p.add_argument("--approvals", metavar="APPROVALS.json", help="approved requests (a registers snapshot)")
    p.add_argument("--at", metavar="ISO-TIME", help="decide as at this time (default: now)")
    p.add_argument("--json", action="store_true", help="one JSON line per input")
    p.add_argument("files", nargs="+", metavar=metavar)


def _read_bytes(name: str) -> bytes:
    try:
        return Path(name).read_bytes()
    except FileNotFoundError:
        raise InputError("no such file") from None
    except IsADirectoryError:
        raise InputError("is a folder, not a file") from None
    except OSError as exc:
        raise InputError(f"cannot read: {exc.strerror or exc}") from None


def _run(args: argparse.Namespace, decide: Callable[[CompiledPack, CheckContext, bytes], Decision]) -> int:
    pack = read_pack(args.policy)
    if pack is None:
        return BAD_INPUT
    people = read_people(args.roster, args.directory)
    approvals = read_snapshot(args.approvals)
    at = read_at(args.at, pack)
    compiled = compile_or_report(pack)
    if people is None or approvals is None or at is None or compiled is None:
        return BAD_INPUT
    ctx = CheckContext(at=at, people=people, approvals=approvals)
    status = 0
    verdicts: Counter[str] = Counter()
    for name, outcome in _decisions(args.files, compiled, ctx, decide):
        if isinstance(outcome, str):
            status = BAD_INPUT
            _print_error(args.json, name, outcome)
            continue
        verdicts[outcome.verdict] += 1
        _print_decision(args.json, name, outcome, compiled)
    if not args.json and len(args.files) > 1:
        counted = ", ".join(f"{n} {verdict}" for verdict, n in sorted(verdicts.items()))
        print(f"\n{len(args.files)} input(s): {counted or 'none checked'}")
    return status


def _decisions(
    files: list[str],
    compiled: CompiledPack,
    ctx: CheckContext,
    decide: Callable[[CompiledPack, CheckContext, bytes], Decision],
) -> Iterator[tuple[str, Decision | str]]:
    for name in files:
        try:
            yield name, decide(compiled, ctx, _read_bytes(name))
        except InputError as exc:
            yield name, str(exc)


def _print_error(as_json: bool, name: str, message: str) -> None:
    if as_json:
        print(json.dumps({"input": name, "error": message}, ensure_ascii=False))
    else:
        print(f"{name}: ERROR: {message}")


_WRAP = textwrap.TextWrapper(width=100, initial_indent="      ", subsequent_indent="      ")


def _print_decision(as_json: bool, name: str, decision: Decision, compiled: CompiledPack) -> None:
    if as_json:
        line: dict[str, Any] = {"input": name, **decision.as_dict()}
        if decision.notes:
            line["notes"] = list(decision.notes)
        print(json.dumps(line, ensure_ascii=False), flush=True)
        return
    print(f"{name}: {decision.verdict.upper()}")
    quoted: set[str] = set()
    for f in decision.findings:
        clause = f" ({f.clause})" if f.clause else ""
        print(f"  {f.action:<5} {f.check}{clause} in {f.where}: {f.evidence}")
        if f.clause and f.clause not in quoted:
            quoted.add(f.clause)
            print(_WRAP.fill(f"“{compiled.clause_text(f.clause)}”"))


def _decide_email(compiled: CompiledPack, ctx: CheckContext, raw: bytes) -> Decision:
    try:
        message = read_message(raw, compiled.mail_limits)
    except MessageError as exc:
        raise InputError(str(exc)) from None
    return check_email(compiled, ctx, message)


def _decide_text(compiled: CompiledPack, ctx: CheckContext, raw: bytes) -> Decision:
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    return check_ai_text(compiled, ctx, text)


def run_email(args: argparse.Namespace) -> int:
    return _run(args, _decide_email)


def run_text(args: argparse.Namespace) -> int:
    return _run(args, _decide_text)
