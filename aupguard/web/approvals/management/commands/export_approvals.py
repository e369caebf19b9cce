"""`manage.py export_approvals --trust SLUG --out FILE`: the guards' approvals snapshot, written so
that a guard never reads half a file. Run it from cron (every minute suits a school) or after each
decision; `aupguard squid-helper` and `aupguard relay` read FILE with `--approvals FILE`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.web.approvals.snapshot import snapshot, write_atomically
from aupguard.web.org.models import Trust


class Command(BaseCommand):
    help = "Write the approvals in force for a trust's guards, as the JSON file `--approvals` reads."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", required=True, metavar="SLUG", help="the trust's slug (demo-trust)")
        parser.add_argument("--out", required=True, metavar="FILE", help="where the guards read it")

    def handle(self, *args: Any, **options: Any) -> None:
        trust = Trust.objects.filter(slug=options["trust"]).first()
        if trust is None:
            known = ", ".join(Trust.objects.order_by("slug").values_list("slug", flat=True)) or "none yet"
            raise CommandError(f"--trust: no trust {options['trust']!r} (trusts: {known})")
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: no folder {out.parent} to write {out.name} in")
        data = snapshot(trust)
        try:
            write_atomically(out, data)
        except OSError as exc:
            raise CommandError(f"--out: cannot write {out}: {exc.strerror or exc}") from None
        self.stdout.write(f"{trust.name}: {len(data['approvals'])} approval(s) in force written to {out}")
