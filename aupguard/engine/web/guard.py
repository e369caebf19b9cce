"""The web checks as the guards meet requests: a URL, a user and a time in, a decision out, fast.

`check_url` (`aupguard.engine.checks.web`) is the decision: a pure function of the pack, the
request's host and path, the requester's roles, its categories and the time. `WebGuard` gives the
same decision for every request, but works out each part once and remembers it, because a school's
proxy sees the same few thousand sites all day:

- a **URL** seen again with the same roles and working-hours flag is one dictionary look-up; a new
  URL is parsed once, by the category database's own expression (`USUAL_REQUEST`, else `split_url`);
- a **host** is looked up once: its categories and URL entries in the database, and which entry of
  each pack list (allowed, blocked, illegal content, approved AI) it falls under. Most hosts have no
  URL entry at or above them, in the database or the pack's lists, so their path cannot matter:
  they are decided once per (host, roles, working-hours flag), whatever their URLs. So is a host the
  pack allows whose URL entries cannot make it illegal content (the categories a path adds cannot
  change "allow"). The others are decided per URL;
- a **decision** (`Verdict`) is made once per (pack-list entries, categories, roles, working-hours
  flag): that is everything `check_url` reads besides the host, which only fills in the findings'
  `where`, and the time, which only sets the working-hours flag. Thousands of sites in one category
  share one `check_url` run;
- **time** is epoch seconds (a log has them, a helper has `time.time()`). Working hours are worked out
  once a minute: the flag is the same for a whole minute when the pack's hours are whole minutes and
  the zone's offset does not change within that minute (always so for school hours); otherwise it is
  worked out for each request. A pack without the working-hours check has no flag at all;
- a requester who holds an approved `filtered_site_access` request is decided per request, uncached,
  by `check_url` itself: their decision depends on the site, their approval's period and the instant.

Caches are bounded (each is emptied when full) and belong to one `WebGuard`; a reload builds a new
one, so a changed pack, directory, approval or database never meets an old answer. Not thread-safe:
one per process or thread.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Hashable, Sequence
from itertools import chain, compress, repeat
from operator import is_, itemgetter
from typing import cast
from zoneinfo import ZoneInfo

from aupguard.engine.catalogue import WEEKDAYS
from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlRequest, check_url, in_working_hours, roles_profile
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision, Finding
from aupguard.engine.web.categories import (
    USUAL_REQUEST,
    CategoryDB,
    HostEntry,
    UrlRules,
    segment_index,
)
from aupguard.engine.web.hosts import path_of, split_url
from aupguard.engine.web.lists import DomainList, is_under

try:  # the hosts of a batch of URLs cut in C (setup.py); without it, each is cut by `_miss`
    from aupguard.engine.web import url_hosts
except ImportError:  # pragma: no cover (built wherever a C compiler is)
    url_hosts = None  # type: ignore[assignment]
UnlistedHosts: type[unlisted_hosts.UnlistedHosts] | None
try:  # new hosts that only their categories decide, decided in C (setup.py)
    from aupguard.engine.web import unlisted_hosts

    UnlistedHosts = unlisted_hosts.UnlistedHosts
except ImportError:  # pragma: no cover (built wherever a C compiler is)
    UnlistedHosts = None

__all__ = ["DEFAULT_MAX_ENTRIES", "Outcome", "Verdict", "WebGuard"]

DEFAULT_MAX_ENTRIES = 200_000
# Requests looked up together by `outcomes` (a slice learns from the ones before it).
BATCH = 1024
# URL entries on a host from which its lookups go through `segment_index`.
INDEX_FROM = 12
_REFUSE = frozenset({"block", "hold"})
# How far a working-hours window keeps from the instants where the flag changes (see `_window`).
_MARGIN = 1e-6
# An authority as USUAL_REQUEST takes it: a lower-case name of two labels or more, an optional
# trailing dot and port. The host is the name.
_PLAIN_AUTHORITY = re.compile(r"([a-z0-9_\-]+(?:\.[a-z0-9_\-]+)+)\.?(?::[0-9]{1,5})?")
_UNLISTED: tuple[str | None, ...] = (None, None, None, None)


class Verdict:
    """One `check_url` decision, shared by every request the pack cannot tell apart.

    `decision`'s findings name the host of the first such request; an `Outcome` has the decision
    with its own host. `refused`: Squid refuses it (block or hold). `reply` is for a guard to keep
    what it answers for this decision (the Squid helper keeps its reply there).
    """

    __slots__ = ("decision", "findings", "refused", "reply", "verdict")

    def __init__(self, decision: Decision) -> None:
        self.decision = decision
        self.findings = decision.findings
        self.verdict = decision.verdict
        self.refused = self.verdict in _REFUSE
        self.reply: bytes | None = None

    def for_host(self, host: str) -> Decision:
        """The decision with `host` in its findings: what `check_url` answers for that host."""
        decision = self.decision
        findings = decision.findings
        if not findings or findings[0].where == host:
            return decision
        moved = tuple(Finding(f.check, f.clause, f.action, host, f.evidence, f.notify) for f in findings)
        return Decision(moved, decision.pack_id, decision.pack_sha256, decision.notes)


# What a request comes to: (its decision, its host, its categories, the shared Verdict).
Outcome = tuple[Decision, str, frozenset[str], Verdict]
# An outcome as remembered: categories None for a host whose path sets them, and its decision not.
_Known = tuple[Decision, str, frozenset[str] | None, Verdict]
# A pack list as it applies to one host: (suffix, the list has it as a domain, its URL entries),
# for each suffix the list names, longest first, up to the first domain (`DomainList.match`).
_Plan = tuple[tuple[str, bool, tuple[str, ...]], ...]
# What a host whose path matters brings to its requests: (its database entry, the entry of each pack
# list it is on or None when the path decides that, each list's plan then, its URL entries by
# segment or None, whether its decision is path-free all the same).
_PathHost = tuple[
    HostEntry, tuple[str | None, ...] | None, tuple[_Plan, ...], dict[str | None, UrlRules] | None, bool
]


class WebGuard:
    """`check_url` for requests as a guard sees them: `decide(url, user, when)` -> `Decision`.

    `ctx` gives the people (roles from the directory) and the approvals; its `at` is never read:
    each request is decided at its own time `when` (epoch seconds). `default_roles` are the roles of
    a user the directory does not list (or no user). A URL that names no usable host raises
    ValueError with `split_url`'s message.

    Inside, a request is keyed on (URL, the requester's "rid"): a small number for the requester's
    roles and the working-hours flag together, so a key is cheap to hash. Roles that `check_url`
    cannot tell apart (`roles_profile`: a teacher and a DSL where the pack blocks the same for both)
    share a rid, so each site is decided once for all of them. `_rids` maps users to their
    rid for the current flag (one map per flag value).
    """

    def __init__(
        self,
        pack: CompiledPack,
        ctx: CheckContext,
        db: CategoryDB,
        default_roles: tuple[str, ...] = ("staff",),
        *,
        max_entries: int = DEFAULT_MAX_ENTRIES,
    ) -> None:
        self.pack = pack
        self.ctx = ctx
        self.db = db
        self.default_roles = default_roles
        self.max_entries = max_entries
        self._resolve = db.host_entry
        self._lists = (pack.allowed, pack.blocked, pack.illegal, pack.approved_ai)
        self._listed_names = frozenset(
            chain.from_iterable(chain(lst.domains, lst.prefixes) for lst in self._lists)
        )
        self._path_names = frozenset(chain.from_iterable(lst.prefixes for lst in self._lists))
        self._listed_pairs = frozenset(map(_last_two, self._listed_names))
        self._path_pairs = frozenset(map(_last_two, self._path_names))
        self._approved = frozenset(
            a.requester for a in ctx.approvals.entries if a.workflow == "filtered_site_access"
        )
        illegal = db.category_names.index("illegal") if "illegal" in db.category_names else -1
        self._illegal_bit = 1 << illegal if illegal >= 0 else 0
        # Working hours: the flag is `_flag` for every request time in [_lo, _hi).
        hours = pack.pack.settings.working_hours
        self._zone = ZoneInfo(pack.pack.settings.time_zone)
        self._whole_minutes = all(t.second == 0 and t.microsecond == 0 for t in (hours.start, hours.end))
        self._hours_matter = pack.rule("web.social_media_working_hours") is not None
        self._lo, self._hi, self._flag = -math.inf, math.inf, False
        if self._hours_matter:
            self._lo = self._hi = 0.0  # an empty window: the first request works it out
        # rids: (roles, flag) <-> a small int; users -> rid, one map per flag value.
        self._rid_of_key: dict[tuple[tuple[str, ...], bool], int] = {}
        self._rid_keys: list[tuple[tuple[str, ...], bool]] = []  # a rid's first (roles, flag)
        self._rid_of_profile: dict[tuple[Hashable, bool], int] = {}
        self._rids_by_flag: tuple[dict[str, int], dict[str, int]] = ({}, {})
        self._rids = self._rids_by_flag[False]
        # (URL, rid) -> what it comes to; a key's rid is never None (typed so for `_batch`'s keys).
        self._requests: dict[tuple[str, int | None], _Known] = {}
        self._authorities: dict[str, str] = {}
        self._by_host: dict[tuple[str, int], _Known] = {}
        self._free_hosts: dict[str, tuple[frozenset[str], tuple[str | None, ...]]] = {}
        self._path_hosts: dict[str, _PathHost] = {}
        self._verdicts: dict[tuple[object, ...], Verdict] = {}
        self._path_outcomes: dict[tuple[object, ...], _Known] = {}
        native = db.native_probe() if UnlistedHosts is not None and url_hosts is not None else None
        self._unlisted = None
        if UnlistedHosts is not None and native is not None:
            probe, entries, nothing = native
            self._unlisted = UnlistedHosts(
                probe,
                entries,
                nothing,
                self._listed_pairs,
                self._listed_names,
                _UNLISTED,
                self._verdicts,
                self._free_hosts,
                self._path_hosts,
                self._by_host,
                max_entries,
            )

    # -- per request ------------------------------------------------------------------------------

    def decide(self, url: str, user: str, when: float) -> Decision:
        """The decision for `url` requested by `user` ("" for none) at `when` (epoch seconds)."""
        if not self._lo <= when < self._hi:
            self._set_hours(when)
        rid = self._rids.get(user)
        if rid is not None:
            known = self._requests.get((url, rid))
            if known is not None:
                return known[0]
        return self._miss(url, user, rid, when)[0]

    def decide_many(
        self, urls: Sequence[str], users: Sequence[str], whens: Sequence[float]
    ) -> list[Decision]:
        """`decide` for each request of a batch, in order: the same decisions, made faster."""
        found = self._outcomes(urls, users, whens, False)
        if None in found:  # a URL with no usable host: `decide` raises its ValueError
            for i in compress(range(len(found)), map(is_, repeat(None), found)):
                self.decide(urls[i], users[i], whens[i])
        return list(map(_first, cast(list[_Known], found)))

    def outcomes(
        self, urls: Sequence[str], users: Sequence[str], whens: Sequence[float]
    ) -> list[Outcome | None]:
        """`outcome` for each request of a batch (a log's lines, a helper's read), in order.

        The requests whose times share a working-hours window are looked up together, by C loops
        (`map` over the caches); only requests for hosts not decided yet run Python code. None for
        a URL that names no usable host (`outcome` raises its ValueError).
        """
        return cast(list[Outcome | None], self._outcomes(urls, users, whens, True))

    def _outcomes(
        self, urls: Sequence[str], users: Sequence[str], whens: Sequence[float], categories: bool
    ) -> list[_Known | None]:
        if not len(urls) == len(users) == len(whens):
            raise ValueError("urls, users and whens differ in length")
        out: list[_Known | None] = []
        begin, count = 0, len(whens)
        while begin < count:
            end = self._same_window(whens, begin, count)
            if end == begin:  # a time with no window of its own: one request, on its own
                try:
                    out.append(self.outcome(urls[begin], users[begin], whens[begin]))
                except ValueError:
                    out.append(None)
                begin += 1
                continue
            while begin < end:  # in slices, so that a slice finds what the ones before it learnt
                stop = min(begin + BATCH, end)
                out.extend(self._batch(urls[begin:stop], users[begin:stop], whens[begin:stop], categories))
                begin = stop
        return out

    def _same_window(self, whens: Sequence[float], begin: int, count: int) -> int:
        """The end of the run of times from `begin` in one working-hours window (sets it)."""
        first = whens[begin]
        if not self._lo <= first < self._hi:
            self._set_hours(first)
            if not self._lo <= first < self._hi:
                return begin
        lo, hi = self._lo, self._hi
        rest = whens[begin:count] if begin or count < len(whens) else whens
        if lo <= min(rest) and max(rest) < hi:
            return count
        end = begin  # the run as far as it goes
        for when in rest:
            if not lo <= when < hi:
                break
            end += 1
        return end

    def _batch(
        self, urls: Sequence[str], users: Sequence[str], whens: Sequence[float], categories: bool
    ) -> list[_Known | None]:
        """Requests whose times are all in the current working-hours window; None for a URL that
        names no usable host."""
        rids_get = self._rids.get
        rids = list(map(rids_get, users))
        if None in rids:
            for user in {u for u, rid in zip(users, rids, strict=True) if rid is None}:
                self._rid(user)  # None still for a user with approvals: decided one by one below
            rids = list(map(rids_get, users))
        requests = self._requests
        hosts: list[str | None] | None = None
        if url_hosts is not None and type(urls) is list:
            # A URL not seen yet on a host decided for its rid (a path-free host) is known too:
            # by its host, in the same C loop as the URLs.
            found, hosts = url_hosts.remembered(urls, rids, requests, self._by_host)
            if self._unlisted is not None and None in found:
                self._unlisted.fill(found, hosts, rids)
        else:
            found = list(map(requests.get, zip(urls, rids, strict=True)))
        miss, known_get, by_host_get = self._miss, requests.get, self._by_host.get
        for i in compress(range(len(found)), map(is_, repeat(None), found)):
            url, rid = urls[i], rids[i]
            host = hosts[i] if hosts is not None else None
            try:  # a request seen earlier in this batch is known by now
                if rid is None or host is None:
                    known = rid is not None and known_get((url, rid))
                    found[i] = known or miss(url, users[i], rid, whens[i])
                    continue
                known = known_get((url, rid)) or by_host_get((host, rid))
                if known is None:  # the host is cut already: `_miss` without its cutting
                    authority, scheme = _authority(url)
                    cut = scheme + len(authority)
                    known = self._host_outcome(host, url, cut, rid, users[i], whens[i])
                    if len(requests) >= self.max_entries:
                        requests.clear()
                    requests[(url, rid)] = known
                found[i] = known
            except ValueError:
                found[i] = None
        if categories and None in map(_third, filter(None, found)):
            # The outcomes whose categories their path sets (see `_path_outcome`).
            unknown = (
                list(
                    compress(
                        range(len(found)), map(is_, map(_third, cast(list[_Known], found)), repeat(None))
                    )
                )
                if None not in found  # (a URL with no usable host has no outcome at all)
                else [i for i, known in enumerate(found) if known is not None and known[2] is None]
            )
            for i in unknown:
                decision, host, _none, verdict = cast(_Known, found[i])
                filled = (decision, host, self._categories(host, self._split(urls[i])[1]), verdict)
                found[i] = filled
                if rids[i] is not None:
                    requests[(urls[i], rids[i])] = filled
        return found

    def outcome(self, url: str, user: str, when: float) -> Outcome:
        """`decide` with the request's host, categories and shared `Verdict`."""
        if not self._lo <= when < self._hi:
            self._set_hours(when)
        rid = self._rids.get(user)
        known = self._requests.get((url, rid)) if rid is not None else None
        if known is None:
            known = self._miss(url, user, rid, when)
        decision, host, categories, verdict = known
        if categories is None:  # a host whose categories depend on the path, and its decision not
            categories = self._categories(host, self._split(url)[1])
            rid = self._rids.get(user)
            if rid is not None:
                self._requests[(url, rid)] = (decision, host, categories, verdict)
        return (decision, host, categories, verdict)

    def verdict(self, url: str, user: str, when: float) -> Verdict:
        """The shared `Verdict` of a request: its decision (with another host in the findings,
        maybe) and what a guard keeps with it. Fresh, not shared, for a user with approvals."""
        if not self._lo <= when < self._hi:
            self._set_hours(when)
        rid = self._rids.get(user)
        if rid is not None:
            known = self._requests.get((url, rid))
            if known is not None:
                return known[3]
        return self._miss(url, user, rid, when)[3]

    def verdicts(self, urls: Sequence[str], users: Sequence[str], when: float) -> list[Verdict | None]:
        """`verdict` for each request of a batch made at `when` (a helper's read); None for a URL
        that names no usable host."""
        found = self._outcomes(urls, users, [when] * len(urls), False)
        if None in found:
            return [known[3] if known is not None else None for known in found]
        return list(map(_fourth, cast(list[_Known], found)))

    @property
    def approved(self) -> frozenset[str]:
        """The users (lower case) with approved filtered_site_access requests: decided one by one."""
        return self._approved

    def is_approved(self, user: str) -> bool:
        """Whether `user` holds approved filtered_site_access requests (decided one by one)."""
        return bool(user) and user.lower() in self._approved

    def roles_of(self, user: str) -> tuple[str, ...]:
        """A user's roles: from the directory, else `default_roles`."""
        return self.ctx.people.roles_of(user, self.default_roles)

    def hours_window(self, when: float) -> tuple[float, float, bool]:
        """(lo, hi, flag): the working-hours flag at `when`, the same for every time in [lo, hi)."""
        if not self._lo <= when < self._hi:
            self._set_hours(when)
            if not self._lo <= when < self._hi:  # worked out for this instant only
                return when, math.nextafter(when, math.inf), self._flag
        return self._lo, self._hi, self._flag

    # -- the slower paths ---------------------------------------------------------------------------

    def _set_hours(self, when: float) -> None:
        if not self._hours_matter:
            self._lo, self._hi, self._flag = -math.inf, math.inf, False
            return
        self._flag = flag = in_working_hours(self.pack, dt.datetime.fromtimestamp(when, dt.UTC))
        self._rids = self._rids_by_flag[flag]
        window = self._window(when, flag)
        self._lo, self._hi = window if window is not None else (0.0, 0.0)  # (0, 0): work it out again

    def _window(self, when: float, flag: bool) -> tuple[float, float] | None:
        """An interval around `when` over which the working-hours flag is `flag`, or None.

        Within a local day whose UTC offset does not change, the local time is the time since
        midnight, so the flag changes only at the start and the end of working hours: the day is
        three intervals (one on a day off). Every edge is kept a microsecond away from, because
        `in_working_hours` sees a time rounded to the microsecond; a request that close to an edge,
        or on a day the clocks change, gets a window of one minute when the hours are whole minutes
        and the offset does not change within it, and else none.
        """
        zone = self._zone
        local = dt.datetime.fromtimestamp(when, zone)
        day = local.date()
        midnight = dt.datetime.combine(day, dt.time(), tzinfo=zone)
        following = dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        begin, finish = midnight.timestamp(), following.timestamp()
        if finish - begin == 86_400 and midnight.utcoffset() == following.utcoffset():
            hours = self.pack.pack.settings.working_hours
            start = begin + _seconds(hours.start)
            end = begin + _seconds(hours.end)
            working = WEEKDAYS[local.weekday()] in hours.days and start < end
            segments = [(begin, start, False), (start, end, True), (end, finish, False)]
            for lo, hi, value in segments if working else [(begin, finish, False)]:
                if lo + _MARGIN <= when < hi - _MARGIN:
                    return (lo + _MARGIN, hi - _MARGIN) if value == flag else None
        if self._whole_minutes:
            lo = when // 60 * 60
            hi = lo + 60
            first = dt.datetime.fromtimestamp(lo, zone).utcoffset()
            last = dt.datetime.fromtimestamp(math.nextafter(hi, 0.0), zone).utcoffset()
            whole = first is not None and first == last and first.total_seconds() % 60 == 0
            if whole and lo + _MARGIN <= when < hi - _MARGIN:
                return lo + _MARGIN, hi - _MARGIN
        return None

    def _rid(self, user: str) -> int | None:
        """The rid of `user` under the current flag (remembered); None for a user with approvals."""
        if user and user.lower() in self._approved:
            return None
        key = (self.roles_of(user), self._flag)
        rid = self._rid_of_key.get(key)
        if rid is None:
            # Roles that check_url cannot tell apart share a rid, and so every decision.
            profile = (roles_profile(self.pack, key[0]), key[1])
            rid = self._rid_of_profile.get(profile)
            if rid is None:
                rid = self._rid_of_profile[profile] = len(self._rid_keys)
                self._rid_keys.append(key)
            self._rid_of_key[key] = rid
        self._rids[user] = rid
        return rid

    def _miss(self, url: str, user: str, rid: int | None, when: float) -> _Known:
        """A request not remembered (for this rid)."""
        if rid is None:
            rid = self._rid(user)
            if rid is None:
                return self._exact(url, user, when)
            known = self._requests.get((url, rid))
            if known is not None:
                return known
        authority, scheme = _authority(url)
        host = self._authorities.get(authority)
        if host is None:
            host = self._host(url, authority)
            if authority not in self._authorities:
                scheme = -1  # not a plain authority: the path is `_split`'s
        outcome = self._by_host.get((host, rid))
        if outcome is None:
            # Where the path starts in the URL (-1: ask `_split`).
            cut = scheme + len(authority) if scheme >= 0 else -1
            outcome = self._host_outcome(host, url, cut, rid, user, when)
        requests = self._requests
        if len(requests) >= self.max_entries:
            requests.clear()
        requests[(url, rid)] = outcome
        return outcome

    def _host(self, url: str, authority: str) -> str:
        """The host of a URL whose authority (as `_miss` cuts it) is not known yet.

        An authority that is a plain lower-case name (and port) is the usual case, and remembered:
        the host is that name, as USUAL_REQUEST would find it. Anything else (a "?" right after
        the host, capitals, an address in brackets, user:password@, another scheme) goes through
        `_split`, which parses the whole URL as the category database does.
        """
        plain = _PLAIN_AUTHORITY.fullmatch(authority)
        if plain is None:
            return self._split(url)[0]
        host: str = plain.group(1)
        if len(self._authorities) >= self.max_entries:
            self._authorities.clear()
        self._authorities[authority] = host
        return host

    def _split(self, url: str) -> tuple[str, str]:
        """(host, path) of a request as `CategoryDB.categories` finds them: `USUAL_REQUEST`, else
        `split_url` (the path as it follows the authority, "" for a CONNECT). ValueError for a URL
        that names no usable host."""
        usual = USUAL_REQUEST.fullmatch(url)
        if usual is not None:
            host, path = usual.groups()
            return host, path
        return split_url(url)

    def _host_outcome(self, host: str, url: str, cut: int, rid: int, user: str, when: float) -> _Known:
        """A request for a host not decided for this rid yet, or whose path matters."""
        free = self._free_hosts.get(host)
        if free is None:
            info = self._path_hosts.get(host)
            if info is None:
                free = self._new_host(host)
                if free is None:
                    info = self._path_hosts[host]
            if free is None:
                assert info is not None  # noqa: S101 (a host is path-free or not)
                return self._path_outcome(info, host, url, cut, rid, user, when)
        categories, listed = free
        verdict = self._verdicts.get((listed, categories, rid))
        if verdict is None:
            verdict = self._verdict(host, "/", categories, listed, rid, user, when)
        decision = verdict.decision
        outcome = (verdict.for_host(host) if decision.findings else decision, host, categories, verdict)
        by_host = self._by_host
        if len(by_host) >= self.max_entries:
            by_host.clear()
        by_host[(host, rid)] = outcome
        return outcome

    def _path_outcome(
        self, info: _PathHost, host: str, url: str, cut: int, rid: int, user: str, when: float
    ) -> _Known:
        entry, listed, plans, index, decision_path_free = info
        if decision_path_free:
            # An allowed host whose URL entries cannot make it illegal content is allowed
            # whatever the path adds: decided once per rid, like a path-free host. Its categories
            # still depend on the path: left out (None) here, `outcome` works them out.
            verdict = self._verdict(host, "/", entry[0], listed or _UNLISTED, rid, user, when)
            outcome: _Known = (verdict.for_host(host), host, None, verdict)
            if len(self._by_host) >= self.max_entries:
                self._by_host.clear()
            self._by_host[(host, rid)] = outcome
            return outcome
        path = url[cut:] if cut >= 0 else self._split(url)[1]
        if not path or path[0] != "/" or "#" in path:
            path = path_of(path.partition("#")[0])
        categories = self.db.path_categories(entry, path, index)
        if listed is None:
            listed = tuple([_match(plan, path) if plan else None for plan in plans])
        key = (host, categories, listed, rid)
        known = self._path_outcomes.get(key)
        if known is None:
            verdict = self._verdict(host, path, categories, listed, rid, user, when)
            if len(self._path_outcomes) >= self.max_entries:
                self._path_outcomes.clear()
            known = self._path_outcomes[key] = (verdict.for_host(host), host, categories, verdict)
        return known

    def _new_host(self, host: str) -> tuple[frozenset[str], tuple[str | None, ...]] | None:
        """Look a host up: (its categories, its pack-list entries) when its path cannot matter;
        else None, its `_PathHost` kept in `_path_hosts`."""
        entry = self._resolve(host)
        rules = entry[2]
        listed: tuple[str | None, ...] | None = _UNLISTED
        path_listed = False
        last = host.rfind(".")  # `_under_any`'s first test, inline: most hosts are on no list
        if (
            host[host.rfind(".", 0, last) + 1 :] in self._listed_pairs
            or host[last + 1 :] in self._listed_names
        ) and _under_any(host, self._listed_names, self._listed_pairs):
            path_listed = _under_any(host, self._path_names, self._path_pairs)
            listed = None if path_listed else tuple([lst.match(host, "/") for lst in self._lists])
        if not rules and listed is not None:
            if len(self._free_hosts) >= self.max_entries:
                self._free_hosts.clear()
            free = self._free_hosts[host] = (entry[0], listed)
            return free
        decision_path_free = (
            listed is not None
            and listed[0] is not None  # allowed: "allow" whatever the path adds ...
            and listed[2] is None  # ... unless it is illegal content
            and not any(mask & self._illegal_bit for _prefix, mask in rules)
        )
        plans = tuple([_plan(lst, host) for lst in self._lists]) if path_listed else ()
        index = segment_index(rules) if len(rules) >= INDEX_FROM else None
        if len(self._path_hosts) >= self.max_entries:
            self._path_hosts.clear()
        self._path_hosts[host] = (entry, listed, plans, index, decision_path_free)
        return None

    def _categories(self, host: str, path: str) -> frozenset[str]:
        """The categories of a request for `host` with `path` (as it follows the authority)."""
        info = self._path_hosts.get(host)
        entry, index = (info[0], info[3]) if info is not None else (self.db.host_entry(host), None)
        return self.db.path_categories(entry, path_of(path.partition("#")[0]), index)

    def _verdict(
        self,
        host: str,
        path: str,
        categories: frozenset[str],
        listed: tuple[str | None, ...],
        rid: int,
        user: str,
        when: float,
    ) -> Verdict:
        key = (listed, categories, rid)
        verdict = self._verdicts.get(key)
        if verdict is None:
            roles, _flag = self._rid_keys[rid]
            ctx = CheckContext(
                at=dt.datetime.fromtimestamp(when, dt.UTC),
                people=self.ctx.people,
                approvals=self.ctx.approvals,
            )
            request = UrlRequest(host, path_of(path.partition("#")[0]), roles, user)
            verdict = Verdict(check_url(self.pack, ctx, request, categories))
            if len(self._verdicts) >= self.max_entries:
                self._verdicts.clear()
            self._verdicts[key] = verdict
        return verdict

    def _exact(self, url: str, user: str, when: float) -> Outcome:
        """A request by someone with approvals: `check_url` itself, nothing remembered."""
        host, path = split_url(url)
        categories = self.db.categories(url)
        ctx = CheckContext(
            at=dt.datetime.fromtimestamp(when, dt.UTC), people=self.ctx.people, approvals=self.ctx.approvals
        )
        decision = check_url(self.pack, ctx, UrlRequest(host, path, self.roles_of(user), user), categories)
        return (decision, host, categories, Verdict(decision))


def _authority(url: str) -> tuple[str, int]:
    """(the authority, where it starts): the URL itself for a CONNECT, else what follows "http://"
    or "https://" (or nothing: a URL without a scheme) up to a "/". `_host` checks it; `plain_hosts`
    cuts the same in C."""
    if "/" not in url:
        return url, 0
    if url[:7] == _HTTP:
        return url[7:].partition("/")[0], 7
    if url[:8] == _HTTPS:
        return url[8:].partition("/")[0], 8
    return url.partition("/")[0], 0


def _plan(lst: DomainList, host: str) -> _Plan:
    """What `lst.match(host, path)` tests for any path, in its order, the path tests left."""
    steps = []
    labels = host.split(".")
    for i in range(len(labels)):
        suffix = ".".join(labels[i:])
        domain = suffix in lst.domains
        prefixes = lst.prefixes.get(suffix, ())
        if domain or prefixes:
            steps.append((suffix, domain, prefixes))
        if domain:
            break
    return tuple(steps)


def _match(plan: _Plan, path: str) -> str | None:
    """`DomainList.match(host, path)` for the host `plan` was made for."""
    for suffix, domain, prefixes in plan:
        if domain:
            return suffix
        for prefix in prefixes:
            if is_under(path, prefix):
                return suffix + prefix
    return None


_HTTP, _HTTPS = "http://", "https://"
_first = itemgetter(0)

_third = itemgetter(2)
_fourth = itemgetter(3)


def _seconds(t: dt.time) -> float:
    return t.hour * 3600 + t.minute * 60 + t.second + t.microsecond / 1e6


def _last_two(name: str) -> str:
    """The last two labels of a name (``b.c`` of ``a.b.c``); the name itself if it has fewer."""
    last = name.rfind(".")
    return name[name.rfind(".", 0, last) + 1 :] if last >= 0 else name


def _under_any(host: str, names: frozenset[str], pairs: frozenset[str]) -> bool:
    """Whether `host` or a suffix of it (``b.c`` and ``c`` of ``a.b.c``) is in `names`, whose
    names' last two labels (the whole name for one of fewer labels) are `pairs`."""
    last = host.rfind(".")
    if host[host.rfind(".", 0, last) + 1 :] not in pairs and host[last + 1 :] not in names:
        return False
    while True:
        if host in names:
            return True
        dot = host.find(".")
        if dot < 0:
            return False
        host = host[dot + 1 :]
