"""The web checks on requests the seed policies forbid or allow, in their own words."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

from aupguard.engine.approvals import Approval, Approvals
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlChecker, UrlRequest, check_url
from aupguard.engine.compiled import compile_pack
from aupguard.engine.decision import Decision
from aupguard.engine.packs import load_pack
from tests.engine.checks.conftest import compiled

# A Tuesday in term, 10:30 in London (working hours), and the same day at 19:00 (after hours).
IN_HOURS = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)
EVENING = dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC)
TEACHER = "a.khan@wells.redbridge.sch.uk"


def decide(
    pack_id: str,
    host: str,
    categories: set[str],
    *,
    path: str = "/",
    roles: tuple[str, ...] = ("staff",),
    at: dt.datetime = IN_HOURS,
    approvals: Approvals | None = None,
) -> Decision:
    ctx = CheckContext(at=at, approvals=approvals or Approvals())
    return check_url(compiled(pack_id), ctx, UrlRequest(host, path, roles, TEACHER), frozenset(categories))


def checks(d: Decision) -> list[tuple[str, str | None, str]]:
    return [(f.check, f.clause, f.action) for f in d.findings]


def test_wells_blocks_gambling_citing_the_clause_that_names_it() -> None:
    d = decide("wells", "www.bet365.com", {"gambling"})
    assert d.verdict == "block"
    ((check, clause, action),) = checks(d)
    assert check == "web.blocked_category" and action == "block"
    assert "gambling" in compiled("wells").pack.clause(str(clause)).text.lower()


def test_wells_does_not_block_what_it_does_not_forbid() -> None:
    assert decide("wells", "www.bbc.co.uk", {"news"}).verdict == "allow"
    assert decide("wells", "unknown.example", set()).verdict == "allow"


def test_a_vpn_is_filter_bypass_and_a_blocked_category_alerting_the_dpl() -> None:
    d = decide("wells", "nordvpn.com", {"filter_bypass"})
    found = {f.check: f for f in d.findings}
    assert set(found) == {"web.filter_bypass", "web.blocked_category"}
    assert set(found["web.filter_bypass"].notify) == {"dpl", "headteacher"}


def test_an_ai_tool_is_blocked_until_the_school_approves_it() -> None:
    d = decide("wells", "chat.openai.com", {"ai"})
    assert [c for c, _, _ in checks(d)] == ["web.unapproved_ai"]
    pack = compiled("wells").pack
    approved = compile_pack(replace(pack, settings=replace(pack.settings, approved_ai_tools=("openai.com",))))
    ctx = CheckContext(at=IN_HOURS)
    assert check_url(approved, ctx, UrlRequest("chat.openai.com"), frozenset({"ai"})).verdict == "allow"


def test_wonder_warns_about_social_media_in_working_hours_only() -> None:
    during = decide("wonder", "www.facebook.com", {"social_networking"}, at=IN_HOURS)
    assert checks(during) == [("web.social_media_working_hours", "WLP-3.12", "warn")]
    after = decide("wonder", "www.facebook.com", {"social_networking"}, at=EVENING)
    assert after.verdict == "allow"
    saturday = decide("wonder", "www.facebook.com", {"social_networking"}, at=IN_HOURS + dt.timedelta(days=4))
    assert saturday.verdict == "allow"


def test_school_essentials_stay_reachable_in_every_pack_whatever_their_category() -> None:
    essentials = [
        ("teams.microsoft.com", "/", {"chat"}),
        ("outlook.office.com", "/mail/", {"webmail"}),
        ("mail.google.com", "/", {"webmail"}),
        ("ttrockstars.com", "/", {"games"}),
        ("www.bbc.co.uk", "/bitesize/primary", {"games", "news"}),
    ]
    for pack_id in ("wonder", "wells", "learning-partnership", "oak", "fst"):
        for host, path, cats in essentials:
            assert decide(pack_id, host, cats, path=path).verdict == "allow", (pack_id, host)
    # The allowance is for the essential part of a site only.
    assert decide("wonder", "www.bbc.co.uk", {"games"}, path="/cbbc/games").verdict == "block"


def test_an_approved_filtered_site_request_lets_one_user_through_for_its_period() -> None:
    grant = Approval(
        "A-9",
        "filtered_site_access",
        TEACHER,
        "youtube.com",
        IN_HOURS - dt.timedelta(hours=1),
        IN_HOURS + dt.timedelta(hours=1),
    )
    approvals = Approvals((grant,))
    assert decide("wonder", "www.youtube.com", {"games"}, approvals=approvals).verdict == "allow"
    assert decide("wonder", "www.youtube.com", {"games"}, approvals=approvals, at=EVENING).verdict == "block"
    assert decide("wonder", "www.twitch.tv", {"games"}, approvals=approvals).verdict == "block"


def test_illegal_content_is_refused_alerted_and_never_unblocked(tmp_path: Path) -> None:
    source = compiled("wells").pack.path
    (tmp_path / "lists").mkdir()
    (tmp_path / "lists" / "illegal-content.txt").write_text("abuse.example\nhost.example/bad/\n")
    (tmp_path / "lists" / "school-essentials.txt").write_text("abuse.example\n")  # an allow can't win
    (tmp_path / "wells.yaml").write_text(source.read_text(encoding="utf-8"), encoding="utf-8")
    pack = compile_pack(load_pack(tmp_path / "wells.yaml"))
    grant = Approval(
        "A-1",
        "filtered_site_access",
        TEACHER,
        "abuse.example",
        IN_HOURS - dt.timedelta(1),
        IN_HOURS + dt.timedelta(1),
    )
    ctx = CheckContext(at=IN_HOURS, approvals=Approvals((grant,)))
    d = check_url(pack, ctx, UrlRequest("www.abuse.example", "/", ("staff",), TEACHER), frozenset())
    (f,) = d.findings
    assert (f.check, f.action) == ("web.illegal_content", "block") and "headteacher" in f.notify
    assert check_url(pack, ctx, UrlRequest("host.example", "/bad/x"), frozenset()).verdict == "block"
    assert check_url(pack, ctx, UrlRequest("host.example", "/good"), frozenset()).verdict == "allow"


def test_roles_limit_a_clause_to_the_roles_it_names() -> None:
    # wonder's clauses name roles [all]: a governor is blocked from games as staff are.
    assert decide("wonder", "miniclip.com", {"games"}, roles=("governor",)).verdict == "block"


def test_the_remembering_checker_answers_as_check_url_does() -> None:
    pack = compiled("wonder")
    checker = UrlChecker(pack, CheckContext(at=IN_HOURS))
    cases = [
        ("www.facebook.com", "/", {"social_networking"}),
        ("miniclip.com", "/", {"games"}),
        ("coolmathgames.com", "/", {"games"}),  # shares miniclip's decision, with its own host
        ("www.bbc.co.uk", "/bitesize/ks2", {"games"}),
        ("www.bbc.co.uk", "/cbbc/games", {"games"}),
        ("example.org", "/", set()),
    ]
    for at in (IN_HOURS, EVENING, IN_HOURS, EVENING + dt.timedelta(days=4)):
        for host, path, cats in cases:
            request = UrlRequest(host, path, ("staff",), TEACHER)
            expected = check_url(pack, CheckContext(at=at), request, frozenset(cats))
            assert checker.check(request, frozenset(cats), at) == expected, (host, path, at)
