"""Reading the guards' files into GuardEvents: the relay's events file and `scan squid-log --json`.

Both are JSON lines. A relay line with findings (`refused`, `held`, `accepted`) gives one event per
finding; a scan line gives one event per aggregated finding, with its count. Other relay lines
(`delivered`, `released` ...) say what happened to mail, not what the policy found, and are skipped.
A line that cannot be read is reported with its file and line number and skipped; the rest are kept.
Ingesting the same file twice adds nothing: each event has a key made from what it says.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone

from aupguard.web.monitoring.counts import recount
from aupguard.web.monitoring.models import GuardEvent
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person

FINDING_EVENTS = frozenset({"refused", "held", "accepted"})
BATCH = 2000


@dataclass
class IngestReport:
    read: int = 0
    added: int = 0
    skipped: int = 0
    problems: list[str] = field(default_factory=list)


def _when(value: Any) -> dt.datetime:
    if not isinstance(value, str):
        raise ValueError("expected an ISO 8601 time")
    when = dt.datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=dt.UTC)


def _key(*parts: object) -> str:
    return hashlib.sha256("\x1f".join(str(p) for p in parts).encode()).hexdigest()


def _finding(finding: Any) -> dict[str, str]:
    if not isinstance(finding, dict) or not isinstance(finding.get("check"), str):
        raise ValueError("a finding without a check")
    return {
        "check_id": finding["check"],
        "clause": str(finding.get("clause") or ""),
        "action": str(finding.get("action") or ""),
        "where": str(finding.get("where") or "")[:500],
        "evidence": str(finding.get("evidence") or "")[:500],
    }


def events_of_line(line: dict[str, Any]) -> Iterator[dict[str, Any]]:
    """The events one JSON line says, as GuardEvent fields (without trust, school and person)."""
    if "event" in line:  # the relay's events file
        if line["event"] not in FINDING_EVENTS:
            return
        at = _when(line.get("time"))
        for raw in line.get("findings") or []:
            finding = _finding(raw)
            yield {
                "source": GuardEvent.Source.EMAIL,
                "at": at,
                "who": str(line.get("mail_from") or "").lower()[:254],
                "ref": str(line.get("id") or "")[:100],
                "pack_id": str(line.get("pack") or ""),
                "pack_sha256": str(line.get("pack_sha256") or ""),
                **finding,
                "key": _key(
                    "email", line.get("id"), finding["check_id"], finding["where"], finding["evidence"]
                ),
            }
    elif "findings" in line and "lines" in line:  # `aupguard scan squid-log --json`
        for raw in line["findings"]:
            finding = _finding(raw)
            who = str(raw.get("who") or "").lower()[:254]
            first, last = _when(raw.get("first")), _when(raw.get("last"))
            yield {
                "source": GuardEvent.Source.WEB,
                "at": first,
                "last_at": last,
                "count": int(raw.get("count") or 1),
                "who": who,
                "pack_id": str(line.get("pack") or ""),
                **finding,
                "key": _key("web", who, finding["check_id"], finding["where"], first.isoformat()),
            }
    else:
        raise ValueError("neither a relay event nor a `scan squid-log --json` line")


def ingest(trust: Trust, name: str, lines: Iterable[str], pack_id: str = "") -> IngestReport:
    """Add the events of one file's lines to `trust`'s register."""
    report = IngestReport()
    people = {
        email: (pk, school_id)
        for pk, email, school_id in Person.objects.filter(trust=trust).values_list("pk", "email", "school_id")
    }
    batch: list[GuardEvent] = []
    days: set[dt.date] = set()
    for number, text in enumerate(lines, start=1):
        if not text.strip():
            continue
        report.read += 1
        try:
            line = json.loads(text)
            if not isinstance(line, dict):
                raise ValueError("expected a JSON object")
            events = list(events_of_line(line))
        except (ValueError, TypeError) as exc:
            report.skipped += 1
            if len(report.problems) < 20:
                report.problems.append(f"{name}, line {number}: {exc}")
            continue
        for fields in events:
            person_id, school_id = people.get(fields["who"], (None, None))
            fields["pack_id"] = fields["pack_id"] or pack_id
            batch.append(GuardEvent(trust=trust, person_id=person_id, school_id=school_id, **fields))
            days.add(timezone.localdate(fields["at"]))
        if len(batch) >= BATCH:
            report.added += _save(batch)
            batch = []
    report.added += _save(batch)
    recount(trust, days)
    return report


def _save(batch: list[GuardEvent]) -> int:
    if not batch:
        return 0
    keys = [event.key for event in batch]
    trust = batch[0].trust
    with transaction.atomic():
        before = GuardEvent.objects.filter(trust=trust, key__in=keys).count()
        GuardEvent.objects.bulk_create(batch, ignore_conflicts=True)
        after = GuardEvent.objects.filter(trust=trust, key__in=keys).count()
    return after - before
