"""`WebGuard` remembers what it decides; each shortcut must give `check_url`'s own answer.

The reference is the plain path, uncached: `split_url` for the host and path, `CategoryDB.categories`
for the categories, the directory for the roles and `check_url` at the request's own time.
"""

from __future__ import annotations

import datetime as dt
import itertools
import random
from dataclasses import replace
from pathlib import Path
from types import MappingProxyType

import pytest

from aupguard.engine.approvals import Approval, Approvals
from aupguard.engine.checks.context import CheckContext, People
from aupguard.engine.checks.web import UrlRequest, check_url, in_working_hours
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.packs import load_pack
from aupguard.engine.people import read_directory
from aupguard.engine.web import guard as guard_module
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.compile import build_database
from aupguard.engine.web.guard import _PLAIN_AUTHORITY, WebGuard, _authority
from aupguard.engine.web.hosts import split_url
from tests.conftest import PACKS, ROOT

SCHOOL = "wells.redbridge.sch.uk"
# Tuesday 1 December 2026 in London (GMT): working hours are 08:00-17:00 in wonder.
DAY = dt.datetime(2026, 12, 1, tzinfo=dt.UTC).timestamp()
EIGHT, FIVE = DAY + 8 * 3600, DAY + 17 * 3600

LISTS = {
    "gambling": ("casino.test\nbet365.com\n", ""),
    "games": (
        "miniclip.com\nttrockstars.com\n",
        "example.com/games\nportal.example.net/Arcade/\nbbc.co.uk/cbbc\nteams.microsoft.com/games\n",
    ),
    "shopping": ("example.com\n", ""),
    "social_networks": ("facebook.com\n", "example.org/social\n"),
    "vpn": ("nordvpn.com\n", ""),
    "chat": ("teams.microsoft.com\n", ""),
    "child": ("", "bad.example.net/abuse\nteams.microsoft.com/illegal\n"),
}
MAPPING = (
    "source,list,categories,note\nut1,gambling,gambling,\nut1,games,games,\nut1,shopping,shopping,\n"
    "ut1,social_networks,social_networking,\nut1,vpn,filter_bypass,\nut1,chat,chat,\nut1,child,illegal,\n"
)
URLS = [
    "casino.test:443",
    "http://www.casino.test/roulette",
    "https://WWW.Casino.TEST:8443/x",
    "HTTP://casino.test/",
    "http://user:pw@casino.test/",
    "http://casino.test?x=1",
    "http://casino.test./",
    "http://example.com/games",
    "http://example.com/games/snake?level=2",
    "http://example.com/gamesroom",
    "http://www.example.com/GAMES#frag",
    "example.com/games",
    "example.com:443",
    "http://portal.example.net/arcade/pacman",
    "http://portal.example.net/",
    "https://example.org/social/feed",
    "https://example.org/",
    "teams.microsoft.com:443",
    "https://teams.microsoft.com/games/x",
    "https://teams.microsoft.com/illegal/x",
    "https://teams.microsoft.com/chat",
    "http://bad.example.net/abuse/1",
    "http://bad.example.net/fine",
    "https://www.bbc.co.uk/bitesize/ks2",
    "https://www.bbc.co.uk/cbbc/games",
    "https://www.bbc.co.uk/news",
    "www.facebook.com:443",
    "nordvpn.com:443",
    "http://[::1]:8080/",
    "http://10.0.0.1/x",
    "http://bücher.example/",
    "unknown.example:443",
    "https://unknown.example/a%20b/~c",
]
BAD_URLS = ["", "http://", "http://exa mple.com/", ":443", "http://[::1/"]


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> CategoryDB:
    root = tmp_path_factory.mktemp("guard")
    for name, (domains, urls) in LISTS.items():
        (root / "ut1" / name).mkdir(parents=True)
        (root / "ut1" / name / "domains").write_text(domains)
        if urls:
            (root / "ut1" / name / "urls").write_text(urls)
    (root / "sinfonietta").mkdir()
    (root / "mapping.csv").write_text(MAPPING)
    build_database(root / "ut1", root / "sinfonietta", root / "mapping.csv", root / "guard.aupcat")
    return CategoryDB.load(root / "guard.aupcat")


