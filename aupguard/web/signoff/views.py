"""Reading and signing the policy, the public version check, training records, the dashboard of
who has signed and trained, and the sign-off campaigns."""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import IntegrityError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.people.access import visible_people
from aupguard.web.people.models import Person
from aupguard.web.signoff.access import (
    campaign_for,
    keeping,
    keeping_or_refuse,
    me_or_refuse,
    training_person_for,
    visible_campaigns,
)
from aupguard.web.signoff.actions import DuplicateTraining, do_record_training, do_sign_policy
from aupguard.web.signoff.forms import CENTRAL, SchoolFilter, SignForm, TrainingForm
from aupguard.web.signoff.queries import (
    campaign_cohort,
    campaign_reminders,
    cohorts_for,
    current_versions,
    reminder_days,
    reminders_sent_per_campaign,
    school_rows,
    signoff_overdue_people,
    training_overdue_people,
    version_by_code,
)
from aupguard.web.signoff.status import (
    GRACE_DAYS,
    TRAINING_NOTICE_DAYS,
    current_version,
    signers,
    status_of,
    training_status_of,
)

PAGE_SIZE = 50


@login_required
def my_policy(request: HttpRequest) -> HttpResponse:
    me = me_or_refuse(request.user)
    status = status_of(me)
    if status.version is None:
        return render(request, "signoff/no_policy.html", {"person": me})
    pack = pack_for(status.version)
    form = SignForm(request.POST or None, person=me)
    if request.method == "POST" and status.due and form.is_valid():
        with contextlib.suppress(IntegrityError):  # a double click: the first one signed
            do_sign_policy(me, status.version, form.cleaned_data["typed_name"], actor=request.user)  # type: ignore[arg-type]
        return redirect("signoff:my-policy")
    return render(
        request,
        "signoff/my_policy.html",
        {"person": me, "status": status, "pack": pack, "sections": pack.sections(), "form": form},
    )


@login_required
def policy_section(request: HttpRequest, number: int) -> HttpResponse:
    me = me_or_refuse(request.user)
    status = status_of(me)
    if status.version is None:
        raise Http404("No policy")
    sections = pack_for(status.version).sections()
    if not 1 <= number <= len(sections):
        raise Http404("No such section")
    title, clauses = sections[number - 1]
    return render(
        request,
        "signoff/section.html",
        {"status": status, "number": number, "count": len(sections), "title": title, "clauses": clauses},
    )


def version_check(request: HttpRequest) -> HttpResponse:
    """Public: is this copy of the policy the current one? (Seed 000: a copy is valid only if its
    version matches the online version.)"""
    code = request.GET.get("code", "").strip().lower()
    context: dict[str, Any] = {"code": code}
    if code:
        if len(code) < 8 or not all(c in "0123456789abcdef" for c in code):
            context["error"] = (
                "A version code is the 12 letters and digits printed on the policy, such as 3f9a1c2b7d40."
            )
        else:
            version = version_by_code(code)
            context["version"] = version
            if version is not None:
                context["current"] = current_version(version.pack_id)
    return render(request, "signoff/version_check.html", context)


# ---------------------------------------------------------------- training


@login_required
def my_training(request: HttpRequest) -> HttpResponse:
    return _training_page(request, me_or_refuse(request.user), own=True)


@login_required
def person_training(request: HttpRequest, person_id: int) -> HttpResponse:
    person = training_person_for(request.user, person_id)
    if person.user_id is not None and person.user_id == request.user.pk:
        return redirect("signoff:my-training")
    return _training_page(request, person, own=False)


def _training_page(request: HttpRequest, person: Person, *, own: bool) -> HttpResponse:
    if person.account_kind != "person":
        raise Http404("Shared mailboxes do no training")
    form = TrainingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            training = do_record_training(person, **form.cleaned_data, actor=request.user)  # type: ignore[arg-type]
        except DuplicateTraining as exc:
            form.add_error("completed_on", f"{exc} for {'you' if own else person.full_name}.")
        else:
            messages.success(
                request, f"Recorded: {training.course}, completed {training.completed_on:%-d %B %Y}."
            )
            return redirect(request.path)
    return render(
        request,
        "signoff/training.html",
        {
            "person": person,
            "own": own,
            "status": training_status_of(person),
            "history": person.trainings.select_related("recorded_by"),
            "form": form,
            "notice_days": TRAINING_NOTICE_DAYS,
            "grace_days": GRACE_DAYS,
        },
    )


