"""`SquidLogScanner.feed_lines` reports what `feed` line by line reports, whatever the batches."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import compile_pack
from aupguard.engine.logs.scan import SquidLogScanner
from aupguard.engine.packs import load_pack
from aupguard.engine.web.categories import CategoryDB
from tests.conftest import PACKS

# Monday 30 November 2026, 23:00 in London, to Tuesday evening: streaming crosses midnight.
START = dt.datetime(2026, 11, 30, 23, 0, tzinfo=dt.UTC).timestamp()
MB = 1024 * 1024


def _line(t: float, user: str, url: str, size: int = 2048, action: str = "TCP_MISS/200") -> str:
    return (
        f"{t:.3f}    120 10.0.0.{int(t) % 7} {action} {size} GET {url} {user} HIER_DIRECT/1.2.3.4 text/html\n"
    )


def day(seed: int, *, odd_lines: bool = True) -> list[str]:
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    users = ["a.khan", "J.Ward", "-", "t.osei", "governor@example.com"]
    urls = [
        "http://miniclip.com/games/",
        "www.facebook.com:443",
        "http://casino.test/",
        "http://school.test/",
        "http://netflix.com/watch",
        "youtube.com:443",
        "nordvpn.com:443",
        "http://openai.com/chat",
        *(["http://exa%20mple.com/"] if odd_lines else []),
    ]
    lines = []
    for i in range(600):
        t = START + i * 90 + rnd.random()
        url, user = rnd.choice(urls), rnd.choice(users)
        size = rnd.choice([2048, 300 * MB, 0])
        action = rnd.choice(["TCP_MISS/200", "TCP_DENIED/403", "TCP_TUNNEL/200", "TCP_HIT/304"])
        lines.append(_line(t, user, url, size, action))
    odd = [
        "garbage that is not a log line\n",
        "\n",
        "   \n",
        _line(START, "a.khan", "http://casino.test/").replace(f"{START:.3f}", "nan", 1),
        _line(START, "a.khan", "http://casino.test/").replace(f"{START:.3f}", "1e12", 1),
        _line(START, "a.khan", "http://casino.test/").replace("TCP_MISS/200", "TCP_MISS/abc"),
        _line(START, "a.khan", "http://casino.test/").replace(" 2048 ", " 2k ", 1),
        _line(START, "a.khan", "http://casino.test/").replace(" 2048 ", " -1 ", 1),
        _line(START, "a.khan", "http://casino.test/").rstrip("\n") + " extra fields here\n",
        _line(START + 5, "A.KHAN", "http://casino.test/", action="NONE/000"),
    ]
    for n, extra in enumerate(odd if odd_lines else []):
        lines.insert(37 * (n + 1), extra)
    return lines


@pytest.mark.parametrize("odd_lines", [True, False])
@pytest.mark.parametrize("pack_id", ["wonder", "wells"])
@pytest.mark.parametrize("size", [1, 7, 100, 10_000])
def test_batches_report_as_lines_do(small_db: Path, pack_id: str, size: int, odd_lines: bool) -> None:
    pack = compile_pack(load_pack(PACKS / f"{pack_id}.yaml"))
    ctx = CheckContext(at=dt.datetime.now(dt.UTC))
    lines = day(size, odd_lines=odd_lines)
    one = SquidLogScanner(pack, ctx, CategoryDB.load(small_db))
    for number, line in enumerate(lines, 1):
        one.feed(line, f"access.log:{number}")
    batched = SquidLogScanner(pack, ctx, CategoryDB.load(small_db))
    for start in range(0, len(lines), size):
        batched.feed_lines(lines[start : start + size], "access.log", start + 1)
    expected, got = one.finish().as_dict(top=100), batched.finish().as_dict(top=100)
    assert got == expected
    assert (expected["malformed"] > 7 if odd_lines else expected["malformed"] == 0) and expected["findings"]
    if pack_id == "wonder":
        assert any(f["check"] == "web.heavy_streaming" for f in expected["findings"])
