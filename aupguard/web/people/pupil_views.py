"""Pupil pages: the roster list a school's record keepers see, and the roster import (upload for a
school or the trust, preview with every problem by row, then import).

Pupils are children's personal data: the list is for record keepers only, and for anyone else it
does not exist (404), as a record they may not see."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.contrib.auth.decorators import login_required
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render

from aupguard.web.org.models import School, Trust
from aupguard.web.people.access import (
    can_import_roster,
    person_of,
    pupil_upload_for,
    roster_schools,
    visible_pupils,
)
from aupguard.web.people.models import Pupil
from aupguard.web.people.pupils import (
    do_apply_roster_import,
    new_pupil_upload,
    plan_roster_import,
)

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
PER_PAGE = 50
TRUST_WIDE = "trust"
_MAX_WORDS = 5


class RosterForm(forms.Form):
    scope = forms.ChoiceField(
        label="Whose roster is this?",
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the school this roster is for, or the whole trust."},
    )
    file = forms.FileField(
        label="Pupils roster (CSV)",
        help_text="Columns: upn, first_name, last_name, preferred_name, year_group, school, contact_emails "
        "(several separated by ;). A school's own file may leave out the school column. Nothing is "
        "changed until you have checked the preview.",
    )

    def __init__(
        self, *args: Any, trust: Trust, schools: list[School], trust_wide: bool, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        choices = [(str(school.pk), school.name) for school in schools]
        if trust_wide:
            choices.insert(
                0, (TRUST_WIDE, f"Every school in {trust.name} (the school column names each pupil's school)")
            )
        scope = cast(forms.ChoiceField, self.fields["scope"])
        scope.choices = choices
        if len(choices) == 1:
            scope.initial = choices[0][0]
        self.schools = {str(school.pk): school for school in schools}

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: is it the pupils roster?")
        return upload

    @property
    def school(self) -> School | None:
        """The school chosen, or None for the trust-wide roster (only after `is_valid`)."""
        scope = self.cleaned_data["scope"]
        return None if scope == TRUST_WIDE else self.schools[scope]


def _search(pupils: QuerySet[Pupil], query: str) -> QuerySet[Pupil]:
    """Every word of `query` in a name or the UPN: "oliver men" finds Oliver Mensah."""
    for word in query.split()[:_MAX_WORDS]:
        pupils = pupils.filter(
            Q(first_name__icontains=word)
            | Q(last_name__icontains=word)
            | Q(preferred_name__icontains=word)
            | Q(upn__iexact=word)
        )
    return pupils


@login_required
def pupil_list(request: HttpRequest) -> HttpResponse:
    schools = list(roster_schools(request.user))
    if not schools:
        raise Http404("No pupils")
    pupils = visible_pupils(request.user).select_related("school")
    query = request.GET.get("q", "").strip()[:100]
    chosen = next((s for s in schools if str(s.pk) == request.GET.get("school")), None)
    former = request.GET.get("former") == "1"
    if chosen is not None:
        pupils = pupils.filter(school=chosen)
    if not former:
        pupils = pupils.filter(in_roster=True)
    if query:
        pupils = _search(pupils, query)
    page = Paginator(pupils.order_by("last_name", "first_name", "upn"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    keep = request.GET.copy()
    keep.pop("page", None)
    return render(
        request,
        "people/pupils_list.html",
        {
            "page": page,
            "schools": schools,
            "chosen": chosen,
            "query": query,
            "former": former,
            "keep": keep.urlencode(),
        },
    )


def _account(request: HttpRequest) -> User:
    """The signed-in account (the views are behind `login_required`)."""
    if not isinstance(request.user, User):
        raise PermissionDenied("Sign in first.")
    return request.user


def _importer(request: HttpRequest) -> tuple[Trust, list[School], bool]:
    me = person_of(request.user)
    if me is None:
        raise PermissionDenied("Your account is not linked to a person in the staff directory.")
    schools = list(roster_schools(request.user).filter(trust=me.trust))
    if not schools:
        raise PermissionDenied(
            "Importing a pupils roster needs a headteacher, DPL, HR or IT role in the school."
        )
    return me.trust, schools, can_import_roster(request.user, me.trust, None)


@login_required
def pupil_import(request: HttpRequest) -> HttpResponse:
    trust, schools, trust_wide = _importer(request)
    form = RosterForm(
        request.POST or None,
        request.FILES or None,
        trust=trust,
        schools=schools,
        trust_wide=trust_wide,
    )
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        upload = new_pupil_upload(
            trust,
            form.school,
            upload_file.name,
            upload_file.read(),
            _account(request),
        )
        return redirect("people:pupils-import-preview", upload_id=upload.pk)
    return render(request, "people/pupils_import.html", {"form": form})


@login_required
def pupil_import_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    upload = pupil_upload_for(request.user, upload_id)
    if request.method == "POST":
        plan = do_apply_roster_import(upload, _account(request))
        if plan.ok:
            return render(request, "people/pupils_import_done.html", {"plan": plan, "upload": upload})
    else:
        plan = plan_roster_import(upload.trust, upload.school, upload.file_name, bytes(upload.content))
    return render(request, "people/pupils_import_preview.html", {"plan": plan, "upload": upload})
