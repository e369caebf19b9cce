"""Who must use a second factor, and whether this session has.

The roles in `settings.AUPGUARD_MFA_ROLES` (DPL, COO, SIRO, IT: the people who hold breach,
monitoring and account data) need a second factor; anyone else may turn one on. A session has passed
it when allauth recorded a TOTP or recovery code in it (at sign-in, on the "enter your code" page, or
when the person set up their app by typing a valid code), or when they signed in with single sign-on
and `AUPGUARD_OIDC_SECOND_FACTOR` leaves the second factor to the identity provider.
"""

from __future__ import annotations

from dataclasses import dataclass

from allauth.account.authentication import get_authentication_records  # type: ignore[import-untyped]
from allauth.account.internal.flows.login import record_authentication  # type: ignore[import-untyped]
from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from django.conf import settings
from django.contrib.auth.models import AnonymousUser, User
from django.http import HttpRequest

from aupguard.web.people.models import Person, RoleAssignment

__all__ = [
    "SecondFactor",
    "has_totp",
    "mark_enrolled_in_session",
    "mfa_roles_of",
    "mfa_roles_of_user",
    "role_titles",
    "second_factor_for",
    "signed_in_by_sso",
]

# How the pages name the roles; any other role key is shown with spaces for underscores.
_ROLE_TITLES = {
    "dpl": "Data Protection Lead",
    "dsl": "Designated Safeguarding Lead",
    "coo": "Chief Operating Officer",
    "ceo": "Chief Executive",
    "siro": "Senior Information Risk Owner",
    "iao": "Information Asset Owner",
    "it_support": "IT support",
    "network_manager": "network manager",
    "hr": "HR",
}


@dataclass(frozen=True, slots=True)
class SecondFactor:
    """A signed-in person who must use a second factor: the roles that make it so, whether they have
    an authenticator app, and whether this session has passed the second factor."""

    roles: tuple[str, ...]
    enrolled: bool
    passed: bool

    @property
    def role_names(self) -> str:
        return role_titles(self.roles)


def role_titles(roles: tuple[str, ...]) -> str:
    """'Chief Operating Officer and Senior Information Risk Owner': the pages say why they ask."""
    names = [_ROLE_TITLES.get(role, role.replace("_", " ")) for role in roles]
    if len(names) < 2:
        return "".join(names)
    return f"{', '.join(names[:-1])} and {names[-1]}"


def mfa_roles_of(person: Person) -> tuple[str, ...]:
    """The roles `person` holds, in any school or across the trust, that need a second factor."""
    wanted = tuple(settings.AUPGUARD_MFA_ROLES)
    if not wanted:
        return ()
    held = RoleAssignment.objects.filter(person=person, role__in=wanted).values_list("role", flat=True)
    return tuple(sorted(set(held)))


def mfa_roles_of_user(user: User) -> tuple[str, ...]:
    wanted = tuple(settings.AUPGUARD_MFA_ROLES)
    if not wanted:
        return ()
    held = RoleAssignment.objects.filter(person__user=user, role__in=wanted).values_list("role", flat=True)
    return tuple(sorted(set(held)))


def has_totp(user: User) -> bool:
    return bool(Authenticator.objects.filter(user_id=user.pk, type=Authenticator.Type.TOTP).exists())


def _records(request: HttpRequest, user: User) -> list[dict[str, object]]:
    return list(get_authentication_records(request, user))


def signed_in_by_sso(request: HttpRequest, user: User | AnonymousUser) -> bool:
    """Whether this session's sign-in went through the identity provider."""
    if not isinstance(user, User):
        return False
    return any(record.get("method") == "socialaccount" for record in _records(request, user))


def _passed(request: HttpRequest, user: User) -> bool:
    if any(record.get("method") == "mfa" for record in _records(request, user)):
        return True
    return settings.AUPGUARD_OIDC_SECOND_FACTOR == "provider" and signed_in_by_sso(request, user)


def second_factor_for(request: HttpRequest) -> SecondFactor | None:
    """The second-factor duty of the signed-in user, or None when they have none (not signed in, or
    no role that needs one)."""
    user = request.user
    if not isinstance(user, User) or not user.is_authenticated:
        return None
    roles = mfa_roles_of_user(user)
    if not roles:
        return None
    return SecondFactor(roles=roles, enrolled=has_totp(user), passed=_passed(request, user))


def mark_enrolled_in_session(request: HttpRequest, user: User, authenticator_id: int) -> None:
    """Typing a valid code to set up the authenticator app proves the second factor, so it is recorded
    as one (allauth's own record): otherwise the person would be asked for a code straight after
    enrolling, and again for their recovery codes on the next page."""
    record_authentication(request, user, "mfa", id=authenticator_id, type="totp", reauthenticated=True)
