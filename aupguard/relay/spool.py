"""The relay's spool: every message it has said 250 for, on disk, until it is delivered or decided.

A mail server's promise is that an acknowledged message is never lost. The relay answers 250 only
after the message and its envelope are written, fsynced and renamed into place, and the folder
fsynced too; a crash at any point before that leaves nothing the sender believes was accepted.

Layout (one folder per state; a message is two files, ``ID.eml`` and ``ID.json``):

    tmp/        files being written; emptied when the relay starts (never acknowledged)
    queue/      accepted, waiting for delivery to the next server
    hold/       quarantined until `aupguard relay release` or `reject`
    failed/     refused for good by the next server (the sender was told)
    rejected/   rejected from quarantine (the sender was told); kept for the record

The ``.eml`` file is the commit point: an ``ID.json`` without its ``ID.eml`` is an unfinished write
and is removed at start; a message exists in a state when its ``ID.eml`` is there. Moving a message
renames the ``.json`` first and the ``.eml`` last, so it is always wholly in one state.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import secrets
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import IO, Any

__all__ = ["STATES", "Envelope", "Spool", "SpoolError"]

QUEUE = "queue"
HOLD = "hold"
FAILED = "failed"
REJECTED = "rejected"
STATES = (QUEUE, HOLD, FAILED, REJECTED)
_TMP = "tmp"


class SpoolError(Exception):
    """A spool operation that cannot be done (no such message, a folder that cannot be written)."""


@dataclass
class Envelope:
    """What the relay knows of a message besides its bytes."""

    id: str
    mail_from: str
    rcpt_tos: list[str]
    received: float
    subject: str = ""
    verdict: str = "allow"
    findings: list[dict[str, Any]] = field(default_factory=list)
    # "message" from a sender; "notice" written by the relay itself (never checked again).
    kind: str = "message"
    # The pack (id) that decided; release and reject notices quote its clauses.
    pack: str = ""
    attempts: int = 0
    next_attempt: float = 0.0
    last_error: str = ""

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Envelope:
        known = {k: v for k, v in data.items() if k in cls.__dataclass_fields__}
        return cls(**known)


def new_id() -> str:
    """Sortable by arrival, unique without coordination between relay processes."""
    return f"{time.time_ns() // 1_000_000:013d}-{secrets.token_hex(5)}"


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _write_durably(path: Path, data: bytes) -> None:
    with open(path, "wb") as f:
        f.write(data)
        f.flush()
        os.fsync(f.fileno())


class Spool:
    def __init__(self, root: Path) -> None:
        self.root = root
        self._lock: IO[str] | None = None

    def folder(self, state: str) -> Path:
        return self.root / state

    def prepare(self) -> None:
        """Create the folders, take the spool for this process, and clear what an interrupted run
        left half-written. One relay process per spool: the lock makes a second one stop at start
        (two would each deliver every message)."""
        try:
            for name in (_TMP, *STATES):
                self.folder(name).mkdir(parents=True, exist_ok=True)
            self._lock = open(self.root / "relay.lock", "a+")  # noqa: SIM115 - held for the process's life
        except OSError as exc:
            raise SpoolError(f"{self.root}: cannot create the spool: {exc.strerror or exc}") from None
        try:
            fcntl.flock(self._lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise SpoolError(
                f"{self.root}: another relay is using this spool; give each relay process its own --spool"
            ) from None
        for leftover in self.folder(_TMP).iterdir():
            leftover.unlink(missing_ok=True)
        for state in STATES:
            for meta in self.folder(state).glob("*.json"):
                if not meta.with_suffix(".eml").exists():
                    meta.unlink(missing_ok=True)

    def close(self) -> None:
        """Let another process take the spool (the lock goes with the file)."""
        if self._lock is not None:
            self._lock.close()
            self._lock = None

    def store(self, state: str, envelope: Envelope, raw: bytes) -> None:
        """Write a message durably into `state`; when this returns, it survives a crash."""
        tmp = self.folder(_TMP)
        eml_tmp, meta_tmp = tmp / f"{envelope.id}.eml", tmp / f"{envelope.id}.json"
        _write_durably(eml_tmp, raw)
        _write_durably(meta_tmp, json.dumps(asdict(envelope)).encode())
        target = self.folder(state)
        os.replace(meta_tmp, target / meta_tmp.name)
        os.replace(eml_tmp, target / eml_tmp.name)
        _fsync_dir(target)

    def update(self, state: str, envelope: Envelope) -> None:
        """Rewrite a message's envelope in place (attempts, remaining recipients)."""
        tmp = self.folder(_TMP) / f"{envelope.id}.json.new"
        _write_durably(tmp, json.dumps(asdict(envelope)).encode())
        os.replace(tmp, self.folder(state) / f"{envelope.id}.json")
        _fsync_dir(self.folder(state))

    def ids(self, state: str) -> list[str]:
        """The messages in `state`, oldest first."""
        return sorted(p.stem for p in self.folder(state).glob("*.eml"))

    def envelope(self, state: str, message_id: str) -> Envelope:
        path = self.folder(state) / f"{message_id}.json"
        try:
            return Envelope.from_json(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise SpoolError(f"no message {message_id} in {self.folder(state)}") from None
        except (ValueError, TypeError) as exc:
            raise SpoolError(f"{path}: unreadable envelope: {exc}") from None

    def raw(self, state: str, message_id: str) -> bytes:
        try:
            return (self.folder(state) / f"{message_id}.eml").read_bytes()
        except FileNotFoundError:
            raise SpoolError(f"no message {message_id} in {self.folder(state)}") from None

    def messages(self, state: str) -> Iterator[Envelope]:
        for message_id in self.ids(state):
            with contextlib.suppress(SpoolError):
                yield self.envelope(state, message_id)

    def move(self, message_id: str, source: str, target: str) -> None:
        """Move a message between states. The envelope is copied first and the .eml renamed last,
        so that after a crash at any point one folder holds the message whole (`prepare` clears the
        other's leftover envelope)."""
        src, dst = self.folder(source), self.folder(target)
        if not (src / f"{message_id}.eml").exists():
            raise SpoolError(f"no message {message_id} in {src}")
        _write_durably(dst / f"{message_id}.json", (src / f"{message_id}.json").read_bytes())
        _fsync_dir(dst)
        os.replace(src / f"{message_id}.eml", dst / f"{message_id}.eml")
        _fsync_dir(dst)
        _fsync_dir(src)
        (src / f"{message_id}.json").unlink(missing_ok=True)

    def remove(self, state: str, message_id: str) -> None:
        """Forget a delivered message: the .eml goes first, so it can never be sent twice from here."""
        folder = self.folder(state)
        (folder / f"{message_id}.eml").unlink(missing_ok=True)
        _fsync_dir(folder)
        (folder / f"{message_id}.json").unlink(missing_ok=True)
