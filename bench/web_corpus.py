"""The web benchmark's requests (bench/WEB.md): a seeded day of a school's proxy traffic.

`generate(count, seed)` makes `count` requests (200,000 by default) as Squid would see them on one
school day, and the same requests written four ways:

- for the aupguard helper, Squid's `external_acl_type` lines with FORMAT ``%>ru %>a %un %>rm`` and
  concurrency: ``ID URL CLIENT USER METHOD``, channel IDs 1, 2, 3 ... as Squid 5.7 numbers them, every
  value URL-escaped as Squid escapes it (``%`` as ``%25``, ``~`` as ``%7E``), ``-`` for no user;
- for squidGuard, Squid's `url_rewrite_program` lines with the default extras (Debian's squidGuard 1.6
  takes no channel IDs): ``URL CLIENT/FQDN USER METHOD myip=... myport=...``;
- Squid's native access.log (`aupguard.engine.logs.squid`), one line per request, with times over
  the school day, elapsed times, byte counts, Squid's result codes (the requests a school filter
  refuses as ``TCP_DENIED/403``) and content types. URLs are logged with their query
  (``strip_query_terms off``, as a school auditing its filter sets it);
- the staff directory (`aupguard.engine.people`, the CSV `--directory` takes) of the authenticated
  users, so that each request is decided with its user's roles.

What the requests are, per request (the shares are those of the generator, not of any measured
school):

- 62% to **popular hosts**, Zipf-distributed over about 190 names a UK school's staff reach all day:
  Microsoft 365 and Google Workspace, the learning platforms, BBC Bitesize and news sites, search
  engines, CDNs, certificate and update checks, analytics and advertising, social and video sites;
- 26% to **hosts on the lists**: drawn from 33 UT1 categories and the 3 Sinfonietta host files
  (``data/ut1``, ``data/sinfonietta``), weighted as traffic is (advertising and trackers, news,
  shopping, video and sport far more than gambling, pornography, proxies or malware), Zipf within
  each category over a seeded sample of its domains, often under ``www.`` or another subdomain, and
  one in ten, where the category has a URL list, a URL under one of its URL entries;
- 12% to **unknown hosts**: a long tail of plausible names that no list holds (Zipf over 3,000), and
  names never seen twice (CloudFront, S3 and Azure hosts with random labels, random domains).

Each request is a CONNECT ``host:443``, an ``http://host/path?query`` GET or POST, or an
``https://www.host/...`` URL as Squid sees it with SSL bumping, drawn 72%, 22% and 6%; a request
under a path (BBC Bitesize, a list's URL entry) is always a URL, so the default day has 68%, 25% and
7%. 85% come from 150 authenticated
staff (Zipf: some people browse far more than others), 10% from accounts not in the directory
(supply teachers, visitors, governors) and 5% from devices that do not authenticate.

Request *i* depends on the seed and on the requests before it: the same seed and count give the same
bytes everywhere. `write` puts the four files under ``bench/.cache/web-SEED-COUNT-KEY/``, where
the key changes whenever this file or the lists in ``data/`` change.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import math
import random
import re
import shutil
import sys
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from itertools import accumulate
from pathlib import Path
from zoneinfo import ZoneInfo

__all__ = [
    "CACHE_DIR",
    "DEFAULT_COUNT",
    "DEFAULT_SEED",
    "Files",
    "StaffAccount",
    "WebCorpus",
    "WebRequest",
    "generate",
    "load",
    "squid_escape",
    "write",
]

ROOT = Path(__file__).resolve().parent.parent
CACHE_DIR = Path(__file__).resolve().parent / ".cache"
DATA = ROOT / "data"
UT1 = DATA / "ut1"
SINFONIETTA = DATA / "sinfonietta"

DEFAULT_COUNT = 200_000
DEFAULT_SEED = 2026
ZONE = ZoneInfo("Europe/London")
DAY = dt.date(2026, 12, 1)  # a Tuesday in the autumn term (London is on UTC in December)
SCHOOL_DOMAIN = "wells.redbridge.sch.uk"
SCHOOL = "Wells Primary School"
PROXY_IP = "10.20.0.1"
PROXY_PORT = 3128

# --- popular hosts -------------------------------------------------------------------------------

#: Hosts (some with a path: a URL request then starts with it) in rough order of traffic; the request
#: share of the entry at rank r is proportional to 1 / (r + 1).
POPULAR: tuple[str, ...] = (
    "teams.microsoft.com",
    "login.microsoftonline.com",
    "outlook.office365.com",
    "www.google.com",
    "wellsredbridge.sharepoint.com",
    "fonts.gstatic.com",
    "www.bbc.co.uk/bitesize",
    "www.youtube.com",
    "statics.teams.cdn.office.net",
    "graph.microsoft.com",
    "www.gstatic.com",
    "i.ytimg.com",
    "docs.google.com",
    "res.cdn.office.net",
    "ocsp.digicert.com",
    "www.googletagmanager.com",
    "fonts.googleapis.com",
    "wellsredbridge-my.sharepoint.com",
    "substrate.office.com",
    "accounts.google.com",
    "www.bbc.co.uk/news",
    "ttrockstars.com",
    "play.ttrockstars.com",
    "www.google-analytics.com",
    "ajax.googleapis.com",
    "classroom.google.com",
    "edge.microsoft.com",
    "settings-win.data.microsoft.com",
    "v10.events.data.microsoft.com",
    "www.office.com",
    "cdn.jsdelivr.net",
    "cdnjs.cloudflare.com",
    "drive.google.com",
    "static.files.bbci.co.uk",
    "ichef.bbci.co.uk",
    "www.bing.com",
    "clients4.google.com",
    "update.googleapis.com",
    "safebrowsing.googleapis.com",
    "content-autofill.googleapis.com",
    "www.twinkl.co.uk",
    "login.live.com",
    "onedrive.live.com",
    "www.purplemash.com",
    "www.theguardian.com",
    "i.guim.co.uk",
    "ctldl.windowsupdate.com",
    "ocsp.pki.goog",
    "www.msftconnecttest.com",
    "whiterosemaths.com",
    "www.oxfordowl.co.uk",
    "www.arbor-education.com",
    "login.arbor.sc",
    "www.cpoms.net",
    "www.gov.uk",
    "assets.publishing.service.gov.uk",
    "www.wikipedia.org",
    "en.wikipedia.org",
    "upload.wikimedia.org",
    "www.canva.com",
    "padlet.com",
    "wordwall.net",
    "www.topmarks.co.uk",
    "kahoot.it",
    "quizlet.com",
    "thenational.academy",
    "app.sparxmaths.uk",
    "www.mathletics.com",
    "www.educationcity.com",
    "scratch.mit.edu",
    "www.j2e.com",
    "www.parentpay.com",
    "www.scopay.com",
    "www.myconcern.education",
    "mail.google.com",
    "meet.google.com",
    "apis.google.com",
    "play.google.com",
    "yt3.ggpht.com",
    "rr1---sn-aigl6nzr.googlevideo.com",
    "rr3---sn-aigzrn7e.googlevideo.com",
    "rr5---sn-5hne6nzk.googlevideo.com",
    "www.bbc.co.uk/newsround",
    "www.bbc.co.uk/iplayer",
    "news.sky.com",
    "www.independent.co.uk",
    "www.telegraph.co.uk",
    "www.dailymail.co.uk",
    "www.tes.com",
    "schoolsweek.co.uk",
    "www.metoffice.gov.uk",
    "duckduckgo.com",
    "www.ecosia.org",
    "uk.search.yahoo.com",
    "www.facebook.com",
    "static.xx.fbcdn.net",
    "connect.facebook.net",
    "www.instagram.com",
    "www.linkedin.com",
    "x.com",
    "www.tiktok.com",
    "web.whatsapp.com",
    "stats.g.doubleclick.net",
    "securepubads.g.doubleclick.net",
    "pagead2.googlesyndication.com",
    "www.amazon.co.uk",
    "m.media-amazon.com",
    "www.ebay.co.uk",
    "www.tesco.com",
    "www.argos.co.uk",
    "chatgpt.com",
    "gemini.google.com",
    "copilot.microsoft.com",
    "open.spotify.com",
    "www.netflix.com",
    "www.apple.com",
    "gateway.icloud.com",
    "zoom.us",
    "us02web.zoom.us",
    "www.dropbox.com",
    "wetransfer.com",
    "github.com",
    "www.microsoft.com",
    "www.adobe.com",
    "acrobat.adobe.com",
    "push.services.mozilla.com",
    "firefox.settings.services.mozilla.com",
    "detectportal.firefox.com",
    "www.redbridge.gov.uk",
    "wells.redbridge.sch.uk",
    "www.egress.com",
    "www.bbc.co.uk/sport",
    "www.skysports.com",
    "www.premierleague.com",
    "www.rightmove.co.uk",
    "www.bbcgoodfood.com",
    "www.nationalrail.co.uk",
    "tfl.gov.uk",
    "www.nhs.uk",
    "www.hsbc.co.uk",
    "www.natwest.com",
    "www.mumsnet.com",
    "www.reddit.com",
    "www.pinterest.co.uk",
    "i.pinimg.com",
    "www.coolmathgames.com",
    "www.mathplayground.com",
    "www.prodigygame.com",
    "www.bet365.com",
    "www.paddypower.com",
    "discord.com",
    "www.twitch.tv",
    "www.roblox.com",
    "translate.google.com",
    "www.deepl.com",
    "bit.ly",
    "t.co",
    "www.ft.com",
    "www.economist.com",
    "www.jobs.ac.uk",
    "www.indeed.co.uk",
    "www.tes.com/jobs",
    "www.eteach.com",
    "www.bbc.co.uk/sounds",
    "www.classicfm.com",
    "www.wordreference.com",
    "www.collinsdictionary.com",
    "www.thesaurus.com",
    "www.nasa.gov",
    "www.nationalgeographic.com",
    "kids.nationalgeographic.com",
    "www.natgeokids.com",
    "www.dkfindout.com",
    "www.britannica.com",
    "www.worldbookonline.com",
    "www.ordnancesurvey.co.uk",
    "digimap.edina.ac.uk",
    "www.pearsonactivelearn.com",
    "www.hamilton-trust.org.uk",
    "www.ncetm.org.uk",
    "nrich.maths.org",
    "www.literacyshed.com",
    "www.pobble365.com",
    "www.spellingshed.com",
    "www.phonicsplay.co.uk",
    "www.teachingideas.co.uk",
    "www.sparklebox.co.uk",
    "www.timestables.co.uk",
    "www.doodlemaths.com",
    "www.busythings.co.uk",
)

#: Hosts whose requests move video or audio (large byte counts in the log).
STREAMING_HOSTS = re.compile(r"googlevideo\.com$|youtube\.com$|ytimg|netflix|spotify|twitch|iplayer|sounds")

# --- hosts on the lists --------------------------------------------------------------------------

#: (source, list, share of the listed-host requests). Sources are folders under data/: a UT1
#: category's `domains` and `urls`, or a Sinfonietta hosts file.
LISTED: tuple[tuple[str, str, float], ...] = (
    ("ut1", "publicite", 0.24),
    ("ut1", "press", 0.10),
    ("ut1", "shopping", 0.09),
    ("ut1", "audio-video", 0.07),
    ("ut1", "sports", 0.05),
    ("ut1", "games", 0.05),
    ("ut1", "social_networks", 0.03),
    ("sinfonietta", "social-hosts", 0.02),
    ("ut1", "bank", 0.03),
    ("ut1", "jobsearch", 0.02),
    ("ut1", "blog", 0.02),
    ("ut1", "download", 0.02),
    ("ut1", "webmail", 0.02),
    ("ut1", "chat", 0.02),
    ("ut1", "forums", 0.01),
    ("ut1", "filehosting", 0.01),
    ("ut1", "shortener", 0.015),
    ("ut1", "radio", 0.01),
    ("ut1", "translation", 0.005),
    ("ut1", "celebrity", 0.005),
    ("ut1", "ai", 0.01),
    ("ut1", "gambling", 0.012),
    ("sinfonietta", "gambling-hosts", 0.008),
    ("sinfonietta", "pornography-hosts", 0.01),
    ("ut1", "mixed_adult", 0.004),
    ("ut1", "adult", 0.003),  # URL entries only: UT1's adult domain files are absent
    ("ut1", "dating", 0.005),
    ("ut1", "redirector", 0.008),
    ("ut1", "vpn", 0.005),
    ("ut1", "doh", 0.004),
    ("ut1", "malware", 0.02),
    ("ut1", "phishing", 0.008),
    ("ut1", "cryptojacking", 0.004),
    ("ut1", "warez", 0.005),
    ("ut1", "drogue", 0.003),
    ("ut1", "agressif", 0.002),
)
POOL_SIZE = 400  # domains sampled per list
URL_POOL_SIZE = 60  # URL entries sampled per list
URL_ENTRY_SHARE = 0.10  # of a list's requests, where it has URL entries

#: Lists whose requests a school's filter refuses: logged as TCP_DENIED/403 (the generator does not
#: ask the engine; this only makes the log look like a filtered school's).
REFUSED_LISTS = frozenset(
    {
        "publicite",
        "social_networks",
        "social-hosts",
        "chat",
        "ai",
        "gambling",
        "gambling-hosts",
        "pornography-hosts",
        "mixed_adult",
        "adult",
        "dating",
        "redirector",
        "vpn",
        "doh",
        "malware",
        "phishing",
        "cryptojacking",
        "warez",
        "drogue",
        "agressif",
    }
)
STREAMING_LISTS = frozenset({"audio-video", "radio", "filehosting", "download"})

SHARE_POPULAR = 0.62
SHARE_LISTED = 0.26  # the rest (0.12) unknown
SHARE_FRESH = 0.35  # of the unknown requests: names never seen again
SHARE_CONNECT = 0.72
SHARE_HTTP = 0.22  # the rest (0.06) https:// URLs (SSL bumping)

#: The addresses a hosts file points listed names at.
HOSTS_FILE_ADDRESSES = ("0.0.0.0", "127.0.0.1")  # noqa: S104 (a list's entries, nothing is bound)
_DOMAIN = re.compile(r"[a-z0-9][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+")
_URL_ENTRY = re.compile(r"[a-z0-9][a-z0-9_\-]*(?:\.[a-z0-9_\-]+)+/[A-Za-z0-9._~/\-=&+,;:@!]*")

# --- words ---------------------------------------------------------------------------------------

_WORDS = (
    "maths fractions times tables phonics reading spelling science history geography art music "
    "computing coding french spanish pe sports-day trip consent letter newsletter calendar term "
    "autumn spring summer homework class year1 year2 year3 year4 year5 year6 reception nursery "
    "assembly christmas nativity harvest diwali eid hanukkah science-week book-week world-book-day "
    "sats ks1 ks2 eyfs sen ehcp safeguarding attendance behaviour policy governors minutes budget "
    "payroll invoice order supplies stationery laptop ipad chromebook printer wifi password reset "
    "login portal dashboard account settings profile search results news sport weather video "
    "photos gallery events about contact help support faq terms privacy cookies index home "
    "lesson plan worksheet resources powerpoint quiz game answers teacher pupil parent report "
    "volcano romans egyptians vikings tudors victorians ww2 rainforest rivers mountains space "
    "planets animals plants habitats electricity magnets forces light sound materials"
)
WORDS = tuple(_WORDS.split())
TLDS = (".co.uk", ".com", ".org.uk", ".org", ".net", ".uk", ".io", ".sch.uk", ".ac.uk", ".education")
EXTENSIONS = ("", "", "", ".html", ".php", ".aspx", ".js", ".css", ".png", ".jpg", ".svg", ".json", ".woff2")
MIME = {
    "": "text/html",
    ".html": "text/html",
    ".php": "text/html",
    ".aspx": "text/html",
    ".js": "application/javascript",
    ".css": "text/css",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".svg": "image/svg+xml",
    ".json": "application/json",
    ".woff2": "font/woff2",
}
QUERY_KEYS = ("q", "id", "page", "v", "s", "ref", "utm_source", "lang", "t", "cb", "session", "search")
SUBDOMAINS = ("m.", "cdn.", "static.", "api.", "img.", "media.", "secure.", "login.", "app.", "uk.")
_FIRST_NAMES = (
    "James Aisha Thomas Sarah Mohammed Emma Oliver Priya Daniel Chloe Kwame Zainab Liam Hannah Tomasz "
    "Grace Ravi Sophie Adebayo Lucy Yusuf Megan Patrick Fatima Connor Amelia Kemal Olivia Samuel Nadia "
    "Marcus Rebecca Hassan Ella Jakub Charlotte Tariq Jessica Chidi Laura Imran Rachel Arjun Katie "
    "Declan Ayesha Luke Bethany Omar Holly"
)
FIRST_NAMES = tuple(_FIRST_NAMES.split())
_LAST_NAMES = (
    "Ward Khan Osei Patel Smith Jones Ahmed Williams Brown Taylor Murphy Kowalski Okafor Singh Evans "
    "Hussain Wilson Johnson Roberts Nowak Walker Begum Wright Thompson Clarke Adeyemi Hughes Green Ali "
    "Lewis Hall Mensah Kaur Byrne Robinson Shah Wood Yilmaz Turner Moore Campbell Chen Mitchell Doyle "
    "Rahman Kelly Scott Martin Cooper Edwards"
)
LAST_NAMES = tuple(_LAST_NAMES.split())
EXTRA_ROLES = (
    ("senior_leader",),
    ("dsl",),
    ("it_support",),
    ("line_manager",),
    ("dpl",),
    ("hr",),
)
OTHER_USERS = (
    "supply01",
    "supply02",
    "supply03",
    "supply04",
    "visitor",
    "gov.clarke",
    "gov.adeyemi",
    "student.teacher1",
    "student.teacher2",
    "pta",
    "ict.contractor",
    "caterer",
)

# The school day's traffic density, local time: (start, end, relative requests per minute).
DAY_PROFILE: tuple[tuple[str, str, float], ...] = (
    ("07:30", "08:00", 0.3),
    ("08:00", "08:45", 1.0),
    ("08:45", "10:30", 1.6),
    ("10:30", "10:45", 0.9),
    ("10:45", "12:00", 1.6),
    ("12:00", "13:00", 1.2),
    ("13:00", "15:15", 1.5),
    ("15:15", "16:30", 1.0),
    ("16:30", "17:30", 0.5),
)


# --- the corpus ----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class WebRequest:
    """One request as Squid sees it, and as it logs it."""

    time: float  # seconds since the epoch, UTC
    client: str
    user: str  # "" when the request is not authenticated (Squid writes "-")
    method: str
    url: str  # as Squid sends it: http://host/path?query, host:443 (CONNECT), https://host/path
    source: str  # popular, ut1:LIST, sinfonietta:LIST, unknown, fresh
    status: str  # Squid's result: TCP_TUNNEL/200, TCP_MISS/200, TCP_DENIED/403 ...
    bytes: int
    elapsed: int  # milliseconds
    hierarchy: str
    mime: str

    def log_line(self) -> str:
        """The request as a line of Squid's native access.log (with its newline)."""
        return (
            f"{self.time:.3f} {self.elapsed:6d} {self.client} {self.status} {self.bytes} {self.method} "
            f"{self.url} {self.user or '-'} {self.hierarchy} {self.mime}\n"
        )


