from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.engine.packs import PackError, PackNotFound, available_packs, load_pack, resolve_pack
from aupguard.web.policies.actions import do_publish_policy_version
from aupguard.web.signoff.actions import do_open_campaigns


class Command(BaseCommand):
    help = (
        "Publish policy packs as policy versions (all packs in the packs folder by default), and open "
        "a sign-off campaign for each new version in every trust that follows it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("packs", nargs="*", help="pack ids or files; default: every pack")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            paths = [resolve_pack(ref) for ref in options["packs"]] or available_packs()
        except PackNotFound as exc:
            raise CommandError(str(exc)) from None
        failed = 0
        for path in paths:
            try:
                pack = load_pack(path)
            except PackError as exc:
                failed += 1
                for problem in exc.problems:
                    self.stderr.write(str(problem))
                continue
            version, created = do_publish_policy_version(pack, path.read_text(encoding="utf-8"))
            state = "published" if created else "unchanged"
            # Also for an unchanged version: a trust set up since it was published gets its campaign.
            campaigns = do_open_campaigns(version)
            opened = f", sign-off open in {len(campaigns)} trust(s)" if campaigns else ""
            self.stdout.write(
                f"{pack.id}: {state} version {version.version_code} ({len(pack.clauses)} clauses){opened}"
            )
        if failed:
            raise CommandError(f"{failed} pack(s) did not load; nothing was published for them")
