"""Lookups in a database compiled from the small test lists (tests/data/web)."""

from __future__ import annotations

from pathlib import Path

import pytest

from aupguard.engine.catalogue import CATEGORIES
from aupguard.engine.web.categories import FORMAT_VERSION, MAGIC, CategoryDB, CategoryDBError
from aupguard.engine.web.compile import BuildReport


@pytest.mark.parametrize(
    ("request_", "expected"),
    [
        # A listed domain covers its subdomains, in every form a request writes the host.
        ("bet365.com", {"gambling"}),
        ("https://www.bet365.com/en/", {"gambling"}),
        ("WWW.BET365.COM.:443", {"gambling"}),
        ("http://user:pw@sports.bet365.com/", {"gambling"}),
        ("upper.example.net", {"gambling"}),  # listed in capitals
        ("leadingdot.example", {"gambling"}),  # listed as ".leadingdot.example"
        ("teams.microsoft.com:443", {"chat"}),
        ("microsoft.com", set()),  # only teams.microsoft.com is listed
        ("mail.google.com", {"webmail"}),
        ("coolmathgames.com", {"games"}),
        # The most specific listed suffix wins: example.com is shopping, a.b.example.com is chat.
        ("example.com", {"shopping"}),
        ("www.example.com", {"shopping"}),
        ("b.example.com", {"shopping"}),
        ("a.b.example.com", {"chat"}),
        ("x.a.b.example.com", {"chat"}),
        ("https://deep.x.a.b.example.com:8443/", {"chat"}),
        # Two lists naming one domain: all their categories (UT1 social lists aside, here both
        # Sinfonietta lists and UT1 name different sites).
        ("facebook.com", {"social_networking"}),
        ("www.facebook.com", {"social_networking"}),
        # Hosts files: several names on a line, localhost ignored.
        ("multi.example", {"adult"}),
        ("second.example", {"adult"}),
        ("www.adult.example", {"adult"}),
        ("cdn.adult.example", {"adult"}),
        ("localhost", set()),
        # IP addresses match only themselves.
        ("203.0.113.9", {"filter_bypass"}),
        ("http://203.0.113.9:8080/x", {"filter_bypass"}),
        ("1.203.0.113.9", set()),
        ("203.0.113.10", set()),
        # Unknown hosts, single labels, IPv6, a list the mapping leaves out: nothing.
        ("unknown.example", set()),
        ("com", set()),
        ("example", set()),
        ("http://[::1]:8080/", set()),
        ("recipes.example", set()),
    ],
)
def test_categories(db: CategoryDB, request_: str, expected: set[str]) -> None:
    assert db.categories(request_) == expected


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        # example.com/games adds games to example.com's shopping, for the path and below.
        ("http://example.com/games", {"shopping", "games"}),
        ("http://example.com/games/", {"shopping", "games"}),
        ("https://example.com/games/snake?level=2", {"shopping", "games"}),
        ("https://example.com/games?level=2", {"shopping", "games"}),
        ("https://example.com/GAMES/Snake", {"shopping", "games"}),  # paths compare in lower case
        ("https://www.example.com/games/x", {"shopping", "games"}),  # and on hosts under it
        ("https://example.com/gamesroom", {"shopping"}),  # not a path under /games
        ("https://example.com/", {"shopping"}),
        ("https://example.com/shop/games", {"shopping"}),
        ("example.com:443", {"shopping"}),  # CONNECT: no path, no URL entry
        # A host listed only for a URL entry has no categories of its own.
        ("http://portal.example.net/arcade/pacman", {"games"}),
        ("http://portal.example.net/Arcade", {"games"}),
        ("http://portal.example.net/", set()),
        ("portal.example.net:443", set()),
        ("http://10.1.2.3/jeux/x", {"games"}),
        ("http://10.1.2.3/", set()),
        # A query in the entry: that query, not a longer value.
        ("http://forum.example.org/showthread.php?f=25", {"games"}),
        ("http://forum.example.org/showthread.php?f=25&page=2", {"games"}),
        ("http://forum.example.org/showthread.php?f=250", set()),
        ("http://forum.example.org/showthread.php?f=25#top", {"games"}),
        # games.example.org is a listed domain: its URL-free entry covers every path.
        ("http://games.example.org/anything", {"games"}),
    ],
)
def test_url_entries_add_categories(db: CategoryDB, url: str, expected: set[str]) -> None:
    assert db.categories(url) == expected


