"""The one place that turns stored rows into engine objects (and, later, decisions into rows)."""

from __future__ import annotations

from functools import lru_cache

from aupguard.engine.packs import Pack, packs_dir, parse_pack
from aupguard.web.policies.models import PolicyVersion


@lru_cache(maxsize=64)
def _parse(sha256: str, pack_id: str, source_yaml: str) -> Pack:
    # As if it were in the packs folder, so that the lists it names resolve there.
    return parse_pack(source_yaml, packs_dir() / f"{pack_id}.yaml")


def pack_for(version: PolicyVersion) -> Pack:
    """The engine's view of a stored version; parsed once per process per version."""
    return _parse(version.sha256, version.pack_id, version.source_yaml)
