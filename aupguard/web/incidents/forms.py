"""The forms: an incident report shaped by its kind, the handler's forms, and the DPL's breach forms.

Times are entered as local (Europe/London) wall-clock times; Django turns them into aware times and
refuses a time that does not exist or happens twice at a clock change, with a message on the field.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils import timezone

from aupguard.web.devices.models import Device
from aupguard.web.incidents.access import own_devices
from aupguard.web.incidents.kinds import KIND_CHOICES, KIND_FIELDS, KINDS
from aupguard.web.incidents.models import DATA_CATEGORIES, SUBJECT_CATEGORIES, Breach, Incident
from aupguard.web.incidents.notify import when
from aupguard.web.org.models import School
from aupguard.web.people.models import Person

#: A little slack for a clock that runs fast on the reporter's phone.
FUTURE_SLACK = dt.timedelta(minutes=5)
LONG_TEXT = 5000


class LocalDateTimeInput(forms.DateTimeInput):
    """A date-and-time picker on phones and in every current browser; typed ISO text elsewhere."""

    input_type = "datetime-local"

    def __init__(self, attrs: dict[str, Any] | None = None) -> None:
        super().__init__(attrs, format="%Y-%m-%dT%H:%M")


def _text(label: str, *, rows: int = 4, required: bool = True, help_text: str = "") -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=LONG_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _when(label: str, *, required: bool = True, help_text: str = "") -> forms.DateTimeField:
    return forms.DateTimeField(
        label=label,
        required=required,
        help_text=help_text,
        widget=LocalDateTimeInput,
        error_messages={"invalid": "Enter a date and time, such as 24/10/2025 14:30."},
    )


def _not_future(value: dt.datetime | None, what: str) -> dt.datetime | None:
    if value is not None and value > timezone.now() + FUTURE_SLACK:
        raise forms.ValidationError(f"{what} cannot be in the future.")
    return value


#: What "action taken" asks, by kind.
ACTION_QUESTIONS = {
    "inappropriate_site_accessed": (
        "What did you do?",
        "For example: closed the page at once, did not click anything, told a colleague.",
    ),
    "phishing": (
        "What did you do?",
        "Say whether you clicked a link, opened an attachment or entered your password, and what you "
        "have done since (for example changed your password).",
    ),
    "malware": ("What did you do?", "For example: unplugged the network cable, switched the computer off."),
    "misdirected_email": (
        "What has been done since?",
        "For example: recalled the message, asked the recipient to delete it and confirm.",
    ),
}


class IncidentForm(forms.Form):
    occurred_at = _when("When did it happen?", help_text="The date and time, as near as you know.")
    what_happened = _text("What happened?", rows=6)
    web_address = forms.CharField(
        label="Web address",
        max_length=500,
        help_text="Copy it from the address bar, or describe the site if you do not have the address.",
    )
    action_taken = _text("What did you do?", rows=3)
    device = forms.ModelChoiceField(
        queryset=Device.objects.none(),
        label="Which of your devices?",
        required=False,
        empty_label="A device not in this list",
    )
    device_description = forms.CharField(
        label="Describe the device",
        max_length=300,
        help_text="If it is not in the list: what it is, make and model, and any label or asset tag.",
    )
    device_stolen = forms.TypedChoiceField(
        label="Lost or stolen?",
        choices=[("lost", "Lost"), ("stolen", "Stolen")],
        coerce=lambda value: value == "stolen",
        widget=forms.RadioSelect,
    )
    location = forms.CharField(label="Where?", max_length=300, help_text="The place, as exactly as you can.")
    personal_data = forms.ChoiceField(
        label="Could personal information be involved?",
        choices=Incident.PersonalData.choices,
        widget=forms.RadioSelect,
        help_text="Names, contact details, records or photos of pupils, parents or staff.",
    )

    def __init__(self, *args: Any, kind: str, reporter: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        info = KINDS[kind]
        for name in KIND_FIELDS:
            if name not in info.fields:
                del self.fields[name]
        for name in info.fields:
            self.fields[name].required = name in info.required
        self.fields["what_happened"].help_text = info.what_happened_help
        if kind in ACTION_QUESTIONS and "action_taken" in self.fields:
            self.fields["action_taken"].label, self.fields["action_taken"].help_text = ACTION_QUESTIONS[kind]
        if kind == "filtering_issue":
            self.fields["web_address"].help_text = "The site that should be blocked, or should not be."
        if "device" in self.fields:
            devices = own_devices(reporter)
            if devices.exists():
                self.fields["device"].queryset = devices  # type: ignore[attr-defined]
            else:
                del self.fields["device"]
                if kind == "lost_or_stolen_device":  # with no list to choose from, describing it is a must
                    description = self.fields["device_description"]
                    description.required = True
                    description.help_text = "What it is, make and model, and any label or asset tag."
                    description.error_messages["required"] = (
                        "Describe the device: what it is and any label or asset tag."
                    )

    def clean_occurred_at(self) -> dt.datetime | None:
        return _not_future(self.cleaned_data.get("occurred_at"), "The time it happened")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if (
            self.kind == "lost_or_stolen_device"
            and not cleaned.get("device")
            and not cleaned.get("device_description")
            and "device_description" not in self.errors
        ):
            self.add_error("device_description", "Choose the device from the list, or describe it.")
        return cleaned

    def incident_fields(self) -> dict[str, Any]:
        """The kind's own fields, as the model has them."""
        values = {name: self.cleaned_data.get(name) for name in KINDS[self.kind].fields}
        for name in ("web_address", "action_taken", "device_description", "location", "personal_data"):
            if name in values and values[name] is None:
                values[name] = ""
        return values


