"""`aupguard squid-helper` spoken to as Squid speaks to it: many requests at once, answers by ID."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from pathlib import Path

from aupguard.squid.protocol import ProtocolError, bh, err, ok, parse_request
from tests.conftest import ROOT


def test_request_fields_are_percent_decoded_and_dash_is_none() -> None:
    r = parse_request("17 http://example.com/%7Euser/?q=a%20b 10.0.0.5 - GET")
    assert (r.channel, r.url, r.client, r.user, r.method) == (
        "17",
        "http://example.com/~user/?q=a b",
        "10.0.0.5",
        "",
        "GET",
    )
    connect = parse_request("4900 www.facebook.com:443 127.0.0.1 A.Khan%40wells.sch.uk CONNECT -")
    assert connect.url == "www.facebook.com:443" and connect.user == "a.khan@wells.sch.uk"


def test_malformed_lines_are_protocol_errors_keeping_their_channel() -> None:
    try:
        parse_request("12 http://x")
    except ProtocolError as exc:
        assert exc.channel == "12" and "expected URL CLIENT USER METHOD" in str(exc)
    else:
        raise AssertionError("a short line was accepted")


def test_replies_quote_the_message_on_one_line() -> None:
    assert ok("3", 'Clause "X"\nline two') == 'message="Clause \\"X\\" line two"'.join(["3 OK ", "\n"])
    assert err("3") == "3 ERR\n"
    assert bh(None, "bad") == 'BH message="bad"\n'


def _helper(db: Path, *extra: str) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "aupguard",
            "squid-helper",
            "--policy",
            "wells",
            "--categories",
            str(db),
            *extra,
        ],
        cwd=ROOT,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def test_pipelined_requests_are_all_answered_by_channel_id(small_db: Path) -> None:
    lines = [
        "1 http://casino.test/roulette 10.0.0.5 - GET -",
        "2 http://school.test/ 10.0.0.5 - GET -",
        "3 nordvpn.com:443 10.0.0.5 - CONNECT -",
        "4 garbage",
        "",
        "5 http://ttrockstars.com/play 10.0.0.5 - GET -",
        "6 http://teams.microsoft.com/ 10.0.0.5 - GET -",
        "7 http://exa%20mple.com/ 10.0.0.5 - GET -",
    ]
    proc = _helper(small_db)
    out, errors = proc.communicate(("\n".join(lines) + "\n").encode(), timeout=60)
    assert proc.returncode == 0, errors.decode()
    replies = {line.split(" ", 1)[0]: line for line in out.decode().splitlines() if not line.startswith("BH")}
    assert (
        replies["1"].startswith("1 OK message=")
        and "RB-6.7.7" in replies["1"]
        and "category gambling" in replies["1"]
    )
    assert replies["2"] == "2 ERR"
    assert replies["3"].startswith("3 OK") and "VPN" in replies["3"]
    assert replies["4"].startswith("4 BH message=")
    assert replies["5"] == "5 ERR"  # a maths platform UT1 files under games stays allowed
    assert replies["6"] == "6 ERR"
    assert replies["7"].startswith("7 OK") and "cannot read this address" in replies["7"]
    assert len(out.decode().splitlines()) == len(lines)


def test_sighup_reloads_without_dropping_a_request(small_db: Path) -> None:
    proc = _helper(small_db)
    assert proc.stdin is not None and proc.stdout is not None
    proc.stdin.write(b"1 http://casino.test/ 10.0.0.5 - GET -\n")
    proc.stdin.flush()
    assert proc.stdout.readline().startswith(b"1 OK")
    proc.send_signal(signal.SIGHUP)
    time.sleep(0.5)
    proc.stdin.write(b"2 http://casino.test/ 10.0.0.5 - GET -\n3 http://school.test/ 10.0.0.5 - GET -\n")
    proc.stdin.flush()
    assert proc.stdout.readline().startswith(b"2 OK")
    assert proc.stdout.readline() == b"3 ERR\n"
    proc.stdin.close()
    assert proc.wait(30) == 0
    assert b"reloaded wells" in (proc.stderr.read() if proc.stderr else b"")


def test_a_repeated_request_is_answered_alike_under_its_own_channel_id(small_db: Path) -> None:
    lines = [f"{n} http://casino.test/roulette 10.0.0.5 - GET -" for n in range(1, 6)]
    lines += [f"{n} http://school.test/ 10.0.0.5 - GET -" for n in range(6, 9)]
    lines += ["9 garbage", "10 garbage"]
    proc = _helper(small_db)
    out, errors = proc.communicate(("\n".join(lines) + "\n").encode(), timeout=60)
    assert proc.returncode == 0, errors.decode()
    replies = out.decode().splitlines()
    assert [r.split(" ", 1)[0] for r in replies] == [str(n) for n in range(1, 11)]
    refused = {r.split(" ", 1)[1] for r in replies[:5]}
    assert len(refused) == 1 and refused.pop().startswith("OK message=")
    assert replies[5:8] == ["6 ERR", "7 ERR", "8 ERR"]
    assert replies[8].startswith("9 BH") and replies[9].startswith("10 BH")
