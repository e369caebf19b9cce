"""The suffix walk in C (`host_table.HostTable`) finds what the Python walk finds, on the real lists."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from aupguard.engine.web import categories
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.compile import DEFAULT_MAPPING, DEFAULT_SINFONIETTA, DEFAULT_UT1, build_database


@pytest.fixture(scope="module")
def real_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("real") / "categories.aupcat"
    build_database(DEFAULT_UT1, DEFAULT_SINFONIETTA, DEFAULT_MAPPING, out)
    return out


def hosts(seed: int) -> list[str]:
    """Listed names, names under them, around them and unlike them, as a guard meets hosts."""
    rnd = random.Random(seed)  # noqa: S311 - reproducible test data, not secrets
    listed = [
        line.strip()
        for name in ("gambling", "games", "chat", "adult", "vpn", "shopping", "audio-video")
        if (DEFAULT_UT1 / name / "domains").exists()
        for line in (DEFAULT_UT1 / name / "domains").read_text(errors="replace").splitlines()[:3000]
        if line.strip() and not line.startswith("#")
    ]
    found = rnd.sample(listed, 4000)
    found += [f"{rnd.choice(['www', 'cdn', 'a.b', 'x-1'])}.{name}" for name in rnd.sample(listed, 4000)]
    found += [name.split(".", 1)[-1] for name in rnd.sample(listed, 1000)]  # a parent of a listed name
    found += [f"{name}x" for name in rnd.sample(listed, 500)]  # near, not under
    found += [f"d{rnd.getrandbits(40):x}.cloudfront.net" for _ in range(500)]
    found += ["www.google.com", "docs.google.com", "teams.microsoft.com", "www.bbc.co.uk", "dns.google"]
    found += ["1.1.1.1", "10.0.0.1", "1.2.3", "1.2.3.4.5", "::1", "2001:db8::1", "com", "localhost", "a..b"]
    found += ["bücher.example", "xn--bcher-kva.example", "x", "-.-", "a.b.c.d.e.f.g.h.example.com"]
    return found


def test_the_c_walk_is_built() -> None:
    # `make test` builds it (setup.py); a missing C compiler must not go unnoticed here.
    assert categories.HostTable is not None, "host_table was not built: install a C compiler, reinstall"


def test_the_c_walk_and_the_python_walk_agree_on_every_host(real_db: Path) -> None:
    native, python = CategoryDB.load(real_db), CategoryDB.load(real_db, native=False)
    assert native._table is not None and python._table is None
    listed = 0
    for host in hosts(7):
        expected = python.host_entry(host)
        assert native.host_entry(host) == expected, host
        listed += bool(expected[0] or expected[2])
    assert listed > 7000  # most of the sample is on the lists: the walk was tested where it matters
    native.close()
    python.close()


def test_a_closed_database_lets_go_of_its_file(real_db: Path) -> None:
    db = CategoryDB.load(real_db)
    assert db.categories("www.bet365.com")
    db.close()  # would raise BufferError if the C walk still held the mapped file
    with pytest.raises(categories.CategoryDBError):
        db.categories("www.bet365.com")
