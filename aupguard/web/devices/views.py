"""Asset register pages: the register with its filters, adding a device, a device's page with its
history, one page per change (issue, return with the Returned Device Form, lost or stolen, found,
dispose of), and a person's devices."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from aupguard.web.devices import lifecycle
from aupguard.web.devices.access import (
    device_for,
    devices_person_for,
    issuable_people,
    keeping,
    receivers_for,
)
from aupguard.web.devices.forms import (
    CENTRAL,
    MISSING,
    DeviceForm,
    DisposeForm,
    FilterForm,
    FoundForm,
    IssueForm,
    MissingForm,
    ReturnForm,
)
from aupguard.web.devices.models import Device, DeviceEvent, allowed_changes
from aupguard.web.devices.queries import (
    held_by,
    history_of_device,
    history_of_person,
    last_return,
    missing_since,
)
from aupguard.web.people.access import person_of
from aupguard.web.people.models import Person

PAGE_SIZE = 50

#: Each change's page: URL name, page title (also the link on the device's page), button.
CHANGES: dict[str, tuple[str, str, str]] = {
    DeviceEvent.Kind.ISSUED: ("devices:device-issue", "Issue it to someone", "Issue it"),
    DeviceEvent.Kind.RETURNED: ("devices:device-return", "Record its return", "Record the return"),
    DeviceEvent.Kind.LOST: ("devices:device-missing", "Report it lost or stolen", "Report it"),
    DeviceEvent.Kind.FOUND: ("devices:device-found", "Record it found", "Record it found"),
    DeviceEvent.Kind.DISPOSED: ("devices:device-dispose", "Dispose of it", "Dispose of it"),
}


@login_required
def device_list(request: HttpRequest) -> HttpResponse:
    keeper = keeping(request.user)
    if not keeper:
        # Staff who keep no register come here for their own devices.
        me = person_of(request.user)
        if me is None:
            raise PermissionDenied("Your account is not linked to a person in the staff directory.")
        return redirect("devices:person-devices", person_id=me.pk)
    # Only the filters bind the form: a bare ?page=2 is not a search.
    filters = {name: request.GET[name] for name in FilterForm.base_fields if request.GET.get(name)}
    form = FilterForm(filters or None, keeping=keeper)
    devices = keeper.devices().select_related("school", "holder")
    if form.is_bound:
        form.is_valid()  # a bad value is reported on its field; the valid filters still apply
        wanted = form.cleaned_data
        if wanted.get("status") == MISSING:
            devices = devices.filter(status__in=(Device.Status.LOST, Device.Status.STOLEN))
        elif wanted.get("status"):
            devices = devices.filter(status=wanted["status"])
        if wanted.get("kind"):
            devices = devices.filter(kind=wanted["kind"])
        if wanted.get("school") == CENTRAL:
            devices = devices.filter(school__isnull=True)
        elif wanted.get("school"):
            devices = devices.filter(school_id=int(wanted["school"]))
        if wanted.get("q"):
            q = wanted["q"].strip()
            devices = devices.filter(
                Q(asset_tag__icontains=q)
                | Q(serial_number__icontains=q)
                | Q(make_model__icontains=q)
                | Q(holder__email__icontains=q)
                | Q(holder__last_name__icontains=q)
                | Q(holder__first_name__icontains=q)
            )
    page = Paginator(devices, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "devices/list.html",
        {
            "form": form,
            "page": page,
            "query": query.urlencode(),
            "filtered": form.is_bound,
            # A device may be held by someone of a school its keeper does not keep (lent trust-wide).
            "holders_kept": {d.holder_id for d in page if d.holder and keeper.covers(d.holder.school_id)},
        },
    )


@login_required
def device_add(request: HttpRequest) -> HttpResponse:
    keeper = keeping(request.user)
    if not keeper or keeper.person is None:
        raise PermissionDenied("The asset register is kept by the IT team and the headteacher.")
    form = DeviceForm(request.POST or None, keeping=keeper)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            device = lifecycle.add_device(
                keeper.person.trust,
                school=data["school"],
                asset_tag=data["asset_tag"],
                kind=data["kind"],
                make_model=data["make_model"],
                serial_number=data["serial_number"],
                encrypted=data["encrypted"],
                notes=data["notes"],
                by=keeper.person,
                on=timezone.localdate(),
            )
        except IntegrityError:  # added by someone else between the check and the save
            form.add_error(
                "asset_tag", f"Another device in the trust already has the asset tag {data['asset_tag']}."
            )
        else:
            return redirect("devices:device-detail", device_id=device.pk)
    return render(request, "devices/add.html", {"form": form})


@login_required
def device_detail(request: HttpRequest, device_id: int) -> HttpResponse:
    device = device_for(request.user, device_id)
    returned = last_return(device) if device.status == Device.Status.IN_STOCK else None
    actions = [
        (reverse(CHANGES[kind][0], args=[device.pk]), CHANGES[kind][1])
        for kind in allowed_changes(device.status)
        if kind in CHANGES
    ]
    return render(
        request,
        "devices/detail.html",
        {
            "device": device,
            "holder_kept": device.holder is not None
            and keeping(request.user).covers(device.holder.school_id),
            "events": history_of_device(device),
            "actions": actions,
            "unwiped": returned is not None and returned.data_wiped is False,
            "missing": missing_since(device)
            if device.status in (Device.Status.LOST, Device.Status.STOLEN)
            else None,
        },
    )


def _next_url(request: HttpRequest, device: Device) -> str:
    """Back where the change was started from (a leaver's checklist), or the device's page."""
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    if wanted and url_has_allowed_host_and_scheme(wanted, allowed_hosts={request.get_host()}):
        return wanted
    return reverse("devices:device-detail", args=[device.pk])


def _change_page(
    request: HttpRequest,
    device_id: int,
    kind: str,
    make_form: Callable[[Device, Person, Any], forms.Form],
    apply: Callable[[Device, Person, dict[str, Any]], object],
) -> HttpResponse:
    device = device_for(request.user, device_id)
    me = keeping(request.user).person
    if me is None:  # cannot happen: device_for found the device, so the user keeps it
        raise PermissionDenied
    _, title, button = CHANGES[kind]
    context: dict[str, Any] = {
        "device": device,
        "kind": kind,
        "title": "Returned Device Form" if kind == DeviceEvent.Kind.RETURNED else title,
        "button": button,
        "next": _next_url(request, device),
    }
    if kind not in allowed_changes(device.status):
        label = DeviceEvent.Kind(kind).label
        context["refused"] = f"{device.asset_tag} is {device.get_status_display()}: it cannot be {label} now."

        return render(request, "devices/change.html", context, status=409)
    form = make_form(device, me, request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            apply(device, me, form.cleaned_data)
        except lifecycle.DeviceStateError as exc:  # changed by someone else since the page was opened
            form.add_error(None, f"{exc}. Reload the device's page to see its status now.")
        else:
            return redirect(context["next"])
    context["form"] = form
    return render(request, "devices/change.html", context)


@login_required
def device_issue(request: HttpRequest, device_id: int) -> HttpResponse:
    def make(device: Device, me: Person, data: Any) -> forms.Form:
        return IssueForm(data, device=device, people=issuable_people(request.user, device))

    def apply(device: Device, me: Person, data: dict[str, Any]) -> object:
        return lifecycle.issue(device, data["person"], by=me, on=data["on"], notes=data["notes"])

    return _change_page(request, device_id, DeviceEvent.Kind.ISSUED, make, apply)


@login_required
def device_return(request: HttpRequest, device_id: int) -> HttpResponse:
    def make(device: Device, me: Person, data: Any) -> forms.Form:
        return ReturnForm(data, device=device, receivers=receivers_for(device, me), me=me)

    def apply(device: Device, me: Person, data: dict[str, Any]) -> object:
        return lifecycle.return_device(
            device,
            by=me,
            on=data["on"],
            condition=data["condition"],
            data_wiped=data["data_wiped"],
            received_by=data["received_by"],
            notes=data["notes"],
        )

    return _change_page(request, device_id, DeviceEvent.Kind.RETURNED, make, apply)


@login_required
def device_missing(request: HttpRequest, device_id: int) -> HttpResponse:
    def make(device: Device, me: Person, data: Any) -> forms.Form:
        return MissingForm(data, device=device)

    def apply(device: Device, me: Person, data: dict[str, Any]) -> object:
        stolen = data["what"] == "stolen"
        return lifecycle.mark_missing(device, stolen=stolen, by=me, on=data["on"], notes=data["notes"])

    return _change_page(request, device_id, DeviceEvent.Kind.LOST, make, apply)


@login_required
def device_found(request: HttpRequest, device_id: int) -> HttpResponse:
    def make(device: Device, me: Person, data: Any) -> forms.Form:
        return FoundForm(data, device=device)

    def apply(device: Device, me: Person, data: dict[str, Any]) -> object:
        return lifecycle.found(device, by=me, on=data["on"], notes=data["notes"])

    return _change_page(request, device_id, DeviceEvent.Kind.FOUND, make, apply)


@login_required
def device_dispose(request: HttpRequest, device_id: int) -> HttpResponse:
    def make(device: Device, me: Person, data: Any) -> forms.Form:
        return DisposeForm(data, device=device)

    def apply(device: Device, me: Person, data: dict[str, Any]) -> object:
        return lifecycle.dispose(
            device, by=me, on=data["on"], reason=data["reason"], data_wiped=data["data_wiped"]
        )

    return _change_page(request, device_id, DeviceEvent.Kind.DISPOSED, make, apply)


@login_required
def person_devices(request: HttpRequest, person_id: int) -> HttpResponse:
    person = devices_person_for(request.user, person_id)
    keeper = keeping(request.user)
    held = list(held_by(person))
    history = list(history_of_person(person)[:200])
    return render(
        request,
        "devices/person.html",
        {
            "person": person,
            "held": held,
            "history": history,
            "is_me": person_of(request.user) == person,
            # Device pages are the keepers'; the holder sees their devices here without links.
            "linkable": {d.pk for d in held if keeper.covers(d.school_id)}
            | {e.device_id for e in history if keeper.covers(e.device.school_id)},
        },
    )
