"""The relay process: accept mail, decide, apply the decision, deliver (`aupguard relay`).

What each verdict does (DESIGN.md, action per clause):

- `block`: refused with SMTP 550 quoting the clause; the sender's own server tells the sender;
- `hold`: kept in the spool's ``hold/`` until `aupguard relay release` or `reject`; the sender told;
- `warn`: delivered, and the sender gets a short notice naming the clause;
- `alert`: delivered, and the holders of the roles the clause names (from the directory) are told;
- `log` and `allow`: delivered; every decision is in the events file either way.

A message is acknowledged (250) only once it is durably in the spool (`spool.Spool.store`). If the
engine itself fails on a message, the message is held, never dropped and never sent unchecked.
SIGHUP reloads the pack, roster, directory and approvals; a reload that fails keeps the old ones.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import logging
import signal
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Session
from aiosmtpd.smtp import Envelope as SMTPEnvelope

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.email import check_email
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision, Finding
from aupguard.engine.mail import read_message
from aupguard.relay.delivery import Delivery, DeliveryConfig
from aupguard.relay.events import EventLog
from aupguard.relay.notices import notice, queue_notice, role_holders
from aupguard.relay.spool import HOLD, QUEUE, Envelope, Spool, new_id

__all__ = ["Guard", "Relay", "RelayConfig"]

log = logging.getLogger("aupguard.relay")


@dataclass(frozen=True)
class Guard:
    """What a decision is made with; replaced whole on reload, never changed in place."""

    pack: CompiledPack
    ctx: CheckContext

    def at_now(self) -> CheckContext:
        now = dt.datetime.now(ZoneInfo(self.pack.pack.settings.time_zone))
        return CheckContext(at=now, people=self.ctx.people, approvals=self.ctx.approvals)


@dataclass(frozen=True)
class RelayConfig:
    listen_host: str
    listen_port: int
    spool: Path
    events: Path
    delivery: DeliveryConfig
    notice_from: str
    max_message_bytes: int = 50 * 1024 * 1024


def _ascii(text: str, limit: int = 380) -> str:
    plain = text.translate(str.maketrans("‘’“”–—…", "''\"\"--.")).encode("ascii", "replace").decode()
    plain = " ".join(plain.split())
    return plain if len(plain) <= limit else plain[: limit - 3] + "..."


class Relay:
    def __init__(self, config: RelayConfig, guard: Guard) -> None:
        self.config = config
        self.guard = guard
        self.spool = Spool(config.spool)
        self.events = EventLog(config.events)
        self.delivery = Delivery(self.spool, self.events, config.delivery, self._bounce)
        self._lock = threading.Lock()

    # --- deciding -----------------------------------------------------------------------------

    def decide(self, guard: Guard, raw: bytes, rcpt_tos: list[str]) -> tuple[Decision, str]:
        """The decision and the subject; an engine failure holds the message for a person to see."""
        try:
            parsed = read_message(raw, guard.pack.mail_limits, envelope_recipients=rcpt_tos)
            return check_email(guard.pack, guard.at_now(), parsed), parsed.subject
        except Exception as exc:  # the engine's failure must not lose or leak the message
            log.exception("engine failed on a message; holding it")
            finding = Finding(
                "email.unscannable", None, "hold", "message", f"aupguard could not check it: {exc!r}"
            )
            return Decision((finding,), guard.pack.id, guard.pack.sha256), ""

    def accept(self, mail_from: str, rcpt_tos: list[str], raw: bytes) -> str:
        """Decide on one message and apply the decision; the SMTP reply to give."""
        guard = self.guard
        decision, subject = self.decide(guard, raw, rcpt_tos)
        verdict = decision.verdict
        env = Envelope(
            id=new_id(),
            mail_from=mail_from,
            rcpt_tos=list(rcpt_tos),
            received=time.time(),
            subject=subject,
            verdict=verdict,
            findings=[f.as_dict() for f in decision.findings],
            pack=guard.pack.id,
        )
        record = {
            "id": env.id,
            "mail_from": mail_from,
            "rcpt_tos": rcpt_tos,
            "verdict": verdict,
            "findings": env.findings,
            "pack": decision.pack_id,
            "pack_sha256": decision.pack_sha256,
        }
        if verdict == "block":
            self.events.write("refused", **record)
            first = next(f for f in decision.findings if f.action == "block")
            clause = guard.pack.clause_text(first.clause) if first.clause else first.check
            return _ascii(f'550 5.7.1 Refused by policy {guard.pack.id} {first.clause or ""}: "{clause}"')
        findings = [f for f in decision.findings if f.action == verdict]
        state = HOLD if verdict == "hold" else QUEUE
        self.spool.store(state, env, raw)
        # Stored: from here on the answer is 250 whatever fails, or the sender would be told of a
        # failure for a message that is delivered, or send it again.
        try:
            self.events.write("held" if state == HOLD else "accepted", **record)
            if verdict in ("hold", "warn"):
                self._notify(guard, verdict, [mail_from], env, findings)
            elif verdict == "alert":
                self._alert(guard, env, findings)
        except Exception:
            log.exception("message %s stored, but its event or notice failed", env.id)
        if state == HOLD:
            return f"250 2.0.0 Held for review as {env.id}"
        return f"250 2.0.0 Queued as {env.id}"

    # --- notices ------------------------------------------------------------------------------

    def _notify(
        self, guard: Guard, kind: str, to: list[str], env: Envelope, findings: list[Finding], detail: str = ""
    ) -> None:
        to = [address for address in to if address]
        if not to:
            return
        msg = notice(
            guard.pack,
            kind=kind,
            sender=self.config.notice_from,
            to=to,
            subject=env.subject,
            findings=findings,
            message_id=env.id,
            detail=detail,
        )
        queue_notice(self.spool, msg, to)

    def _alert(self, guard: Guard, env: Envelope, findings: list[Finding]) -> None:
        roles = {role for f in findings for role in f.notify}
        directory = guard.ctx.people.directory
        sender = directory.get(env.mail_from) if directory else None
        holders = role_holders(roles, directory.staff if directory else (), sender.school if sender else "")
        if not holders:
            self.events.write("alert_unrouted", id=env.id, roles=sorted(roles))
            return
        self._notify(guard, "alert", holders, env, findings, detail=f"From: {env.mail_from}")

    def _bounce(self, env: Envelope, reason: str) -> None:
        self._notify(self.guard, "failed", [env.mail_from], env, [], detail=reason)

    # --- running ------------------------------------------------------------------------------

    def reload(self, guard: Guard) -> None:
        self.guard = guard
        self.events.write("reloaded", pack=guard.pack.id, pack_sha256=guard.pack.sha256)

    def serve(self, reload: Any = None) -> None:
        """Run until SIGTERM or SIGINT. `reload()` builds a new Guard on SIGHUP (or raises)."""
        self.spool.prepare()
        self._hup = False
        # Before the port opens: a SIGHUP that comes as soon as the relay answers must reload, not
        # kill it (the default action). The handler only raises a flag: reloading inside it could
        # interrupt the events file's lock held by the same thread, and wait for it for ever.
        signal.signal(signal.SIGHUP, self._on_hup)
        handler = _Handler(self)
        controller = Controller(
            handler,
            hostname=self.config.listen_host,
            port=self.config.listen_port,
            data_size_limit=self.config.max_message_bytes,
            enable_SMTPUTF8=True,
            ident="aupguard relay",
        )
        controller.start()
        self.events.write(
            "started",
            listen=f"{self.config.listen_host}:{self.config.listen_port}",
            pack=self.guard.pack.id,
            pack_sha256=self.guard.pack.sha256,
            queued=len(self.spool.ids(QUEUE)),
            held=len(self.spool.ids(HOLD)),
        )
        try:
            asyncio.run(self._run(reload))
        finally:
            controller.stop()

    def _on_hup(self, signum: int, frame: object) -> None:
        # A plain flag: no lock that the interrupted code might be holding.
        self._hup = True

    async def _run(self, reload: Any) -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        loop.add_signal_handler(signal.SIGTERM, stop.set)
        loop.add_signal_handler(signal.SIGINT, stop.set)

        async def reloads() -> None:
            while not stop.is_set():
                if self._hup:
                    self._hup = False
                    if reload is not None:
                        await asyncio.to_thread(self._reload, reload)
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(stop.wait(), 0.2)

        watcher = asyncio.create_task(reloads())
        await self.delivery.run(stop)
        await watcher

    def _reload(self, reload: Any) -> None:
        try:
            self.reload(reload())
        except Exception as exc:  # a broken pack must not stop mail: keep the old one
            self.events.write("reload_failed", error=str(exc))
            log.error("reload failed, keeping the current pack: %s", exc)


class _Handler:
    def __init__(self, relay: Relay) -> None:
        self.relay = relay

    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: SMTPEnvelope, address: str, rcpt_options: list[str]
    ) -> str:
        # aiosmtpd keeps bytes that are not UTF-8 as surrogates: no next server could be given them.
        try:
            address.encode("utf-8")
        except UnicodeEncodeError:
            return "553 5.1.3 Recipient address is not valid UTF-8"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: SMTPEnvelope) -> str:
        raw = envelope.original_content or envelope.content or b""
        if isinstance(raw, str):
            raw = raw.encode("utf-8", "surrogateescape")
        mail_from = envelope.mail_from or ""
        if mail_from == "<>":
            mail_from = ""
        try:
            return await asyncio.to_thread(self.relay.accept, mail_from, list(envelope.rcpt_tos), raw)
        except OSError as exc:
            # The spool cannot be written (disk full): the sender's server keeps it and retries.
            log.error("spool write failed: %s", exc)
            return "451 4.3.0 Temporary failure writing the spool; try again later"
