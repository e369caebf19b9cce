"""The engine: pure Python, never imports Django or anything under aupguard.web.

Its public API is re-exported here explicitly.
"""

from aupguard.engine.packs import (
    Clause,
    Pack,
    PackError,
    PackNotFound,
    Problem,
    load_pack,
    resolve_pack,
)

__all__ = [
    "Clause",
    "Pack",
    "PackError",
    "PackNotFound",
    "Problem",
    "load_pack",
    "resolve_pack",
]
