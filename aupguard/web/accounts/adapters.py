"""aupguard's rules plugged into allauth: no sign-up, single sign-on for directory members only, the
second factor left to the identity provider where settings say so, TOTP secrets encrypted at rest."""

from __future__ import annotations

import base64
import hashlib
import time
from typing import Any, NoReturn

from allauth.account import app_settings as account_settings  # type: ignore[import-untyped]
from allauth.account.adapter import DefaultAccountAdapter  # type: ignore[import-untyped]
from allauth.account.authentication import get_authentication_records  # type: ignore[import-untyped]
from allauth.core.exceptions import ImmediateHttpResponse  # type: ignore[import-untyped]
from allauth.mfa.adapter import DefaultMFAAdapter  # type: ignore[import-untyped]
from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter  # type: ignore[import-untyped]
from cryptography.fernet import Fernet, MultiFernet
from django.conf import settings
from django.contrib.auth.models import User
from django.http import HttpRequest
from django.shortcuts import render

from aupguard.web.accounts.directory import (
    Refusal,
    account_for,
    directory_person_for,
    not_in_directory,
    refusal_for,
)
from aupguard.web.accounts.second_factor import has_totp, mfa_roles_of_user
from aupguard.web.audit.log import record
from aupguard.web.people.models import Person

__all__ = ["AccountAdapter", "DirectorySocialAccountAdapter", "MFAAdapter"]

_ALLAUTH_MFA_STAGE = "allauth.mfa.stages.AuthenticateStage"
_OUR_MFA_STAGE = "aupguard.web.accounts.stages.SecondFactorStage"


class AccountAdapter(DefaultAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest) -> bool:
        # People come from the staff directory (people app), never from a sign-up form.
        return False

    def get_login_stages(self) -> list[str]:
        stages: list[str] = super().get_login_stages()
        return [_OUR_MFA_STAGE if stage == _ALLAUTH_MFA_STAGE else stage for stage in stages]

    def is_reauthentication_required(self, *, app: str, **kwargs: Any) -> bool:
        """allauth asks for the password again before any change to the second factor. Setting up the
        first authenticator app within minutes of signing in is the exception: a DPL sent straight
        from sign-in to enrol would otherwise type their password twice in a row. Turning it off or
        making new recovery codes still asks."""
        request = self.request
        user = getattr(request, "user", None)
        if app == "allauth.mfa" and isinstance(user, User) and not has_totp(user):
            records = get_authentication_records(request, user)
            recent = [r for r in records if r.get("method") in ("password", "socialaccount")]
            if recent and time.time() - float(recent[-1]["at"]) < account_settings.REAUTHENTICATION_TIMEOUT:
                return False
        return bool(super().is_reauthentication_required(app=app, **kwargs))


