"""Delivery from the spool to the next SMTP server, with retries, as a mail server does it.

A message leaves the spool only after the next server has answered 250 for it: then its ``.eml`` is
removed first, so it cannot be sent again from here. A 4xx answer, a refused connection or a
time-out keeps it and tries again with back-off (`retry_initial`, doubling, at most `retry_max`);
recipients refused with 4xx are retried alone. A 5xx answer, or a message still undelivered after
`max_age`, is refused for good: it moves to ``failed/`` and the sender is told.

Delivered exactly once, with one window no SMTP client can close: if the relay dies after the next
server has taken the message but before its 250 is read, the message is sent again after restart
(RFC 5321 section 6.1 accepts a duplicate rather than a loss).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import smtplib
import time
from collections.abc import Callable
from dataclasses import dataclass

from aupguard.relay.events import EventLog
from aupguard.relay.spool import FAILED, QUEUE, Envelope, Spool, SpoolError

__all__ = ["Delivery", "DeliveryConfig"]

log = logging.getLogger("aupguard.relay")


@dataclass(frozen=True)
class DeliveryConfig:
    host: str
    port: int
    retry_initial: float = 60.0
    retry_max: float = 3600.0
    max_age: float = 5 * 24 * 3600.0
    timeout: float = 60.0
    concurrency: int = 4
    poll: float = 0.25


Bounce = Callable[[Envelope, str], None]


class Delivery:
    def __init__(self, spool: Spool, events: EventLog, config: DeliveryConfig, bounce: Bounce) -> None:
        self.spool = spool
        self.events = events
        self.config = config
        self.bounce = bounce
        self._in_flight: set[str] = set()

    # --- one message (runs in a worker thread) ------------------------------------------------

    def deliver(self, message_id: str) -> None:
        try:
            env = self.spool.envelope(QUEUE, message_id)
            raw = self.spool.raw(QUEUE, message_id)
        except SpoolError:
            return  # released, rejected or delivered by another process meanwhile
        try:
            refused = self._send(env, raw)
        except smtplib.SMTPResponseException as exc:
            reason = f"{exc.smtp_code} {_text(exc.smtp_error)}"
            if 400 <= exc.smtp_code < 500:
                self._defer(env, reason)
            else:
                self._fail(env, reason)
            return
        except Exception as exc:  # unreachable, timed out, or anything else: keep it and try again
            self._defer(env, f"not delivered: {exc}")
            return
        temporary: dict[str, str] = {}
        permanent: dict[str, str] = {}
        for rcpt, (code, text) in refused.items():
            (temporary if 400 <= code < 500 else permanent)[rcpt] = f"{code} {_text(text)}"
        delivered = [r for r in env.rcpt_tos if r not in refused]
        # The next server holds the message now: the spool lets go of it before anything else can
        # fail, so that nothing after this point can make it be sent again.
        if temporary:
            env.rcpt_tos = list(temporary)
            self._defer(env, "; ".join(f"{r}: {why}" for r, why in temporary.items()))
        else:
            self.spool.remove(QUEUE, env.id)
        self._record(env, delivered, permanent)

    def _send(self, env: Envelope, raw: bytes) -> dict[str, tuple[int, bytes]]:
        """The refused recipients; raises when the whole message was refused or not sent."""
        addresses = [env.mail_from, *env.rcpt_tos]
        options = ["SMTPUTF8"] if not all(a.isascii() for a in addresses) else []
        smtp = smtplib.SMTP(self.config.host, self.config.port, timeout=self.config.timeout)
        try:
            return smtp.sendmail(env.mail_from, env.rcpt_tos, raw, mail_options=options)
        except smtplib.SMTPRecipientsRefused as exc:
            return dict(exc.recipients)
        finally:
            # After DATA's 250 the message is delivered, whatever QUIT answers.
            try:
                smtp.quit()
            except Exception:
                smtp.close()

    def _record(self, env: Envelope, delivered: list[str], permanent: dict[str, str]) -> None:
        try:
            if delivered:
                self.events.write("delivered", id=env.id, kind=env.kind, rcpt_tos=delivered)
            if permanent:
                self.events.write("refused_downstream", id=env.id, recipients=permanent)
                if env.kind == "message" and env.mail_from:
                    self.bounce(env, "; ".join(f"{r}: {why}" for r, why in permanent.items()))
        except Exception as exc:  # the message is delivered; a lost event must not resend it
            log.error("message %s delivered, but recording it failed: %s", env.id, exc)

    def _defer(self, env: Envelope, reason: str) -> None:
        now = time.time()
        if now - env.received > self.config.max_age:
            self._fail(env, f"undelivered after {self.config.max_age / 3600:.0f} hours; last: {reason}")
            return
        env.attempts += 1
        delay = min(self.config.retry_initial * 2 ** (env.attempts - 1), self.config.retry_max)
        env.next_attempt = now + delay
        env.last_error = reason
        self.spool.update(QUEUE, env)
        self.events.write(
            "deferred", id=env.id, attempts=env.attempts, retry_in=round(delay, 3), reason=reason
        )

    def _fail(self, env: Envelope, reason: str) -> None:
        env.last_error = reason
        self.spool.update(QUEUE, env)
        self.spool.move(env.id, QUEUE, FAILED)
        self.events.write("failed", id=env.id, reason=reason)
        if env.kind == "message" and env.mail_from:
            self.bounce(env, reason)

    # --- the loop -----------------------------------------------------------------------------

    def due(self) -> list[str]:
        now = time.time()
        out = []
        for message_id in self.spool.ids(QUEUE):
            if message_id in self._in_flight:
                continue
            try:
                env = self.spool.envelope(QUEUE, message_id)
            except SpoolError:
                continue
            if env.next_attempt <= now:
                out.append(message_id)
        return out

    async def run(self, stop: asyncio.Event) -> None:
        """Deliver what is due until `stop` is set; messages in flight are finished first."""
        slots = asyncio.Semaphore(self.config.concurrency)
        tasks: set[asyncio.Task[None]] = set()

        async def one(message_id: str) -> None:
            async with slots:
                try:
                    await asyncio.to_thread(self.deliver, message_id)
                except Exception:  # a spool that cannot be written: log it, try again next poll
                    log.exception("delivering %s failed", message_id)
                finally:
                    self._in_flight.discard(message_id)

        while not stop.is_set():
            for message_id in self.due():
                self._in_flight.add(message_id)
                task = asyncio.create_task(one(message_id))
                tasks.add(task)
                task.add_done_callback(tasks.discard)
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.config.poll)
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)


def _text(value: bytes | str) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else value
