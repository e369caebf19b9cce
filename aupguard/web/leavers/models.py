"""The leaver checklist's manual confirmations: what only a person can vouch for.

Most of a leaver's checklist is computed from other registers (their devices, their aupguard sign-in,
the mailbox-access request). Two things happen outside aupguard and are confirmed here by the IT
team: the school accounts (Microsoft 365, Google Workspace) were disabled, and the mailbox was
deleted. A confirmation belongs to the leaving date it was made for: if HR corrects the date, or the
person comes back and leaves again, the checklist starts afresh for the new date.
"""

from __future__ import annotations

from django.db import models

from aupguard.web.people.models import Person


class Confirmation(models.Model):
    class Item(models.TextChoices):
        SCHOOL_ACCOUNTS_DISABLED = (
            "school_accounts_disabled",
            "school accounts disabled (Microsoft 365, Google Workspace)",
        )
        MAILBOX_DELETED = "mailbox_deleted", "mailbox deleted"

    leaver = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="leaver_confirmations")
    leave_date = models.DateField(help_text="the leaving date this confirmation was made for")
    item = models.CharField(max_length=32, choices=Item.choices)
    done_on = models.DateField(help_text="the day it was done")
    confirmed_by = models.ForeignKey(Person, on_delete=models.PROTECT, related_name="+")
    confirmed_at = models.DateTimeField(auto_now_add=True)
    notes = models.TextField(blank=True)

    class Meta:
        ordering = ["leaver", "item"]
        constraints = [
            models.UniqueConstraint(
                fields=["leaver", "leave_date", "item"], name="leaver_item_confirmed_once"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.leaver}: {self.get_item_display()} on {self.done_on}"
