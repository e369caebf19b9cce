"""The claims Entra ID and Google send: the email address, whether the provider verified it, the name.

A user in the group `unverified-email` gets `email_verified: false`, for the test that aupguard does
not take an unverified address as proof of who someone is.
"""

from __future__ import annotations

from typing import Any

from oauth2_provider.oauth2_validators import OAuth2Validator


class DirectoryClaims(OAuth2Validator):
    def get_additional_claims(self, request: Any) -> dict[str, Any]:
        user = request.user
        return {
            "email": user.email,
            "email_verified": not user.groups.filter(name="unverified-email").exists(),
            "name": f"{user.first_name} {user.last_name}".strip(),
            "given_name": user.first_name,
            "family_name": user.last_name,
        }