@dataclass(frozen=True, slots=True)
class StaffAccount:
    email: str
    first_name: str
    last_name: str
    roles: tuple[str, ...]


@dataclass
class WebCorpus:
    seed: int
    requests: list[WebRequest]
    staff: list[StaffAccount]
    key: str
    sources: Counter[str] = field(default_factory=Counter)

    def helper_input(self) -> bytes:
        """The requests as Squid's external ACL lines (FORMAT %>ru %>a %un %>rm, concurrency)."""
        esc = squid_escape
        return "".join(
            f"{n} {esc(r.url)} {r.client} {esc(r.user) if r.user else '-'} {r.method}\n"
            for n, r in enumerate(self.requests, 1)
        ).encode("ascii")

    def squidguard_input(self) -> bytes:
        """The requests as Squid's url_rewrite lines with the default extras (no channel IDs)."""
        tail = f"myip={PROXY_IP} myport={PROXY_PORT}\n"
        return "".join(
            f"{r.url} {r.client}/- {squid_escape(r.user) if r.user else '-'} {r.method} {tail}"
            for r in self.requests
        ).encode("ascii")

    def access_log(self) -> str:
        return "".join(r.log_line() for r in self.requests)

    def directory_csv(self) -> str:
        header = (
            "email,first_name,last_name,roles,school,line_manager,start_date,leave_date,"
            "personal_email,personal_mobile,account_kind\n"
        )
        rows = (
            f"{a.email},{a.first_name},{a.last_name},{';'.join(a.roles)},{SCHOOL},,2020-09-01,,,,person\n"
            for a in self.staff
        )
        return header + "".join(rows)

    def summary(self) -> dict[str, int]:
        """Counts for the report: requests per kind of host and form, distinct hosts and URLs."""
        forms: Counter[str] = Counter()
        hosts: set[str] = set()
        for r in self.requests:
            if r.method == "CONNECT":
                forms["connect"] += 1
                hosts.add(r.url.rpartition(":")[0])
            else:
                forms["https" if r.url.startswith("https:") else "http"] += 1
                hosts.add(r.url.split("/", 3)[2])
        kinds: Counter[str] = Counter()
        for source, n in self.sources.items():
            kinds[source.partition(":")[0] if ":" in source else source] += n
        return {
            "requests": len(self.requests),
            "distinct_urls": len({r.url for r in self.requests}),
            "distinct_hosts": len(hosts),
            "users": len({r.user for r in self.requests}),
            **{f"form_{k}": v for k, v in sorted(forms.items())},
            **{f"source_{k}": v for k, v in sorted(kinds.items())},
        }


