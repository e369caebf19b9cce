"""A system check: the sign-in gate for leavers is configured where it works (first)."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.checks import CheckMessage, Tags, Warning, register

from aupguard.web.leavers.signin import GATE


@register(Tags.security)
def leaver_gate_first(app_configs: Any = None, **kwargs: Any) -> list[CheckMessage]:
    backends = list(getattr(settings, "AUTHENTICATION_BACKENDS", []))
    if backends and backends[0] == GATE:
        return []
    return [
        Warning(
            "Leavers can sign in until close_leaver_accounts runs: the leaver sign-in gate is not the "
            "first authentication backend.",
            hint=f'Put "{GATE}" first in AUTHENTICATION_BACKENDS.',
            id="aupguard.leavers.W001",
        )
    ]