@pytest.fixture(scope="module")
def people(tmp_path_factory: pytest.TempPathFactory) -> People:
    path = tmp_path_factory.mktemp("people") / "staff.csv"
    header = "email,first_name,last_name,roles,school,line_manager,start_date,leave_date,personal_email,"
    path.write_text(
        header + "personal_mobile,account_kind\n"
        f"a.khan@{SCHOOL},Aisha,Khan,staff,Wells,,2020-09-01,,,,person\n"
        f"r.ahmed@{SCHOOL},Rebecca,Ahmed,staff;headteacher,Wells,,2020-09-01,,,,person\n"
        f"g.jones@{SCHOOL},Gwen,Jones,governor,Wells,,2020-09-01,,,,person\n"
    )
    return People(None, read_directory(path))


def pack_with(pack_id: str, tmp_path: Path, lists: dict[str, str]) -> CompiledPack:
    """A seed pack whose list files (lists/NAME.txt) are the repository's, with `lists` instead."""
    (tmp_path / "lists").mkdir(exist_ok=True)
    for shipped in (PACKS / "lists").glob("*.txt"):
        (tmp_path / "lists" / shipped.name).write_text(shipped.read_text(encoding="utf-8"))
    for name, text in lists.items():
        (tmp_path / "lists" / f"{name}.txt").write_text(text)
    source = (PACKS / f"{pack_id}.yaml").read_text(encoding="utf-8")
    (tmp_path / f"{pack_id}.yaml").write_text(source, encoding="utf-8")
    return compile_pack(load_pack(tmp_path / f"{pack_id}.yaml"))


def reference(pack: CompiledPack, db: CategoryDB, ctx: CheckContext, url: str, user: str, when: float):  # type: ignore[no-untyped-def]
    host, path = split_url(url)
    categories = db.categories(url)
    roles = ctx.people.roles_of(user, ("staff",))
    at = dt.datetime.fromtimestamp(when, dt.UTC)
    request_ctx = CheckContext(at=at, people=ctx.people, approvals=ctx.approvals)
    return check_url(pack, request_ctx, UrlRequest(host, path, roles, user), categories), host, categories


def check_day(
    pack: CompiledPack, db: CategoryDB, ctx: CheckContext, requests: list[tuple[str, str, float]]
) -> None:
    """Every way of asking the guard gives the reference's answer, request by request."""
    one, many = WebGuard(pack, ctx, db), WebGuard(pack, ctx, db)
    urls, users, whens = (list(column) for column in zip(*requests, strict=True))
    batch = many.outcomes(urls, users, whens)
    for (url, user, when), outcome in zip(requests, batch, strict=True):
        expected, host, categories = reference(pack, db, ctx, url, user, when)
        assert one.decide(url, user, when) == expected, (url, user, when)
        assert outcome is not None and outcome[0] == expected, (url, user, when)
        assert (outcome[1], outcome[2]) == (host, categories), url
        assert one.outcome(url, user, when)[1:3] == (host, categories), url
    assert many.decide_many(urls, users, whens) == [o[0] for o in batch if o is not None]


USERS = ["", f"a.khan@{SCHOOL}", f"R.Ahmed@{SCHOOL.upper()}", f"g.jones@{SCHOOL}", "visitor@example.com"]
TIMES = [EIGHT - 3600, EIGHT + 1, FIVE - 1, FIVE + 1, DAY + 4 * 86400 + 10 * 3600]  # Saturday last


