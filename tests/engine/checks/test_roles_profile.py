"""`roles_profile`: requesters whose roles have the same profile get the same web decisions.

Guards decide once per profile, not once per set of roles (`WebGuard`), so a profile must hold
everything `check_url` reads of the roles. Here every seed pack decides, for role sets that share a
profile, every category any pack names, the pack's own listed sites and approved AI tools, in and
out of working hours: any difference means `check_url` reads roles that the profile leaves out.
"""

from __future__ import annotations

import datetime as dt
import itertools
import shutil
from collections import defaultdict
from collections.abc import Hashable

import pytest

from aupguard.engine.catalogue import ROLES
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlRequest, check_url, roles_profile
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.packs import load_pack
from tests.conftest import PACKS
from tests.engine.checks.conftest import compiled

SEEDS = ["wells", "wonder", "oak", "fst", "learning-partnership"]
# No seed pack blocks differently by role, so a variant of wells does: more for governors and
# contractors (roles wells declares).
VARIANT = "wells-by-role"
TIMES = [dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC), dt.datetime(2026, 12, 5, 22, 0, tzinfo=dt.UTC)]
USER = "a.khan@wells.redbridge.sch.uk"


def every_category() -> set[str]:
    found = {"news", "ai", "filter_bypass", "streaming", "games", "shopping", "webmail", "illegal"}
    for seed in SEEDS:
        pack = compiled(seed)
        for names in pack.pack.settings.blocked_categories.values():
            found.update(names)
        for rules in pack.all_rules.values():
            for rule in rules:
                value = rule.params.get("categories")
                if isinstance(value, tuple):
                    found.update(map(str, value))
    return found


def requests(pack: CompiledPack) -> list[tuple[str, frozenset[str]]]:
    categories = sorted(every_category())
    sites = [("example.test", frozenset({c})) for c in categories]
    sites += [("example.test", frozenset(pair)) for pair in itertools.combinations(categories[:8], 2)]
    sites += [("example.test", frozenset())]
    for lst in (pack.blocked, pack.allowed, pack.approved_ai, pack.illegal):
        for domain in sorted(lst.domains)[:5]:
            sites += [(domain, frozenset()), (domain, frozenset({"ai"})), (domain, frozenset({"gambling"}))]
    return sites


def role_sets() -> list[tuple[str, ...]]:
    found = [(role,) for role in ROLES]
    found += [("staff", role) for role in ROLES if role != "staff"]
    found += [("staff", "dsl", role) for role in ROLES if role not in ("staff", "dsl")]
    return found


@pytest.fixture(scope="module")
def by_role(tmp_path_factory: pytest.TempPathFactory) -> CompiledPack:
    folder = tmp_path_factory.mktemp("packs")
    shutil.copytree(PACKS / "lists", folder / "lists")
    text = (PACKS / "wells.yaml").read_text(encoding="utf-8")
    assert "  blocked_categories:\n    all:\n" in text
    text = text.replace(
        "  blocked_categories:\n    all:\n",
        "  blocked_categories:\n    governor: [streaming, games]\n    contractor: [streaming]\n    all:\n",
    )
    (folder / "wells.yaml").write_text(text, encoding="utf-8")
    return compile_pack(load_pack(folder / "wells.yaml"))


@pytest.mark.parametrize("seed", [*SEEDS, VARIANT])
def test_roles_with_one_profile_get_the_same_decisions(seed: str, by_role: CompiledPack) -> None:
    pack = by_role if seed == VARIANT else compiled(seed)
    groups: dict[Hashable, list[tuple[str, ...]]] = defaultdict(list)
    for roles in role_sets():
        groups[roles_profile(pack, roles)].append(roles)
    assert max(map(len, groups.values())) > 1  # profiles do gather role sets: the claim is tested
    for members in groups.values():
        first, *rest = members
        for at in TIMES:
            ctx = CheckContext(at=at)
            for host, categories in requests(pack):
                expected = check_url(pack, ctx, UrlRequest(host, "/", first, USER), categories)
                for roles in rest:
                    got = check_url(pack, ctx, UrlRequest(host, "/", roles, USER), categories)
                    assert got == expected, (seed, first, roles, host, sorted(categories))


def test_roles_the_pack_treats_differently_have_different_profiles(by_role: CompiledPack) -> None:
    profiles = {roles: roles_profile(by_role, roles) for roles in role_sets()}
    assert len({profiles[("staff",)], profiles[("governor",)], profiles[("staff", "contractor")]}) == 3
    assert profiles[("staff",)] == profiles[("staff", "dsl", "hr")] == profiles[("visitor",)]
    ctx = CheckContext(at=TIMES[0])
    refused = [
        check_url(by_role, ctx, UrlRequest("example.test", "/", roles, USER), frozenset({"games"})).verdict
        for roles in (("staff",), ("governor",), ("staff", "governor"))
    ]
    assert refused == ["allow", "block", "block"]
