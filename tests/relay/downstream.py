"""A real SMTP server for the relay's tests: the school's mail server, downstream of the relay.

Run as a process of its own (`python -m tests.relay.downstream HOST PORT FOLDER`). Every message it
accepts is written to FOLDER as a new file, fsynced before it answers 250, so a message delivered
twice shows as two files. A recipient nobody@... is refused for good (550), as an unknown mailbox is.
"""

from __future__ import annotations

import itertools
import os
import signal
import sys
import threading
from pathlib import Path

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session


class Store:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.counter = itertools.count(len(list(folder.glob("*.eml"))))
        self.lock = threading.Lock()

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        # Addresses that say how to answer, so tests can reach the relay's error paths.
        if address.startswith("nobody@"):
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


def main() -> None:
    host, port, folder = sys.argv[1], int(sys.argv[2]), Path(sys.argv[3])
    folder.mkdir(parents=True, exist_ok=True)
    controller = Controller(Store(folder), hostname=host, port=port)
    controller.start()
    print("ready", flush=True)
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    stop.wait()
    controller.stop()


if __name__ == "__main__":
    main()
