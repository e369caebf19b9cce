"""`aupguard squid-helper`: the loop between Squid and the engine.

Squid writes request lines to stdin, many at once (``concurrency=``); the helper reads whatever has
arrived, answers every complete line, and writes the answers in one write, so a burst of requests
costs one system call each way. Answers go in arrival order, which Squid accepts as any order.

It never dies on a line: a malformed line gets ``BH`` with a message, and any failure deciding a
request gets ``BH`` for that request alone. SIGHUP reloads the pack, the staff directory, the
approvals and the category database before the next requests are answered; a reload that fails
keeps what was loaded.
"""

from __future__ import annotations

import datetime as dt
import os
import signal
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from types import FrameType
from zoneinfo import ZoneInfo

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.checks.web import UrlChecker, UrlRequest
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.hosts import split_url
from aupguard.squid.protocol import ProtocolError, bh, err, ok, parse_request

__all__ = ["SquidGuard", "deny_message", "serve"]

# Answers remembered at most (about 100 bytes each), cleared every minute anyway.
MAX_REMEMBERED = 200_000

# Verdicts Squid can enforce: it can refuse or let through, not hold or warn.
_REFUSE = frozenset({"block", "hold"})


@dataclass(frozen=True)
class SquidGuard:
    """What a request is decided with; replaced whole on reload (decisions remembered with it)."""

    pack: CompiledPack
    ctx: CheckContext
    categories: CategoryDB
    default_roles: tuple[str, ...]
    checker: UrlChecker = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "checker", UrlChecker(self.pack, self.ctx))

    def roles_of(self, user: str) -> tuple[str, ...]:
        return self.ctx.people.roles_of(user, self.default_roles)

    def decide(self, url: str, user: str, at: dt.datetime) -> tuple[Decision, frozenset[str]]:
        host, path = split_url(url)
        categories = self.categories.categories(url)
        request = UrlRequest(host, path, self.roles_of(user), user)
        return self.checker.check(request, categories, at), categories


def deny_message(pack: CompiledPack, decision: Decision) -> str:
    """What the deny page says: the school, the clause and its words, and why this request."""
    refused = [f for f in decision.findings if f.action in _REFUSE]
    first = refused[0] if refused else decision.findings[0]
    org = pack.pack.organisation
    if first.clause is None:
        return f"{org}: refused by the Acceptable Use Policy ({first.evidence})."
    text = pack.clause_text(first.clause)
    return f'{org}, Acceptable Use Policy {first.clause}: "{text}" ({first.evidence})'


def answer(guard: SquidGuard, line: str, now: Callable[[], dt.datetime]) -> str:
    """The reply to one request line. Never raises."""
    try:
        request = parse_request(line)
    except ProtocolError as exc:
        return bh(exc.channel, f"aupguard: {exc}")
    try:
        decision, _ = guard.decide(request.url, request.user, now())
    except ValueError as exc:
        # An address no one can read is refused, not waved through: a filter fails closed.
        return ok(
            request.channel, f"{guard.pack.pack.organisation}: aupguard cannot read this address ({exc})."
        )
    except Exception as exc:  # a guard failure answers BH for this request only, never dies
        return bh(request.channel, f"aupguard: internal error: {exc!r}")
    if decision.verdict in _REFUSE:
        return ok(request.channel, deny_message(guard.pack, decision))
    return err(request.channel)


def serve(load: Callable[[], SquidGuard], stdin: int = 0, stdout: int = 1) -> int:
    """Answer Squid until stdin closes. `load()` builds the guard, at start and on SIGHUP."""
    guard = load()
    zone = ZoneInfo(guard.pack.pack.settings.time_zone)

    hup = False

    def on_hup(signum: int, frame: FrameType | None) -> None:
        # Only a flag: the reload runs between two reads, never inside a write the signal interrupted.
        nonlocal hup
        hup = True

    def reload() -> None:
        nonlocal guard
        try:
            old, guard = guard, load()
        except Exception as exc:  # a broken pack must not take the filter down: keep the old one
            print(f"aupguard squid-helper: reload failed, keeping the loaded pack: {exc}", file=sys.stderr)
        else:
            if old.categories is not guard.categories:
                old.categories.close()  # its caches would otherwise keep the old mapping alive
            code = guard.pack.pack.version_code
            print(f"aupguard squid-helper: reloaded {guard.pack.id} {code}", file=sys.stderr)

    signal.signal(signal.SIGHUP, on_hup)

    def now() -> dt.datetime:
        return dt.datetime.now(zone)

    # The same URL for the same user gets the same answer within a minute: working hours are
    # decided per minute, and a reload starts afresh. Keyed on the raw fields, so a repeated request
    # costs a dictionary lookup and no parsing.
    answers: dict[bytes, bytes] = {}
    minute = -1
    loaded = guard
    pending = b""
    while True:
        chunk = os.read(stdin, 1 << 16)
        if not chunk:
            return 0
        if hup:
            hup = False
            reload()
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if not lines:
            continue
        current = guard
        this_minute = int(time.time() // 60)
        if this_minute != minute or current is not loaded or len(answers) > MAX_REMEMBERED:
            answers.clear()
            minute, loaded = this_minute, current
        out: list[bytes] = []
        for raw in lines:
            channel, space, request = raw.rstrip(b"\r").partition(b" ")
            fields = request.split(b" ", 3)
            # The answer depends on the URL and the user, not on the client's address.
            if len(fields) >= 3:
                request = fields[0] + b" " + fields[2]
            known = answers.get(request) if space else None
            if known is not None:
                out.append(channel + b" " + known)
                continue
            reply = answer(current, raw.decode("utf-8", "replace").rstrip("\r"), now).encode("utf-8")
            out.append(reply)
            if space and reply.startswith(channel + b" ") and not reply.startswith(channel + b" BH"):
                answers[request] = reply[len(channel) + 1 :]
        data = b"".join(out)
        while data:
            written = os.write(stdout, data)
            data = data[written:]
