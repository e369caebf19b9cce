"""Scanning a proxy log against a pack: what each line would have been decided, at its own time.

`SquidLogScanner` is fed lines, from any number of files, and reports:

- findings, aggregated per (check, clause, person, site) with a count and the first and last time,
  so a week of a pupil's attempts on one site is one line with a count, not ten thousand;
- `web.heavy_streaming`, which only a log can show: the bytes each person moved in the streaming,
  download and file-hosting categories per day in the pack's time zone, over the pack's limit;
- a summary: requests, Squid's own refusals, the busiest people and categories, and the malformed
  lines, counted with their line numbers and never fatal.

Decisions are made by `WebGuard` (`aupguard.engine.web.guard`), which remembers them per URL, site,
roles and working hours, so a log of a million lines costs a decision per distinct site, not per
line; `feed_lines` takes a batch of lines and reads, decides and counts them mostly in C loops.
"""

from __future__ import annotations

import datetime as dt
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import attrgetter, itemgetter
from typing import Any, cast
from zoneinfo import ZoneInfo

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.logs.squid import EARLIEST, FIELDS, LATEST, parse_line
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.guard import Outcome, Verdict, WebGuard

__all__ = ["Aggregate", "ScanReport", "SquidLogScanner"]

STREAMING = frozenset({"streaming", "downloads", "file_hosting"})
_MB = 1024 * 1024
_MALFORMED_EXAMPLES = 10
# The fields a line is judged on: time, client, action/status, size, URL, user.
_FIELDS_READ = itemgetter(0, 2, 3, 4, 6, 7)
_categories_of = itemgetter(2)
_verdict_of = itemgetter(3)
_findings_of = attrgetter("findings")
_refused_of = attrgetter("refused")
_host_of = itemgetter(1)
_who_of = attrgetter("who")
_site_of = attrgetter("site")
_count_of = attrgetter("count")
_action_of = attrgetter("action")
_ACTION_ORDER = {"block": 0, "hold": 1, "warn": 2, "alert": 3, "log": 4}
# A batch's columns: times, whos (the user as judged, else the client), users as judged ("" for
# none), URLs, sizes, and how many lines Squid itself denied.
_Columns = tuple[list[float], list[str], list[str], list[str], list[int], int]

squid_columns: Callable[[list[str]], _Columns | None] | None
try:  # the compiled batch reader and counter (setup.py); without them, the same in Python
    from aupguard.engine.logs import squid_columns as _compiled
    from aupguard.engine.logs import tally as _counter

    squid_columns = _compiled.squid_columns
    tally: Callable[..., tuple[dict[str, int], dict[frozenset[str], int], list[int], int]] | None = (
        _counter.tally
    )
except ImportError:  # pragma: no cover (built wherever a C compiler is)
    squid_columns = tally = None


