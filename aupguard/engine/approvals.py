"""Approved requests, as the guards see them: a snapshot of the registers' approvals.

DESIGN.md, "Workflows and registers": an approved request has a scope and an expiry, and checks
consult it (an approved `bulk_email` stops `email.bulk_unauthorised` for that sender and period).
The registers (the web application) write the snapshot; until then, or on a guard that cannot reach
them, it is a JSON file any tool can write:

    {"approvals": [
      {"id": "A-17", "workflow": "bulk_email", "requester": "office@school.sch.uk",
       "scope": "", "starts": "2026-12-01T00:00:00+00:00", "expires": "2026-12-05T00:00:00+00:00"}
    ]}

`scope` is what the approval covers within its workflow: a site's domain for
`filtered_site_access`, empty for "any" (a `bulk_email` approval covers the sender's messages).
Times without a zone are read as UTC. A revoked approval is simply absent from the snapshot.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from aupguard.engine.catalogue import WORKFLOWS

__all__ = ["Approval", "Approvals", "ApprovalsError", "read_approvals"]


class ApprovalsError(Exception):
    """An approvals file that cannot be used; the message names the file, the entry and the field."""


@dataclass(frozen=True, slots=True)
class Approval:
    id: str
    workflow: str
    requester: str
    scope: str
    starts: dt.datetime
    expires: dt.datetime

    def covers(self, workflow: str, requester: str, at: dt.datetime, scope: str = "") -> bool:
        if self.workflow != workflow or self.requester != requester.lower():
            return False
        if not self.starts <= at < self.expires:
            return False
        return not self.scope or self.scope == scope or scope.endswith("." + self.scope)


@dataclass(frozen=True, slots=True)
class Approvals:
    """Every approval of a snapshot; `NONE` when a guard runs without one."""

    entries: tuple[Approval, ...] = ()

    def find(self, workflow: str, requester: str, at: dt.datetime, scope: str = "") -> Approval | None:
        """The approval covering `requester` for `workflow` at `at` (and `scope`), if any."""
        for approval in self.entries:
            if approval.covers(workflow, requester, at, scope):
                return approval
        return None


NONE = Approvals()


def _when(value: Any, where: str, problems: list[str]) -> dt.datetime | None:
    if not isinstance(value, str):
        problems.append(f"{where}: expected an ISO 8601 time such as 2026-12-01T09:00:00+00:00")
        return None
    try:
        when = dt.datetime.fromisoformat(value)
    except ValueError:
        problems.append(
            f"{where}: expected an ISO 8601 time such as 2026-12-01T09:00:00+00:00, got {value!r}"
        )
        return None
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _entries(data: Any, name: str) -> Iterable[tuple[int, Any]]:
    if not isinstance(data, dict) or not isinstance(data.get("approvals"), list):
        raise ApprovalsError(f'{name}: expected a JSON object {{"approvals": [...]}}')
    return enumerate(data["approvals"])


def read_approvals(path: Path) -> Approvals:
    """The approvals in the JSON file at `path`; `ApprovalsError` lists every problem at once."""
    name = str(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise ApprovalsError(f"{name}: cannot read: {exc.strerror or exc}") from None
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ApprovalsError(f"{name}: not JSON: {exc}") from None
    problems: list[str] = []
    found: list[Approval] = []
    for i, entry in _entries(data, name):
        approval = _approval(entry, i, f"{name}: approvals[{i}]", problems)
        if approval is not None:
            found.append(approval)
    if problems:
        raise ApprovalsError("\n".join(problems))
    return Approvals(tuple(found))


def _approval(entry: Any, index: int, where: str, problems: list[str]) -> Approval | None:
    if not isinstance(entry, dict):
        problems.append(f"{where}: expected an object")
        return None
    before = len(problems)
    workflow = entry.get("workflow")
    if not isinstance(workflow, str) or workflow not in WORKFLOWS:
        problems.append(f"{where}: workflow: expected a workflow id from DESIGN.md, got {workflow!r}")
        workflow = ""
    requester = entry.get("requester")
    if not isinstance(requester, str) or "@" not in requester:
        problems.append(f"{where}: requester: expected an email address, got {requester!r}")
        requester = ""
    scope = entry.get("scope", "")
    if not isinstance(scope, str):
        problems.append(f"{where}: scope: expected text, got {scope!r}")
        scope = ""
    starts = _when(entry.get("starts"), f"{where}: starts", problems)
    expires = _when(entry.get("expires"), f"{where}: expires", problems)
    if starts and expires and expires <= starts:
        problems.append(f"{where}: expires: expected a time after starts")
    if len(problems) > before or starts is None or expires is None:
        return None
    return Approval(str(entry.get("id", index)), workflow, requester.lower(), scope.lower(), starts, expires)
