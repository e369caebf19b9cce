"""Reading and signing the policy, the public version check, and the sign-off dashboard."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.db.models import Count, Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone

from aupguard.web.audit.log import record
from aupguard.web.lib.engine_bridge import pack_for
from aupguard.web.org.models import School
from aupguard.web.people.access import RECORD_KEEPERS, person_of, visible_people
from aupguard.web.people.models import Person, RoleAssignment
from aupguard.web.policies.models import PolicyVersion
from aupguard.web.signoff.models import SignOff
from aupguard.web.signoff.status import GRACE_DAYS, current_version, signers, status_of


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


def _me(request: HttpRequest) -> Person:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    return me


@login_required
def my_policy(request: HttpRequest) -> HttpResponse:
    me = _me(request)
    status = status_of(me)
    if status.version is None:
        return render(request, "signoff/no_policy.html", {"person": me})
    pack = pack_for(status.version)
    sections = pack.sections()
    form = SignForm(request.POST or None, person=me)
    if request.method == "POST" and status.due and form.is_valid():
        with transaction.atomic():
            try:
                signoff, _ = SignOff.objects.update_or_create(
                    person=me,
                    version=status.version,
                    defaults={"typed_name": form.cleaned_data["typed_name"], "signed_at": timezone.now()},
                )
            except IntegrityError:  # a double click: the first one signed
                return redirect("signoff:my-policy")
            record(
                request.user,
                "signoff.sign",
                "policy_version",
                status.version.pk,
                school=me.school,
                summary=f"{me.email} signed {status.version.pack_id} {status.version.version_code}",
                details={"sha256": status.version.sha256, "typed_name": signoff.typed_name},
            )
        return redirect("signoff:my-policy")
    return render(
        request,
        "signoff/my_policy.html",
        {"person": me, "status": status, "pack": pack, "sections": sections, "form": form},
    )


@login_required
def policy_section(request: HttpRequest, number: int) -> HttpResponse:
    me = _me(request)
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
            version = PolicyVersion.objects.filter(sha256__startswith=code).defer("source_yaml").first()
            context["version"] = version
            if version is not None:
                context["current"] = current_version(version.pack_id)
    return render(request, "signoff/version_check.html", context)


def _dashboard_schools(request: HttpRequest) -> list[School]:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    keeps = RoleAssignment.objects.filter(person=me, role__in=RECORD_KEEPERS)
    if not keeps.exists():
        raise PermissionDenied("The sign-off dashboard is for headteachers, DPLs, HR and IT.")
    if keeps.filter(school__isnull=True).exists():
        return list(me.trust.schools.all())
    return list(School.objects.filter(pk__in=keeps.values("school")))


@login_required
def dashboard(request: HttpRequest) -> HttpResponse:
    schools = _dashboard_schools(request)
    now = timezone.now()
    rows: list[dict[str, Any]] = []
    overdue_people: list[Person] = []
    for school in schools:
        version = current_version(school.effective_pack_id)
        people = signers(visible_people(request.user).filter(school=school))
        if version is None:
            rows.append(
                {"school": school, "version": None, "total": people.count(), "signed": 0, "roles": []}
            )
            continue
        interval = pack_for(version).settings.signoff_interval_days
        valid = Q(signoffs__version=version)
        if interval is not None:
            valid &= Q(signoffs__signed_at__gte=now - dt.timedelta(days=interval))
        counted = people.aggregate(
            total=Count("pk", distinct=True), signed=Count("pk", filter=valid, distinct=True)
        )
        roles = (
            RoleAssignment.objects.filter(person__in=people, school=school)
            .values("role")
            .annotate(
                total=Count("person", distinct=True),
                signed=Count("person", filter=Q(person__in=people.filter(valid)), distinct=True),
            )
            .order_by("role")
        )
        rows.append({"school": school, "version": version, **counted, "roles": list(roles)})
        if now > version.published_at + dt.timedelta(days=GRACE_DAYS):
            overdue_people.extend(people.exclude(pk__in=people.filter(valid)).select_related("school"))
    page = Paginator(overdue_people, 50).get_page(request.GET.get("page"))
    return render(
        request, "signoff/dashboard.html", {"rows": rows, "overdue": page, "grace_days": GRACE_DAYS}
    )
