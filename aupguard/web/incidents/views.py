"""Incident pages (report, my reports, the register, an incident) and the DPL's breach pages.

Records are reached only through access.py; changes go only through actions.py. Every page that
shows breach data writes a `breach.view` audit event.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from aupguard.web.devices.lifecycle import DeviceStateError
from aupguard.web.incidents import actions
from aupguard.web.incidents.access import (
    access_breach,
    access_incident,
    breach_schools,
    can_handle,
    incident_register,
    is_dpl_for,
    own_reports,
    register_schools,
    reporter_of,
    visible_breaches,
)
from aupguard.web.incidents.actions import IncidentStateError
from aupguard.web.incidents.forms import (
    AssessBreachForm,
    AssignForm,
    BreachForm,
    CloseIncidentForm,
    DecideBreachForm,
    IncidentForm,
    OpenBreachForm,
    RecordBreachForm,
    RegisterFilter,
    ReopenIncidentForm,
    RespondToBreachForm,
)
from aupguard.web.incidents.kinds import KINDS, SAFEGUARDING_KINDS
from aupguard.web.incidents.models import Breach, Incident
from aupguard.web.incidents.routing import Packs, handlers, incident_clauses
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.models import Person

PAGE_SIZE = 50


def _posted(request: HttpRequest) -> Any:
    """The form data of a POST, even an empty one (`request.POST or None` would leave an empty
    submission unbound, and so without its errors)."""
    return request.POST if request.method == "POST" else None


def _page(request: HttpRequest, rows: Any) -> Any:
    return Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))


# Reporting -------------------------------------------------------------------------------------------


@login_required
def report_choose(request: HttpRequest) -> HttpResponse:
    reporter_of(request.user)
    return render(request, "incidents/report_choose.html", {"kinds": KINDS.items()})


@login_required
def report_kind(request: HttpRequest, kind: str) -> HttpResponse:
    if kind not in KINDS:
        raise Http404("No such kind of incident")
    me = reporter_of(request.user)
    form = IncidentForm(_posted(request), kind=kind, reporter=me)
    if request.method == "POST" and form.is_valid():
        try:
            incident = actions.do_report_incident(
                me,
                kind,
                occurred_at=form.cleaned_data["occurred_at"],
                what_happened=form.cleaned_data["what_happened"],
                fields=form.incident_fields(),
                absolute=request.build_absolute_uri,
            )
        except DeviceStateError as error:  # reported by someone else a moment ago
            form.add_error("device", str(error))
        else:
            messages.success(request, f"Thank you: your report {incident.reference} has been sent.")
            return redirect("incidents:detail", incident_id=incident.pk)
    return render(request, "incidents/report_form.html", {"form": form, "kind": kind, "info": KINDS[kind]})


@login_required
def my_reports(request: HttpRequest) -> HttpResponse:
    reporter_of(request.user)
    page = _page(request, own_reports(request.user).select_related("school", "handler"))
    return render(request, "incidents/mine.html", {"page": page})


# The register and an incident ------------------------------------------------------------------------


@login_required
def register(request: HttpRequest) -> HttpResponse:
    me = reporter_of(request.user)
    handled = incident_register(me)
    if handled is None:
        raise PermissionDenied("The incident register is for the people who handle incidents.")
    schools, central = register_schools(handled)
    filters = RegisterFilter(request.GET or None, schools=schools, central=central)
    incidents = handled.select_related("school", "reporter", "handler")
    status, kind, school = "open", "", ""
    if filters.is_valid():
        status = filters.cleaned_data["status"] or "open"
        kind, school = filters.cleaned_data["kind"], filters.cleaned_data["school"]
    if status != "all":
        incidents = incidents.filter(status=status)
    if kind:
        incidents = incidents.filter(kind=kind)
    if school == "central":
        incidents = incidents.filter(school__isnull=True)
    elif school:
        incidents = incidents.filter(school_id=int(school))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "page": _page(request, incidents),
        "filters": filters,
        "status": status,
        "query": query.urlencode(),
    }
    return render(request, "incidents/register.html", context)


def _breach_of(incident: Incident) -> Breach | None:
    try:
        return incident.breach
    except Breach.DoesNotExist:
        return None


def _incident_page(request: HttpRequest, incident: Incident, **forms_: forms.Form) -> HttpResponse:
    me = reporter_of(request.user)
    packs = Packs()
    pack = packs.pack(incident.trust, incident.school)
    handles = can_handle(me, incident, packs)
    # The policy as it stood when the incident was reported.
    reported_under = pack_for(incident.version) if incident.version is not None else pack
    context: dict[str, Any] = {
        "incident": incident,
        "clauses": incident_clauses(reported_under, incident.kind),
        "handles": handles,
        "is_dpl": is_dpl_for(me, incident.school),
    }
    if handles:
        context["assign_form"] = forms_.get("assign_form") or AssignForm(
            candidates=handlers(pack, incident), initial={"handler": incident.handler or me}
        )
        context["close_form"] = forms_.get("close_form") or CloseIncidentForm()
        context["reopen_form"] = forms_.get("reopen_form") or ReopenIncidentForm()
    if context["is_dpl"]:
        context["breach"] = _breach_of(incident)
    return render(request, "incidents/detail.html", context)


@login_required
def incident_detail(request: HttpRequest, incident_id: int) -> HttpResponse:
    return _incident_page(request, access_incident(request.user, incident_id))


@login_required
@require_POST
def incident_assign(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id, write=True)
    me = reporter_of(request.user)
    form = AssignForm(
        request.POST, candidates=handlers(Packs().pack(incident.trust, incident.school), incident)
    )
    if form.is_valid():
        try:
            actions.do_assign_incident(incident, form.cleaned_data["handler"], actor=me)
        except IncidentStateError as error:
            form.add_error(None, str(error))
        else:
            return redirect("incidents:detail", incident_id=incident.pk)
    return _incident_page(request, incident, assign_form=form)


@login_required
@require_POST
def incident_close(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id, write=True)
    form = CloseIncidentForm(request.POST)
    if form.is_valid():
        try:
            actions.do_close_incident(incident, form.cleaned_data["outcome"], actor=reporter_of(request.user))
        except IncidentStateError as error:
            form.add_error(None, str(error))
        else:
            return redirect("incidents:detail", incident_id=incident.pk)
    return _incident_page(request, incident, close_form=form)


@login_required
@require_POST
def incident_reopen(request: HttpRequest, incident_id: int) -> HttpResponse:
    incident = access_incident(request.user, incident_id, write=True)
    form = ReopenIncidentForm(request.POST)
    if form.is_valid():
        try:
            actions.do_reopen_incident(incident, form.cleaned_data["reason"], actor=reporter_of(request.user))
        except IncidentStateError as error:
            form.add_error(None, str(error))
        else:
            return redirect("incidents:detail", incident_id=incident.pk)
    return _incident_page(request, incident, reopen_form=form)


# Breaches --------------------------------------------------------------------------------------------


def _dpl(request: HttpRequest) -> Person:
    me = reporter_of(request.user)
    schools, central = breach_schools(me)
    if not schools and not central:
        raise PermissionDenied("The breach register is kept by the Data Protection Lead.")
    return me


@login_required
def breach_open(request: HttpRequest, incident_id: int) -> HttpResponse:
    """Open a breach record from an incident: the DPL for the incident's school only."""
    incident = access_incident(request.user, incident_id)
    me = reporter_of(request.user)
    if not is_dpl_for(me, incident.school):
        raise Http404("No such page")
    existing = _breach_of(incident)
    if existing is not None:
        return redirect("incidents:breach-detail", breach_id=existing.pk)
    form = OpenBreachForm(_posted(request), initial={"aware_at": timezone.localtime(incident.reported_at)})
    if request.method == "POST" and form.is_valid():
        try:
            breach = actions.do_open_breach(
                incident, form.cleaned_data["aware_at"], actor=me, absolute=request.build_absolute_uri
            )
        except IncidentStateError as error:
            form.add_error(None, str(error))
        else:
            return redirect("incidents:breach-detail", breach_id=breach.pk)
    return render(request, "incidents/breach_open.html", {"incident": incident, "form": form})


