"""The one signing-in page aupguard draws itself; the rest are allauth's, in our templates."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


@login_required
def email_from_directory(request: HttpRequest) -> HttpResponse:
    """Stands in for allauth's "manage email addresses": an address is the staff directory's, and
    signing in by email or single sign-on depends on it matching, so nobody edits it here."""
    return render(request, "account/email.html")
