"""Demo sign-ins for the roles that need a second factor, enrolled with one published secret.

`make demo` would otherwise send the demo DPL, COO and IT people to set up an authenticator app
before they could see anything. Their app is enrolled with `DEMO_TOTP_SECRET` (README: add it to any
authenticator app, or run `manage.py demo_totp EMAIL` for the current code). Demo trust only: a known
secret anywhere else would be a way in.
"""

from __future__ import annotations

from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes  # type: ignore[import-untyped]
from allauth.mfa.totp.internal.auth import TOTP  # type: ignore[import-untyped]
from django.conf import settings
from django.db import transaction

from aupguard.web.accounts.second_factor import has_totp
from aupguard.web.audit.log import record
from aupguard.web.org.demo import DEMO_TRUST
from aupguard.web.org.models import Trust
from aupguard.web.people.models import Person

__all__ = ["DEMO_TOTP_SECRET", "is_demo_trust", "load"]

#: Base32, as authenticator apps take it. Published in the README: demo data only.
DEMO_TOTP_SECRET = "AUPGUARDDEMOTOTPSECRET234567ABCD"  # noqa: S105


def is_demo_trust(trust: Trust) -> bool:
    return trust.slug == DEMO_TRUST["slug"]


@transaction.atomic
def load(trust: Trust) -> str:
    """Enrol the demo secret for every demo person whose role needs a second factor and who has no
    authenticator app yet (running it again enrols nobody new)."""
    if not is_demo_trust(trust):
        raise ValueError(f"{trust} is not the demo trust: demo second factors are never set up for it")
    people = (
        Person.objects.filter(
            trust=trust, user__isnull=False, role_assignments__role__in=settings.AUPGUARD_MFA_ROLES
        )
        .select_related("user", "school")
        .distinct()
    )
    enrolled = 0
    for person in people:
        user = person.user
        if user is None or has_totp(user):
            continue
        TOTP.activate(user, DEMO_TOTP_SECRET)
        RecoveryCodes.activate(user)
        record(
            None,
            "accounts.demo_second_factor",
            "person",
            person.pk,
            school=person.school,
            summary=f"demo authenticator app set up for {person.email}",
        )
        enrolled += 1
    total = len(people)
    return (
        f"two-step sign-in: {total} demo sign-ins need a code ({enrolled} newly set up); "
        f"secret {DEMO_TOTP_SECRET}, or `manage.py demo_totp EMAIL` for the current code"
    )
