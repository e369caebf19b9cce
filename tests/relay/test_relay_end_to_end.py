"""The relay in front of a real SMTP server, through an outage and a crash (issue 3, "The relay").

A few hundred messages go through the relay. Part-way the downstream server stops, then the relay is
killed with SIGKILL and started again on the same spool, then the downstream server comes back.
Every accepted message must arrive exactly once; every blocked one must be refused and never arrive;
a held one waits in quarantine until it is released.
"""

from __future__ import annotations

import email
import json
import signal
import smtplib
import socket
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from email.message import EmailMessage
from pathlib import Path

import pytest

from tests.conftest import DATA, ROOT

SCHOOL = "wells.redbridge.sch.uk"
SENDER = f"a.khan@{SCHOOL}"
COLLEAGUE = f"j.ward@{SCHOOL}"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _wait_for_port(port: int, proc: subprocess.Popen[bytes], log: Path, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"process exited with {proc.returncode}: {log.read_text()}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise AssertionError(f"nothing listening on {port}")


class Processes:
    def __init__(self, tmp: Path) -> None:
        self.tmp = tmp
        self.spool = tmp / "spool"
        self.inbox = tmp / "inbox"
        self.relay_port = _free_port()
        self.next_port = _free_port()
        self.relay: subprocess.Popen[bytes] | None = None
        self.downstream: subprocess.Popen[bytes] | None = None

    def start_downstream(self) -> None:
        self.downstream = self._spawn(
            "downstream",
            ["aupguard", "mail-sink", "--listen", f"127.0.0.1:{self.next_port}", "--folder", str(self.inbox)],
        )
        _wait_for_port(self.next_port, self.downstream, self.tmp / "downstream.log")

    def _spawn(self, name: str, args: list[str]) -> subprocess.Popen[bytes]:
        # Output to a file, not a pipe: a pipe nobody reads fills up and stalls the process.
        with open(self.tmp / f"{name}.log", "ab") as log:
            return subprocess.Popen([sys.executable, "-m", *args], cwd=ROOT, stdout=log, stderr=log)

    def stop_downstream(self) -> None:
        assert self.downstream is not None
        self.downstream.terminate()
        self.downstream.wait(10)

    def start_relay(self) -> None:
        email_data = DATA / "email"
        self.relay = self._spawn(
            "relay",
            [
                "aupguard",
                "relay",
                "--policy",
                "wells",
                "--listen",
                f"127.0.0.1:{self.relay_port}",
                "--next",
                f"127.0.0.1:{self.next_port}",
                "--spool",
                str(self.spool),
                "--roster",
                str(email_data / "wells_pupils.csv"),
                "--directory",
                str(email_data / "wells_staff.csv"),
                "--retry-initial",
                "0.2",
                "--retry-max",
                "1",
            ],
        )
        _wait_for_port(self.relay_port, self.relay, self.tmp / "relay.log")

    def kill_relay(self) -> None:
        assert self.relay is not None
        self.relay.send_signal(signal.SIGKILL)
        self.relay.wait(10)

    def cli(self, *args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "aupguard", "relay", *args, "--spool", str(self.spool)],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )

    def close(self) -> None:
        for proc in (self.relay, self.downstream):
            if proc is not None and proc.poll() is None:
                proc.kill()
                proc.wait(10)


@pytest.fixture
def procs(tmp_path: Path) -> Iterator[Processes]:
    p = Processes(tmp_path)
    try:
        yield p
    finally:
        p.close()


def _message(n: int, kind: str) -> EmailMessage:
    msg = EmailMessage()
    msg["From"] = f"Aisha Khan <{SENDER}>"
    msg["Message-ID"] = f"<test-{n:04d}-{kind}@{SCHOOL}>"
    if kind == "card":
        msg["To"] = "bookings@coachesltd.co.uk"
        msg["Subject"] = f"Coach booking {n}"
        msg.set_content("Please charge the deposit to 4111 1111 1111 1111, expiry 09/28.\n")
    elif kind == "held":
        msg["To"] = "p.mensah@gmail.com, clarke.family@yahoo.co.uk"
        msg["Subject"] = f"Trip reminder {n}"
        msg.set_content("Dear parents, the coach leaves at 8.30 on Friday.\n")
    else:
        msg["To"] = COLLEAGUE
        msg["Subject"] = f"Staff briefing notes {n}"
        msg.set_content(f"Notes from briefing {n}: the hall is booked for assembly practice.\n" * 5)
    return msg


def _send(port: int, msg: EmailMessage) -> str:
    """'accepted', or 'refused' when the relay answers 5xx."""
    with smtplib.SMTP("127.0.0.1", port, timeout=30) as smtp:
        try:
            smtp.send_message(msg)
        except smtplib.SMTPDataError as exc:
            assert exc.smtp_code == 550, exc
            text = exc.smtp_error.decode()
            assert "RB-5.22" in text and "PAN" in text, text
            return "refused"
    return "accepted"


def _delivered(inbox: Path) -> Counter[str]:
    counts: Counter[str] = Counter()
    for path in inbox.glob("*.eml"):
        msg = email.message_from_bytes(path.read_bytes())
        counts[str(msg["Message-ID"])] += 1
    return counts


def _kind(message_id: str) -> str:
    return message_id.strip("<>").split("@")[0].split("-")[-1]


