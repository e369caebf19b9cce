"""The checklist's confirmation forms and the leavers list's filters."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from aupguard.web.leavers.checklist import Checklist, day
from aupguard.web.leavers.models import Confirmation
from aupguard.web.org.models import School


class ConfirmForm(forms.Form):
    done_on = forms.DateField(
        label="Date done",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date.", "invalid": "Enter a date, such as 18/12/2026."},
    )
    notes = forms.CharField(
        label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False, max_length=2000
    )

    def __init__(self, data: Any = None, *, item: str, checklist: Checklist) -> None:
        super().__init__(data, prefix=item)
        self.item = item
        self.checklist = checklist
        self.fields["done_on"].initial = timezone.localdate()
        if item == Confirmation.Item.SCHOOL_ACCOUNTS_DISABLED:
            self.fields["done_on"].label = "Date the school accounts were disabled"
            self.fields["notes"].help_text = "Which accounts: Microsoft 365, Google Workspace, the MIS."
        else:
            self.fields["done_on"].label = "Date the mailbox was deleted"

    def clean_done_on(self) -> dt.date:
        done_on: dt.date = self.cleaned_data["done_on"]
        if done_on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future: confirm it once it is done.")
        if self.item == Confirmation.Item.MAILBOX_DELETED:
            leave_date = self.checklist.leave_date
            if done_on < leave_date:
                raise forms.ValidationError(
                    f"{self.checklist.leaver} works here until {day(leave_date)}: "
                    "a mailbox is deleted after that."
                )
            due = self.checklist.mailbox_deletion_date
            if due is not None and done_on < due:
                raise forms.ValidationError(
                    f"The policy keeps a leaver's mailbox until {day(due)} "
                    f"({self.checklist.retention_days} days after the leaving date): it cannot have been "
                    "deleted earlier under this policy."
                )
        return done_on


class LeaverFilterForm(forms.Form):
    school = forms.ChoiceField(label="School", required=False)
    earlier = forms.BooleanField(label="Include people who left more than 60 days ago", required=False)

    def __init__(self, *args: Any, schools: QuerySet[School], central: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All you see"), *[(str(s.pk), s.name) for s in schools]]
        if central:
            choices.append(("central", "The trust's central team"))
        cast(forms.ChoiceField, self.fields["school"]).choices = choices
