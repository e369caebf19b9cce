"""Second-factor changes go in the audit log: setting up or removing an authenticator app and
making new recovery codes change who can get into an account holding breach data."""

from __future__ import annotations

from typing import Any

from allauth.mfa import signals  # type: ignore[import-untyped]
from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from django.contrib.auth.models import User
from django.dispatch import receiver
from django.http import HttpRequest

from aupguard.web.accounts.second_factor import mark_enrolled_in_session
from aupguard.web.audit.log import record
from aupguard.web.people.models import Person

_WHAT = {
    Authenticator.Type.TOTP: "authenticator app",
    Authenticator.Type.RECOVERY_CODES: "recovery codes",
}


def _record(action: str, verb: str, user: User, authenticator: Authenticator) -> None:
    person = Person.objects.filter(user=user).select_related("school").first()
    what = _WHAT.get(authenticator.type, str(authenticator.type))
    record(
        user,
        action,
        "person" if person is not None else "account",
        person.pk if person is not None else user.pk,
        school=person.school if person is not None else None,
        summary=f"{user.get_username()} {verb} their {what}",
        details={"authenticator": str(authenticator.type)},
    )


@receiver(signals.authenticator_added)
def on_added(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kw: Any) -> None:
    if authenticator.type == Authenticator.Type.TOTP:
        mark_enrolled_in_session(request, user, authenticator.pk)
        _record("accounts.second_factor_added", "set up", user, authenticator)


@receiver(signals.authenticator_removed)
def on_removed(
    sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kw: Any
) -> None:
    _record("accounts.second_factor_removed", "removed", user, authenticator)


@receiver(signals.authenticator_reset)
def on_reset(sender: Any, request: HttpRequest, user: User, authenticator: Authenticator, **kw: Any) -> None:
    _record("accounts.second_factor_reset", "made new", user, authenticator)
