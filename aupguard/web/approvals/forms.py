"""The forms of the approvals pages: a request (shaped by its workflow), a decision, a risk
assessment and a revocation. Every problem is a sentence next to the field it is about."""

from __future__ import annotations

import datetime as dt
from typing import Any
from zoneinfo import ZoneInfo

from django import forms
from django.db.models import QuerySet

from aupguard.web.approvals.models import Request, RiskAssessment
from aupguard.web.approvals.scopes import clean_domain, clean_mailbox
from aupguard.web.approvals.workflows import MAX_PERIOD_DAYS, Workflow, day_start
from aupguard.web.people.models import Person

__all__ = ["DecisionForm", "RequestForm", "RevokeForm", "RiskAssessmentForm"]

_DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
_DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
_LEVELS = {"low": 0, "medium": 1, "high": 2}
MIN_DETAILS = 10
MIN_WRITTEN_REQUEST = 40


class _SubjectChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Any) -> str:
        person: Person = obj
        gone = "" if person.in_directory else " (no longer in the directory)"
        named = f"{person.full_name} — {person.email}" if person.full_name else person.email
        return named + gone


class RequestForm(forms.Form):
    details = forms.CharField(
        label="What do you need, and why?",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
    )
    scope = forms.CharField(max_length=300, required=False)
    first_day = forms.DateField(label="First day", widget=_DATE, input_formats=_DATE_FORMATS)
    last_day = forms.DateField(
        label="Last day",
        widget=_DATE,
        input_formats=_DATE_FORMATS,
        help_text="The approval ends at midnight at the end of this day.",
    )

    def __init__(
        self,
        *args: Any,
        workflow: Workflow,
        zone: ZoneInfo,
        subjects: QuerySet[Person],
        today: dt.date,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.workflow = workflow
        self.zone = zone
        self.today = today
        self.subjects = subjects
        spec = workflow.scope
        scope = self.fields["scope"]
        scope.label = spec.label
        scope.help_text = spec.help
        scope.required = spec.required and not workflow.about_someone
        scope.widget.attrs.update({"placeholder": spec.placeholder} if spec.placeholder else {})
        if spec.kind == "mailbox":
            scope.widget.input_type = "email"
        if workflow.needs_written_request:
            self.fields["details"].help_text = (
                "The policy asks for this request in writing: this is it. Say what you need, why, and "
                "for how long."
            )
        else:
            self.fields["details"].help_text = "A sentence or two: the person who decides reads this."
        if workflow.about_someone:
            self.fields["subject"] = _SubjectChoice(
                queryset=subjects,
                required=False,
                label="Whose mailbox",
                help_text="The person whose mailbox it is, or a shared mailbox of your school.",
                empty_label="— choose —",
            )
            scope.help_text = "Leave it empty to use the address of the mailbox chosen above."
        if workflow.needs_dpia:
            self.fields["dpia_reference"] = forms.CharField(
                label="DPIA reference",
                max_length=200,
                help_text="The reference of the data protection impact assessment for this app; your "
                "Data Protection Lead keeps them.",
                error_messages={"required": "This workflow needs a DPIA first: give its reference."},
            )
        self.fields["first_day"].initial = today
        self.fields["last_day"].initial = today + dt.timedelta(days=workflow.default_days - 1)
        self.fields["last_day"].help_text += f" At most {MAX_PERIOD_DAYS} days after the first day."

    def clean_details(self) -> str:
        text = str(self.cleaned_data["details"]).strip()
        least = MIN_WRITTEN_REQUEST if self.workflow.needs_written_request else MIN_DETAILS
        if len(text) < least:
            written = " The policy asks for a written request." if self.workflow.needs_written_request else ""
            raise forms.ValidationError(f"Say what you need and why in a sentence or two.{written}")
        return text

    def clean_scope(self) -> str:
        value = str(self.cleaned_data.get("scope") or "").strip()
        if not value:
            return ""
        try:
            if self.workflow.scope.kind == "domain":
                return clean_domain(value)
            if self.workflow.scope.kind == "mailbox":
                return clean_mailbox(value)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None
        return value

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.workflow.about_someone:
            self._clean_mailbox_subject(data)
        self._clean_period(data)
        return data

    def _clean_mailbox_subject(self, data: dict[str, Any]) -> None:
        subject: Person | None = data.get("subject")
        scope = data.get("scope", "")
        if "scope" not in data or "subject" not in data:
            return
        if subject is None and not scope:
            self.add_error("subject", "Choose whose mailbox it is, or give its address below.")
        elif subject is not None and not scope:
            data["scope"] = subject.email
        elif subject is not None and scope != subject.email:
            self.add_error(
                "scope",
                f"This is not {subject}'s address ({subject.email}). Leave it empty to use theirs.",
            )
        elif subject is None:
            data["subject"] = self.subjects.filter(email=scope).first()

    def _clean_period(self, data: dict[str, Any]) -> None:
        first, last = data.get("first_day"), data.get("last_day")
        if first is not None and first < self.today:
            self.add_error("first_day", "The first day cannot be in the past.")
        elif first is not None and first > self.today + dt.timedelta(days=365):
            self.add_error("first_day", "The first day must be within the next year.")
        if first is None or last is None or self.has_error("first_day"):
            return
        if last < first:
            self.add_error("last_day", "The last day must be on or after the first day.")
        elif (last - first).days + 1 > MAX_PERIOD_DAYS:
            self.add_error(
                "last_day",
                f"An approval lasts at most {MAX_PERIOD_DAYS} days: ask again when it ends if you "
                "still need it.",
            )

    @property
    def starts(self) -> dt.datetime:
        return day_start(self.cleaned_data["first_day"], self.zone)

    @property
    def expires(self) -> dt.datetime:
        return day_start(self.cleaned_data["last_day"] + dt.timedelta(days=1), self.zone)


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label="Your decision",
        choices=[("approve", "Approve"), ("reject", "Turn down")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose approve or turn down."},
    )
    note = forms.CharField(
        label="Note to the requester",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Needed when you turn a request down; any conditions when you approve it.",
    )
    last_day = forms.DateField(
        label="Approve until (last day)",
        required=False,
        widget=_DATE,
        input_formats=_DATE_FORMATS,
        help_text="Leave it as asked, or make the approval shorter.",
    )

    def __init__(self, *args: Any, req: Request, zone: ZoneInfo, today: dt.date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.req = req
        self.zone = zone
        self.today = today
        self.fields["last_day"].initial = req.last_day

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "reject" and not str(data.get("note") or "").strip():
            self.add_error("note", "Say why you are turning the request down, so that the requester knows.")
        last = data.get("last_day")
        if data.get("decision") == "approve" and last is not None:
            if last > self.req.last_day:
                self.add_error(
                    "last_day",
                    f"The request asks until {self.req.last_day:%d/%m/%Y}: an approval can be "
                    "shorter, not longer.",
                )
            elif last < max(self.today, self.req.first_day):
                self.add_error(
                    "last_day", "The last day cannot be before today or before the first day asked for."
                )
        return data

    @property
    def expires(self) -> dt.datetime | None:
        last = self.cleaned_data.get("last_day")
        if last is None or last == self.req.last_day:
            return None
        return day_start(last + dt.timedelta(days=1), self.zone)


class RiskAssessmentForm(forms.Form):
    likelihood = forms.ChoiceField(
        label="Likelihood that harm happens",
        choices=RiskAssessment.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how likely it is."},
    )
    impact = forms.ChoiceField(
        label="Impact if it does",
        choices=RiskAssessment.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose how bad it would be."},
    )
    mitigations = forms.CharField(
        label="Mitigations",
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=4000,
        help_text="What will be done to make it less likely or less harmful (encryption, supervision, "
        "a shorter period ...).",
        error_messages={"required": "Say what reduces the risk; “none” is an answer."},
    )
    residual_risk = forms.ChoiceField(
        label="Residual risk, after the mitigations",
        choices=RiskAssessment.Level.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the risk that is left."},
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        levels = [data.get(k) for k in ("likelihood", "impact", "residual_risk")]
        if all(levels):
            before = max(_LEVELS[str(levels[0])], _LEVELS[str(levels[1])])
            if _LEVELS[str(levels[2])] > before:
                self.add_error(
                    "residual_risk",
                    "The risk left after the mitigations cannot be higher than the likelihood or "
                    "impact before them.",
                )
        return data


class RevokeForm(forms.Form):
    reason = forms.CharField(
        label="Why are you revoking it?",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="The requester is told this. The approval ends now.",
        error_messages={"required": "Give the reason: the requester is told it."},
    )
