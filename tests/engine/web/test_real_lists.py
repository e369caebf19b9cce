"""The database built from the lists shipped in data/: fast to build, and right about known sites."""

from __future__ import annotations

import time
from pathlib import Path

from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.compile import DEFAULT_MAPPING, DEFAULT_SINFONIETTA, DEFAULT_UT1, build_database

# Which sites the lists put where, as found in the UT1 snapshot of 2026-08-17 and Sinfonietta's
# files. The school essentials among them are why packs have allowed domains.
KNOWN = {
    "www.bet365.com": {"gambling"},  # UT1 also lists it in games, jobsearch, malware and phishing
    "www.pokerstars.com": {"gambling"},
    "www.facebook.com": {"social_networking"},
    "www.instagram.com": {"social_networking"},
    "www.tiktok.com": {"social_networking"},
    "nordvpn.com": {"filter_bypass"},
    "dns.google": {"filter_bypass"},  # UT1 doh: DNS over HTTPS takes DNS out of the school's filter
    "http://1.1.1.1/dns-query": {"filter_bypass"},
    "chatgpt.com": {"ai"},
    # School essentials in categories a pack may block:
    "teams.microsoft.com:443": {"chat"},  # UT1 chat
    "mail.google.com": {"webmail"},  # UT1 webmail
    "outlook.office365.com": {"webmail"},  # office365.com is in UT1 webmail
    "outlook.com": {"webmail"},
    "www.youtube.com": {"streaming"},  # UT1 audio-video
    "www.coolmathgames.com": {"games"},  # maths platforms in UT1 games
    "www.mathplayground.com": {"games"},
    "ttrockstars.com": {"games"},
    "sparxmaths.uk": {"games"},
    "www.prodigygame.com": {"games"},
    # Not in any list:
    "outlook.office.com": set(),
    "classroom.google.com": set(),
    "www.bbc.co.uk": set(),
    "unknown-host.example": set(),
}


def test_the_real_lists_build_in_seconds_and_know_the_usual_sites(tmp_path: Path) -> None:
    started = time.perf_counter()
    report = build_database(DEFAULT_UT1, DEFAULT_SINFONIETTA, DEFAULT_MAPPING, tmp_path / "categories.aupcat")
    seconds = time.perf_counter() - started
    assert seconds < 10, f"building took {seconds:.1f} s"
    assert report.domains > 550_000 and report.url_entries > 20_000
    assert report.garbage < 10

    started = time.perf_counter()
    db = CategoryDB.load(report.out)
    assert time.perf_counter() - started < 0.2
    for request, expected in KNOWN.items():
        found = db.categories(request)
        if request == "www.bet365.com":
            assert expected <= found, request
        else:
            assert found == expected, (request, sorted(found))
    assert db.categories("http://www.google.com/top/games/") == {"games"}  # a UT1 URL entry
    assert db.categories("https://www.google.com/search?q=x") == set()
    counts = db.info()["counts"]
    assert counts["per_category"]["adult"] > 60_000  # Sinfonietta fills UT1's missing adult domains
    assert set(db.info()["left_out"]) >= {"ut1/educational_games", "ut1/update", "ut1/child"}
