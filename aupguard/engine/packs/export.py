"""A loaded pack as plain JSON-ready data: what `policy show --json` prints and the web app stores."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

from aupguard.engine.packs.model import Clause, Pack, Settings


def _plain(value: Any) -> Any:
    if isinstance(value, dt.date | dt.time):
        return value.isoformat(timespec="minutes") if isinstance(value, dt.time) else value.isoformat()
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, dict) or hasattr(value, "items"):
        return {k: _plain(v) for k, v in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


def enforcement(clause: Clause) -> dict[str, Any]:
    """How a clause is enforced: everything but its id, section, quote and note."""
    out: dict[str, Any] = {
        "mechanism": list(clause.mechanisms),
        "applies_to": list(clause.applies_to),
    }
    if clause.checks:
        out["checks"] = [
            {
                "id": c.id,
                "action": c.action,
                **({"params": _plain(c.params)} if c.params else {}),
                **({"notify": list(c.notify)} if c.notify else {}),
            }
            for c in clause.checks
        ]
    if clause.workflow is not None:
        out["workflow"] = _plain(clause.workflow)
    if clause.register is not None:
        out["register"] = {k: v for k, v in _plain(clause.register).items() if v not in (None, [])}
    if clause.attestation is not None:
        out["attestation"] = _plain(clause.attestation)
    return out


def clause_as_dict(clause: Clause) -> dict[str, Any]:
    out = {"id": clause.id, "section": clause.section, "text": clause.text}
    out.update(enforcement(clause))
    if clause.note:
        out["note"] = clause.note
    return out


def settings_as_dict(settings: Settings) -> dict[str, Any]:
    plain: dict[str, Any] = _plain(settings)
    return plain


def pack_as_dict(pack: Pack) -> dict[str, Any]:
    return {
        "id": pack.id,
        "organisation": pack.organisation,
        "title": pack.title,
        "format_version": pack.format_version,
        "policy_version": pack.policy_version,
        "approved_by": pack.approved_by,
        "dates": _plain(pack.dates),
        "source": _plain(pack.source),
        "sha256": pack.sha256,
        "version_code": pack.version_code,
        "roles": dict(pack.roles),
        "authorities": pack.authorities(),
        "settings": settings_as_dict(pack.settings),
        "clauses": [clause_as_dict(c) for c in pack.clauses],
    }


def describe_enforcement(clause: Clause) -> list[str]:
    """How a clause is enforced, in words a Data Protection Lead reads: one phrase per mechanism."""
    parts = []
    for check in clause.checks:
        text = f"check {check.id} -> {check.action}"
        if check.notify:
            text += f" notify {', '.join(check.notify)}"
        if check.params:
            text += " (" + ", ".join(f"{k}={_param(v)}" for k, v in check.params.items()) + ")"
        parts.append(text)
    if clause.workflow is not None:
        needs = f", needs {', '.join(clause.workflow.requires)}" if clause.workflow.requires else ""
        parts.append(f"workflow {clause.workflow.id} (approver: {clause.workflow.approver}{needs})")
    if clause.register is not None:
        r = clause.register
        text = f"register {r.id}" + (f":{r.kind}" if r.kind else "")
        if r.report_to:
            text += f" (report to {', '.join(r.report_to)})"
        if r.clock_hours:
            text += f" within {r.clock_hours}h"
        parts.append(text)
    if clause.attestation is not None:
        parts.append("attestation" + (" + training" if clause.attestation.training else ""))
    if not parts:
        parts.append("information")
    return parts


def _param(value: object) -> str:
    return ",".join(value) if isinstance(value, tuple) else str(value)
