"""A mail sink: an SMTP server that keeps every message it is given as a file (`aupguard mail-sink`).

It stands in for the school's mail server in the demo (`make demo` runs the relay in front of it)
and in the relay's tests. Every accepted message is written to the folder as a new ``.eml`` file
(fsynced before the 250), with an ``X-Envelope-To`` header naming its recipients, so a message
delivered twice shows as two files. A recipient ``nobody@...`` is refused with 550, as an unknown
mailbox is, so a bounce can be seen.
"""

from __future__ import annotations

import itertools
import os
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session

__all__ = ["MailSink", "run_sink"]


class MailSink:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(len(list(folder.glob("*.eml"))))
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if address.lower().startswith("nobody@"):
            return "550 5.1.1 No such user"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        with self.lock:
            n = next(self.counter)
        path = self.folder / f"{os.getpid()}-{n:06d}.eml"
        data = envelope.original_content or b""
        header = ("X-Envelope-To: " + ", ".join(envelope.rcpt_tos) + "\r\n").encode()
        with open(path, "wb") as f:
            f.write(header + data)
            f.flush()
            os.fsync(f.fileno())
        return "250 2.0.0 Stored"


def run_sink(host: str, port: int, folder: Path, stop: threading.Event) -> None:
    """Serve until `stop` is set."""
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(MailSink(folder), hostname=host, port=port)
    controller.start()
    try:
        stop.wait()
    finally:
        controller.stop()
