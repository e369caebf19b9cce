"""Each person's home page: what needs them now, most urgent first, from every register."""

from __future__ import annotations

from collections.abc import Callable

from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone

from aupguard.web.accounts import needs as accounts_needs
from aupguard.web.approvals import needs as approvals_needs
from aupguard.web.devices import needs as devices_needs
from aupguard.web.home.registers import registers_of
from aupguard.web.incidents import needs as incidents_needs
from aupguard.web.leavers import needs as leavers_needs
from aupguard.web.lib.needs import Need
from aupguard.web.people.access import person_of
from aupguard.web.people.models import Person
from aupguard.web.signoff import needs as signoff_needs

#: The apps that contribute to the home page, each through its `needs.needs_of(person)`.
NEEDS_PROVIDERS: tuple[Callable[[Person], list[Need]], ...] = (
    accounts_needs.needs_of,
    signoff_needs.needs_of,
    approvals_needs.needs_of,
    incidents_needs.needs_of,
    devices_needs.needs_of,
    leavers_needs.needs_of,
)


def needs_of(person: Person) -> list[Need]:
    needs = [need for provider in NEEDS_PROVIDERS for need in provider(person)]
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