@dataclass(frozen=True)
class Files:
    folder: Path
    helper_input: Path
    squidguard_input: Path
    access_log: Path
    directory: Path
    sources: Path

    def paths(self) -> tuple[Path, ...]:
        return (self.helper_input, self.squidguard_input, self.access_log, self.directory, self.sources)


# Squid's rfc1738_escape: controls, non-ASCII, space and the "unsafe" characters become %XX.
_UNSAFE = {c: f"%{c:02X}" for c in [*range(0x21), *b'"#%<>[\\]^`{|}~', *range(0x7F, 0x100)]}


def squid_escape(value: str) -> str:
    """A value as Squid writes it on a helper line (URL-escaped the way rfc1738_escape does)."""
    if value.isascii():
        return value.translate(_UNSAFE)
    return "".join(_UNSAFE.get(b, chr(b)) for b in value.encode("utf-8"))


# --- generation ----------------------------------------------------------------------------------


def _zipf(n: int, s: float = 1.0) -> list[float]:
    """Cumulative weights of a Zipf distribution over n ranks."""
    return list(accumulate(1.0 / (r + 1) ** s for r in range(n)))


def _pick(rng: random.Random, items: Sequence[str], cum: list[float]) -> str:
    """An item drawn with cumulative weights `cum` (`random.choices` for one item, without its cost)."""
    return items[bisect_right(cum, rng.random() * cum[-1])]