# ---------------------------------------------------------------- the dashboard


#: Up to this many schools on the page, each row is split by role; a large trust's page shows the
#: totals, and choosing a school shows it by role (600 role counts on one page help no one, and
#: counting them is most of the page's time).
BY_ROLE_SCHOOLS = 12


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    kept = keeping_or_refuse(request.user)
    schools = list(kept.schools().order_by("name"))
    choice = SchoolFilter(request.GET or None, schools=schools, central=kept.trust_wide)
    chosen = choice.cleaned_data["school"] if choice.is_valid() else ""
    people = signers(visible_people(request.user))
    shown, central = schools, kept.trust_wide
    if chosen == CENTRAL:
        shown, people = [], people.filter(school__isnull=True)
    elif chosen:
        shown, central = [s for s in schools if str(s.pk) == chosen], False
        people = people.filter(school_id__in=[s.pk for s in shown])
    now = timezone.now()
    cohorts = cohorts_for(kept.trust, shown, central=central)
    by_role = len(shown) + int(central) <= BY_ROLE_SCHOOLS
    rows = school_rows(people, cohorts, shown, now, by_role=by_role)
    no_interval = sorted({c.pack_id for c in cohorts if c.intervals.training_days is None})
    return render(
        request,
        "signoff/dashboard.html",
        {
            "choice": choice,
            "rows": rows,
            "signed": sum(row.signed for row in rows),
            "total": sum(row.total for row in rows),
            "overdue": Paginator(signoff_overdue_people(people, cohorts, now), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "training_overdue": Paginator(
                training_overdue_people(people, cohorts, timezone.localdate(now)), PAGE_SIZE
            ).get_page(request.GET.get("training_page")),
            "no_training_interval": _policies_phrase(no_interval),
            "no_training_interval_count": len(no_interval),
            "grace_days": GRACE_DAYS,
            "by_role": by_role,
        },
    )


def _policies_phrase(pack_ids: list[str]) -> str:
    """["wells", "wonder"] -> "wells and wonder policies do" (the dashboard's note on training)."""
    if not pack_ids:
        return ""
    if len(pack_ids) == 1:
        return f"{pack_ids[0]} policy does"
    return f"{', '.join(pack_ids[:-1])} and {pack_ids[-1]} policies do"


# ---------------------------------------------------------------- campaigns


@login_required
def campaign_list(request: HttpRequest) -> HttpResponse:
    kept = keeping_or_refuse(request.user)
    campaigns = list(visible_campaigns(request.user))
    sent = reminders_sent_per_campaign(campaigns, kept)
    current = current_versions({c.version.pack_id for c in campaigns})
    rows = [
        {"campaign": c, "sent": sent.get(c.pk, 0), "current": current.get(c.version.pack_id) == c.version}
        for c in campaigns
    ]
    return render(request, "signoff/campaign_list.html", {"rows": rows})


@login_required
def campaign_detail(request: HttpRequest, campaign_id: int) -> HttpResponse:
    campaign = campaign_for(request.user, campaign_id)
    kept = keeping(request.user)
    cohort, schools = campaign_cohort(campaign, kept)
    now = timezone.now()
    rows = school_rows(signers(visible_people(request.user)), [cohort], schools, now, ever_signed=True)
    reminders = campaign_reminders(campaign, kept)
    return render(
        request,
        "signoff/campaign_detail.html",
        {
            "campaign": campaign,
            "version": campaign.version,
            "current": current_version(campaign.version.pack_id) == campaign.version,
            "rows": rows,
            "signed": sum(row.signed for row in rows),
            "total": sum(row.total for row in rows),
            "days": reminder_days(reminders),
            "reminders": Paginator(reminders.select_related("person__school"), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "grace_days": GRACE_DAYS,
        },
    )
