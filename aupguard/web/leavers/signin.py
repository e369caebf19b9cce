"""No sign-in after the leaving date, whether or not the daily `close_leaver_accounts` has run.

`LeaverGate` goes first in `AUTHENTICATION_BACKENDS`. For an account whose owner is past their
leaving date it raises `PermissionDenied`, which makes Django stop and refuse the sign-in without
asking the backends after it (password, allauth's email sign-in); for anyone else it answers
nothing and they are asked as usual. The sign-in page shows its usual "did not match" message, so
the page tells nobody that the address belongs to a leaver. A leaver who gives the right password is
recorded in the audit log: in seeds 000 and 004 an attempt to access after leaving is a data breach.
Single sign-on is refused for leavers by the accounts app (accounts/directory.py, `refusal_for`).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib.auth.backends import BaseBackend
from django.contrib.auth.models import User
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import HttpRequest
from django.utils import timezone

from aupguard.web.audit.log import record
from aupguard.web.people.models import Person

__all__ = ["GATE", "LeaverGate", "leaver_behind"]

GATE = "aupguard.web.leavers.signin.LeaverGate"


def leaver_behind(identifier: str, *, today: dt.date | None = None) -> Person | None:
    """The person past their leaving date whose account signs in as `identifier` (a username or an
    email address), or None."""
    today = today or timezone.localdate()
    identifier = identifier.strip()
    if not identifier:
        return None
    return (
        Person.objects.filter(leave_date__lt=today, user__isnull=False)
        .filter(
            Q(user__username__iexact=identifier)
            | Q(user__email__iexact=identifier)
            | Q(email__iexact=identifier)
        )
        .select_related("user", "school")
        .first()
    )


class LeaverGate(BaseBackend):
    def authenticate(
        self,
        request: HttpRequest | None,
        username: str | None = None,
        password: str | None = None,
        **kwargs: Any,
    ) -> User | None:
        identifier = username or kwargs.get("email") or kwargs.get(User.USERNAME_FIELD) or ""
        person = leaver_behind(str(identifier))
        if person is None or person.user is None:
            return None
        if password is not None and person.user.check_password(password):
            record(
                person.user,
                "leavers.sign_in_refused",
                "person",
                person.pk,
                school=person.school,
                summary=f"sign-in refused: {person.email} left on {person.leave_date}",
                details={"leave_date": str(person.leave_date)},
            )
        raise PermissionDenied("left")

    def get_user(self, user_id: int) -> User | None:
        return None  # never the backend a session is kept with
