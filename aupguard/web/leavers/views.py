"""Leavers pages: the list (recent and coming leavers, per school) and each leaver's checklist with the
IT team's confirmations."""

from __future__ import annotations

import datetime as dt
from contextlib import suppress
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_POST

from aupguard.web.approvals.models import Request
from aupguard.web.devices.access import keeping
from aupguard.web.leavers.access import Oversight, leaver_for, oversight
from aupguard.web.leavers.actions import AlreadyConfirmed, do_close_sign_in, do_confirm
from aupguard.web.leavers.checklist import MAILBOX_WORKFLOW, State, checklist_of, checklists_for
from aupguard.web.leavers.forms import ConfirmForm, LeaverFilterForm
from aupguard.web.leavers.models import Confirmation
from aupguard.web.people.models import Person

PAGE_SIZE = 50
RECENT_DAYS = 60


def ask_for_mailbox_access_url(leaver: Person) -> str:
    """The approvals app's new-request page, with the workflow and the leaver filled in."""
    query = urlencode({"workflow": MAILBOX_WORKFLOW, "subject": str(leaver.pk)})
    return f"{reverse('approvals:request-new')}?{query}"


@login_required
def leaver_list(request: HttpRequest) -> HttpResponse:
    seen = oversight(request.user)
    if not seen.may_list():
        raise PermissionDenied(
            "The leavers list is for HR, headteachers, the IT team, the DPL and line managers."
        )
    schools = seen.schools()
    filters = {name: request.GET[name] for name in LeaverFilterForm.base_fields if request.GET.get(name)}
    form = LeaverFilterForm(filters or None, schools=schools, central=seen.trust_wide)
    wanted = form.cleaned_data if form.is_bound and form.is_valid() else {}
    leavers = seen.leavers().select_related("school__trust", "trust", "user", "line_manager")
    if not wanted.get("earlier"):
        leavers = leavers.filter(leave_date__gte=timezone.localdate() - dt.timedelta(days=RECENT_DAYS))
    if wanted.get("school") == "central":
        leavers = leavers.filter(school__isnull=True)
    elif wanted.get("school"):
        leavers = leavers.filter(school_id=int(wanted["school"]))
    page = Paginator(leavers.order_by("-leave_date", "last_name", "first_name"), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    checklists = checklists_for(page.object_list)
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "leavers/list.html",
        {
            "form": form,
            "show_filter": schools.count() > 1 or seen.trust_wide,
            "rows": [(person, checklists[person.pk]) for person in page.object_list],
            "page": page,
            "query": query.urlencode(),
            "recent_days": RECENT_DAYS,
            "today": timezone.localdate(),
        },
    )


def _render_checklist(
    request: HttpRequest, leaver: Person, seen: Oversight, bound: ConfirmForm | None = None
) -> HttpResponse:
    checklist = checklist_of(leaver)
    confirms = seen.confirms(leaver)
    # A mailbox kept for its retention period has nothing to confirm yet.
    deletion_later = checklist.item("mailbox_deletion").state == State.LATER
    forms: dict[str, ConfirmForm] = {}
    if confirms:
        for item in Confirmation.Item.values:
            if item in checklist.confirmations:
                continue
            if bound is not None and bound.item == item:
                forms[item] = bound
            elif not (item == Confirmation.Item.MAILBOX_DELETED and deletion_later):
                forms[item] = ConfirmForm(item=item, checklist=checklist)
    devices = keeping(request.user)
    here = reverse("leavers:leaver-checklist", args=[leaver.pk])
    device_rows = [
        (
            device,
            reverse("devices:device-detail", args=[device.pk]) if devices.covers(device.school_id) else None,
            f"{reverse('devices:device-return', args=[device.pk])}?{urlencode({'next': here})}"
            if devices.covers(device.school_id)
            else None,
        )
        for device in checklist.devices
    ]
    asked = checklist.mailbox_request
    # Nothing to ask for while a request waits or an approval runs; after a refusal or expiry, ask again.
    request_open = asked is not None and (
        asked.status == Request.Status.PENDING
        or (asked.status == Request.Status.APPROVED and timezone.now() < asked.expires)
    )
    context: dict[str, Any] = {
        "leaver": leaver,
        "checklist": checklist,
        "school_accounts_form": forms.get(Confirmation.Item.SCHOOL_ACCOUNTS_DISABLED),
        "mailbox_form": forms.get(Confirmation.Item.MAILBOX_DELETED),
        "confirms": confirms,
        "can_close": confirms and leaver.user is not None and leaver.user.is_active,
        "device_rows": device_rows,
        "ask_url": ask_for_mailbox_access_url(leaver)
        if seen.manages(leaver) and checklist.mailbox_route and not request_open
        else None,
    }
    return render(request, "leavers/checklist.html", context)


@login_required
def leaver_checklist(request: HttpRequest, person_id: int) -> HttpResponse:
    leaver = leaver_for(request.user, person_id)
    return _render_checklist(request, leaver, oversight(request.user))


@login_required
@require_POST
def leaver_confirm(request: HttpRequest, person_id: int, item: str) -> HttpResponse:
    if item not in Confirmation.Item.values:
        raise Http404("No such checklist item")
    leaver = leaver_for(request.user, person_id, write=True)
    seen = oversight(request.user)
    if seen.person is None:  # cannot happen: leaver_for let them write
        raise PermissionDenied
    checklist = checklist_of(leaver)
    target = reverse("leavers:leaver-checklist", args=[leaver.pk])
    if item in checklist.confirmations:
        return redirect(target)
    form = ConfirmForm(request.POST, item=item, checklist=checklist)
    if not form.is_valid():
        return _render_checklist(request, leaver, seen, bound=form)
    with suppress(AlreadyConfirmed):  # confirmed by a colleague a moment ago: the checklist shows theirs
        do_confirm(
            leaver,
            item,
            done_on=form.cleaned_data["done_on"],
            by=seen.person,
            notes=form.cleaned_data["notes"],
        )
    return redirect(target)


@login_required
@require_POST
def leaver_close_sign_in(request: HttpRequest, person_id: int) -> HttpResponse:
    leaver = leaver_for(request.user, person_id, write=True)
    when = (
        "after the leaving date"
        if leaver.leave_date and leaver.leave_date < timezone.localdate()
        else "early, from the checklist"
    )
    do_close_sign_in(leaver, actor=request.user, reason=f"closed {when}")  # type: ignore[arg-type]
    return redirect("leavers:leaver-checklist", person_id=leaver.pk)
