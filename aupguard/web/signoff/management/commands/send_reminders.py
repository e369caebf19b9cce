from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone
from django_tasks import TaskResultStatus

from aupguard.web.audit.log import record
from aupguard.web.signoff.reminders import REMIND_EVERY_DAYS, plan_reminders, queue_reminders
from aupguard.web.signoff.tasks import send_reminder_batch

BATCH = 200


class Command(BaseCommand):
    help = (
        "Email everyone whose policy signature or cyber-security training is due or overdue, with a "
        f"link to sign. Run it daily (cron): each person gets at most one email a day, and one about "
        f"the same thing every {REMIND_EVERY_DAYS} days."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="list who would be reminded; send and record nothing"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        now = timezone.now()
        if options["dry_run"]:
            self._dry_run(now)
            return
        queued = queue_reminders(now)
        sent = failed = waiting = 0
        problems: list[str] = []
        for start in range(0, len(queued.reminder_ids), BATCH):
            result = send_reminder_batch.enqueue(queued.reminder_ids[start : start + BATCH])
            if not result.is_finished:
                waiting += 1
            elif result.status == TaskResultStatus.SUCCESSFUL and result.return_value:
                sent += result.return_value["sent"]
                failed += result.return_value["failed"]
            else:
                # The batch as a whole failed (no mail server): its rows stay queued for the next run.
                error = result.errors[-1] if result.errors else None
                last_line = error.traceback.strip().splitlines()[-1] if error else "unknown error"
                problems.append(last_line)
        today = timezone.localdate(now)
        summary = (
            f"{today:%Y-%m-%d}: {len(queued.reminder_ids)} reminder(s) to send ({queued.new} new), "
            f"{sent} sent, {failed} failed"
        )
        if waiting:
            summary += f", {waiting} batch(es) left to the task workers"
        if problems:
            summary += f", {len(problems)} batch(es) not sent"
        if queued.reminder_ids:
            record(
                None,
                "signoff.reminders_sent",
                "reminder_run",
                today.isoformat(),
                summary=summary,
                details={
                    "queued": queued.new,
                    "retried": len(queued.reminder_ids) - queued.new,
                    "sent": sent,
                    "failed": failed,
                    "batches_waiting": waiting,
                    "batch_errors": problems,
                },
            )
        self.stdout.write(summary)
        if failed:
            self.stderr.write(f"{failed} reminder(s) failed to send; the next run today tries them again")
        if problems:
            raise CommandError(
                f"reminders could not be sent ({problems[0]}); they stay queued for the next run"
            )

    def _dry_run(self, now: dt.datetime) -> None:
        count = 0
        for item in plan_reminders(now):
            count += 1
            about = [
                what
                for what, due in (("sign-off", item.signoff_due), ("training", item.training_due))
                if due is not None
            ]
            self.stdout.write(f"{item.email}: {' and '.join(about)}")
        self.stdout.write(f"{count} reminder(s) would be sent (dry run: nothing sent or recorded)")