class RegisterFilter(forms.Form):
    status = forms.ChoiceField(
        label="Status",
        choices=[("open", "Open"), ("closed", "Closed"), ("all", "All")],
        required=False,
    )
    kind = forms.ChoiceField(label="Kind", choices=[("", "All kinds"), *KIND_CHOICES], required=False)
    school = forms.ChoiceField(label="School", required=False)

    def __init__(self, *args: Any, schools: list[School], central: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All schools")] + [(str(s.pk), s.name) for s in schools]
        if central:
            choices.append(("central", "Trust central team"))
        self.fields["school"].choices = choices  # type: ignore[attr-defined]


class AssignForm(forms.Form):
    handler = forms.ModelChoiceField(
        queryset=Person.objects.none(), label="Handled by", empty_label="Choose who handles it"
    )

    def __init__(self, *args: Any, candidates: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["handler"].queryset = candidates  # type: ignore[attr-defined]


class CloseIncidentForm(forms.Form):
    outcome = _text("Outcome", rows=3, help_text="What was done, and what was decided.")


class ReopenIncidentForm(forms.Form):
    reason = forms.CharField(label="Why reopen it?", max_length=300)


class OpenBreachForm(forms.Form):
    aware_at = _when(
        "When did the school become aware of the breach?",
        help_text="The ICO clock starts here. When a member of staff reported it is usually the moment "
        "the school became aware.",
    )

    def clean_aware_at(self) -> dt.datetime | None:
        return _not_future(self.cleaned_data.get("aware_at"), "The time the school became aware")


class RecordBreachForm(OpenBreachForm):
    school = forms.ModelChoiceField(queryset=School.objects.none(), label="School")
    occurred_at = _when("When did the breach happen?", help_text="As near as you know.")
    what_happened = _text(
        "What happened?", rows=6, help_text="How you learnt of it, what information, and how it happened."
    )
    field_order = ["school", "occurred_at", "aware_at", "what_happened"]

    def __init__(self, *args: Any, schools: list[School], central: bool, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["school"]
        field.queryset = School.objects.filter(pk__in=[s.pk for s in schools])  # type: ignore[attr-defined]
        # Blank means the central team, for a trust-wide DPL; anyone else has no blank to choose.
        field.required = not central
        field.empty_label = "The trust's central team" if central else None  # type: ignore[attr-defined]

    def clean_occurred_at(self) -> dt.datetime | None:
        return _not_future(self.cleaned_data.get("occurred_at"), "The time it happened")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        occurred, aware = cleaned.get("occurred_at"), cleaned.get("aware_at")
        if occurred and aware and aware < occurred:
            self.add_error("aware_at", "The school cannot have become aware before the breach happened.")
        return cleaned


class BreachForm(forms.Form):
    """A form on the breach page: it knows the breach, and fills itself from it."""

    def __init__(self, *args: Any, breach: Breach, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.breach = breach

    @classmethod
    def initial_from(cls, breach: Breach) -> dict[str, Any]:
        return {name: getattr(breach, name) for name in cls.base_fields}


class AssessBreachForm(BreachForm):
    nature = _text(
        "Nature of the breach",
        help_text="What happened to the information: lost, stolen, sent to the wrong person, seen or "
        "changed without authority.",
    )
    data_categories = forms.MultipleChoiceField(
        label="What kinds of personal data?",
        choices=DATA_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick at least one kind of personal data."},
    )
    subject_categories = forms.MultipleChoiceField(
        label="Whose data?",
        choices=SUBJECT_CATEGORIES,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": "Tick whose personal data it is."},
    )
    approx_people = forms.IntegerField(
        label="About how many people are affected?",
        min_value=0,
        max_value=10_000_000,
        help_text="Your best estimate.",
    )
    approx_records = forms.IntegerField(
        label="About how many records?",
        min_value=0,
        max_value=1_000_000_000,
        help_text="Documents, rows or emails: your best estimate.",
    )
    likely_consequences = _text(
        "Likely consequences for the people affected",
        help_text="For example distress, identity fraud, a risk to a child's safety.",
    )
    risk_level = forms.ChoiceField(
        label="Risk to the people affected", choices=Breach.Risk.choices, widget=forms.RadioSelect
    )

    @staticmethod
    def initial_from(breach: Breach) -> dict[str, Any]:
        return {name: getattr(breach, name) for name in AssessBreachForm.base_fields}


class DecideBreachForm(BreachForm):
    decision = forms.ChoiceField(label="Decision", choices=Breach.Decision.choices, widget=forms.RadioSelect)
    reason = _text(
        "Why",
        help_text="Recorded whichever way you decide. If you do not report, say why the breach is unlikely "
        "to result in a risk to people's rights and freedoms.",
    )
    reported_at = _when("Reported to the ICO at", required=False, help_text="Only when you have reported it.")
    ico_reference = forms.CharField(
        label="ICO reference",
        max_length=64,
        required=False,
        help_text="The case reference the ICO gave you, such as IC-123456-A1B2.",
    )
    late_reason = _text(
        "Reasons for the delay",
        rows=3,
        required=False,
        help_text="Needed when the report or the decision comes after the deadline (UK GDPR art. 33(1)).",
    )

    def clean_reported_at(self) -> dt.datetime | None:
        reported = _not_future(self.cleaned_data.get("reported_at"), "The time of the report")
        if reported is not None and reported < self.breach.aware_at:
            raise forms.ValidationError(
                f"That is before the school became aware of the breach ({when(self.breach.aware_at)})."
            )
        return reported

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        breach = self.breach
        if not breach.assessed:
            raise forms.ValidationError("Record the assessment, with its risk level, before the decision.")
        decision = cleaned.get("decision")
        if decision == Breach.Decision.REPORT:
            if not cleaned.get("reported_at") and "reported_at" not in self.errors:
                self.add_error("reported_at", "Give the date and time you reported it to the ICO.")
            if not cleaned.get("ico_reference", "").strip():
                self.add_error("ico_reference", "Give the reference the ICO gave you.")
        elif decision == Breach.Decision.NOT_REPORT and breach.risk_level != Breach.Risk.UNLIKELY:
            self.add_error(
                "decision",
                "The assessment says this breach is likely to result in a risk, and such a breach must "
                "be reported to the ICO (UK GDPR art. 33). If it is unlikely to result in a risk, "
                "change the assessment first.",
            )
        stopped = cleaned.get("reported_at") if decision == Breach.Decision.REPORT else timezone.now()
        if (
            decision
            and stopped is not None
            and stopped > breach.deadline
            and not cleaned.get("late_reason", "").strip()
        ):
            self.add_error(
                "late_reason",
                f"This is after the deadline ({when(breach.deadline)}): give the reasons for the delay.",
            )
        return cleaned

    @classmethod
    def initial_from(cls, breach: Breach) -> dict[str, Any]:
        return {
            "decision": breach.decision,
            "reason": breach.decision_reason,
            "reported_at": timezone.localtime(breach.reported_at) if breach.reported_at else None,
            "ico_reference": breach.ico_reference,
            "late_reason": breach.late_reason,
        }


class RespondToBreachForm(BreachForm):
    containment = _text(
        "Containment and recovery",
        required=False,
        help_text="What was done to limit the harm: email recalled, device wiped remotely, passwords "
        "changed, recipient confirmed deletion.",
    )
    individuals_told = forms.ChoiceField(
        label="Have the people affected been told?",
        choices=Breach.Told.choices,
        widget=forms.RadioSelect,
        help_text="They must be told without undue delay when the risk to them is high (UK GDPR art. 34).",
    )
    individuals_note = _text("How and when they were told, or why not", rows=3, required=False)
    lado_referral = forms.BooleanField(
        label="Referred to the Local Authority Designated Officer (LADO)",
        required=False,
        help_text="Where the breach raises a concern about an adult's conduct towards children.",
    )
    lado_note = forms.CharField(
        label="LADO referral: date, and the LADO's name or reference", max_length=LONG_TEXT, required=False
    )
    lessons_learned = _text(
        "Lessons learned", required=False, help_text="Needed before the breach is closed."
    )

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        told, note = cleaned.get("individuals_told"), cleaned.get("individuals_note", "").strip()
        if told == Breach.Told.YES and not note:
            self.add_error("individuals_note", "Say how and when the people affected were told.")
        if told == Breach.Told.NO and not note:
            self.add_error("individuals_note", "Say why the people affected will not be told.")
        if cleaned.get("lado_referral") and not cleaned.get("lado_note", "").strip():
            self.add_error("lado_note", "Give the date of the referral and the LADO's name or reference.")
        return cleaned
