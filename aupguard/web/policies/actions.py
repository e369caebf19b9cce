"""Every write to the policy register goes through a `do_*` function here."""

from __future__ import annotations

from aupguard.engine.packs import Pack
from aupguard.web.policies.models import PolicyVersion


def do_publish_policy_version(pack: Pack, source_yaml: str) -> tuple[PolicyVersion, bool]:
    """Store a pack version; returns (version, created). The same content twice is one version."""
    existing = PolicyVersion.objects.filter(sha256=pack.sha256).first()
    if existing is not None:
        return existing, False
    version = PolicyVersion.objects.create(
        pack_id=pack.id,
        sha256=pack.sha256,
        organisation=pack.organisation,
        title=pack.title,
        policy_version=pack.policy_version,
        review_date=pack.dates.review,
        clause_count=len(pack.clauses),
        source_yaml=source_yaml,
    )
    return version, True
