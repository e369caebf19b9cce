"""allauth's "enter your code" step at sign-in, skipped after a single sign-on when the identity
provider's own MFA is the second factor (`AUPGUARD_OIDC_SECOND_FACTOR=provider`)."""

from __future__ import annotations

from allauth.mfa.stages import AuthenticateStage  # type: ignore[import-untyped]
from django.conf import settings
from django.http import HttpRequest

from aupguard.web.accounts.second_factor import signed_in_by_sso

__all__ = ["SecondFactorStage"]


class SecondFactorStage(AuthenticateStage):  # type: ignore[misc]
    def _should_handle(self, request: HttpRequest) -> bool:
        user = self.login.user
        if (
            user is not None
            and settings.AUPGUARD_OIDC_SECOND_FACTOR == "provider"
            and signed_in_by_sso(request, user)
        ):
            return False
        return bool(super()._should_handle(request))
