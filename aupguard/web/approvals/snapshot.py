"""The approvals snapshot the guards read (format: aupguard/engine/approvals.py, `read_approvals`).

One entry per approval in force or still to start: its id ("R-17"), the requester's address in lower
case, the workflow, the scope the guards match (a domain or a mailbox; empty for a scope that is a
description, which the engine reads as "this requester, in this workflow") and the period as ISO
8601 times with their zone. Revoked, withdrawn, turned-down and expired requests are simply absent.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path
from typing import Any

from django.utils import timezone

from aupguard.web.approvals.queries import approvals_in_force
from aupguard.web.approvals.scopes import scope_for
from aupguard.web.org.models import Trust

__all__ = ["snapshot", "write_atomically"]


def snapshot(trust: Trust | None) -> dict[str, Any]:
    now = timezone.now()
    entries = [
        {
            "id": req.reference,
            "workflow": req.workflow,
            "requester": req.requester.email.lower(),
            "scope": req.scope.lower() if scope_for(req.workflow).matched_by_guards else "",
            "starts": timezone.localtime(req.starts).isoformat(),
            "expires": timezone.localtime(req.expires).isoformat(),
        }
        for req in approvals_in_force(trust, now)
    ]
    return {
        "generated_at": timezone.localtime(now).isoformat(),
        "trust": trust.slug if trust else None,
        "approvals": entries,
    }


def write_atomically(path: Path, data: dict[str, Any]) -> None:
    """Write `data` as JSON to `path` so that a guard reading it sees the old file or the new one,
    never half of one: a temporary file in the same folder, flushed to disk, then renamed over."""
    folder = path.parent
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    tmp = Path(tmp_name)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as out:
            json.dump(data, out, ensure_ascii=False, indent=1)
            out.write("\n")
            out.flush()
            os.fsync(out.fileno())
        # mkstemp makes the file private; keep the mode the guards were given (or a new file's usual one).
        os.chmod(tmp, path.stat().st_mode & 0o777 if path.exists() else _default_mode())
        tmp.replace(path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    directory = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(directory)  # the rename itself survives a power cut
    finally:
        os.close(directory)


def _default_mode() -> int:
    umask = os.umask(0)
    os.umask(umask)
    return 0o666 & ~umask
