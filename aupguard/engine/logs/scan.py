"""Scanning a proxy log against a pack: what each line would have been decided, at its own time.

`SquidLogScanner` is fed lines, from any number of files, and reports:

- findings, aggregated per (check, clause, person, site) with a count and the first and last time,
  so a week of a pupil's attempts on one site is one line with a count, not ten thousand;
- `web.heavy_streaming`, which only a log can show: the bytes each person moved in the streaming,
  download and file-hosting categories per day in the pack's time zone, over the pack's limit;
- a summary: requests, Squid's own refusals, the busiest people and categories, and the malformed
  lines, counted with their line numbers and never fatal.

Decisions are remembered per site, roles and working hours (`UrlChecker`), so a log of a million
lines costs a decision per distinct site, not per line.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any
from zoneinfo import ZoneInfo

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlChecker, UrlRequest
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.logs.squid import parse_line

__all__ = ["Aggregate", "ScanReport", "SquidLogScanner"]

STREAMING = frozenset({"streaming", "downloads", "file_hosting"})
_MB = 1024 * 1024
_MALFORMED_EXAMPLES = 10


@dataclass
class Aggregate:
    check: str
    clause: str | None
    action: str
    who: str
    site: str
    evidence: str
    count: int = 0
    first: float = 0.0
    last: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        def iso(t: float) -> str:
            return dt.datetime.fromtimestamp(t, dt.UTC).isoformat(timespec="seconds")

        return {
            "check": self.check,
            "clause": self.clause,
            "action": self.action,
            "who": self.who,
            "where": self.site,
            "evidence": self.evidence,
            "count": self.count,
            "first": iso(self.first),
            "last": iso(self.last),
        }


@dataclass
class ScanReport:
    lines: int = 0
    malformed: int = 0
    malformed_lines: list[str] = field(default_factory=list)
    requests: int = 0
    denied_by_squid: int = 0
    refused_by_policy: int = 0
    findings: list[Aggregate] = field(default_factory=list)
    users: Counter[str] = field(default_factory=Counter)
    categories: Counter[str] = field(default_factory=Counter)
    blocked_users: Counter[str] = field(default_factory=Counter)

    def as_dict(self, top: int = 10) -> dict[str, Any]:
        return {
            "lines": self.lines,
            "requests": self.requests,
            "malformed": self.malformed,
            "malformed_lines": self.malformed_lines,
            "denied_by_squid": self.denied_by_squid,
            "refused_by_policy": self.refused_by_policy,
            "findings": [a.as_dict() for a in self.findings],
            "top_users": self.users.most_common(top),
            "top_categories": self.categories.most_common(top),
            "top_blocked_users": self.blocked_users.most_common(top),
        }


class SquidLogScanner:
    def __init__(
        self,
        pack: CompiledPack,
        ctx: CheckContext,
        categories: Callable[[str], frozenset[str]],
        roles_of: Callable[[str], tuple[str, ...]],
        split: Callable[[str], tuple[str, str]],
    ) -> None:
        self.pack = pack
        self.ctx = ctx
        self.categories = categories
        self.roles_of = roles_of
        self.split = split
        self.report = ScanReport()
        self._zone = ZoneInfo(pack.pack.settings.time_zone)
        self._checker = UrlChecker(pack, ctx)
        self._found: dict[tuple[str, str | None, str, str, str], Aggregate] = {}
        self._streamed: Counter[tuple[str, str]] = Counter()
        self._streamed_span: dict[tuple[str, str], tuple[float, float]] = {}

    def _note(
        self, check: str, clause: str | None, action: str, who: str, site: str, evidence: str, t: float
    ) -> None:
        key = (check, clause, who, site, evidence)
        agg = self._found.get(key)
        if agg is None:
            agg = self._found[key] = Aggregate(check, clause, action, who, site, evidence, 0, t, t)
        agg.count += 1
        agg.first = min(agg.first, t)
        agg.last = max(agg.last, t)

    def feed(self, line: str, where: str = "") -> None:
        """Judge one log line; `where` (file:line) names it if it is malformed."""
        r = self.report
        r.lines += 1
        entry = parse_line(line)
        if entry is None:
            if line.strip():
                r.malformed += 1
                if len(r.malformed_lines) < _MALFORMED_EXAMPLES:
                    r.malformed_lines.append(where)
            else:
                r.lines -= 1
            return
        try:
            host, path = self.split(entry.url)
            categories = self.categories(entry.url)
        except ValueError:
            r.malformed += 1
            if len(r.malformed_lines) < _MALFORMED_EXAMPLES:
                r.malformed_lines.append(where)
            return
        r.requests += 1
        who = entry.user or entry.client
        r.users[who] += 1
        r.categories.update(categories)
        if entry.denied:
            r.denied_by_squid += 1
        if categories & STREAMING:
            day = dt.datetime.fromtimestamp(entry.time, self._zone).date().isoformat()
            self._streamed[(who, day)] += entry.bytes
            first, last = self._streamed_span.get((who, day), (entry.time, entry.time))
            self._streamed_span[(who, day)] = (min(first, entry.time), max(last, entry.time))
        request = UrlRequest(host, path, self.roles_of(entry.user), entry.user)
        decision = self._checker.check(request, categories, entry.when())
        if not decision.findings:
            return
        if decision.verdict in ("block", "hold"):
            r.refused_by_policy += 1
            r.blocked_users[who] += 1
        for f in decision.findings:
            self._note(f.check, f.clause, f.action, who, host, f.evidence, entry.time)

    def finish(self) -> ScanReport:
        """The report, with web.heavy_streaming worked out from the day totals."""
        rule = self.pack.rule("web.heavy_streaming")
        limit = self.pack.pack.settings.heavy_streaming_mb_per_day
        if rule is not None:
            param = rule.params.get("limit_mb_per_day")
            limit = float(param) if isinstance(param, int | float) else limit
        if rule is not None and limit is not None:
            for (who, day), total in sorted(self._streamed.items()):
                if total > limit * _MB:
                    key = (rule.check, rule.clause, who, day, "")
                    evidence = (
                        f"{total / _MB:,.0f} MB of streaming and downloads on {day} (limit {limit:,.0f} MB)"
                    )
                    first, last = self._streamed_span[(who, day)]
                    self._found[key] = Aggregate(
                        rule.check, rule.clause, rule.action, who, day, evidence, 1, first, last
                    )
        order = {"block": 0, "hold": 1, "warn": 2, "alert": 3, "log": 4}
        self.report.findings = sorted(
            self._found.values(), key=lambda a: (order.get(a.action, 9), -a.count, a.who, a.site)
        )
        return self.report