def _read_lines(path: Path) -> list[str]:
    try:
        text = path.read_text(encoding="utf-8", errors="replace")
    except FileNotFoundError:
        return []
    return text.splitlines()


def _pools(rng: random.Random) -> list[tuple[str, list[str], list[str]]]:
    """Per listed source: (tag, a sample of its domains, a sample of its URL entries)."""
    pools = []
    for source, name, _share in LISTED:
        if source == "ut1":
            domains = [d for d in _read_lines(UT1 / name / "domains") if _DOMAIN.fullmatch(d)]
            urls = [u for u in _read_lines(UT1 / name / "urls") if _URL_ENTRY.fullmatch(u)]
        else:
            domains = []
            for line in _read_lines(SINFONIETTA / name):
                parts = line.split()
                if len(parts) >= 2 and parts[0] in HOSTS_FILE_ADDRESSES and _DOMAIN.fullmatch(parts[1]):
                    domains.append(parts[1].lower())
            urls = []
        domains = rng.sample(domains, min(POOL_SIZE, len(domains)))
        urls = rng.sample(urls, min(URL_POOL_SIZE, len(urls)))
        pools.append((f"{source}:{name}", domains, urls))
    return pools


def _staff(rng: random.Random, count: int = 150) -> list[StaffAccount]:
    accounts: list[StaffAccount] = []
    seen: set[str] = set()
    while len(accounts) < count:
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        local = f"{first[0]}.{last}".lower()
        n = 2
        while local in seen:
            local, n = f"{first[0]}.{last}{n}".lower(), n + 1
        seen.add(local)
        roles: tuple[str, ...] = ("staff",)
        if rng.random() < 0.2:
            roles += rng.choice(EXTRA_ROLES)
        accounts.append(StaffAccount(f"{local}@{SCHOOL_DOMAIN}", first, last, roles))
    head = accounts[0]
    accounts[0] = StaffAccount(head.email, head.first_name, head.last_name, ("staff", "headteacher", "dsl"))
    return accounts


