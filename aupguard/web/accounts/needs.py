"""What signing in asks of a person on their home page."""

from __future__ import annotations

from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from django.urls import reverse

from aupguard.web.accounts.second_factor import has_totp, mfa_roles_of, role_titles
from aupguard.web.lib.needs import Need
from aupguard.web.people.models import Person

__all__ = ["LOW_RECOVERY_CODES", "needs_of"]

#: Fewer unused recovery codes than this and the person is asked to make new ones.
LOW_RECOVERY_CODES = 3


def needs_of(person: Person) -> list[Need]:
    user = person.user
    if user is None:
        return []
    needs: list[Need] = []
    roles = mfa_roles_of(person)
    enrolled = has_totp(user)
    # Someone who only signs in through the identity provider has no password for a code to back up.
    if roles and not enrolled and user.has_usable_password():
        needs.append(
            Need(
                title="Set up two-step sign-in",
                url=reverse("mfa_activate_totp"),
                kind="security",
                detail=f"As {role_titles(roles)} you need an authenticator app as well as your password.",
                urgent=True,
            )
        )
    if enrolled:
        codes = Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.RECOVERY_CODES).first()
        unused = len(codes.wrap().get_unused_codes()) if codes is not None else 0
        if unused < LOW_RECOVERY_CODES:
            needs.append(
                Need(
                    title="Make new recovery codes",
                    url=reverse("mfa_generate_recovery_codes"),
                    kind="security",
                    detail=(
                        f"You have {unused} recovery code{'s' if unused != 1 else ''} left for when "
                        "your phone is not to hand."
                    ),
                )
            )
    return needs
