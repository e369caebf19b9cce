"""What the engine answers: a decision, its verdict and its findings (DESIGN.md, "The parts").

A finding names the check, the clause of the pack it enforces, the action the clause sets, where it
was found and a piece of evidence that is always redacted. The verdict is the strongest action among
the findings: block > hold > warn > alert > log > allow.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from aupguard.engine.catalogue import ACTIONS

__all__ = ["ALLOW", "Decision", "Finding", "strongest"]

#: The verdict of a decision without findings.
ALLOW = "allow"

_RANK = {action: rank for rank, action in enumerate((*ACTIONS, ALLOW))}


@dataclass(frozen=True, slots=True)
class Finding:
    """One check that fired. `clause` is None when no clause of the pack maps the check."""

    check: str
    clause: str | None
    action: str
    where: str
    evidence: str
    # The roles told at once (an `alert`), from the clause.
    notify: tuple[str, ...] = ()

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "check": self.check,
            "clause": self.clause,
            "action": self.action,
            "where": self.where,
            "evidence": self.evidence,
        }
        if self.notify:
            out["notify"] = list(self.notify)
        return out


def strongest(actions: Iterable[str]) -> str:
    """The strongest of `actions`, or "allow" when there are none."""
    return min(actions, key=_RANK.__getitem__, default=ALLOW)


@dataclass(frozen=True, slots=True)
class Decision:
    """The engine's answer for one input, made under one exact pack version (`pack_sha256`)."""

    findings: tuple[Finding, ...]
    pack_id: str
    pack_sha256: str
    # What the engine could not read in full; said here as well as in an email.unscannable finding.
    notes: tuple[str, ...] = field(default=())

    @property
    def verdict(self) -> str:
        return strongest(f.action for f in self.findings)

    def as_dict(self) -> dict[str, Any]:
        return {"verdict": self.verdict, "findings": [f.as_dict() for f in self.findings]}