class DirectorySocialAccountAdapter(DefaultSocialAccountAdapter):  # type: ignore[misc]
    def is_open_for_signup(self, request: HttpRequest, sociallogin: Any) -> bool:
        return False

    def pre_social_login(self, request: HttpRequest, sociallogin: Any) -> None:
        """Admit a directory member as their own account; refuse anyone else with a page that says
        why. Runs after the provider has vouched for the person and before allauth signs them in."""
        provider = sociallogin.account.get_provider()
        if sociallogin.state.get("process") == "connect":
            self._check_connect(request, sociallogin, provider.name)
            return
        if sociallogin.is_existing:
            # Linked before: the link is the provider's stable subject id, so a changed address at
            # the provider still lands on the same person; they must still be in the directory.
            person = Person.objects.filter(user=sociallogin.user).select_related("user", "school").first()
            if person is None:
                self._refuse(request, not_in_directory(str(sociallogin.user.email)), provider.name, None)
            refusal = refusal_for(person)
            if refusal is not None:
                self._refuse(request, refusal, provider.name, person)
            return
        emails = [address.email for address in sociallogin.email_addresses if address.verified]
        if not emails:
            unverified = next((a.email for a in sociallogin.email_addresses), "")
            self._refuse(
                request,
                Refusal(
                    "no_verified_email",
                    unverified,
                    f"{provider.name} did not confirm an email address for this account, so aupguard "
                    "cannot tell who you are in the staff directory.",
                ),
                provider.name,
                None,
            )
        person = directory_person_for(emails)
        if person is None:
            self._refuse(request, not_in_directory(emails[0]), provider.name, None)
        refusal = refusal_for(person)
        if refusal is not None:
            self._refuse(request, refusal, provider.name, person)
        user = account_for(person)
        sociallogin.connect(request, user)
        record(
            user,
            "accounts.sso_linked",
            "person",
            person.pk,
            school=person.school,
            summary=f"{person.email} linked their {provider.name} sign-in",
            details={"provider": sociallogin.account.provider, "uid": sociallogin.account.uid},
        )

    def _check_connect(self, request: HttpRequest, sociallogin: Any, provider_name: str) -> None:
        """Someone signed in links a provider account by hand: only the one the directory says is
        theirs, so nobody can attach a colleague's sign-in to their own account."""
        emails = [address.email for address in sociallogin.email_addresses if address.verified]
        person = directory_person_for(emails)
        if person is None or person.user_id != request.user.pk:
            self._refuse(
                request,
                Refusal(
                    "not_yours",
                    emails[0] if emails else "",
                    f"This {provider_name} account is not the one the staff directory has for you.",
                ),
                provider_name,
                person,
            )

    def _refuse(
        self, request: HttpRequest, refusal: Refusal, provider_name: str, person: Person | None
    ) -> NoReturn:
        record(
            None,
            "accounts.sso_refused",
            "person" if person is not None else "sign_in",
            person.pk if person is not None else "",
            school=person.school if person is not None else None,
            summary=f"single sign-on refused for {refusal.email or 'an unnamed account'}: {refusal.code}",
            details={"provider": provider_name, "reason": refusal.code},
        )
        page = render(
            request,
            "socialaccount/refused.html",
            {"refusal": refusal, "provider_name": provider_name},
            status=403,
        )
        raise ImmediateHttpResponse(page)


def _fernet_key(secret: str) -> bytes:
    digest = hashlib.sha256(f"aupguard.mfa.secret:{secret}".encode()).digest()
    return base64.urlsafe_b64encode(digest)


class MFAAdapter(DefaultMFAAdapter):  # type: ignore[misc]
    """TOTP secrets and recovery-code seeds are encrypted with a key derived from SECRET_KEY, so a copy
    of the database alone does not hand over anyone's second factor. Keys in SECRET_KEY_FALLBACKS still
    decrypt, so SECRET_KEY can be rotated without locking people out."""

    error_messages = {
        **DefaultMFAAdapter.error_messages,
        "incorrect_code": "That code is not right. Type the code your app shows for aupguard now; "
        "it changes every 30 seconds.",
        "cannot_delete_authenticator": "Your role needs two-step sign-in, so it stays on. "
        "If you have a new phone, ask IT support to reset it.",
    }

    def _fernet(self) -> MultiFernet:
        keys = [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]
        return MultiFernet([Fernet(_fernet_key(key)) for key in keys])

    def encrypt(self, text: str) -> str:
        return self._fernet().encrypt(text.encode()).decode()

    def decrypt(self, encrypted_text: str) -> str:
        return self._fernet().decrypt(encrypted_text.encode()).decode()

    def can_delete_authenticator(self, authenticator: Authenticator) -> bool:
        # Those whose role needs a second factor keep their app; they can set up a new phone by
        # asking IT to reset it (see docs), not by turning the protection off.
        user = authenticator.user
        if authenticator.type == Authenticator.Type.TOTP and isinstance(user, User):
            return not mfa_roles_of_user(user)
        return True
