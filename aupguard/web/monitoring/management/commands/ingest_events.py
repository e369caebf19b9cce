"""`manage.py ingest_events --trust SLUG FILE...`: the guards' findings into the registers."""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.web.audit.log import record
from aupguard.web.monitoring.ingest import ingest
from aupguard.web.org.models import Trust


class Command(BaseCommand):
    help = (
        "Add what the guards found to the monitoring register: the relay's events file(s) and the "
        "output of `aupguard scan squid-log --json` (gzipped too). Safe to run again on the same files."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", required=True, help="the trust's slug")
        parser.add_argument("files", nargs="+", type=Path)

    def handle(self, *args: Any, **options: Any) -> None:
        trust = Trust.objects.filter(slug=options["trust"]).first()
        if trust is None:
            raise CommandError(f"no trust with the slug {options['trust']!r}")
        failed = False
        for path in options["files"]:
            opener = gzip.open if path.suffix == ".gz" else open
            try:
                with opener(path, "rt", encoding="utf-8", errors="replace") as lines:
                    report = ingest(trust, str(path), lines, pack_id=trust.pack_id)
            except OSError as exc:
                self.stderr.write(f"{path}: cannot read: {exc.strerror or exc}")
                failed = True
                continue
            for problem in report.problems:
                self.stderr.write(problem)
            self.stdout.write(
                f"{path}: {report.read} lines, {report.added} new events, {report.skipped} unreadable lines"
            )
            record(
                None,
                "monitoring.ingest",
                "file",
                path.name,
                summary=f"ingested {report.added} events from {path.name}",
                details={"lines": report.read, "added": report.added, "skipped": report.skipped},
            )
        if failed:
            raise CommandError("some files could not be read (above)")
