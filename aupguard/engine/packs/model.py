"""A loaded policy pack: immutable plain data, the shape `docs/pack-format.md` describes."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path
from types import MappingProxyType
from typing import Any

ParamValue = int | float | str | tuple[str, ...]


@dataclass(frozen=True)
class CheckUse:
    id: str
    action: str
    params: MappingProxyType[str, ParamValue] = field(default_factory=lambda: MappingProxyType({}))
    notify: tuple[str, ...] = ()


@dataclass(frozen=True)
class WorkflowUse:
    id: str
    approver: str
    requires: tuple[str, ...] = ()


@dataclass(frozen=True)
class RegisterUse:
    id: str
    kind: str | None = None
    report_to: tuple[str, ...] = ()
    clock_hours: int | None = None


@dataclass(frozen=True)
class AttestationUse:
    training: bool = False


@dataclass(frozen=True)
class Clause:
    id: str
    section: str
    text: str
    applies_to: tuple[str, ...]
    mechanisms: tuple[str, ...]
    checks: tuple[CheckUse, ...] = ()
    workflow: WorkflowUse | None = None
    register: RegisterUse | None = None
    attestation: AttestationUse | None = None
    note: str | None = None
    line: int = 0


@dataclass(frozen=True)
class WorkingHours:
    days: tuple[str, ...]
    start: dt.time
    end: dt.time


@dataclass(frozen=True)
class Settings:
    time_zone: str
    working_hours: WorkingHours
    internal_domains: tuple[str, ...]
    partner_domains: tuple[str, ...]
    webmail_domains: tuple[str, ...]
    encrypt_tags: tuple[str, ...]
    bcc_limit: int | None
    bulk_threshold: int | None
    attachment_limit_mb: float | None
    approved_ai_tools: tuple[str, ...]
    blocked_categories: MappingProxyType[str, tuple[str, ...]]
    allowed_domains: tuple[str, ...]
    blocked_domains: tuple[str, ...]
    heavy_streaming_mb_per_day: float | None
    monitoring_viewers: tuple[str, ...]
    safeguarding_contact: str | None
    mailbox_retention_days: int | None
    personal_devices: str
    signoff_interval_days: int | None
    training_interval_days: int | None
    breach_report_hours: int
    sensitive_terms: tuple[str, ...]
    offensive_terms: tuple[str, ...]
    unscannable_action: str = "hold"
    # Limits field -> value (sizes in bytes); see aupguard.engine.mail.limits.Limits.
    mail_limits: MappingProxyType[str, int] = field(default_factory=lambda: MappingProxyType({}))
    # Names of domain lists in the packs' lists/ folder (aupguard.engine.web.lists).
    allowed_lists: tuple[str, ...] = ()
    illegal_content_lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class Source:
    file: str
    sha256: str


@dataclass(frozen=True)
class Dates:
    approved: dt.date | None
    implemented: dt.date | None
    review: dt.date | None
    note: str | None


@dataclass(frozen=True)
class Pack:
    """One version of one policy. `sha256` identifies exactly what a person signs."""

    id: str
    format_version: int
    organisation: str
    title: str
    policy_version: str
    approved_by: str | None
    dates: Dates
    source: Source
    roles: MappingProxyType[str, str]
    settings: Settings
    clauses: tuple[Clause, ...]
    sha256: str
    path: Path
    # The parsed document the hash was computed over; kept for `policy show --json` and storage.
    document: MappingProxyType[str, Any] = field(repr=False, compare=False)

    @property
    def version_code(self) -> str:
        return self.sha256[:12]

    def clause(self, clause_id: str) -> Clause:
        for c in self.clauses:
            if c.id == clause_id:
                return c
        raise KeyError(clause_id)

    def sections(self) -> list[tuple[str, list[Clause]]]:
        """Clauses grouped by section, sections and clauses in source order."""
        grouped: dict[str, list[Clause]] = {}
        for c in self.clauses:
            grouped.setdefault(c.section, []).append(c)
        return list(grouped.items())

    def authorities(self) -> dict[str, str]:
        """Who holds each authority: workflow approvers, register recipients, alert recipients."""
        held: dict[str, set[str]] = {}
        for c in self.clauses:
            if c.workflow is not None:
                held.setdefault(f"workflow:{c.workflow.id}", set()).add(c.workflow.approver)
            if c.register is not None and c.register.report_to:
                key = f"register:{c.register.id}"
                if c.register.kind:
                    key += f":{c.register.kind}"
                held.setdefault(key, set()).update(c.register.report_to)
            for check in c.checks:
                if check.notify:
                    held.setdefault(f"alert:{check.id}", set()).update(check.notify)
        return {key: ", ".join(sorted(roles)) for key, roles in sorted(held.items())}