@login_required
def breach_new(request: HttpRequest) -> HttpResponse:
    """Record a breach the DPL learnt of directly: its incident and its breach record together."""
    me = _dpl(request)
    schools, central = breach_schools(me)
    form = RecordBreachForm(
        _posted(request),
        schools=schools,
        central=central,
        initial={"aware_at": timezone.localtime().replace(second=0, microsecond=0)},
    )
    if request.method == "POST" and form.is_valid():
        breach = actions.do_record_breach(
            me,
            form.cleaned_data["school"],
            occurred_at=form.cleaned_data["occurred_at"],
            aware_at=form.cleaned_data["aware_at"],
            what_happened=form.cleaned_data["what_happened"],
            absolute=request.build_absolute_uri,
        )
        return redirect("incidents:breach-detail", breach_id=breach.pk)
    return render(request, "incidents/breach_new.html", {"form": form})


@login_required
def breach_register(request: HttpRequest) -> HttpResponse:
    me = _dpl(request)
    show = request.GET.get("show", "open")
    breaches = visible_breaches(request.user).select_related("incident", "incident__school")
    if show != "all":
        show = "open"
        breaches = breaches.filter(status=Breach.Status.OPEN)
    page = _page(request, breaches)
    actions.record_breach_view(me, f"{show}, page {page.number}", shown=[b.pk for b in page])
    return render(
        request, "incidents/breach_register.html", {"page": page, "show": show, "now": timezone.now()}
    )


