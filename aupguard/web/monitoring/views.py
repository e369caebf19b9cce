"""Monitoring pages: what the guards found, for the roles the pack names, each look recorded with why."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet, Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme

from aupguard.web.audit.log import record
from aupguard.web.monitoring.access import event_for, may_monitor, visible_counts, visible_events
from aupguard.web.monitoring.models import GuardEvent, GuardEventDay
from aupguard.web.org.models import School
from aupguard.web.people.access import person_of

#: How long one stated reason covers a person's look at monitoring data.
REASON_MINUTES = 30
PAGE_SIZE = 50


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why are you looking at monitoring data?",
        min_length=10,
        max_length=300,
        help_text="Recorded with your name in the monitoring access register, for example "
        "“Following up the DSL's concern about a Year 9 search”.",
        error_messages={
            "required": "Say why you are looking: the policy requires a reason for every look.",
            "min_length": "Say a little more (at least 10 characters): the reason is kept in the register.",
        },
    )


class FilterForm(forms.Form):
    school = forms.ModelChoiceField(queryset=School.objects.none(), required=False, empty_label="All schools")
    source = forms.ChoiceField(choices=[("", "Email and web"), *GuardEvent.Source.choices], required=False)
    check = forms.CharField(label="Check", required=False, max_length=64)
    who = forms.CharField(label="Person or address", required=False, max_length=254)
    since = forms.DateField(label="From", required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label="To", required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: Any, schools: QuerySet[School], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].queryset = schools  # type: ignore[attr-defined]

    def counted_daily(self) -> bool:
        """Whether the daily counts can say how many events match (no filter they do not keep)."""
        return self.is_valid() and not (self.cleaned_data["source"] or self.cleaned_data["who"])

    def apply_to_counts(self, counts: QuerySet[GuardEventDay]) -> QuerySet[GuardEventDay]:
        data = self.cleaned_data
        if data["school"]:
            counts = counts.filter(school=data["school"])
        if data["check"]:
            counts = counts.filter(check_id=data["check"].strip())
        if data["since"]:
            counts = counts.filter(day__gte=data["since"])
        if data["until"]:
            counts = counts.filter(day__lte=data["until"])
        return counts

    def apply(self, events: QuerySet[GuardEvent]) -> QuerySet[GuardEvent]:
        if not self.is_valid():
            return events
        data = self.cleaned_data
        if data["school"]:
            events = events.filter(school=data["school"])
        if data["source"]:
            events = events.filter(source=data["source"])
        if data["check"]:
            events = events.filter(check_id=data["check"].strip())
        if data["who"]:
            events = events.filter(who__icontains=data["who"].strip())
        if data["since"]:
            events = events.filter(at__date__gte=data["since"])
        if data["until"]:
            events = events.filter(at__date__lte=data["until"])
        return events


def _reason(request: HttpRequest) -> str | None:
    given = request.session.get("monitoring_reason")
    at = request.session.get("monitoring_reason_at")
    if not given or not at:
        return None
    if timezone.now() - dt.datetime.fromisoformat(at) > dt.timedelta(minutes=REASON_MINUTES):
        return None
    return str(given)


def _ask_reason(request: HttpRequest) -> HttpResponse:
    form = ReasonForm(request.POST or None)
    back = request.POST.get("next") or request.get_full_path()
    if request.method == "POST" and form.is_valid():
        request.session["monitoring_reason"] = form.cleaned_data["reason"]
        request.session["monitoring_reason_at"] = timezone.now().isoformat()
        safe = url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()})
        return redirect(back if safe else "monitoring:events")
    return render(request, "monitoring/reason.html", {"form": form, "next": back})


def _guard(request: HttpRequest) -> None:
    if not may_monitor(request.user):
        # 404, not 403: whether monitoring data exists is itself not for everyone.
        raise Http404("No monitoring data for you")


@login_required
def events(request: HttpRequest) -> HttpResponse:
    _guard(request)
    reason = _reason(request)
    if reason is None or request.method == "POST":
        return _ask_reason(request)
    visible = visible_events(request.user)
    schools = School.objects.filter(pk__in=visible.values("school")).order_by("name")
    filters = FilterForm(request.GET or {}, schools=schools)
    # Prefetched, not joined: a join before OFFSET makes a deep page join every event first.
    chosen = filters.apply(visible).prefetch_related("school", "person")
    paginator = Paginator(chosen, PAGE_SIZE)
    if filters.counted_daily():
        # Counting a million events on every page is most of the page's time; the daily counts say
        # the same from a few thousand rows.
        total = filters.apply_to_counts(visible_counts(request.user)).aggregate(n=Sum("events"))["n"]
        paginator.count = total or 0
    page = paginator.get_page(request.GET.get("page"))
    shown = {k: v for k, v in request.GET.items() if k != "page" and v}
    me = person_of(request.user)
    record(
        request.user,
        "monitoring.view",
        "guard_event",
        summary=f"looked at monitoring events (page {page.number}, {page.paginator.count} matching)",
        school=me.school if me else None,
        reason=reason,
        details={"filters": shown},
    )
    query = "&".join(f"{k}={v}" for k, v in shown.items())
    return render(
        request,
        "monitoring/events.html",
        {"page": page, "filters": filters, "reason": reason, "query": query},
    )


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        choices=[
            (GuardEvent.Status.DISMISSED, "Dismiss: nothing to follow up"),
            (GuardEvent.Status.NEW, "Reopen"),
        ],
        widget=forms.RadioSelect,
    )
    note = forms.CharField(label="Note", widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


@login_required
def event_detail(request: HttpRequest, event_id: int) -> HttpResponse:
    _guard(request)
    reason = _reason(request)
    if reason is None:
        return _ask_reason(request)
    event = event_for(request.user, event_id)
    form = StatusForm(request.POST or None)
    me = person_of(request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            event.status = form.cleaned_data["status"]
            event.status_note = form.cleaned_data["note"]
            event.status_by, event.status_at = me, timezone.now()
            event.save(update_fields=["status", "status_note", "status_by", "status_at"])
            record(
                request.user,
                "monitoring.status",
                "guard_event",
                event.pk,
                school=event.school,
                summary=f"marked event {event.pk} ({event.check_id}) {event.get_status_display()}",
                reason=form.cleaned_data["note"],
            )
        return redirect("monitoring:event", event_id=event.pk)
    record(
        request.user,
        "monitoring.view",
        "guard_event",
        event.pk,
        school=event.school,
        summary=f"looked at event {event.pk} ({event.check_id}, {event.who})",
        reason=reason,
    )
    return render(request, "monitoring/event.html", {"event": event, "form": form})


@login_required
def summary(request: HttpRequest) -> HttpResponse:
    """The last 30 days by school and check: counts only, so no reason is asked for."""
    _guard(request)
    since = timezone.localdate() - dt.timedelta(days=30)
    rows = (
        visible_counts(request.user)
        .filter(day__gte=since)
        .values("school__name", "check_id")
        .annotate(events=Sum("events"), times=Sum("times"), days=Count("day", distinct=True))
        .order_by("school__name", "-times")
    )
    return render(request, "monitoring/summary.html", {"rows": rows, "since": since})
