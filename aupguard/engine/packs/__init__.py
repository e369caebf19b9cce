"""Policy packs: load and validate, coverage, diff."""

from aupguard.engine.packs.coverage import Coverage, coverage
from aupguard.engine.packs.diff import PackDiff, diff_packs
from aupguard.engine.packs.export import clause_as_dict, describe_enforcement, pack_as_dict
from aupguard.engine.packs.load import PackError, Problem, load_pack, parse_pack
from aupguard.engine.packs.model import Clause, Pack
from aupguard.engine.packs.registry import PackNotFound, available_packs, packs_dir, resolve_pack

__all__ = [
    "Clause",
    "Coverage",
    "Pack",
    "PackDiff",
    "PackError",
    "PackNotFound",
    "Problem",
    "available_packs",
    "clause_as_dict",
    "coverage",
    "describe_enforcement",
    "diff_packs",
    "load_pack",
    "pack_as_dict",
    "packs_dir",
    "parse_pack",
    "resolve_pack",
]
