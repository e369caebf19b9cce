"""Background work for sign-off: sending the reminder emails a run has queued (django-tasks).

The immediate backend (django-tasks' default, when settings name no TASKS) sends inside the
`send_reminders` run itself, which suits one small trust. A large trust configures a queued backend
and runs workers: the run then only queues, and the workers send, each email claimed once.
"""

from __future__ import annotations

from django_tasks import task

from aupguard.web.signoff.reminders import deliver


@task()
def send_reminder_batch(reminder_ids: list[int]) -> dict[str, int]:
    return deliver(reminder_ids).as_dict()
