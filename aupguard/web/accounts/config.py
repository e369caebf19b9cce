"""Signing-in settings read from the environment (docs/configuration.md, "Signing in").

Imported by `settings.py`, so this module touches no Django model or app: it turns environment
variables into setting values, and a half-done configuration into a clear start-up error rather than
a sign-in button that fails for every member of staff.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any
from urllib.parse import urlsplit

from django.core.exceptions import ImproperlyConfigured

from aupguard.engine.catalogue import ROLES

__all__ = ["DEFAULT_MFA_ROLES", "mfa_roles_from", "oidc_providers_from", "oidc_second_factor_from"]

#: The roles that hold breach, monitoring and account data (issue 5): a password alone is not enough.
DEFAULT_MFA_ROLES = ("dpl", "coo", "siro", "it_support", "network_manager")

SECOND_FACTOR_CHOICES = ("provider", "aupguard")
_PROVIDER_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,39}$")
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


def mfa_roles_from(env: Mapping[str, str]) -> tuple[str, ...]:
    """`AUPGUARD_MFA_ROLES`: comma-separated role keys; unset means the default, empty means nobody."""
    raw = env.get("AUPGUARD_MFA_ROLES")
    if raw is None:
        return DEFAULT_MFA_ROLES
    roles = tuple(dict.fromkeys(part.strip().lower() for part in raw.split(",") if part.strip()))
    unknown = [role for role in roles if role not in ROLES]
    if unknown:
        raise ImproperlyConfigured(
            f"AUPGUARD_MFA_ROLES names unknown role(s) {', '.join(unknown)}; "
            f"the roles are: {', '.join(ROLES)}"
        )
    return roles


def oidc_second_factor_from(env: Mapping[str, str]) -> str:
    """`AUPGUARD_OIDC_SECOND_FACTOR`: who provides the second factor when someone signs in with single
    sign-on, the identity provider (`provider`, the default) or aupguard's own TOTP (`aupguard`)."""
    value = env.get("AUPGUARD_OIDC_SECOND_FACTOR", "provider").strip().lower() or "provider"
    if value not in SECOND_FACTOR_CHOICES:
        raise ImproperlyConfigured(f"AUPGUARD_OIDC_SECOND_FACTOR is {value!r}; use 'provider' or 'aupguard'")
    return value


def _flag(env: Mapping[str, str], name: str) -> bool:
    value = env.get(name, "0").strip().lower()
    if value in ("1", "true", "yes", "on"):
        return True
    if value in ("", "0", "false", "no", "off"):
        return False
    raise ImproperlyConfigured(f"{name} is {value!r}; use 1 or 0")


def oidc_providers_from(env: Mapping[str, str], *, secret: str | None) -> dict[str, Any]:
    """allauth's `SOCIALACCOUNT_PROVIDERS` for one OpenID Connect provider (Microsoft Entra ID or
    Google Workspace), or nothing when single sign-on is not configured. `secret` is the client
    secret, read by settings from `AUPGUARD_OIDC_CLIENT_SECRET` or its `_FILE`."""
    client_id = env.get("AUPGUARD_OIDC_CLIENT_ID", "").strip()
    server_url = env.get("AUPGUARD_OIDC_SERVER_URL", "").strip().rstrip("/")
    if not client_id and not server_url:
        return {}
    missing = [
        name
        for name, value in (
            ("AUPGUARD_OIDC_CLIENT_ID", client_id),
            ("AUPGUARD_OIDC_SERVER_URL", server_url),
            ("AUPGUARD_OIDC_CLIENT_SECRET", secret),
        )
        if not value
    ]
    if missing:
        raise ImproperlyConfigured(f"single sign-on is half configured: set {', '.join(missing)} as well")
    url = urlsplit(server_url)
    # Plain http only to this machine (the tests' provider): tokens never cross a network in clear.
    if url.scheme != "https" and not (url.scheme == "http" and url.hostname in _LOCAL_HOSTS):
        raise ImproperlyConfigured(
            f"AUPGUARD_OIDC_SERVER_URL must be an https:// address, not {server_url!r}"
        )
    provider_id = env.get("AUPGUARD_OIDC_PROVIDER_ID", "sso").strip() or "sso"
    if not _PROVIDER_ID.match(provider_id):
        raise ImproperlyConfigured(
            f"AUPGUARD_OIDC_PROVIDER_ID is {provider_id!r}; use lower-case letters, digits and dashes "
            "(it is part of the redirect address registered with the provider)"
        )
    app_settings: dict[str, Any] = {"server_url": server_url}
    if _flag(env, "AUPGUARD_OIDC_TRUST_EMAIL"):
        # Entra ID sends no `email_verified`: a single-tenant issuer only signs in the school's own
        # accounts, whose addresses the school's administrators set.
        app_settings["verified_email"] = True
    return {
        "openid_connect": {
            "OAUTH_PKCE_ENABLED": True,
            "APPS": [
                {
                    "provider_id": provider_id,
                    "name": env.get("AUPGUARD_OIDC_NAME", "").strip() or "your school account",
                    "client_id": client_id,
                    "secret": secret,
                    "settings": app_settings,
                }
            ],
        }
    }
