"""The guard's C parts decide every request of a day as its Python paths do, on the real lists.

`url_hosts.remembered` (what a batch hits, by URL or by host), `unlisted_hosts.UnlistedHosts` (new hosts only
their categories decide) and `host_table.HostTable` (the suffix walk) each stand in for Python code;
here a guard with them and a guard without them meet the same day of requests.
"""

from __future__ import annotations

import datetime as dt
import random
import shutil
from pathlib import Path

import pytest

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.packs import load_pack
from aupguard.engine.web import guard as guard_module
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.guard import WebGuard
from tests.conftest import PACKS
from tests.engine.web.test_host_table import hosts, real_db  # noqa: F401 (a fixture)

# Tuesday 1 December 2026, from 07:00 in London: working hours start at 08:00.
START = dt.datetime(2026, 12, 1, 7, 0, tzinfo=dt.UTC).timestamp()


def day(pack: CompiledPack, seed: int, count: int) -> tuple[list[str], list[str], list[float]]:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    names = hosts(seed)
    # The pack's own lists, and names under them: the sites it allows, blocks and approves.
    for listed in (pack.allowed, pack.blocked, pack.approved_ai, pack.illegal):
        for name in [*listed.domains, *listed.prefixes]:
            names += [name, f"www.{name}", f"x{rnd.getrandbits(20)}.{name}"] * 20
    forms = ["{}:443", "http://{}/", "https://{}/a/b?c=d", "http://{}/games/x", "{}", "http://{}?q"]
    urls = [rnd.choice(forms).format(rnd.choice(names)) for _ in range(count)]
    users = [rnd.choice(["", "a.khan@wells.redbridge.sch.uk", "Visitor@Example.com", "t.osei"]) for _ in urls]
    whens = sorted(START + rnd.random() * 4 * 3600 for _ in urls)
    return urls, users, whens


def with_lists(pack_id: str, folder: Path) -> CompiledPack:
    """A seed pack that also blocks sites no category list names, and approves an AI tool: the
    seeds' only list is their allowed sites."""
    shutil.copytree(PACKS / "lists", folder / "lists", dirs_exist_ok=True)
    text = (PACKS / f"{pack_id}.yaml").read_text(encoding="utf-8")
    for empty, given in (
        ("  blocked_domains: []\n", "  blocked_domains: [cloudfront.net, example.test]\n"),
        ("  approved_ai_tools: []\n", "  approved_ai_tools: [chatgpt.com]\n"),
    ):
        assert empty in text
        text = text.replace(empty, given, 1)
    (folder / f"{pack_id}.yaml").write_text(text, encoding="utf-8")
    return compile_pack(load_pack(folder / f"{pack_id}.yaml"))


@pytest.mark.parametrize("pack_id", ["wells", "wonder", "oak"])
def test_a_guard_with_its_c_parts_decides_as_one_without(
    real_db: Path,  # noqa: F811 (the fixture)
    pack_id: str,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    assert guard_module.UnlistedHosts is not None and guard_module.url_hosts is not None
    pack = with_lists(pack_id, tmp_path)
    assert pack.blocked.domains and pack.allowed.domains and pack.approved_ai.domains
    ctx = CheckContext(at=dt.datetime.fromtimestamp(START, dt.UTC))
    urls, users, whens = day(pack, len(pack_id), 30_000)
    native = WebGuard(pack, ctx, CategoryDB.load(real_db))
    with_c = native.outcomes(urls, users, whens)
    assert native._unlisted is not None and len(native._by_host) > 1000
    monkeypatch.setattr(guard_module, "UnlistedHosts", None)
    monkeypatch.setattr(guard_module, "url_hosts", None)
    python = WebGuard(pack, ctx, CategoryDB.load(real_db, native=False))
    assert python._unlisted is None
    without = python.outcomes(urls, users, whens)
    for url, user, when, got, expected in zip(urls, users, whens, with_c, without, strict=True):
        if got is None or expected is None:  # a URL with no usable host (a..b): no outcome either way
            assert got is expected, url
            continue
        # Verdicts are each guard's own objects: what they hold is compared.
        assert (*got[:3], got[3].decision) == (*expected[:3], expected[3].decision), (url, user, when)
    assert sum(o is not None and o[3].refused for o in without) > 1000  # refusals were compared too