@pytest.mark.parametrize("pack_id", ["wonder", "wells"])
def test_the_guard_decides_every_request_as_check_url_does(
    pack_id: str, db: CategoryDB, people: People, tmp_path: Path
) -> None:
    lists = {
        "school-essentials": (
            "teams.microsoft.com\nportal.example.net\nbbc.co.uk/bitesize\nexample.org/social/\n"
        ),
        "illegal-content": "abuse.example\nbad.example.net/abuse\n",
    }
    pack = pack_with(pack_id, tmp_path, lists)
    ctx = CheckContext(at=dt.datetime.now(dt.UTC), people=people)
    requests = list(itertools.product(URLS, USERS, TIMES))
    random.Random(4).shuffle(requests)  # noqa: S311 - reproducible test data, not secrets
    # Each request twice: once new, once remembered (in another order).
    check_day(pack, db, ctx, requests + requests[::-1])


def test_a_url_with_no_usable_host_raises_as_split_url_does(db: CategoryDB, people: People) -> None:
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC), people=people), db)
    for url in BAD_URLS:
        with pytest.raises(ValueError) as raised:
            split_url(url)
        with pytest.raises(ValueError, match=str(raised.value).replace("[", r"\[").replace("(", r"\(")):
            guard.decide(url, "", EIGHT)
    outcomes = guard.outcomes(["casino.test:443", "http://exa mple.com/"], ["", ""], [EIGHT, EIGHT])
    assert outcomes[0] is not None and outcomes[1] is None
    with pytest.raises(ValueError):
        guard.decide_many(["casino.test:443", "http://exa mple.com/"], ["", ""], [EIGHT, EIGHT])


def test_the_working_hours_flag_is_exact_at_its_edges_and_on_the_days_the_clocks_change(
    db: CategoryDB,
) -> None:
    pack = compile_pack(load_pack(PACKS / "wonder.yaml"))
    edges = [DAY, EIGHT, FIVE, DAY + 86400]
    # Europe/London changes its clocks on 29 March and 25 October 2026.
    for changed in (dt.datetime(2026, 3, 29, tzinfo=dt.UTC), dt.datetime(2026, 10, 25, tzinfo=dt.UTC)):
        base = changed.timestamp()
        edges += [base + h * 3600 for h in (0, 1, 2, 7, 8, 16, 17, 23, 24)]
    offsets = (-1.0, -1e-6, -6e-7, -5e-7, -2e-7, 0.0, 2e-7, 5e-7, 6e-7, 1e-6, 1.0, 59.9)
    times = [edge + offset for edge in edges for offset in offsets]
    for order in (sorted(times), times[::-1]):
        guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db)
        for when in order:
            lo, hi, flag = guard.hours_window(when)
            assert flag == in_working_hours(pack, dt.datetime.fromtimestamp(when, dt.UTC)), when
            assert lo <= when < hi
            for inside in (lo, (lo + hi) / 2, hi - 1e-6):  # the window holds what it says
                if lo <= inside < hi:
                    assert in_working_hours(pack, dt.datetime.fromtimestamp(inside, dt.UTC)) == flag


def test_hours_with_seconds_and_a_half_hour_zone_are_worked_out_exactly(db: CategoryDB) -> None:
    wonder = compile_pack(load_pack(PACKS / "wonder.yaml"))
    hours = replace(wonder.pack.settings.working_hours, start=dt.time(8, 0, 30), end=dt.time(16, 59, 59, 500))
    settings = replace(wonder.pack.settings, working_hours=hours, time_zone="Asia/Kolkata")
    pack = compile_pack(replace(wonder.pack, settings=settings))
    start = dt.datetime(2026, 12, 1, 8, 0, 30, tzinfo=dt.timezone(dt.timedelta(hours=5, minutes=30)))
    end = start.replace(hour=16, minute=59, second=59, microsecond=500)
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db)
    for edge in (start.timestamp(), end.timestamp()):
        for offset in (-60, -1, -1e-6, -5e-7, 0, 5e-7, 1e-6, 1, 60):
            when = edge + offset
            assert guard.hours_window(when)[2] == in_working_hours(
                pack, dt.datetime.fromtimestamp(when, dt.UTC)
            )