def _times(rng: random.Random, count: int) -> list[float]:
    """`count` sorted request times over the school day, in seconds since the epoch."""
    midnight = dt.datetime.combine(DAY, dt.time(0, 0), ZONE).timestamp()

    def minutes(hhmm: str) -> int:
        h, m = hhmm.split(":")
        return int(h) * 60 + int(m)

    spans = [(minutes(a), minutes(b), density) for a, b, density in DAY_PROFILE]
    cum = list(accumulate((b - a) * d for a, b, d in spans))
    out = []
    for _ in range(count):
        start, end, _d = spans[bisect_right(cum, rng.random() * cum[-1])]
        out.append(midnight + 60 * (start + rng.random() * (end - start)))
    out.sort()
    return out


def _word(rng: random.Random) -> str:
    return rng.choice(WORDS)


def _path(rng: random.Random) -> tuple[str, str]:
    """(path with an optional query, the content type it serves)."""
    depth = rng.choice((0, 1, 1, 2, 2, 2, 3, 4))
    ext = rng.choice(EXTENSIONS)
    segments = [_word(rng) for _ in range(depth)]
    if depth and rng.random() < 0.3:
        segments[-1] += f"-{rng.randrange(1, 9999)}"
    path = "/" + "/".join(segments) + (ext if segments else "")
    roll = rng.random()
    if roll < 0.45:
        pairs = []
        for _ in range(rng.choice((1, 1, 2, 3))):
            key = rng.choice(QUERY_KEYS)
            kind = rng.random()
            if kind < 0.4:
                value = str(rng.randrange(1, 10**6))
            elif kind < 0.7:
                value = _word(rng)
            elif kind < 0.85:
                value = f"{_word(rng)}%20{_word(rng)}"
            elif kind < 0.95:
                value = f"{rng.getrandbits(48):012x}"
            else:
                value = f"~{_word(rng)}"
            pairs.append(f"{key}={value}")
        path += "?" + "&".join(pairs)
    return path, MIME[ext]


