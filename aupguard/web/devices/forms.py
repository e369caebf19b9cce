"""The asset register's forms: each says what is wrong next to the field, in words a school uses."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING, Any, cast

from django import forms
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.formats import date_format

from aupguard.web.devices.access import Keeping
from aupguard.web.devices.models import Device, DeviceEvent
from aupguard.web.org.models import School
from aupguard.web.people.models import Person

CENTRAL = "central"
MAX_SUGGESTIONS = 500
MISSING = "missing"  # the filter for lost and stolen together
YES_NO = [("yes", "Yes"), ("no", "No")]


def _date_field(label: str, help_text: str = "") -> forms.DateField:
    return forms.DateField(
        label=label,
        help_text=help_text,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
        error_messages={"required": "Enter the date.", "invalid": "Enter a date, such as 18/12/2026."},
    )


def _yes_no(label: str, help_text: str = "") -> forms.TypedChoiceField:
    return forms.TypedChoiceField(
        label=label,
        help_text=help_text,
        choices=YES_NO,
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": "Answer yes or no."},
    )


def day(date: dt.date) -> str:
    return date_format(date, "j F Y")


class _DatedForm(forms.Form):
    """A change recorded on a day: never in the future, never before the device's last recorded change
    (adding it to the register aside: a device already in use is added on the day it is registered)."""

    def __init__(self, *args: Any, device: Device | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["on"].initial = timezone.localdate()
        self.last_change = (
            device.events.exclude(kind=DeviceEvent.Kind.ADDED).order_by("-on", "-id").first()
            if device is not None
            else None
        )

    def clean_on(self) -> dt.date:
        on: dt.date = self.cleaned_data["on"]
        if on > timezone.localdate():
            raise forms.ValidationError("The date cannot be in the future.")
        last = self.last_change
        if last is not None and on < last.on:
            raise forms.ValidationError(
                f"It was {last.get_kind_display()} on {day(last.on)}: the date cannot be earlier."
            )
        return on


class DeviceForm(forms.Form):
    asset_tag = forms.CharField(
        label="Asset tag",
        max_length=64,
        help_text="The label on the device, such as ASH-L-014. Unique in the trust.",
    )
    kind = forms.ChoiceField(label="Kind of device", choices=Device.Kind.choices)
    school = forms.ChoiceField(label="Kept for")
    make_model = forms.CharField(label="Make and model", max_length=200, required=False)
    serial_number = forms.CharField(label="Serial number", max_length=100, required=False)
    encrypted = forms.BooleanField(
        label="Its storage is encrypted (BitLocker, FileVault, an encrypted USB drive)", required=False
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 3}), required=False)

    def __init__(self, *args: Any, keeping: Keeping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if keeping.person is None:
            raise ValueError("only a keeper of the register adds devices")
        self.keeping = keeping
        self.trust_id = keeping.person.trust_id
        choices = [(str(s.pk), s.name) for s in keeping.schools()]
        if keeping.trust_wide:
            choices.append((CENTRAL, "The trust's central team"))
        school_field = cast(forms.ChoiceField, self.fields["school"])
        school_field.choices = choices
        if len(choices) == 1:
            school_field.initial = choices[0][0]

    def clean_asset_tag(self) -> str:
        tag = " ".join(str(self.cleaned_data["asset_tag"]).split())
        if Device.objects.filter(trust_id=self.trust_id, asset_tag__iexact=tag).exists():
            raise forms.ValidationError(
                f"Another device in the trust already has the asset tag {tag}: check the label, or "
                "find that device in the register."
            )
        return tag

    def clean_school(self) -> School | None:
        value = self.cleaned_data["school"]
        return None if value == CENTRAL else self.keeping.schools().get(pk=int(value))


class IssueForm(_DatedForm):
    person = forms.CharField(
        label="Issue to (school email address)",
        max_length=254,
        help_text="Start typing a name or address to choose from the people you keep devices for.",
        widget=forms.TextInput(attrs={"list": "people", "autocomplete": "off", "spellcheck": "false"}),
    )
    on = _date_field("Date issued")
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Anything issued with it: charger, case, bag.",
    )

    def __init__(self, *args: Any, device: Device, people: QuerySet[Person], **kwargs: Any) -> None:
        super().__init__(*args, device=device, **kwargs)
        self.people = people
        # The suggestions: who is still here, at the device's school first; any address typed is checked.
        current = people.exclude(leave_date__lt=timezone.localdate())
        self.suggestions = list(
            (current.filter(school_id=device.school_id) if device.school_id else current)[:MAX_SUGGESTIONS]
        )

    def clean_person(self) -> Person:
        typed = str(self.cleaned_data["person"]).strip()
        # The datalist shows "Name <address>"; a pasted or chosen entry is accepted as well as a bare address.
        address = typed.rsplit("<", 1)[-1].rstrip(">").strip() if "<" in typed else typed
        person = self.people.filter(email__iexact=address).first()
        if person is None:
            raise forms.ValidationError(
                f"No one you keep devices for has the address {address}: choose someone from the list."
            )
        return person

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        person, on = cleaned.get("person"), cleaned.get("on")
        if person is not None and on is not None and person.leave_date and person.leave_date < on:
            self.add_error("person", f"{person} left on {day(person.leave_date)}.")
        return cleaned


if TYPE_CHECKING:
    _PersonField = forms.ModelChoiceField[Person]
else:  # Django's classes are generic only in the type stubs
    _PersonField = forms.ModelChoiceField


class PersonChoiceField(_PersonField):
    def label_from_instance(self, obj: Person) -> str:
        return f"{obj} ({obj.email})"


class ReturnForm(_DatedForm):
    """Seed 000's Returned Device Form."""

    on = _date_field("Date returned")
    condition = forms.ChoiceField(
        label="Condition",
        choices=DeviceEvent.Condition.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the condition it came back in."},
    )
    data_wiped = _yes_no(
        "Has its data been wiped?",
        "Answer no if it will be wiped later; the device page will say so until it is issued again.",
    )
    received_by = PersonChoiceField(
        label="Received by",
        queryset=Person.objects.none(),
        empty_label=None,
        help_text="Who took the device back: the headteacher, the IT team, or you.",
    )
    notes = forms.CharField(label="Notes", widget=forms.Textarea(attrs={"rows": 2}), required=False)

    def __init__(self, *args: Any, receivers: QuerySet[Person], me: Person, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = cast(PersonChoiceField, self.fields["received_by"])
        field.queryset = receivers
        field.initial = me.pk


class MissingForm(_DatedForm):
    what = forms.ChoiceField(
        label="What happened",
        choices=[("lost", "Lost"), ("stolen", "Stolen")],
        widget=forms.RadioSelect,
        error_messages={"required": "Choose lost or stolen."},
    )
    on = _date_field("Date it went missing", "The day it was last seen, or the day of the theft.")
    notes = forms.CharField(
        label="Circumstances",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Where and when it was last seen; a crime reference number for a theft.",
        error_messages={"required": "Say where and when it was last seen."},
    )


class FoundForm(_DatedForm):
    on = _date_field("Date found")
    notes = forms.CharField(
        label="Notes",
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
        help_text="Where it was found, and its condition. It goes back into stock.",
    )


class DisposeForm(_DatedForm):
    on = _date_field("Date disposed of")
    reason = forms.CharField(
        label="Reason",
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text="Obsolete, beyond repair, or written off after a loss; and who took it away "
        "(a WEEE contractor).",
        error_messages={"required": "Give the reason for disposing of it."},
    )
    data_wiped = _yes_no(
        "Has its data been destroyed?",
        "Wiped, or the storage destroyed with a certificate. Answer no for a lost device written off.",
    )


class FilterForm(forms.Form):
    """The register's filters; a value that is not an option is reported, and that filter ignored."""

    q = forms.CharField(
        label="Search", required=False, max_length=100, help_text="Asset tag, serial, or holder"
    )
    status = forms.ChoiceField(
        label="Status",
        required=False,
        choices=[("", "Any"), (MISSING, "lost or stolen"), *Device.Status.choices],
    )
    kind = forms.ChoiceField(label="Kind", required=False, choices=[("", "Any"), *Device.Kind.choices])
    school = forms.ChoiceField(label="School", required=False)

    def __init__(self, *args: Any, keeping: Keeping, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [("", "All you keep"), *[(str(s.pk), s.name) for s in keeping.schools()]]
        if keeping.trust_wide:
            choices.append((CENTRAL, "The trust's central team"))
        cast(forms.ChoiceField, self.fields["school"]).choices = choices