def test_every_accepted_message_is_delivered_exactly_once_through_an_outage_and_a_crash(
    procs: Processes,
) -> None:
    procs.start_downstream()
    procs.start_relay()
    plan = ["card" if n % 10 == 3 else "held" if n % 50 == 7 else "clean" for n in range(300)]
    outcome: dict[str, str] = {}

    def send(numbers: range) -> None:
        for n in numbers:
            msg = _message(n, plan[n])
            outcome[str(msg["Message-ID"])] = _send(procs.relay_port, msg)

    send(range(0, 100))
    procs.stop_downstream()  # the school's mail server goes down: the relay keeps accepting
    send(range(100, 200))
    procs.kill_relay()  # a crash, with messages in the spool that could not be delivered
    procs.start_relay()
    send(range(200, 300))
    procs.start_downstream()

    expected = {mid for mid, result in outcome.items() if result == "accepted" and _kind(mid) == "clean"}
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline and not expected <= set(_delivered(procs.inbox)):
        time.sleep(0.2)
    delivered = _delivered(procs.inbox)

    refused = {mid for mid, result in outcome.items() if result == "refused"}
    assert refused == {mid for mid in outcome if _kind(mid) == "card"}
    assert not refused & set(delivered), "a refused message was delivered"
    missing = expected - set(delivered)
    assert not missing, f"{len(missing)} accepted messages never arrived"
    duplicates = {mid: n for mid, n in delivered.items() if n > 1 and mid.startswith("<test-")}
    assert not duplicates, f"delivered more than once: {duplicates}"

    # The held messages (two parents in To) wait in quarantine; their senders were told.
    held = {mid for mid in outcome if _kind(mid) == "held"}
    assert held and not held & set(delivered)
    listing = procs.cli("list", "--json")
    assert listing.returncode == 0, listing.stderr
    held_ids = [json.loads(line)["id"] for line in listing.stdout.splitlines()]
    assert len(held_ids) == len(held)
    notices = [email.message_from_bytes(p.read_bytes()) for p in procs.inbox.glob("*.eml")]
    assert sum(str(n["Subject"]).startswith("Message held") for n in notices) == len(held)

    # Released, one is delivered; rejected, the other is not, and its sender is told.
    released = procs.cli("release", held_ids[0], "--by", "t.osei")
    assert released.returncode == 0, released.stderr
    rejected = procs.cli("reject", held_ids[1], "--by", "t.osei", "--reason", "parents' addresses visible")
    assert rejected.returncode == 0, rejected.stderr
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and sum(_delivered(procs.inbox)[m] for m in held) < 1:
        time.sleep(0.2)
    assert sum(_delivered(procs.inbox)[m] for m in held) == 1

    events = [json.loads(line) for line in (procs.spool / "events.jsonl").read_text().splitlines()]
    kinds = Counter(e["event"] for e in events)
    assert kinds["refused"] == len(refused)
    assert kinds["held"] == len(held)
    assert kinds["released"] == 1 and kinds["rejected"] == 1
    assert kinds["deferred"] > 0  # the outage was seen and retried
    assert all(e["pack_sha256"] for e in events if e["event"] in ("refused", "held", "accepted"))


def test_a_relay_that_cannot_start_says_why_in_one_line(procs: Processes) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "aupguard",
            "relay",
            "--policy",
            "no-such-pack",
            "--listen",
            "127.0.0.1:1",
            "--next",
            "127.0.0.1:2",
            "--spool",
            str(procs.spool),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode == 2
    assert "no-such-pack" in result.stderr and "Traceback" not in result.stderr


def test_a_recipient_refused_for_good_is_bounced_and_the_others_delivered(procs: Processes) -> None:
    procs.start_downstream()
    procs.start_relay()
    msg = _message(1, "clean")
    del msg["To"]
    msg["To"] = f"{COLLEAGUE}, nobody@{SCHOOL}"
    assert _send(procs.relay_port, msg) == "accepted"
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and len(list(procs.inbox.glob("*.eml"))) < 2:
        time.sleep(0.1)
    received = [email.message_from_bytes(p.read_bytes()) for p in sorted(procs.inbox.glob("*.eml"))]
    delivered = [m for m in received if m["Message-ID"] == msg["Message-ID"]]
    assert len(delivered) == 1 and delivered[0]["X-Envelope-To"] == COLLEAGUE
    (bounce,) = [m for m in received if str(m["Subject"]).startswith("Undeliverable")]
    assert bounce["To"] == SENDER and bounce["Auto-Submitted"] == "auto-generated"
    text = bounce.get_payload(decode=True).decode()
    assert f"nobody@{SCHOOL}: 550" in text


def test_sighup_reloads_the_pack_without_stopping_mail(procs: Processes) -> None:
    procs.start_downstream()
    procs.start_relay()
    assert procs.relay is not None
    procs.relay.send_signal(signal.SIGHUP)
    events = procs.spool / "events.jsonl"

    def logged() -> str:  # the port opens a moment before the first event is written
        return events.read_text() if events.exists() else ""

    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and '"reloaded"' not in logged():
        time.sleep(0.1)
    assert '"reloaded"' in logged()
    assert _send(procs.relay_port, _message(2, "clean")) == "accepted"
    assert procs.relay.poll() is None
