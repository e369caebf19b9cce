"""The sign-off forms: signing the policy, recording a training, and choosing a school on the dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone

from aupguard.web.org.models import School
from aupguard.web.people.models import Person

#: What most schools' staff complete: the NCSC's free course for school staff.
DEFAULT_COURSE = "NCSC Cyber Security Training for School Staff"
EARLIEST_TRAINING = dt.date(2000, 1, 1)


class SignForm(forms.Form):
    agree = forms.BooleanField(
        label="I have read this policy and I will follow it. I understand that the school monitors its "
        "systems and that breaking the policy may lead to disciplinary action.",
        error_messages={"required": "Tick the box to confirm you have read the policy."},
    )
    typed_name = forms.CharField(
        label="Your full name",
        max_length=200,
        help_text="Type your name as it appears in the staff directory.",
    )

    def __init__(self, *args: Any, person: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.person = person

    def clean_typed_name(self) -> str:
        typed = " ".join(str(self.cleaned_data["typed_name"]).split())
        if typed.casefold() != self.person.full_name.casefold():
            raise forms.ValidationError(
                f"Type your full name as the directory has it: {self.person.full_name}."
            )
        return typed


class TrainingForm(forms.Form):
    course = forms.CharField(
        label="Course name",
        max_length=200,
        initial=DEFAULT_COURSE,
        error_messages={"required": "Enter the name of the course."},
    )
    completed_on = forms.DateField(
        label="Date completed",
        help_text="For example 14/09/2026.",
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={
            "required": "Enter the date the course was completed.",
            "invalid": "Enter the date as day/month/year, for example 14/09/2026.",
        },
    )
    provider = forms.CharField(
        label="Provider (optional)",
        max_length=200,
        required=False,
        help_text="Who ran the course: the NCSC, the trust's IT team, an external trainer.",
    )
    evidence = forms.CharField(
        label="Certificate number or evidence (optional)",
        max_length=300,
        required=False,
        help_text="A certificate number, or where the certificate or attendance list is kept.",
    )

    def clean_course(self) -> str:
        return " ".join(str(self.cleaned_data["course"]).split())

    def clean_completed_on(self) -> dt.date:
        day: dt.date = self.cleaned_data["completed_on"]
        if day > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future: record a course once it is done.")
        if day < EARLIEST_TRAINING:
            raise forms.ValidationError("Check the year: that date is before 2000.")
        return day

    def clean_provider(self) -> str:
        return " ".join(str(self.cleaned_data["provider"]).split())

    def clean_evidence(self) -> str:
        return " ".join(str(self.cleaned_data["evidence"]).split())


CENTRAL = "central"


class SchoolFilter(forms.Form):
    school = forms.ChoiceField(label="School", required=False)

    def __init__(self, *args: Any, schools: list[School], central: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All schools")] + [(str(school.pk), school.name) for school in schools]
        if central:
            choices.append((CENTRAL, "Central team"))
        field = self.fields["school"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above; narrows the type
        field.choices = choices
        field.error_messages["invalid_choice"] = "Choose a school from the list."
