"""Every `web.*` check a request can be decided on as it happens (DESIGN.md, check catalogue).

`check_url` is a pure function of (compiled pack, context, the request, the request's categories):
the categories come from the category database (`aupguard.engine.web.categories`), looked up by
the caller, so that the checks can be tested with any categories and the guard can cache lookups.

The order of the rules, and why:

1. `web.illegal_content` first, and alone: a request on one of the pack's illegal-content lists is
   refused and alerted to the pack's safeguarding contact, and nothing below can let it through;
2. the pack's allowed sites (`allowed_domains`, `allowed_lists`) and an approved
   `filtered_site_access` request for this user, this site and this time let everything else
   through: they are how a school keeps its own tools working and grants exceptions;
3. then every check that fires adds a finding: `web.filter_bypass` (proxies, anonymisers, VPNs),
   `web.unapproved_ai` (an AI service not on `approved_ai_tools`), `web.social_media_working_hours`
   (in the pack's working hours, in its time zone), and `web.blocked_category` for each category
   the requester's roles may not visit and each site on `blocked_domains`.

`web.blocked_category` is enabled by several clauses with different categories (wells forbids
gambling in one clause, filter bypass in another): a finding names the clause that lists its
category, with the strongest action among them. A category blocked only by the settings'
`blocked_categories` names the first clause without a category list, or no clause.
`web.heavy_streaming` is decided on logs (`aupguard scan squid-log`), not here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterator
from dataclasses import dataclass, replace
from functools import lru_cache
from zoneinfo import ZoneInfo

from aupguard.engine.catalogue import ALL_ROLES
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack, Rule, strongest_rule
from aupguard.engine.decision import Decision, Finding

__all__ = ["UrlChecker", "UrlRequest", "check_url", "in_working_hours", "roles_profile"]

FILTER_BYPASS = "filter_bypass"
AI = "ai"
SOCIAL = ("social_networking",)


@dataclass(frozen=True, slots=True)
class UrlRequest:
    """One web request: `host` normalised, `path` with its query, the requester's roles and address."""

    host: str
    path: str = "/"
    roles: tuple[str, ...] = ("staff",)
    user: str = ""


def in_working_hours(pack: CompiledPack, at: dt.datetime) -> bool:
    hours = pack.pack.settings.working_hours
    local = at.astimezone(ZoneInfo(pack.pack.settings.time_zone))
    day = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")[local.weekday()]
    return day in hours.days and hours.start <= local.time() < hours.end


def _names(rule: Rule, param: str) -> tuple[str, ...]:
    """A list parameter of a rule (categories, roles), or () when the clause gives none."""
    value = rule.params.get(param)
    return value if isinstance(value, tuple) else ()


def _covers_roles(rule: Rule, roles: tuple[str, ...]) -> bool:
    wanted = _names(rule, "roles")
    if not wanted or ALL_ROLES in wanted:
        return True
    return bool(set(wanted) & set(roles))


def _finding(check: str, rule: Rule | None, action: str, where: str, evidence: str) -> Finding:
    if rule is None:
        return Finding(check, None, action, where, evidence)
    return Finding(check, rule.clause, rule.action, where, evidence, rule.notify)


def _blocked_for_roles(pack: CompiledPack, roles: tuple[str, ...]) -> set[str]:
    by_role = pack.pack.settings.blocked_categories
    blocked = set(by_role.get(ALL_ROLES, ()))
    for role in roles:
        blocked.update(by_role.get(role, ()))
    return blocked


@dataclass(frozen=True, slots=True)
class _BlockedPlan:
    """What `web.blocked_category` does for one set of roles, worked out once per (pack, roles).

    `by_category`: for each category it refuses, the rule to cite (the strongest clause naming the
    category, else the strongest clause without a category list when the settings block it, which
    may be None); `listed`: the rule cited for a site on the pack's blocked list.
    """

    by_category: dict[str, Rule | None]
    listed: Rule | None


@lru_cache(maxsize=256)
def _blocked_plan(pack: CompiledPack, roles: tuple[str, ...]) -> _BlockedPlan | None:
    """None when no clause enabling web.blocked_category covers `roles`. Packs hash by identity."""
    rules = [r for r in pack.all_rules.get("web.blocked_category", ()) if _covers_roles(r, roles)]
    if not rules:
        return None
    general = [r for r in rules if not _names(r, "categories")]
    by_category: dict[str, Rule | None] = {}
    for category in sorted(_blocked_for_roles(pack, roles)):
        by_category[category] = strongest_rule(general)
    for category in {c for r in rules for c in _names(r, "categories")}:
        by_category[category] = strongest_rule(r for r in rules if category in _names(r, "categories"))
    return _BlockedPlan(by_category, strongest_rule(general or rules))


def roles_profile(pack: CompiledPack, roles: tuple[str, ...]) -> Hashable:
    """All that `check_url` reads of a requester's roles, as a key: requesters whose roles have the
    same profile get the same decision for every request, so a guard decides once for all of them
    (a teacher, a DSL and an IT technician, where the pack blocks the same for each).

    `check_url` reads the roles only through `_blocked_plan`: anything that comes to read them
    elsewhere must be added here (tests/engine/checks/test_roles_profile.py holds it to that).
    """
    plan = _blocked_plan(pack, roles)
    if plan is None:
        return None
    # Rules by identity: they are the pack's own objects, and the pack outlives any key made of them.
    return tuple((category, id(rule)) for category, rule in sorted(plan.by_category.items())), id(plan.listed)