def _fresh_host(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.35:
        return f"d{rng.getrandbits(52):013x}.cloudfront.net"
    if roll < 0.5:
        return f"{_word(rng)}-{rng.getrandbits(24):06x}.s3.eu-west-2.amazonaws.com"
    if roll < 0.65:
        return f"{_word(rng)}{_word(rng)}-{rng.getrandbits(20):05x}.azurewebsites.net"
    letters = "abcdefghijklmnopqrstuvwxyz"
    name = "".join(rng.choice(letters) for _ in range(rng.randrange(6, 13)))
    return name + rng.choice(TLDS)


def _long_tail(rng: random.Random, count: int = 3000) -> list[str]:
    hosts: set[str] = set()
    while len(hosts) < count:
        base = f"{_word(rng)}{rng.choice(('', '-', ''))}{_word(rng)}{rng.choice(TLDS)}".replace("--", "-")
        hosts.add(rng.choice(("www.", "www.", "", "", "shop.", "blog.", "portal.")) + base)
    return sorted(hosts)


def _client(rng: random.Random) -> str:
    return f"10.20.{rng.randrange(1, 9)}.{rng.randrange(2, 250)}"


def _bytes(rng: random.Random, median: float, sigma: float, cap: int = 60_000_000) -> int:
    return max(0, min(cap, int(rng.lognormvariate(math.log(median), sigma))))


def _address(host: str) -> str:
    """The server address Squid logs for a host (made up, the same for a host every time)."""
    return "HIER_DIRECT/{}.{}.{}.{}".format(*hashlib.blake2s(host.encode(), digest_size=4).digest())


def _with_subdomain(rng: random.Random, domain: str) -> str:
    if domain.startswith("www.") or domain[-1].isdigit():  # already a host, or an IP address
        return domain
    roll = rng.random()
    if roll < 0.5:
        return domain
    if roll < 0.8:
        return "www." + domain
    return rng.choice(SUBDOMAINS) + domain


def generate(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> WebCorpus:
    """`count` requests of one school day, seeded (see the module docstring)."""
    rng = random.Random(seed)  # noqa: S311 (test data, not secrets)
    pools = _pools(rng)
    pool_weights = list(accumulate(share for _s, _n, share in LISTED))
    pool_zipf = {len(p[1]): _zipf(len(p[1])) for p in pools} | {len(p[2]): _zipf(len(p[2])) for p in pools}
    popular_zipf = _zipf(len(POPULAR))
    tail = _long_tail(rng)
    tail_zipf = _zipf(len(tail), 0.9)
    staff = _staff(rng)

    # Who sends the requests: staff by a Zipf of activity, then other accounts, then devices.
    people = [a.email for a in staff]
    rng.shuffle(people)
    people_zipf = _zipf(len(people), 0.8)
    clients = {user: _client(rng) for user in [*people, *OTHER_USERS]}
    devices = [_client(rng) for _ in range(40)]

    addresses: dict[str, str] = {}
    times = _times(rng, count)
    requests: list[WebRequest] = []
    sources: Counter[str] = Counter()
    for t in times:
        # who
        roll = rng.random()
        if roll < 0.85:
            user = _pick(rng, people, people_zipf)
            client = clients[user]
            if rng.random() < 0.1:  # Kerberos logins arrive with the realm's case
                local, _, domain = user.partition("@")
                user = f"{local}@{domain.upper()}"
        elif roll < 0.95:
            user = rng.choice(OTHER_USERS)
            client = clients[user]
        else:
            user, client = "", rng.choice(devices)

        # where
        path_hint = ""
        roll = rng.random()
        url_entry = False
        if roll < SHARE_POPULAR:
            source = "popular"
            host, _, rest = _pick(rng, POPULAR, popular_zipf).partition("/")
            path_hint = "/" + rest if rest else ""
            listed = ""
        elif roll < SHARE_POPULAR + SHARE_LISTED:
            k = bisect_right(pool_weights, rng.random() * pool_weights[-1])
            source, domains, urls = pools[k]
            listed = source.partition(":")[2]
            if urls and (not domains or rng.random() < URL_ENTRY_SHARE):
                entry = _pick(rng, urls, pool_zipf[len(urls)])
                host, _, rest = entry.partition("/")
                path_hint = "/" + rest
                url_entry = True
            else:
                host = _with_subdomain(rng, _pick(rng, domains, pool_zipf[len(domains)]))
        else:
            listed = ""
            if rng.random() < SHARE_FRESH:
                source, host = "fresh", _fresh_host(rng)
            else:
                source, host = "unknown", _pick(rng, tail, tail_zipf)
        sources[source] += 1

        # how
        form = rng.random()
        if path_hint or url_entry:
            form = SHARE_CONNECT + form * (1 - SHARE_CONNECT)  # a path needs a URL
        streaming = listed in STREAMING_LISTS or bool(STREAMING_HOSTS.search(host + path_hint))
        if form < SHARE_CONNECT:
            method, url, mime = "CONNECT", f"{host}:443", "-"
            status = "TCP_TUNNEL/200"
            size = _bytes(rng, 1_500_000, 1.0) if streaming else _bytes(rng, 9_000, 1.6)
            elapsed = int(rng.lognormvariate(math.log(1500), 1.5))
        else:
            path, mime = _path(rng)
            if path_hint:
                tail_path = path if path != "/" else ""
                path = path_hint.rstrip("/") + tail_path if tail_path.startswith("/") else path_hint
            if form < SHARE_CONNECT + SHARE_HTTP:
                url = f"http://{host}{path}"
            else:
                www = host if host.startswith("www.") or host.count(".") > 1 else "www." + host
                url = f"https://{www}{path}"
            method = "POST" if rng.random() < 0.08 else "GET"
            status_roll = rng.random()
            if status_roll < 0.1:
                status, size = "TCP_HIT/200", _bytes(rng, 4_000, 1.2)
            elif status_roll < 0.18:
                status, size = "TCP_REFRESH_UNMODIFIED/304", rng.randrange(250, 400)
            elif status_roll < 0.2:
                status, size = "TCP_MISS/404", rng.randrange(300, 2_000)
            else:
                status = "TCP_MISS/200"
                size = _bytes(rng, 1_200_000, 1.0) if streaming else _bytes(rng, 3_000, 1.5)
            elapsed = int(rng.lognormvariate(math.log(80), 1.0))
        hierarchy = addresses.get(host) or addresses.setdefault(host, _address(host))
        if listed in REFUSED_LISTS:
            status, size, elapsed, hierarchy, mime = (
                "TCP_DENIED/403",
                rng.randrange(3_900, 4_300),
                0,
                "HIER_NONE/-",
                "text/html",
            )
        elif status.startswith("TCP_HIT") or status.endswith("/304"):
            hierarchy = "HIER_NONE/-"
        requests.append(
            WebRequest(t, client, user, method, url, source, status, size, elapsed, hierarchy, mime)
        )
    return WebCorpus(seed, requests, staff, _cache_key(), sources)


# --- files ---------------------------------------------------------------------------------------


def _cache_key() -> str:
    """Changes whenever this generator or the lists it draws from change."""
    digest = hashlib.sha256(Path(__file__).read_bytes())
    for source, name, _share in LISTED:
        folder = UT1 / name if source == "ut1" else SINFONIETTA
        for path in (folder / "domains", folder / "urls") if source == "ut1" else (folder / name,):
            if path.exists():
                stat = path.stat()
                digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
    return digest.hexdigest()[:12]


def files_for(count: int, seed: int) -> Files:
    folder = CACHE_DIR / f"web-{seed}-{count}-{_cache_key()}"
    return Files(
        folder,
        folder / "helper.in",
        folder / "squidguard.in",
        folder / "access.log",
        folder / "staff.csv",
        folder / "sources.json",
    )


def write(corpus: WebCorpus) -> Files:
    """Write the corpus's files under bench/.cache/ (once: an existing folder is reused)."""
    files = files_for(len(corpus.requests), corpus.seed)
    if all(p.exists() for p in files.paths()):
        return files
    for stale in CACHE_DIR.glob(f"web-{corpus.seed}-{len(corpus.requests)}-*"):
        if stale != files.folder:  # made by an older generator or from older lists
            shutil.rmtree(stale)
    files.folder.mkdir(parents=True, exist_ok=True)
    for path, data in (
        (files.helper_input, corpus.helper_input()),
        (files.squidguard_input, corpus.squidguard_input()),
        (files.access_log, corpus.access_log().encode("ascii")),
        (files.directory, corpus.directory_csv().encode("utf-8")),
        (files.sources, json.dumps(dict(corpus.sources), sort_keys=True).encode("ascii")),
    ):
        partial = path.with_suffix(path.suffix + ".part")
        partial.write_bytes(data)
        partial.replace(path)
    return files


def load(count: int = DEFAULT_COUNT, seed: int = DEFAULT_SEED) -> tuple[WebCorpus, Files, bool]:
    """(corpus, its files, whether it was generated now): read back from bench/.cache/ when it is there.

    A corpus read back is rebuilt from its access.log and staff.csv, which hold every field of every
    request except its source (only the counts per source are kept, in sources.json).
    """
    files = files_for(count, seed)
    if not all(p.exists() for p in files.paths()):
        corpus = generate(count, seed)
        return corpus, write(corpus), True
    requests = []
    with open(files.access_log, encoding="ascii") as log:
        for line in log:
            f = line.split()
            requests.append(
                WebRequest(
                    float(f[0]),
                    f[2],
                    "" if f[7] == "-" else f[7],
                    f[5],
                    f[6],
                    "",
                    f[3],
                    int(f[4]),
                    int(f[1]),
                    f[8],
                    f[9],
                )
            )
    staff = []
    for row in files.directory.read_text(encoding="utf-8").splitlines()[1:]:
        cells = row.split(",")
        staff.append(StaffAccount(cells[0], cells[1], cells[2], tuple(cells[3].split(";"))))
    sources = Counter(json.loads(files.sources.read_text(encoding="ascii")))
    return WebCorpus(seed, requests, staff, files.folder.name.rpartition("-")[2], sources), files, False


def main(argv: Sequence[str] | None = None) -> int:
    """`python -m bench.web_corpus [COUNT]`: generate, write and summarise the corpus."""
    args = list(sys.argv[1:] if argv is None else argv)
    count = int(args[0]) if args else DEFAULT_COUNT
    corpus, files, _generated = load(count)
    for key, value in corpus.summary().items():
        print(f"{key:>20}  {value:,}")
    print(f"{'folder':>20}  {files.folder}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