def test_social_media_crossing_the_end_of_working_hours_is_decided_at_each_requests_time(
    db: CategoryDB, people: People
) -> None:
    pack = compile_pack(load_pack(PACKS / "wonder.yaml"))
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC), people=people), db)
    user = f"a.khan@{SCHOOL}"
    verdicts = [
        guard.decide("www.facebook.com:443", user, when).verdict
        for when in (FIVE - 60, FIVE - 1e-6, FIVE, FIVE + 30, FIVE - 1, DAY + 86400 + 9 * 3600)
    ]
    assert verdicts == ["warn", "warn", "allow", "allow", "warn", "warn"]
    batch = guard.decide_many(["www.facebook.com:443"] * 3, [user] * 3, [FIVE - 2, FIVE + 2, FIVE - 3])
    assert [d.verdict for d in batch] == ["warn", "allow", "warn"]


def test_a_user_with_approvals_is_decided_at_each_instant(db: CategoryDB, people: People) -> None:
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    user = f"a.khan@{SCHOOL}"
    grant = Approval(
        "A-1",
        "filtered_site_access",
        user,
        "casino.test",
        dt.datetime.fromtimestamp(EIGHT, dt.UTC),
        dt.datetime.fromtimestamp(EIGHT + 1.5, dt.UTC),
    )
    ctx = CheckContext(at=dt.datetime.now(dt.UTC), people=people, approvals=Approvals((grant,)))
    requests = [
        (url, who, EIGHT + offset)
        for offset in (-0.5, 0.0, 0.7, 1.4999, 1.5, 3.0)
        for url in ("casino.test:443", "http://www.casino.test/", "nordvpn.com:443")
        for who in (user, user.upper(), f"r.ahmed@{SCHOOL}", "")
    ]
    check_day(pack, db, ctx, requests)
    guard = WebGuard(pack, ctx, db)
    assert guard.decide("casino.test:443", user, EIGHT + 1).verdict == "allow"
    assert guard.decide("casino.test:443", user, EIGHT + 2).verdict == "block"
    assert guard.decide("casino.test:443", f"r.ahmed@{SCHOOL}", EIGHT + 1).verdict == "block"


def test_roles_come_from_the_directory_of_each_guard(db: CategoryDB, people: People) -> None:
    """A reload builds a new guard: a user whose roles changed meets no answer for the old ones."""
    wells = compile_pack(load_pack(PACKS / "wells.yaml"))
    by_role = MappingProxyType({"governor": ("shopping",)})
    pack = compile_pack(
        replace(wells.pack, settings=replace(wells.pack.settings, blocked_categories=by_role))
    )
    user = f"g.jones@{SCHOOL}"
    before = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC), people=people), db)
    assert before.decide("example.com:443", user, EIGHT).verdict == "block"
    assert before.decide("example.com:443", f"a.khan@{SCHOOL}", EIGHT).verdict == "allow"
    after = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db)  # no directory: staff
    assert after.decide("example.com:443", user, EIGHT).verdict == "allow"


def test_url_entries_under_a_host_decide_their_paths_only(db: CategoryDB, tmp_path: Path) -> None:
    essentials = "teams.microsoft.com\nportal.example.net\nbbc.co.uk/bitesize\n"
    pack = pack_with("wonder", tmp_path, {"school-essentials": essentials})
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db)
    asked = [
        ("http://portal.example.net/arcade/x", "allow"),  # allowed, and no URL entry is illegal content:
        ("http://portal.example.net/", "allow"),  # one decision for every path
        ("http://example.com/", "allow"),  # shopping
        ("http://example.com/games", "block"),  # the URL entry adds games
        ("http://example.com/gamesroom", "allow"),
        ("http://www.example.com/Games/x", "block"),
        ("https://teams.microsoft.com/games/x", "allow"),  # allowed whatever the path adds ...
        ("https://teams.microsoft.com/illegal/x", "block"),  # ... unless it is illegal content
        ("https://teams.microsoft.com/", "allow"),
        ("https://www.bbc.co.uk/bitesize/ks2", "allow"),
        ("https://www.bbc.co.uk/cbbc/games", "block"),
    ]
    for _ in range(2):
        for url, verdict in asked:
            assert guard.decide(url, "", EIGHT).verdict == verdict, url
    games = guard.outcome("https://teams.microsoft.com/games/x", "", EIGHT)
    assert games[2] == db.categories("https://teams.microsoft.com/games/x") == {"chat", "games"}
    assert guard.outcome("https://teams.microsoft.com/", "", EIGHT)[2] == {"chat"}
    arcade = guard.outcome("http://portal.example.net/arcade/x", "", EIGHT)
    assert arcade[2] == db.categories("http://portal.example.net/arcade/x") == {"games"}
    assert guard.outcome("http://portal.example.net/", "", EIGHT)[2] == frozenset()
    assert guard._path_hosts["portal.example.net"][4]  # decided once per rid, whatever the path
    assert not guard._path_hosts["teams.microsoft.com"][4]  # its URL entries include illegal content


