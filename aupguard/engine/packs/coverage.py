"""Clause coverage: how each clause is enforced, and what about the pack is not yet right.

This is what governors and auditors read ("is every rule of our policy enforced or signed for?")
and what a pack author runs until it reports no problem.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from aupguard.engine import catalogue
from aupguard.engine.packs.load import Problem
from aupguard.engine.packs.model import Pack
from aupguard.engine.packs.quotes import SourceSentence, missing_fragments, normalise, unquoted_sentences


@dataclass
class Coverage:
    pack: Pack
    by_mechanism: dict[str, list[str]] = field(default_factory=dict)
    checks: dict[str, list[str]] = field(default_factory=dict)
    workflows: dict[str, list[str]] = field(default_factory=dict)
    registers: dict[str, list[str]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    unquoted: list[SourceSentence] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def as_dict(self) -> dict[str, Any]:
        authorities = self.pack.authorities()
        return {
            "pack": self.pack.id,
            "sha256": self.pack.sha256,
            "clauses": len(self.pack.clauses),
            "by_mechanism": {m: self.by_mechanism.get(m, []) for m in catalogue.MECHANISMS},
            "checks": self.checks,
            "workflows": {
                wid: {"approver": authorities[f"workflow:{wid}"], "clauses": ids}
                for wid, ids in self.workflows.items()
            },
            "registers": self.registers,
            "problems": [str(p) for p in self.problems],
        }


def source_path(pack: Pack) -> Path:
    return pack.path.parent / "sources" / pack.source.file


def coverage(pack: Pack) -> Coverage:
    cov = Coverage(pack)
    for clause in pack.clauses:
        for mechanism in clause.mechanisms:
            cov.by_mechanism.setdefault(mechanism, []).append(clause.id)
        for check in clause.checks:
            cov.checks.setdefault(check.id, []).append(clause.id)
        if clause.workflow is not None:
            cov.workflows.setdefault(clause.workflow.id, []).append(clause.id)
        if clause.register is not None:
            key = clause.register.id + (f":{clause.register.kind}" if clause.register.kind else "")
            cov.registers.setdefault(key, []).append(clause.id)
    cov.checks = dict(sorted(cov.checks.items()))
    cov.workflows = dict(sorted(cov.workflows.items()))
    cov.registers = dict(sorted(cov.registers.items()))
    _check_against_source(pack, cov)
    return cov


def _check_against_source(pack: Pack, cov: Coverage) -> None:
    pack_file = str(pack.path)
    path = source_path(pack)
    try:
        raw = path.read_bytes()
    except OSError:
        cov.problems.append(
            Problem(
                pack_file, 0, None, "source.file", f"source not found at {path}: quotes cannot be checked"
            )
        )
        return
    digest = hashlib.sha256(raw).hexdigest()
    if digest != pack.source.sha256:
        cov.problems.append(
            Problem(
                pack_file,
                0,
                None,
                "source.sha256",
                f"{path} has sha256 {digest}, the pack says {pack.source.sha256}",
            )
        )
    text = raw.decode("utf-8", errors="replace")
    normalised = normalise(text)
    for clause in pack.clauses:
        for fragment in missing_fragments(clause.text, normalised):
            shown = fragment if len(fragment) <= 80 else fragment[:77] + "..."
            cov.problems.append(
                Problem(pack_file, clause.line, clause.id, "text", f"not found in the source: {shown!r}")
            )
    # A clause's section is the source's heading, so it quotes that heading too ("A > B": two).
    headings = {part.strip() for c in pack.clauses for part in c.section.split(" > ")}
    cov.unquoted = unquoted_sentences(text, [*(c.text for c in pack.clauses), *headings])
    for sentence in cov.unquoted:
        cov.problems.append(
            Problem(str(path), sentence.line, None, "", f"no clause quotes this sentence: {sentence.text!r}")
        )
