"""The scan's C parts: the batch reader (`squid_columns`) reads what the Python path reads, or gives
the batch up; the counter (`tally`) counts as Python's passes do."""

from __future__ import annotations

import datetime as dt
import random
from pathlib import Path

import pytest

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import compile_pack
from aupguard.engine.logs import scan
from aupguard.engine.logs.scan import SquidLogScanner
from aupguard.engine.packs import load_pack
from aupguard.engine.web.categories import CategoryDB
from tests.conftest import PACKS
from tests.squid.test_scan_batches import START, _line, day

# Lines the Python path reads differently from a plain line, or not at all: each must give the same
# report, so the C reader either reads it exactly so or gives its batch back to the Python path.
ODD_FIELDS = [
    ("time", ["1764583200", ".5", "5.", "1e9", "+1764583200.1", "1_764_583_200", "nan", "inf", "-1", "1..2"]),
    ("time", ["4102444800.0", "4102444800.001", "0", "00001764583200.500"]),
    ("status", ["TCP_DENIED/200", "TCP_MISS/403", "NONE/000", "TCP_MISS", "TCP_MISS/", "/403", "X_DENIED"]),
    ("status", ["TCP_MISS/+200", "TCP_MISS/2_00", "TCP_MISS/abc", "TCP_MISS/9999999999", "_DENIED/1"]),
    ("size", ["0", "-1", "+5", "1_0", "2k", "999999999999999999", "9999999999999999999", "00"]),
    ("user", ["-", "A.KHAN", "J.Ward@Wells.Example", "--", "a-", "ÄNNE", "x\u00a0y"]),
    ("url", ["http://casino.test/Ä", "casino.test:443", "-", "http://casino.test/%41"]),
    ("space", ["\t", "\x0b", "\x0c", "\x1c", "\x1f", "\r", "  ", "\u00a0", "\u2003"]),
]


def odd_line(rnd: random.Random) -> str:
    what, values = rnd.choice(ODD_FIELDS)
    value = rnd.choice(values)
    fields = _line(START + rnd.random() * 3600, "a.khan", "http://casino.test/").split()
    index = {"time": 0, "status": 3, "size": 4, "url": 6, "user": 7}.get(what)
    if index is not None:
        fields[index] = value
        return " ".join(fields) + "\n"
    return value.join(fields) + rnd.choice(["\n", "", "\r\n", value])


def python_columns(scanner: SquidLogScanner, batch: list[str]) -> object:
    rows = list(map(str.split, batch))
    return scanner._columns(rows) if min(map(len, rows)) >= 10 else None


def test_the_c_reader_is_built() -> None:
    assert scan.squid_columns is not None, "squid_columns was not built: install a C compiler, reinstall"


@pytest.mark.parametrize("seed", range(4))
def test_the_c_reader_reads_as_the_python_reader_or_gives_the_batch_up(small_db: Path, seed: int) -> None:
    assert scan.squid_columns is not None
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    scanner = SquidLogScanner(pack, CheckContext(at=dt.datetime.now(dt.UTC)), CategoryDB.load(small_db))
    plain = day(seed, odd_lines=False)
    assert scan.squid_columns(plain) == python_columns(scanner, plain) is not None
    read = 0
    for _ in range(400):
        batch = rnd.sample(plain, rnd.randint(0, 4))
        batch.insert(rnd.randint(0, len(batch)), odd_line(rnd))
        got = scan.squid_columns(batch)
        assert got is None or got == python_columns(scanner, batch), batch
        read += got is not None
    assert read > 100  # the usual odd values (an upper-case user, "-", a 403) are read in C


@pytest.mark.parametrize("pack_id", ["wonder", "wells"])
def test_a_scan_reports_the_same_with_and_without_its_c_parts(
    small_db: Path, pack_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    pack = compile_pack(load_pack(PACKS / f"{pack_id}.yaml"))
    ctx = CheckContext(at=dt.datetime.now(dt.UTC))
    rnd = random.Random(pack_id)  # noqa: S311 - reproducible test data, not secrets
    lines = day(3)
    for n in range(60):
        lines.insert(rnd.randint(0, len(lines)), odd_line(rnd) if n % 3 else "\n")

    def report() -> dict[str, object]:
        scanner = SquidLogScanner(pack, ctx, CategoryDB.load(small_db))
        for start in range(0, len(lines), 50):
            scanner.feed_lines(lines[start : start + 50], "access.log", start + 1)
        return scanner.finish().as_dict(top=100)

    with_c = report()
    monkeypatch.setattr(scan, "squid_columns", None)
    assert report() == with_c
    monkeypatch.setattr(scan, "tally", None)  # the batch counted by Python's passes too
    assert report() == with_c
    assert with_c["malformed"] and with_c["findings"] and with_c["denied_by_squid"]