def test_findings_name_each_requests_own_host(db: CategoryDB) -> None:
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db)
    first = guard.decide("casino.test:443", "", EIGHT)
    second = guard.decide("bet365.com:443", "", EIGHT)  # the same verdict, shared
    assert [f.where for f in first.findings] == ["casino.test"]
    assert [f.where for f in second.findings] == ["bet365.com"]
    assert [f.evidence for f in first.findings] == [f.evidence for f in second.findings]


def test_the_caches_are_bounded(db: CategoryDB) -> None:
    pack = compile_pack(load_pack(PACKS / "wells.yaml"))
    guard = WebGuard(pack, CheckContext(at=dt.datetime.now(dt.UTC)), db, max_entries=10)
    for n in range(50):
        assert guard.decide(f"host{n}.casino.test:443", "", EIGHT).verdict == "block"
        assert guard.decide(f"http://example.com/games/{n}", "", EIGHT).verdict == "allow"
    assert len(guard._requests) <= 10 and len(guard._free_hosts) <= 10


def test_the_repository_packs_against_the_small_lists(db: CategoryDB, people: People) -> None:
    ctx = CheckContext(at=dt.datetime.now(dt.UTC), people=people)
    for pack_id in ("learning-partnership", "oak", "fst"):
        pack = compile_pack(load_pack(ROOT / "packs" / f"{pack_id}.yaml"))
        check_day(pack, db, ctx, list(itertools.product(URLS[:12], USERS[:3], TIMES[:3])))


def test_the_c_cut_of_a_batchs_hosts_is_the_python_cut() -> None:
    assert guard_module.url_hosts is not None, "url_hosts was not built: install a C compiler, reinstall"
    rnd = random.Random(5)  # noqa: S311 - reproducible test data, not secrets
    labels = ["www", "example", "co", "uk", "a", "x-1", "_dmarc", "0", "", "Www", "bü", "a b", "[::1]", "u@h"]
    schemes = ["", "", "http://", "https://", "HTTP://", "ftp://", "//", "http:/"]
    ports = ["", "", ":443", ":8", ":12345", ":123456", ":", ":x", "."]
    paths = ["", "/", "/a?b", "?q=1", "#f", "/é", "/a/b/c", "//x"]

    def url() -> str:
        host = ".".join(rnd.choices(labels[:8] if rnd.random() < 0.7 else labels, k=rnd.randint(1, 4)))
        return rnd.choice(schemes) + host + rnd.choice(ports) + rnd.choice(paths)

    urls = URLS + BAD_URLS + [url() for _ in range(20_000)]
    urls += ["www.example.com.:443", "a.b:1", "a.b:12345", "a.b.:", "http://a.b./x", "a:443", "http://a/"]

    def python_cut(url: str) -> str | None:
        plain = _PLAIN_AUTHORITY.fullmatch(_authority(url)[0])
        return plain.group(1) if plain is not None else None

    cut = guard_module.url_hosts.plain_hosts(urls)
    for url, host in zip(urls, cut, strict=True):
        # None leaves a URL to the Python cut: always so for one with a character outside ASCII.
        assert host == (python_cut(url) if url.isascii() else None), url
    assert 1500 < sum(host is not None for host in cut) < 15_000  # plain hosts and others
