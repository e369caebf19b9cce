"""The Squid helper behind a real Squid (Debian's package), asked by real `curl -x` requests.

The test installs Squid from Debian's packages when it is missing, writes a configuration that uses
`aupguard squid-helper` as an external ACL, serves a small local site under a few names (Squid's
`hosts_file` resolves them to 127.0.0.1), and shows that a site in a forbidden category gets
Squid's 403 with the clause on the deny page, while an allowed site passes.
"""

from __future__ import annotations

import functools
import http.server
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from aupguard.engine.web.compile import build_database
from tests.conftest import ROOT

SITE_NAMES = ("casino.test", "school.test", "www.vpn-unblock.test", "ttrockstars.com")


def _ensure_squid() -> str:
    found = shutil.which("squid") or shutil.which("squid", path="/usr/sbin:/sbin")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail("Squid is not installed and this test is not root: run `sudo apt-get install -y squid`")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "squid"],
        env=env,
        check=True,
        capture_output=True,
        timeout=600,
    )
    # The package starts a system Squid on port 3128; this test runs its own.
    subprocess.run(["systemctl", "stop", "squid"], capture_output=True, check=False)
    subprocess.run(["pkill", "-x", "squid"], capture_output=True, check=False)
    found = shutil.which("squid", path="/usr/sbin:/sbin")
    assert found, "apt-get installed squid but it is not on /usr/sbin"
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _helper_command(pack: str, db: Path) -> str:
    """How Squid runs the helper. As root, Squid runs helpers as `proxy`, who cannot enter /root where
    this venv's Python lives, so the helper runs under Debian's own python3 with this checkout and the
    venv's packages on PYTHONPATH (same CPython 3.11 ABI)."""
    args = f"-m aupguard squid-helper --policy {pack} --categories {db}"
    if os.geteuid() != 0:
        return f"{sys.executable} {args}"
    system_python = "/usr/bin/python3.11"
    assert Path(system_python).exists(), "Debian's python3.11 is needed to run the helper as proxy"
    site = next(p for p in sys.path if p.endswith("site-packages") and ".venv" in p)
    return f"/usr/bin/env PYTHONPATH={ROOT}:{site} {system_python} {args}"


class _Site(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def proxy() -> Iterator[tuple[int, int, Path]]:
    squid = _ensure_squid()
    work = Path(tempfile.mkdtemp(prefix="aupguard-squid-"))
    work.chmod(0o755)  # Squid's helpers run as proxy and read the database from here
    site_root = work / "site"
    site_root.mkdir()
    (site_root / "index.html").write_text("<h1>Welcome to the site</h1>\n")

    ut1 = work / "ut1"
    for category, domains in {
        "gambling": "casino.test\n",
        "vpn": "vpn-unblock.test\n",
        "games": "ttrockstars.com\n",
    }.items():
        (ut1 / category).mkdir(parents=True)
        (ut1 / category / "domains").write_text(domains)
    (work / "sinfonietta").mkdir()
    db = work / "categories.aupcat"
    build_database(ut1, work / "sinfonietta", ROOT / "data" / "categories" / "ut1.csv", db)

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(_Site, directory=str(site_root))
    )
    site_port = server.server_address[1]
    threading.Thread(target=server.serve_forever, daemon=True).start()

    # Squid's own templates plus the deny page, as a network manager installs it (README).
    errors = work / "errors"
    shutil.copytree(Path(squid).resolve().parents[1] / "share" / "squid" / "errors" / "templates", errors)
    shutil.copy(ROOT / "aupguard" / "squid" / "files" / "ERR_AUPGUARD", errors / "ERR_AUPGUARD")
    (work / "hosts").write_text("".join(f"127.0.0.1 {name}\n" for name in SITE_NAMES))
    port = _free_port()
    user = "cache_effective_user proxy\n" if os.geteuid() == 0 else ""
    conf = work / "squid.conf"
    acl_options = "concurrency=50 children-max=2 children-startup=1 ttl=0 negative_ttl=0"
    conf.write_text(
        f"""http_port 127.0.0.1:{port}
{user}pid_filename {work}/squid.pid
cache_log {work}/cache.log
access_log {work}/access.log
coredump_dir {work}
hosts_file {work}/hosts
dns_nameservers 127.0.0.1
visible_hostname aupguard-test
shutdown_lifetime 0 seconds
cache deny all
external_acl_type aupguard {acl_options} %>ru %>a %un %>rm {_helper_command("wells", db)}
acl aupguard_deny external aupguard
error_directory {errors}
deny_info ERR_AUPGUARD aupguard_deny
http_access deny aupguard_deny
http_access allow localhost
http_access deny all
"""
    )
    for path in (work, conf, work / "hosts", db, errors, *errors.iterdir()):
        path.chmod(0o755 if path.is_dir() else 0o644)
    if os.geteuid() == 0:
        shutil.chown(work, "proxy", "proxy")
    # A service name of its own (-n): Squid names its shared memory after it, so this run never
    # meets what another Squid, or an interrupted run, left in /dev/shm.
    service = f"aupguardtest{os.getpid()}"
    proc = subprocess.Popen(
        [squid, "-N", "-n", service, "-f", str(conf)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            log = (work / "cache.log").read_text() if (work / "cache.log").exists() else ""
            pytest.fail(f"squid exited with {proc.returncode}:\n{log[-3000:]}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            time.sleep(0.1)
    try:
        yield port, site_port, work
    finally:
        proc.terminate()
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
        server.shutdown()
        if not os.environ.get("AUPGUARD_KEEP_SQUID"):
            shutil.rmtree(work, ignore_errors=True)


def _curl(proxy_port: int, url: str) -> tuple[int, str]:
    result = subprocess.run(
        [
            "curl",
            "-s",
            "-x",
            f"http://127.0.0.1:{proxy_port}",
            "-o",
            "-",
            "-w",
            "\n%{http_code}",
            "--max-time",
            "20",
            url,
        ],
        capture_output=True,
        text=True,
        timeout=30,
        check=False,
    )
    body, _, code = result.stdout.rpartition("\n")
    return int(code or 0), body


def test_a_gambling_site_gets_squid_s_403_with_the_clause(proxy: tuple[int, int, Path]) -> None:
    port, site_port, _ = proxy
    status, body = _curl(port, f"http://casino.test:{site_port}/?game=roulette")
    assert status == 403
    assert "blocked by the school's Acceptable Use Policy" in body
    assert "Wells Primary School" in body and "RB-6.7.7" in body and "category gambling" in body


def test_an_allowed_site_passes_through_squid(proxy: tuple[int, int, Path]) -> None:
    port, site_port, _ = proxy
    status, body = _curl(port, f"http://school.test:{site_port}/")
    assert status == 200 and "Welcome to the site" in body


def test_a_vpn_is_refused_and_a_school_essential_in_games_is_not(proxy: tuple[int, int, Path]) -> None:
    port, site_port, _ = proxy
    status, body = _curl(port, f"http://www.vpn-unblock.test:{site_port}/")
    assert status == 403 and "proxy, anonymiser or VPN" in body
    status, _ = _curl(port, f"http://ttrockstars.com:{site_port}/")
    assert status == 200
