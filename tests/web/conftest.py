"""Web tests: a fast password hasher, since the demo trust signs in seventeen people per test; and
the second factor off unless a test asks for it.

Most tests sign in DPL, COO or IT people with `Client.login()` and expect their pages; with the
second factor enforced they would be sent to enter a code instead. A test that is about signing in
marks itself `@pytest.mark.mfa` (the default roles) or `@pytest.mark.mfa(roles=("hr",))`.
"""

from __future__ import annotations

import pytest
from django.conf import LazySettings

from aupguard.web.accounts.config import DEFAULT_MFA_ROLES


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers",
        "mfa(roles=...): enforce the second factor for these roles (default: AUPGUARD_MFA_ROLES' default)",
    )


@pytest.fixture(autouse=True)
def fast_passwords(settings: LazySettings) -> None:
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def second_factor_only_when_asked(request: pytest.FixtureRequest, settings: LazySettings) -> None:
    marker = request.node.get_closest_marker("mfa")
    settings.AUPGUARD_MFA_ROLES = tuple(marker.kwargs.get("roles", DEFAULT_MFA_ROLES)) if marker else ()
