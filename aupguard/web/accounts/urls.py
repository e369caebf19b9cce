"""Signing in, under /accounts/: allauth's pages, with Django's names `login` and `logout` kept for
the links in base.html and for `LOGIN_URL`."""

from __future__ import annotations

from allauth.account import views as allauth_views  # type: ignore[import-untyped]
from django.urls import include, path

from aupguard.web.accounts import views

urlpatterns = [
    path("login/", allauth_views.login, name="login"),
    path("logout/", allauth_views.logout, name="logout"),
    # Before allauth's own page at the same address, which would let people add addresses.
    path("email/", views.email_from_directory, name="account_email"),
    path("", include("allauth.urls")),
]