def _blocked_category(pack: CompiledPack, req: UrlRequest, categories: frozenset[str]) -> Iterator[Finding]:
    check = "web.blocked_category"
    plan = _blocked_plan(pack, req.roles)
    if plan is None:
        return
    by_category = plan.by_category
    for category in sorted(categories):
        if category in by_category:
            yield _finding(check, by_category[category], "block", req.host, f"category {category}")
    listed = pack.blocked.match(req.host, req.path)
    if listed is not None:
        yield _finding(check, plan.listed, "block", req.host, f"{listed} is on the pack's blocked list")


def check_url(pack: CompiledPack, ctx: CheckContext, req: UrlRequest, categories: frozenset[str]) -> Decision:
    """The decision for one request, whose categories the caller has looked up."""
    illegal = pack.illegal.match(req.host, req.path)
    if illegal is not None or "illegal" in categories:
        rule = pack.rule("web.illegal_content")
        contact = pack.pack.settings.safeguarding_contact
        finding = _finding("web.illegal_content", rule, "block", req.host, "on an illegal-content list")
        if rule is None and contact:
            finding = Finding(finding.check, None, "block", req.host, finding.evidence, (contact,))
        return Decision((finding,), pack.id, pack.sha256)

    if pack.allowed.match(req.host, req.path) is not None:
        return Decision((), pack.id, pack.sha256)
    if req.user and ctx.approvals.find("filtered_site_access", req.user, ctx.at, scope=req.host):
        return Decision((), pack.id, pack.sha256)

    findings: list[Finding] = []
    if FILTER_BYPASS in categories and (rule := pack.rule("web.filter_bypass")) is not None:
        findings.append(_finding("web.filter_bypass", rule, "block", req.host, "proxy, anonymiser or VPN"))
    if (
        AI in categories
        and (rule := pack.rule("web.unapproved_ai")) is not None
        and pack.approved_ai.match(req.host, req.path) is None
    ):
        findings.append(
            _finding("web.unapproved_ai", rule, "block", req.host, "AI service not on the approved list")
        )
    rule = pack.rule("web.social_media_working_hours")
    if rule is not None:
        social = _names(rule, "categories") or SOCIAL
        hits = sorted(categories & set(social))
        if hits and in_working_hours(pack, ctx.at):
            findings.append(
                _finding(rule.check, rule, "warn", req.host, f"category {hits[0]} in working hours")
            )
    findings.extend(_blocked_category(pack, req, categories))
    return Decision(tuple(findings), pack.id, pack.sha256)


class UrlChecker:
    """`check_url` with its decisions remembered, for guards that see the same sites all day.

    A decision depends on the request's categories, the requester's roles, whether it is working
    hours, what the pack's lists say of the site (the allowed, blocked, illegal-content and approved
    AI entries it falls under) and, when there are approvals, the requester and the site. The cache
    is keyed on exactly that, so thousands of sites in one category share one decision, which is
    handed back with the request's own host in its findings: the answer `check_url` would give.
    Working hours are worked out once per minute. Not thread-safe; one per process or thread.
    """

    def __init__(self, pack: CompiledPack, ctx: CheckContext, max_entries: int = 100_000) -> None:
        self.pack = pack
        self.ctx = ctx
        self.max_entries = max_entries
        self._decisions: dict[tuple[object, ...], Decision] = {}
        self._listed: dict[str, tuple[str | None, ...]] = {}
        self._path_matters: dict[str, bool] = {}
        self._hours: dict[int, bool] = {}
        self._per_user = bool(ctx.approvals.entries)
        self._lists = (pack.allowed, pack.blocked, pack.illegal, pack.approved_ai)

    def in_hours(self, when: dt.datetime) -> bool:
        minute = int(when.timestamp() // 60)
        known = self._hours.get(minute)
        if known is None:
            if len(self._hours) > 10_000:
                self._hours.clear()
            known = self._hours[minute] = in_working_hours(self.pack, when)
        return known

    def _path_relevant(self, host: str) -> bool:
        known = self._path_matters.get(host)
        if known is None:
            labels = host.split(".")
            suffixes = {".".join(labels[i:]) for i in range(len(labels))}
            known = any(suffixes & lst.prefixes.keys() for lst in self._lists)
            if len(self._path_matters) >= self.max_entries:
                self._path_matters.clear()
            self._path_matters[host] = known
        return known

    def listed(self, host: str, path: str) -> tuple[str | None, ...]:
        """The entry of each pack list (allowed, blocked, illegal, approved AI) the site is on."""
        if self._path_relevant(host):
            return tuple(lst.match(host, path) for lst in self._lists)
        known = self._listed.get(host)
        if known is None:
            known = tuple(lst.match(host, path) for lst in self._lists)
            if len(self._listed) >= self.max_entries:
                self._listed.clear()
            self._listed[host] = known
        return known

    def check(self, req: UrlRequest, categories: frozenset[str], at: dt.datetime) -> Decision:
        if self._per_user:  # an approval names a person and a site: nothing to share
            ctx = CheckContext(at=at, people=self.ctx.people, approvals=self.ctx.approvals)
            return check_url(self.pack, ctx, req, categories)
        key = (self.listed(req.host, req.path), categories, req.roles, self.in_hours(at))
        decision = self._decisions.get(key)
        if decision is None:
            ctx = CheckContext(at=at, people=self.ctx.people, approvals=self.ctx.approvals)
            decision = check_url(self.pack, ctx, req, categories)
            if len(self._decisions) >= self.max_entries:
                self._decisions.clear()
            self._decisions[key] = decision
            return decision
        if decision.findings and decision.findings[0].where != req.host:
            findings = tuple(replace(f, where=req.host) for f in decision.findings)
            decision = Decision(findings, decision.pack_id, decision.pack_sha256, decision.notes)
        return decision
