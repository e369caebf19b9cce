"""Holds back everyone whose role needs a second factor until this session has passed one.

allauth asks an enrolled person for their code at sign-in; this closes the other ways in. Someone
who has not set up an authenticator app is sent to set one up and can reach nothing else (issue 5);
a session that skipped the code (an old session from before the role was granted, a sign-in by any
other route) is asked for it before going on.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme

from aupguard.web.accounts.second_factor import second_factor_for

__all__ = ["CONTINUE_KEY", "SecondFactorMiddleware"]

#: Where to go once the authenticator app is set up (the recovery codes page links to it).
CONTINUE_KEY = "aupguard_continue_to"

# Pages open while the second factor is outstanding: setting it up (allauth may ask for the password
# again first), giving the code, and signing out.
_WHILE_ENROLLING = frozenset({"mfa_activate_totp", "account_reauthenticate", "mfa_index"})
_WHILE_ENROLLED = frozenset({"mfa_reauthenticate", "mfa_authenticate"})
_ALWAYS = frozenset({"logout", "account_logout"})


class SecondFactorMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        duty = second_factor_for(request)
        # Pages explain the redirect from this ("because you are the Data Protection Lead").
        request.second_factor = duty  # type: ignore[attr-defined]
        if duty is None or duty.passed:
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        allowed = _ALWAYS | (_WHILE_ENROLLED if duty.enrolled else _WHILE_ENROLLING)
        if name in allowed:
            return None
        wanted = request.get_full_path()
        if not duty.enrolled:
            if request.method == "GET" and url_has_allowed_host_and_scheme(
                wanted, allowed_hosts={request.get_host()}
            ):
                request.session[CONTINUE_KEY] = wanted
            return HttpResponseRedirect(reverse("mfa_activate_totp"))
        return HttpResponseRedirect(f"{reverse('mfa_reauthenticate')}?{urlencode({'next': wanted})}")