def _breach_context(breach: Breach) -> dict[str, Any]:
    incident = breach.incident
    return {
        "breach": breach,
        "incident": incident,
        "now": timezone.now(),
        "safeguarding": incident.kind in SAFEGUARDING_KINDS or "safeguarding" in breach.data_categories,
    }


@login_required
def breach_detail(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = access_breach(request.user, breach_id)
    me = reporter_of(request.user)
    actions.record_breach_view(me, "breach page", breach=breach)
    return render(request, "incidents/breach_detail.html", _breach_context(breach))


#: Saves a breach form's cleaned data through an action.
Save = Callable[[Breach, dict[str, Any], Person], object]


def _breach_form_page(
    request: HttpRequest, breach_id: int, form_class: type[BreachForm], title: str, save: Save
) -> HttpResponse:
    breach = access_breach(request.user, breach_id)
    me = reporter_of(request.user)
    if breach.status != Breach.Status.OPEN:
        raise PermissionDenied(f"{breach.reference} is closed.")
    if request.method == "POST":
        form = form_class(request.POST, breach=breach)
        if form.is_valid():
            try:
                save(breach, form.cleaned_data, me)
            except IncidentStateError as error:
                form.add_error(None, str(error))
            else:
                return redirect("incidents:breach-detail", breach_id=breach.pk)
    else:
        form = form_class(initial=form_class.initial_from(breach), breach=breach)
        actions.record_breach_view(me, title.lower(), breach=breach)
    context = {**_breach_context(breach), "form": form, "title": title}
    return render(request, "incidents/breach_form.html", context)


@login_required
def breach_assess(request: HttpRequest, breach_id: int) -> HttpResponse:
    return _breach_form_page(
        request,
        breach_id,
        AssessBreachForm,
        "Assessment",
        lambda breach, data, me: actions.do_assess_breach(breach, data, actor=me),
    )


@login_required
def breach_decide(request: HttpRequest, breach_id: int) -> HttpResponse:
    return _breach_form_page(
        request,
        breach_id,
        DecideBreachForm,
        "Decision on reporting to the ICO",
        lambda breach, data, me: actions.do_decide_breach(
            breach,
            data["decision"],
            reason=data["reason"],
            actor=me,
            reported_at=data["reported_at"],
            ico_reference=data["ico_reference"].strip(),
            late_reason=data["late_reason"],
        ),
    )


@login_required
def breach_respond(request: HttpRequest, breach_id: int) -> HttpResponse:
    return _breach_form_page(
        request,
        breach_id,
        RespondToBreachForm,
        "Response",
        lambda breach, data, me: actions.do_respond_to_breach(breach, data, actor=me),
    )


@login_required
@require_POST
def breach_close(request: HttpRequest, breach_id: int) -> HttpResponse:
    breach = access_breach(request.user, breach_id)
    me = reporter_of(request.user)
    try:
        actions.do_close_breach(breach, actor=me)
    except IncidentStateError as error:
        actions.record_breach_view(me, "breach page", breach=breach)
        return render(
            request, "incidents/breach_detail.html", {**_breach_context(breach), "close_error": str(error)}
        )
    return redirect("incidents:breach-detail", breach_id=breach.pk)