@dataclass(slots=True)
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
    """Judges log lines, fed in batches (`feed_lines`) or one by one (`feed`), then `finish`.

    A batch is read field by field with `str.split` in C loops; its requests are decided together
    by `WebGuard.outcomes` at their own times; and the counters are kept per distinct value (the
    categories per distinct set of them, Squid's refusals per distinct status), in C where it can,
    so that Python code runs per line only for the lines that have findings or count towards
    `web.heavy_streaming`. A batch with a line that is not a plain Squid line (fewer than ten fields,
    a time or a size that is not a number, a URL with no usable host) is judged line by line as
    `feed` does: the report is the same either way.
    """

    def __init__(
        self,
        pack: CompiledPack,
        ctx: CheckContext,
        db: CategoryDB,
        default_roles: tuple[str, ...] = ("staff",),
        *,
        guard: WebGuard | None = None,
    ) -> None:
        self.pack = pack
        self.ctx = ctx
        self.report = ScanReport()
        self._guard = guard or WebGuard(pack, ctx, db, default_roles)
        self._zone = ZoneInfo(pack.pack.settings.time_zone)
        # Lines with findings, per (verdict, who, site): [count, first time, last time]. A verdict's
        # findings are expanded into `Aggregate`s once, by `finish`, not on every line.
        self._flagged: dict[tuple[Verdict, str, str], list[float]] = {}
        self._streamed: Counter[tuple[str, str]] = Counter()
        self._streamed_span: dict[tuple[str, str], tuple[float, float]] = {}
        # Per distinct value seen: a user as logged -> as judged; a status -> Squid refused it.
        self._users: dict[str, str] = {"-": ""}
        self._denied: dict[str, bool] = {}
        # Per category set seen: whether it is streaming (`tally` remembers it here).
        self._streams: dict[frozenset[str], bool] = {}
        # The local day of the last streaming line: [lo, hi) is all that day.
        self._day: tuple[float, float, str] = (0.0, 0.0, "")

    def _note(self, verdict: Verdict, who: str, site: str, t: float) -> None:
        seen = self._flagged.get((verdict, who, site))
        if seen is None:
            self._flagged[(verdict, who, site)] = [1, t, t]
            return
        seen[0] += 1
        if t < seen[1]:
            seen[1] = t
        elif t > seen[2]:
            seen[2] = t

    def _stream(self, who: str, t: float, size: int) -> None:
        lo, hi, day = self._day
        if not lo <= t < hi:
            day = dt.datetime.fromtimestamp(t, self._zone).date().isoformat()
            self._day = self._day_window(t, day)
        key = (who, day)
        self._streamed[key] += size
        first, last = self._streamed_span.get(key, (t, t))
        self._streamed_span[key] = (min(first, t), max(last, t))

    def _day_window(self, t: float, day: str) -> tuple[float, float, str]:
        """The times of local day `day` (the day of `t`), kept a microsecond inside its midnights
        (the date is worked out from the time rounded to the microsecond); an empty window on a day
        the clocks change, whose lines are each worked out alone."""
        date = dt.date.fromisoformat(day)
        begin = dt.datetime.combine(date, dt.time(), tzinfo=self._zone)
        end = dt.datetime.combine(date + dt.timedelta(days=1), dt.time(), tzinfo=self._zone)
        lo, hi = begin.timestamp() + 1e-6, end.timestamp() - 1e-6
        if hi - lo > 86_399 and begin.utcoffset() == end.utcoffset() and lo <= t < hi:
            return lo, hi, day
        return 0.0, 0.0, day

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
            _decision, host, categories, verdict = self._guard.outcome(entry.url, entry.user, entry.time)
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
            self._stream(who, entry.time, entry.bytes)
        if not verdict.findings:
            return
        if verdict.refused:
            r.refused_by_policy += 1
            r.blocked_users[who] += 1
        self._note(verdict, who, host, entry.time)

    def feed_lines(self, lines: Sequence[str], source: str = "", first: int = 1) -> None:
        """Judge a batch of log lines: line `first` of `source` and those after it (for the names
        of malformed lines, ``source:number``). The same report as `feed` line by line."""
        columns = self._read_columns(lines)
        outcomes = None
        if columns is not None:
            times, whos, users, urls, sizes, denied = columns
            outcomes = self._guard.outcomes(urls, users, times)
            if None in outcomes:
                outcomes = None
        if outcomes is None:
            for number, line in enumerate(lines, first):
                self.feed(line, f"{source}:{number}")
            return
        found = cast(list[Outcome], outcomes)
        r = self.report
        count = len(found)
        r.lines += count
        r.requests += count
        r.denied_by_squid += denied
        sets: dict[frozenset[str], int]
        if tally is not None and type(found) is list and type(whos) is list and type(times) is list:
            blocked: dict[str, int] = {}
            people, sets, streamed, refused = tally(
                found, whos, times, STREAMING, self._streams, self._flagged, blocked
            )
            r.users.update(people)
            r.refused_by_policy += refused
            r.blocked_users.update(blocked)
        else:
            r.users.update(whos)
            sets = Counter(map(_categories_of, found))
            streaming = {c for c in sets if c & STREAMING}
            in_streaming = map(streaming.__contains__, map(_categories_of, found))
            streamed = list(compress(range(count), in_streaming)) if streaming else []
            self._keep_flagged(found, whos, times)
        for categories, n in sets.items():
            for category in categories:
                r.categories[category] += n
        for i in streamed:
            self._stream(whos[i], times[i], int(sizes[i]))

    def _keep_flagged(self, found: list[Outcome], whos: list[str], times: list[float]) -> None:
        """`tally`'s keeping of the lines with findings, in Python."""
        flagged = list(compress(range(len(found)), map(_findings_of, map(_verdict_of, found))))
        if not flagged:
            return
        r = self.report
        # Per flagged line: (verdict, who, site) and the time, taken out in C loops.
        flagged_found = list(map(found.__getitem__, flagged))
        flagged_verdicts = list(map(_verdict_of, flagged_found))
        flagged_whos = list(map(whos.__getitem__, flagged))
        refused = list(map(_refused_of, flagged_verdicts))
        r.refused_by_policy += sum(refused)
        r.blocked_users.update(compress(flagged_whos, refused))
        sites = map(_host_of, flagged_found)
        keys = zip(flagged_verdicts, flagged_whos, sites, strict=True)
        note, seen_get = self._note, self._flagged.get
        for key, t in zip(keys, map(times.__getitem__, flagged), strict=True):
            seen = seen_get(key)
            if seen is None or not seen[1] <= t <= seen[2]:
                note(*key, t)
            else:
                seen[0] += 1

    def _read_columns(self, lines: Sequence[str]) -> _Columns | None:
        """The columns of a batch of plain Squid lines (`squid_columns` in C where it was built),
        or None when a line is not what `parse_line` takes (then the batch goes line by line)."""
        if not lines:
            return None
        if squid_columns is not None and type(lines) is list:
            return squid_columns(lines)
        rows = list(map(str.split, lines))
        return self._columns(rows) if min(map(len, rows)) >= FIELDS else None

    def _columns(self, rows: list[list[str]]) -> _Columns | None:
        """`squid_columns` in Python, for rows of ten fields or more."""
        times_text, clients, statuses, sizes, urls, logged = zip(*map(_FIELDS_READ, rows), strict=True)
        try:
            times = list(map(float, times_text))
            if not "".join(sizes).isdecimal():
                list(map(int, sizes))  # "-1" and "+1" are numbers to parse_line too
        except ValueError:
            return None
        if not math.isfinite(sum(times)) or min(times) < EARLIEST or max(times) > LATEST:
            return None  # "nan", "inf" or a time out of range: not a time Squid wrote
        refused = self._denied
        for status in set(statuses).difference(refused):
            action, _, code = status.partition("/")
            try:
                number = int(code) if code else 0
            except ValueError:
                return None
            refused[status] = action.endswith("_DENIED") or number == 403
        denied = sum(n for status, n in Counter(statuses).items() if refused[status])
        known = self._users
        for user in set(logged).difference(known):
            known[user] = user.lower()
        users = list(map(known.__getitem__, logged))
        whos = users if "" not in users else [u or c for u, c in zip(users, clients, strict=True)]
        return times, whos, users, list(urls), list(map(int, sizes)), denied

    def finish(self) -> ScanReport:
        """The report, with web.heavy_streaming worked out from the day totals."""
        rule = self.pack.rule("web.heavy_streaming")
        limit = self.pack.pack.settings.heavy_streaming_mb_per_day
        if rule is not None:
            param = rule.params.get("limit_mb_per_day")
            limit = float(param) if isinstance(param, int | float) else limit
        found: dict[tuple[str, str | None, str, str, str], Aggregate] = {}
        # A verdict's findings as (check, clause, action, evidence), read once per verdict.
        heads: dict[Verdict, list[tuple[str, str | None, str, str]]] = {}
        for (verdict, who, site), (count, first, last) in self._flagged.items():
            said = heads.get(verdict)
            if said is None:
                said = heads[verdict] = [(f.check, f.clause, f.action, f.evidence) for f in verdict.findings]
            for check, clause, action, evidence in said:
                key = (check, clause, who, site, evidence)
                agg = found.get(key)
                if agg is None:
                    found[key] = Aggregate(
                        check, clause, action, who, site, evidence, int(count), first, last
                    )
                else:  # the same finding under another verdict (another profile, working hours)
                    agg.count += int(count)
                    agg.first = min(agg.first, first)
                    agg.last = max(agg.last, last)
        if rule is not None and limit is not None:
            for (who, day), total in sorted(self._streamed.items()):
                if total > limit * _MB:
                    key = (rule.check, rule.clause, who, day, "")
                    evidence = (
                        f"{total / _MB:,.0f} MB of streaming and downloads on {day} (limit {limit:,.0f} MB)"
                    )
                    first, last = self._streamed_span[(who, day)]
                    found[key] = Aggregate(
                        rule.check, rule.clause, rule.action, who, day, evidence, 1, first, last
                    )
        # Strongest action first, then the most repeated, then by person and site: stable sorts on
        # keys read in C, the last one first (a report can hold tens of thousands).
        aggregates = sorted(found.values(), key=_site_of)
        aggregates.sort(key=_who_of)
        aggregates.sort(key=_count_of, reverse=True)
        ranks = list(map(_ACTION_ORDER.get, map(_action_of, aggregates), repeat(len(_ACTION_ORDER))))
        self.report.findings = list(
            map(aggregates.__getitem__, sorted(range(len(ranks)), key=ranks.__getitem__))
        )
        return self.report
