from __future__ import annotations

from django.db.models import QuerySet

from aupguard.web.policies.models import PolicyVersion


def latest_versions() -> list[PolicyVersion]:
    """The newest version of every pack, ordered by pack id."""
    newest: dict[str, PolicyVersion] = {}
    for version in PolicyVersion.objects.defer("source_yaml").order_by("pack_id", "-published_at", "-pk"):
        newest.setdefault(version.pack_id, version)
    return list(newest.values())


def versions_of(pack_id: str) -> QuerySet[PolicyVersion]:
    return PolicyVersion.objects.filter(pack_id=pack_id).defer("source_yaml").order_by("-published_at", "-pk")
