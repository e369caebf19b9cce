"""`record`: the one way an audit event is written."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser, User

from aupguard.web.audit.models import AuditEvent
from aupguard.web.org.models import School


def record(
    actor: User | AnonymousUser | None,
    action: str,
    target_type: str,
    target_id: object = "",
    *,
    summary: str,
    school: School | None = None,
    reason: str = "",
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Append one event: who (`actor`; None for the system), did what, to what, and why."""
    user = actor if isinstance(actor, User) else None
    name = user.get_username() if user is not None else "aupguard"
    return AuditEvent.objects.create(
        actor=user,
        actor_name=name,
        action=action,
        target_type=target_type,
        target_id=str(target_id),
        school=school,
        summary=summary[:300],
        reason=reason[:300],
        details=details or {},
    )
