"""Requests and approvals pages: make a request, my requests, waiting for you, a request with its
decision, withdrawal, revocation and risk assessment; and the snapshot the guards fetch.

Requests are reached only through access.py (`request_for`: 404 for anyone who may not see one);
someone who may see a request but not do what they tried gets a 403 that says why.
"""

from __future__ import annotations

import datetime as dt
import hmac
import os
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from aupguard.web.approvals import access, queries
from aupguard.web.approvals.actions import (
    Assessment,
    NewRequest,
    RequestRefused,
    do_decide_request,
    do_make_request,
    do_record_risk_assessment,
    do_revoke_request,
    do_withdraw_request,
    missing_for_approval,
    requirements_of,
    role_keepers,
)
from aupguard.web.approvals.forms import DecisionForm, RequestForm, RevokeForm, RiskAssessmentForm
from aupguard.web.approvals.models import Request
from aupguard.web.approvals.snapshot import snapshot
from aupguard.web.approvals.workflows import (
    FALLBACKS,
    Enabled,
    Workflow,
    enabled_for,
    label_of,
    workflows_of,
    zone_of,
)
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.access import person_of, roles_in
from aupguard.web.people.models import Person
from aupguard.web.policies.models import PolicyVersion

SNAPSHOT_TOKEN = "AUPGUARD_SNAPSHOT_TOKEN"  # noqa: S105 - the variable's name, not a secret


def _me(request: HttpRequest) -> Person:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    return me


def _today(enabled: Enabled) -> dt.date:
    return timezone.now().astimezone(enabled.zone).date()


def _deciders(me: Person, workflow: Workflow) -> list[Person]:
    return list(access.approvers_of(me, workflow.approver, me.trust, me.school))


def _int(value: str | None) -> int | None:
    return int(value) if value and value.isdigit() else None


@login_required
def request_new(request: HttpRequest) -> HttpResponse:
    """Choose what to ask for, among the workflows the person's policy enables for them."""
    me = _me(request)
    enabled = enabled_for(me)
    asked = request.GET.get("workflow", "")
    problem = ""
    if asked:
        # Other registers link here with the workflow chosen (leavers: a leaver's mailbox).
        query = {k: v for k, v in (("subject", request.GET.get("subject", "")),) if v}
        if asked in enabled.workflows:
            return _to_form(asked, query)
        fallback = FALLBACKS.get(asked, "")
        if fallback in enabled.workflows:
            return _to_form(fallback, {**query, "asked": asked})
        problem = (
            f"Your policy has no request for “{label_of(asked)}”. If you still need it, ask your "
            "Data Protection Lead which of the requests below fits, or how else to go about it."
        )
    rows = [(w, _deciders(me, w)) for w in enabled.workflows.values()]
    return render(
        request,
        "approvals/choose.html",
        {"me": me, "version": enabled.version, "rows": rows, "problem": problem},
    )


def _to_form(workflow: str, query: dict[str, str]) -> HttpResponse:
    url = reverse("approvals:request-form", args=[workflow])
    return redirect(f"{url}?{urlencode(query)}" if query else url)


@login_required
def request_form(request: HttpRequest, workflow: str) -> HttpResponse:
    me = _me(request)
    enabled = enabled_for(me)
    chosen = enabled.workflows.get(workflow)
    if chosen is None or enabled.version is None:
        raise Http404("Your policy has no such request")
    version: PolicyVersion = enabled.version
    today = _today(enabled)
    subjects = access.subjects_for(me, former=chosen.id == "leaver_mailbox_access" or "asked" in request.GET)
    form = RequestForm(
        request.POST or None,
        workflow=chosen,
        zone=enabled.zone,
        subjects=subjects,
        today=today,
        initial=_prefill(request, chosen, subjects, today),
    )
    if request.method == "POST" and form.is_valid():
        new = NewRequest(
            workflow=chosen,
            version=version,
            details=form.cleaned_data["details"],
            scope=form.cleaned_data["scope"],
            starts=form.starts,
            expires=form.expires,
            subject=form.cleaned_data.get("subject"),
            dpia_reference=form.cleaned_data.get("dpia_reference", "").strip(),
        )
        try:
            made = do_make_request(me, new, actor=request.user)
        except RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            deciders = list(access.approvers_for(made))
            if deciders:
                names = ", ".join(str(p) for p in deciders)
                messages.success(request, f"Your request {made.reference} has gone to {names}.")
            else:
                messages.warning(
                    request,
                    f"Your request {made.reference} is saved, but nobody can decide it yet: nobody holds "
                    "the role that decides it. The people who can give someone that role have been told.",
                )
            return redirect("approvals:request-detail", request_id=made.pk)
    deciders = _deciders(me, chosen)
    return render(
        request,
        "approvals/new.html",
        {
            "me": me,
            "workflow": chosen,
            "version": version,
            "form": form,
            "deciders": deciders,
            "keepers": _keepers_for(me, chosen) if not deciders else [],
            "holds_role": chosen.approver in roles_in(me, me.school),
            "asked": label_of(request.GET["asked"]) if request.GET.get("asked") else "",
            "unknown_subject": chosen.about_someone
            and bool(request.GET.get("subject"))
            and "subject" not in form.initial,
        },
    )


