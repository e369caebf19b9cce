"""Each person's home page: what needs them now, most urgent first, from every register."""

from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aupguard.web.home.registers import registers_of
from aupguard.web.lib.needs import Need
from aupguard.web.people.access import person_of
from aupguard.web.people.models import Person

#: The apps that contribute to the home page, each through its `needs.needs_of(person)`.
NEEDS_PROVIDERS = ("aupguard.web.signoff.needs",)


def _providers() -> list[Callable[[Person], list[Need]]]:
    return [import_module(path).needs_of for path in NEEDS_PROVIDERS]


def needs_of(person: Person) -> list[Need]:
    needs = [need for provider in _providers() for need in provider(person)]
    return sorted(needs, key=lambda need: need.sort_key)


def home(request: HttpRequest) -> HttpResponse:
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    me = person_of(request.user)
    now = timezone.now()
    needs = [(need, need.due is not None and need.due < now) for need in needs_of(me)] if me else []
    registers = registers_of(request.user, me) if me else []
    return render(
        request, "home/home.html", {"person": me, "needs": needs, "registers": registers, "now": now}
    )
