"""People pages: the list a school's record keepers see, a person's page, and the directory import
(upload, preview with every problem by row, then import)."""

from __future__ import annotations

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render

from aupguard.web.people.access import can_import_directory, person_for, person_of, visible_people
from aupguard.web.people.imports import do_apply_directory_import, new_upload, plan_directory_import
from aupguard.web.people.models import DirectoryUpload

MAX_UPLOAD_BYTES = 5 * 1024 * 1024


class DirectoryForm(forms.Form):
    file = forms.FileField(
        label="Staff directory (CSV)",
        help_text="Columns: email, first_name, last_name, roles, school, line_manager, start_date, "
        "leave_date, personal_email, personal_mobile, account_kind. Nothing is changed until you "
        "have checked the preview.",
    )

    def clean_file(self) -> object:
        upload = self.cleaned_data["file"]
        if upload.size > MAX_UPLOAD_BYTES:
            raise forms.ValidationError("The file is larger than 5 MB: is it the staff directory?")
        return upload


@login_required
def people_list(request: HttpRequest) -> HttpResponse:
    people = visible_people(request.user).select_related("school").prefetch_related("role_assignments")
    page = Paginator(people, 50).get_page(request.GET.get("page"))
    me = person_of(request.user)
    return render(
        request,
        "people/list.html",
        {"page": page, "can_import": me is not None and can_import_directory(request.user, me.trust)},
    )


@login_required
def person_detail(request: HttpRequest, person_id: int) -> HttpResponse:
    person = person_for(request.user, person_id)
    return render(request, "people/detail.html", {"person": person, "roles": person.role_assignments.all()})


def _importing_trust(request: HttpRequest) -> object:
    me = person_of(request.user)
    if me is None or not can_import_directory(request.user, me.trust):
        raise PermissionDenied(
            "Importing the staff directory needs a trust-wide DPL, HR, IT or leadership role."
        )
    return me.trust


@login_required
def directory_import(request: HttpRequest) -> HttpResponse:
    trust = _importing_trust(request)
    form = DirectoryForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        upload_file = form.cleaned_data["file"]
        upload = new_upload(trust, upload_file.name, upload_file.read(), request.user)  # type: ignore[arg-type]
        return redirect("people:import-preview", upload_id=upload.pk)
    return render(request, "people/import.html", {"form": form})


@login_required
def directory_import_preview(request: HttpRequest, upload_id: int) -> HttpResponse:
    trust = _importing_trust(request)
    upload = get_object_or_404(DirectoryUpload, pk=upload_id, trust=trust, applied_at__isnull=True)
    if request.method == "POST":
        plan = do_apply_directory_import(upload, request.user)  # type: ignore[arg-type]
        if plan.ok:
            return render(request, "people/import_done.html", {"plan": plan, "upload": upload})
    else:
        plan = plan_directory_import(trust, upload.file_name, bytes(upload.content))  # type: ignore[arg-type]
    return render(request, "people/import_preview.html", {"plan": plan, "upload": upload})
