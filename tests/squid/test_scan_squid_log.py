"""`aupguard scan squid-log` on a Squid access.log: each line judged at its own time."""

from __future__ import annotations

import datetime as dt
import gzip
import json
import subprocess
import sys
from pathlib import Path

from tests.conftest import ROOT

# Tuesday 1 December 2026: 10:00 and 19:00 in London (GMT in winter).
MORNING = dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC).timestamp()
EVENING = dt.datetime(2026, 12, 1, 19, 0, tzinfo=dt.UTC).timestamp()
GB = 1024 * 1024 * 1024


def _line(
    t: float, user: str, url: str, size: int = 2048, action: str = "TCP_MISS/200", method: str = "GET"
) -> str:
    return (
        f"{t:.3f}    120 10.0.0.5 {action} {size} {method} {url} {user} HIER_DIRECT/93.184.216.34 text/html\n"
    )


def _scan(small_db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "aupguard", "scan", "squid-log", "--categories", str(small_db), *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_a_log_is_judged_line_by_line_with_heavy_streaming_and_malformed_lines(
    small_db: Path, tmp_path: Path
) -> None:
    log = tmp_path / "access.log"
    lines = [_line(MORNING + i, "a.khan", "http://miniclip.com/games/") for i in range(3)] + [
        _line(MORNING, "a.khan", "www.facebook.com:443", method="CONNECT"),
        _line(EVENING, "a.khan", "www.facebook.com:443", method="CONNECT"),
        _line(MORNING, "j.ward", "http://school.test/"),
        _line(MORNING, "j.ward", "http://casino.test/", action="TCP_DENIED/403"),
        "garbage that is not a log line\n",
        _line(MORNING, "a.khan", "http://casino.test/").replace(f"{MORNING:.3f}", "nan", 1),
        "\n",
        _line(MORNING, "t.osei", "http://netflix.com/watch", size=2 * GB),
    ]
    log.write_text("".join(lines))
    result = _scan(small_db, "--policy", "wonder", "--json", str(log))
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["requests"] == 8 and report["malformed"] == 2
    assert report["malformed_lines"] == [f"{log}:8", f"{log}:9"]
    assert report["denied_by_squid"] == 1
    found = {(f["check"], f["who"], f["where"]): f for f in report["findings"]}
    games = found[("web.blocked_category", "a.khan", "miniclip.com")]
    assert games["count"] == 3 and games["clause"] == "WLP-2.15"
    social = found[("web.social_media_working_hours", "a.khan", "www.facebook.com")]
    assert social["count"] == 1  # the evening visit is outside working hours
    streaming = found[("web.heavy_streaming", "t.osei", "2026-12-01")]
    assert streaming["action"] == "alert" and "2,048 MB" in streaming["evidence"]
    assert dict(report["top_users"])["a.khan"] == 5


def test_gzipped_logs_and_unreadable_files(small_db: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.log.1.gz"
    with gzip.open(log, "wt") as f:
        f.write(_line(MORNING, "a.khan", "http://casino.test/"))
    result = _scan(small_db, "--policy", "wells", "--json", str(log), str(tmp_path / "missing.log"))
    assert result.returncode == 2
    first, second = (json.loads(line) for line in result.stdout.splitlines())
    assert first["refused_by_policy"] == 1 and first["findings"][0]["clause"] == "RB-6.7.7"
    assert second["input"].endswith("missing.log") and "cannot read" in second["error"]


def test_the_readable_report(small_db: Path, tmp_path: Path) -> None:
    log = tmp_path / "access.log"
    log.write_text(_line(MORNING, "a.khan", "http://casino.test/"))
    result = _scan(small_db, "--policy", "wells", str(log))
    assert result.returncode == 0, result.stderr
    assert "1 requests, 1 the policy refuses" in result.stdout
    assert "web.blocked_category (RB-6.7.7)  a.khan  casino.test  x1  category gambling" in result.stdout
