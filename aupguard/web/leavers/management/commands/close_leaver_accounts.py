"""Close the aupguard sign-in of everyone past their leaving date (run daily, after midnight).

Sign-in is refused after the leaving date whether or not this has run (leavers/signin.py); this
switches the account off as well, which ends sessions already open and shows on the leaver's
checklist. Running it twice closes nothing twice.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from aupguard.web.leavers.actions import do_close_sign_in, leavers_to_close


class Command(BaseCommand):
    help = "Close the aupguard sign-in of people whose leaving date has passed (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--dry-run", action="store_true", help="list who would be closed; change nothing")
        parser.add_argument(
            "--today", help="the date to act as of, YYYY-MM-DD (default: today where aupguard runs)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = timezone.localdate()
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError(
                    f"--today: expected a date such as 2026-12-19, got {options['today']!r}"
                ) from None
        people = leavers_to_close(today)
        if not people:
            self.stdout.write("No sign-in to close: nobody past their leaving date has one still open.")
            return
        closed = 0
        for person in people:
            left = f"left on {person.leave_date}"
            if options["dry_run"]:
                self.stdout.write(f"would close {person.email} ({left})")
                continue
            if do_close_sign_in(person, actor=None, reason=left):
                closed += 1
                self.stdout.write(f"closed {person.email} ({left})")
        if not options["dry_run"]:
            self.stdout.write(f"Closed {closed} sign-in{'s' if closed != 1 else ''} of people who have left.")