def test_lookup_takes_a_host_and_path_already_split(db: CategoryDB) -> None:
    assert db.lookup("www.example.com", "/games/x") == {"shopping", "games"}
    assert db.lookup("WWW.Example.COM.", "/") == {"shopping"}
    assert db.lookup("portal.example.net") == set()
    assert db.lookup("unknown.example", "/games") == set()


@pytest.mark.parametrize(
    "url", ["", "   ", "http://", "http:///path", "http://exa mple.com/", "http://a..b.com/"]
)
def test_unusable_requests_raise_value_error(db: CategoryDB, url: str) -> None:
    with pytest.raises(ValueError):
        db.categories(url)


def test_results_are_frozensets_of_catalogue_names(db: CategoryDB) -> None:
    found = db.categories("https://example.com/games/")
    assert isinstance(found, frozenset)
    assert found <= set(CATEGORIES)
    assert db.category_names == CATEGORIES


def test_the_cache_gives_the_same_answers_as_no_cache(built: tuple[Path, BuildReport]) -> None:
    cached = CategoryDB.load(built[0])
    uncached = CategoryDB.load(built[0], cache_size=0)
    requests = ["bet365.com", "https://www.example.com/games/x", "x.a.b.example.com", "unknown.example"] * 3
    assert [cached.categories(r) for r in requests] == [uncached.categories(r) for r in requests]
    info = cached.cache_info()
    assert info["requests"].hits == 8 and info["requests"].misses == 4
    assert uncached.cache_info() == {}


def test_info_reports_counts_size_sources_and_attribution(
    db: CategoryDB, built: tuple[Path, BuildReport]
) -> None:
    path, report = built
    info = db.info()
    assert info["bytes"] == path.stat().st_size == report.bytes
    assert info["version"] == FORMAT_VERSION
    assert info["counts"]["domains"] == report.domains == 20
    assert info["counts"]["url_entries"] == report.url_entries == 4
    assert info["counts"]["url_hosts"] == 4
    assert set(info["sources"]) == {"ut1", "sinfonietta", "mapping"}
    assert all(len(source["sha256"]) == 64 for source in info["sources"].values())
    assert "CC BY-SA 4.0" in info["attribution"] and "UT1" in info["attribution"]
    assert info["licence"] == "CC-BY-SA-4.0"
    assert info["left_out"] == ["ut1/cooking"]
    assert info["categories"] == list(CATEGORIES)


def test_the_file_starts_with_the_magic_and_carries_the_attribution(built: tuple[Path, BuildReport]) -> None:
    head = built[0].read_bytes()[:4096]
    assert head.startswith(MAGIC)
    assert b"CC BY-SA 4.0" in head


def test_close_unmaps_and_later_lookups_fail(built: tuple[Path, BuildReport]) -> None:
    with CategoryDB.load(built[0]) as db:
        assert db.categories("bet365.com") == {"gambling"}
    with pytest.raises(CategoryDBError, match="closed"):
        db.categories("bet365.com")


def test_a_missing_database_says_how_to_build_it(tmp_path: Path) -> None:
    with pytest.raises(CategoryDBError, match=r"no category database here; build it with: python -m "):
        CategoryDB.load(tmp_path / "absent.aupcat")


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (lambda data: b"", "empty"),
        (lambda data: data[:10], "too short"),
        (lambda data: b"NOTACAT!" + data[8:], "bad magic"),
        (lambda data: data[:8] + (99).to_bytes(4, "little") + data[12:], "format version 99"),
        (lambda data: data[:16] + b"[" + data[17:], "damaged header"),
        (lambda data: data[:-100], "truncated"),
    ],
)
def test_a_damaged_database_is_refused(
    built: tuple[Path, BuildReport], tmp_path: Path, damage: object, message: str
) -> None:
    bad = tmp_path / "bad.aupcat"
    bad.write_bytes(damage(built[0].read_bytes()))  # type: ignore[operator]
    with pytest.raises(CategoryDBError, match=message):
        CategoryDB.load(bad)


def test_rebuilding_replaces_the_file_while_a_loaded_database_keeps_working(tmp_path: Path) -> None:
    from aupguard.engine.web.compile import build_database
    from tests.engine.web.conftest import WEB

    out = tmp_path / "db.aupcat"
    build_database(WEB / "ut1", WEB / "sinfonietta", WEB / "mapping.csv", out)
    old = CategoryDB.load(out, cache_size=0)
    build_database(WEB / "ut1", WEB / "sinfonietta", WEB / "mapping.csv", out)
    assert old.categories("bet365.com") == {"gambling"}
    assert CategoryDB.load(out).categories("bet365.com") == {"gambling"}
    assert sorted(p.name for p in tmp_path.iterdir()) == ["db.aupcat"]  # no temporary file left