def _keepers_for(me: Person, workflow: Workflow) -> list[Person]:
    # role_keepers reads only the requester, trust and school of a request; this one is not saved.
    return role_keepers(
        Request(requester=me, trust=me.trust, school=me.school, approver_role=workflow.approver)
    )


def _prefill(
    request: HttpRequest, workflow: Workflow, subjects: QuerySet[Person], today: dt.date
) -> dict[str, Any]:
    initial: dict[str, Any] = {}
    subject_id = _int(request.GET.get("subject"))
    if workflow.about_someone and subject_id is not None:
        subject = subjects.filter(pk=subject_id).first()
        if subject is not None:
            initial["subject"] = subject.pk
            initial["scope"] = subject.email
            leaving = subject.leave_date
            if leaving is not None and "leaver" in (workflow.id + request.GET.get("asked", "")):
                # Access to a leaver's mailbox is for a period after their last day.
                first = max(today, leaving + dt.timedelta(days=1))
                initial["first_day"] = first
                initial["last_day"] = first + dt.timedelta(days=workflow.default_days - 1)
    return initial


@login_required
def my_requests(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    page = Paginator(queries.made_by(me), 50).get_page(request.GET.get("page"))
    return render(request, "approvals/mine.html", {"page": page, "now": timezone.now()})


@login_required
def waiting(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    now = timezone.now()
    return render(
        request,
        "approvals/waiting.html",
        {
            "waiting": list(queries.waiting_for(me, now)),
            "in_force": list(queries.in_force_routed_to(me, now)),
            "unrouted": queries.unrouted_for(me, now),
            "now": now,
        },
    )


def _detail(
    request: HttpRequest,
    me: Person,
    req: Request,
    *,
    decision: DecisionForm | None = None,
    revoke: RevokeForm | None = None,
) -> HttpResponse:
    pack = pack_for(req.version)
    workflow = workflows_of(pack).get(req.workflow)
    today = timezone.now().astimezone(zone_of(req.version)).date()
    deciding = access.can_decide(me, req)
    revoking = access.can_revoke(me, req)
    if deciding and decision is None:
        decision = DecisionForm(req=req, zone=zone_of(req.version), today=today)
    if revoking and revoke is None:
        revoke = RevokeForm()
    assessment = queries.assessment_of(req)
    deciders = list(access.approvers_for(req))
    return render(
        request,
        "approvals/detail.html",
        {
            "req": req,
            "me": me,
            "pack": pack,
            "workflow": workflow,
            "clauses": workflow.clauses if workflow else (),
            "requires": requirements_of(req),
            "assessment": assessment,
            "deciders": deciders,
            "decision": decision if deciding else None,
            "revoke": revoke if revoking else None,
            "missing": missing_for_approval(req) if deciding else "",
            "can_withdraw": access.can_withdraw(me, req),
            "can_assess": access.can_assess(me, req),
            "state": req.state(),
            "label": label_of(req.workflow),
        },
    )


@login_required
def request_detail(request: HttpRequest, request_id: int) -> HttpResponse:
    me = _me(request)
    return _detail(request, me, access.request_for(me, request_id))


@login_required
@require_POST
def request_decide(request: HttpRequest, request_id: int) -> HttpResponse:
    me = _me(request)
    req = access.request_for(me, request_id)
    if req.requester_id == me.pk:
        raise PermissionDenied("You made this request, so someone else must decide it.")
    if not access.can_decide(me, req):
        raise PermissionDenied(
            f"This request is {req.get_status_display()}: there is nothing for you to decide."
        )
    today = timezone.now().astimezone(zone_of(req.version)).date()
    form = DecisionForm(request.POST, req=req, zone=zone_of(req.version), today=today)
    if form.is_valid():
        try:
            decided = do_decide_request(
                req,
                approve=form.cleaned_data["decision"] == "approve",
                note=form.cleaned_data["note"],
                decider=me,
                actor=request.user,
                expires=form.expires if form.cleaned_data["decision"] == "approve" else None,
            )
        except RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            verb = "approved" if decided.status == Request.Status.APPROVED else "turned down"
            messages.success(request, f"You {verb} {decided.reference}; {decided.requester} has been told.")
            return redirect("approvals:request-detail", request_id=decided.pk)
    return _detail(request, me, req, decision=form)


@login_required
@require_POST
def request_withdraw(request: HttpRequest, request_id: int) -> HttpResponse:
    me = _me(request)
    req = access.request_for(me, request_id)
    if req.requester_id != me.pk:
        raise PermissionDenied("Only the person who made a request can withdraw it.")
    try:
        do_withdraw_request(req, requester=me, actor=request.user)
    except RequestRefused as exc:
        messages.error(request, str(exc))
        return redirect("approvals:request-detail", request_id=req.pk)
    messages.success(request, f"You withdrew {req.reference}.")
    return redirect("approvals:request-list")


@login_required
@require_POST
def request_revoke(request: HttpRequest, request_id: int) -> HttpResponse:
    me = _me(request)
    req = access.request_for(me, request_id)
    if not access.can_revoke(me, req):
        raise PermissionDenied(
            "Only someone who holds the role that approves this request may revoke it, while it is approved."
        )
    form = RevokeForm(request.POST)
    if form.is_valid():
        try:
            do_revoke_request(req, reason=form.cleaned_data["reason"], revoker=me, actor=request.user)
        except RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, f"You revoked {req.reference}; {req.requester} has been told.")
            return redirect("approvals:request-detail", request_id=req.pk)
    return _detail(request, me, req, revoke=form)


@login_required
def request_assess(request: HttpRequest, request_id: int) -> HttpResponse:
    me = _me(request)
    req = access.request_for(me, request_id)
    if not access.can_assess(me, req):
        raise PermissionDenied(
            "The risk assessment is written by the requester or by someone who decides the request, "
            "while it waits for a decision."
        )
    current = queries.assessment_of(req)
    initial = (
        {f: getattr(current, f) for f in ("likelihood", "impact", "mitigations", "residual_risk")}
        if current
        else None
    )
    form = RiskAssessmentForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            do_record_risk_assessment(req, Assessment(**form.cleaned_data), assessor=me, actor=request.user)
        except RequestRefused as exc:
            form.add_error(None, str(exc))
        else:
            messages.success(request, "The risk assessment is recorded.")
            return redirect("approvals:request-detail", request_id=req.pk)
    return render(request, "approvals/assess.html", {"req": req, "form": form, "current": current})


def _snapshot_token() -> str:
    path = os.environ.get(f"{SNAPSHOT_TOKEN}_FILE")
    if path:
        try:
            return Path(path).read_text(encoding="utf-8").strip()
        except OSError:
            return ""
    return os.environ.get(SNAPSHOT_TOKEN, "").strip()


@require_GET
def snapshot_json(request: HttpRequest) -> HttpResponse:
    """The approvals in force, for guards: `Authorization: Bearer $AUPGUARD_SNAPSHOT_TOKEN`.

    Without a token configured the endpoint does not exist (404): nothing is served by default. A
    missing or wrong token is a 403. `?trust=SLUG` limits it to one trust."""
    expected = _snapshot_token()
    if not expected:
        raise Http404("No snapshot endpoint: AUPGUARD_SNAPSHOT_TOKEN is not set")
    scheme, _, given = request.headers.get("Authorization", "").partition(" ")
    if scheme.lower() != "bearer" or not hmac.compare_digest(given.strip().encode(), expected.encode()):
        return JsonResponse({"error": "a valid bearer token is needed"}, status=403)
    slug = request.GET.get("trust", "")
    trust = access.trust_by_slug(slug) if slug else None
    if slug and trust is None:
        return JsonResponse({"error": f"no trust {slug!r}"}, status=404)
    response = JsonResponse(snapshot(trust), json_dumps_params={"ensure_ascii": False})
    response["Cache-Control"] = "no-store"
    return response
