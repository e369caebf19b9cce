"""What every guard command reads before its inputs: the pack, the people, the approvals, the time.

Each reader prints one line per problem on stderr and returns None, so a command can stop with exit
status 2 (DESIGN.md: "2 for bad usage, with a one-line error on stderr") and never a traceback.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from zoneinfo import ZoneInfo

from aupguard.engine.approvals import NONE, Approvals, ApprovalsError, read_approvals
from aupguard.engine.checks.context import People
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.packs import Pack, PackError, PackNotFound, load_pack, resolve_pack
from aupguard.engine.people import Directory, PeopleFileError, Roster, read_directory, read_roster
from aupguard.engine.web.lists import ListError

__all__ = ["BAD_INPUT", "compile_or_report", "error", "read_at", "read_pack", "read_people", "read_snapshot"]

BAD_INPUT = 2


def error(message: str) -> None:
    print(f"aupguard: error: {message}", file=sys.stderr)


def read_pack(ref: str) -> Pack | None:
    """The pack `ref` names (an id or a file), or None after printing its problems."""
    try:
        return load_pack(resolve_pack(ref))
    except PackNotFound as exc:
        error(str(exc))
    except PackError as exc:
        for problem in exc.problems:
            print(problem, file=sys.stderr)
    return None


def compile_or_report(pack: Pack) -> CompiledPack | None:
    """The pack compiled for a guard, or None after printing why (a domain list with a bad line)."""
    try:
        return compile_pack(pack)
    except ListError as exc:
        print(str(exc), file=sys.stderr)
        return None


def read_people(roster: str | None, directory: str | None) -> People | None:
    """The roster and directory files given (either may be None), or None after printing problems."""
    pupils: Roster | None = None
    staff: Directory | None = None
    ok = True
    for path, reader in ((roster, read_roster), (directory, read_directory)):
        if path is None:
            continue
        try:
            loaded = reader(path)
        except PeopleFileError as exc:
            print(str(exc), file=sys.stderr)
            ok = False
            continue
        if isinstance(loaded, Roster):
            pupils = loaded
        else:
            staff = loaded
    return People(pupils, staff) if ok else None


def read_snapshot(path: str | None) -> Approvals | None:
    """The approvals file given, `NONE` without one, or None after printing its problems."""
    if path is None:
        return NONE
    try:
        return read_approvals(Path(path))
    except ApprovalsError as exc:
        print(str(exc), file=sys.stderr)
        return None


def read_at(value: str | None, pack: Pack) -> dt.datetime | None:
    """`--at` as an aware time (a time without a zone is in the pack's time zone); now without it."""
    zone = ZoneInfo(pack.settings.time_zone)
    if value is None:
        return dt.datetime.now(zone)
    try:
        at = dt.datetime.fromisoformat(value)
    except ValueError:
        error(f"--at: expected an ISO 8601 time such as 2026-12-01T09:30 or 2026-12-01T09:30Z, got {value!r}")
        return None
    return at if at.tzinfo else at.replace(tzinfo=zone)
