from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.engine.packs import PackError, PackNotFound, available_packs, load_pack, resolve_pack
from aupguard.web.policies.actions import do_publish_policy_version


class Command(BaseCommand):
    help = "Publish policy packs as policy versions (all packs in the packs folder by default)."

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
            self.stdout.write(
                f"{pack.id}: {state} version {version.version_code} ({len(pack.clauses)} clauses)"
            )
        if failed:
            raise CommandError(f"{failed} pack(s) did not load; nothing was published for them")
