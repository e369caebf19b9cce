"""`aupguard squid-helper`: the loop between Squid and the engine.

Squid writes request lines to stdin, many at once (``concurrency=``); the helper reads whatever has
arrived, answers every complete line, and writes the answers in one write, so a burst of requests
costs one system call each way. Answers go in arrival order, which Squid accepts as any order.

It never dies on a line: a malformed line gets ``BH`` with a message, and any failure deciding a
request gets ``BH`` for that request alone. SIGHUP reloads the pack, the staff directory, the
approvals and the category database before the next requests are answered; a reload that fails
keeps what was loaded.

Speed (bench/WEB.md): the answer to a line is a function of the line after its channel ID, the
loaded guard and whether it is working hours, so it is remembered keyed on those bytes, before any
parsing: a repeated request costs a dictionary look-up, done for a whole read at once (`map` in C).
Each read is decided at the time it was read. What is remembered is dropped on reload, when working
hours begin or end, and when it grows past `MAX_REMEMBERED`; the answers to a user with approved
`filtered_site_access` requests, and ``BH`` answers, are never remembered. A line the fast path
cannot take as it is (a channel ID that is not a number, no space after it) is answered alone,
exactly as before.
"""

from __future__ import annotations

import os
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import compress, repeat
from operator import is_
from types import FrameType
from urllib.parse import unquote

from aupguard.engine.checks.context import CheckContext
from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Decision
from aupguard.engine.web.categories import CategoryDB
from aupguard.engine.web.guard import Verdict, WebGuard
from aupguard.process import quiet_gc
from aupguard.squid.protocol import ProtocolError, bh, err, ok, parse_request

__all__ = ["SquidGuard", "answer", "deny_message", "replies", "serve"]

# Answers remembered at most (about 100 bytes each with their keys).
MAX_REMEMBERED = 200_000
# How much of stdin one read takes: the lines in it are answered together.
READ_SIZE = 1 << 16

# Verdicts Squid can enforce: it can refuse or let through, not hold or warn.
_REFUSE = frozenset({"block", "hold"})
_ERR_TAIL = b" " + err(None).encode("utf-8")


@dataclass(frozen=True)
class SquidGuard:
    """What a request is decided with; replaced whole on reload (decisions remembered with it)."""

    pack: CompiledPack
    ctx: CheckContext
    categories: CategoryDB
    default_roles: tuple[str, ...]
    web: WebGuard = field(init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "web", WebGuard(self.pack, self.ctx, self.categories, self.default_roles))

    def roles_of(self, user: str) -> tuple[str, ...]:
        return self.ctx.people.roles_of(user, self.default_roles)

    def decide(self, url: str, user: str, when: float) -> Decision:
        """The decision for `url` requested by `user` at `when` (epoch seconds); ValueError for a
        URL that names no usable host."""
        return self.web.decide(url, user, when)


def deny_message(pack: CompiledPack, decision: Decision) -> str:
    """What the deny page says: the school, the clause and its words, and why this request."""
    refused = [f for f in decision.findings if f.action in _REFUSE]
    first = refused[0] if refused else decision.findings[0]
    org = pack.pack.organisation
    if first.clause is None:
        return f"{org}: refused by the Acceptable Use Policy ({first.evidence})."
    text = pack.clause_text(first.clause)
    return f'{org}, Acceptable Use Policy {first.clause}: "{text}" ({first.evidence})'


def _tail(guard: SquidGuard, verdict: Verdict) -> bytes:
    """The answer to a request with this verdict, after its channel ID (kept with the verdict)."""
    tail = verdict.reply
    if tail is None:
        if verdict.refused:
            tail = b" " + ok(None, deny_message(guard.pack, verdict.decision)).encode("utf-8")
        else:
            tail = _ERR_TAIL
        verdict.reply = tail
    return tail


def _answer(guard: SquidGuard, line: str, when: float) -> tuple[bytes, bool]:
    """(the reply to one line, whether it may be remembered by the line after its channel ID).

    It may unless it is ``BH`` or the user holds approvals: then it is the reply for this line, at
    this instant, alone.
    """
    try:
        request = parse_request(line)
    except ProtocolError as exc:
        return bh(exc.channel, f"aupguard: {exc}").encode("utf-8"), False
    channel = request.channel
    prefix = b"" if channel is None else channel.encode("utf-8") + b" "
    try:
        verdict = guard.web.verdict(request.url, request.user, when)
    except ValueError as exc:
        # An address no one can read is refused, not waved through: a filter fails closed.
        message = f"{guard.pack.pack.organisation}: aupguard cannot read this address ({exc})."
        return ok(channel, message).encode("utf-8"), True
    except Exception as exc:  # a guard failure answers BH for this request only, never dies
        return bh(channel, f"aupguard: internal error: {exc!r}").encode("utf-8"), False
    return prefix + _tail(guard, verdict)[1:], not guard.web.is_approved(request.user)


def answer(guard: SquidGuard, line: str, when: float) -> str:
    """The reply to one request line (without its newline) at `when`. Never raises."""
    return _answer(guard, line, when)[0].decode("utf-8")


def replies(guard: SquidGuard, lines: Sequence[bytes], when: float, answers: dict[bytes, bytes]) -> bytes:
    """The replies to request lines (without their newlines), read at `when`, joined.

    `answers` remembers reply tails by the bytes after the channel ID; the caller empties it when
    the guard or the working-hours flag changes. Lines whose channel IDs are numbers (as Squid
    sends them) are looked up together; a reply starts with its line's channel ID then.
    """
    parts = list(map(bytes.partition, lines, repeat(b" ")))
    channels, spaces, rests = zip(*parts, strict=True) if parts else ((), (), ())
    if not (all(spaces) and all(channels) and b"".join(channels).isdigit()):
        return b"".join([_one(guard, line, when, answers) for line in lines])
    tails: list[bytes | None] = list(map(answers.get, rests))
    if None in tails:
        _decide(guard, lines, channels, rests, tails, when, answers)
    out: list[bytes | None] = [None] * (2 * len(tails))  # channel, tail, channel, tail ...
    out[0::2] = channels
    out[1::2] = tails
    return b"".join(out)  # type: ignore[arg-type]


def _decide(
    guard: SquidGuard,
    lines: Sequence[bytes],
    channels: Sequence[bytes],
    rests: Sequence[bytes],
    tails: list[bytes | None],
    when: float,
    answers: dict[bytes, bytes],
) -> None:
    """Fill in the tails of the lines not remembered: the usual lines (ASCII, URL CLIENT USER
    METHOD, a URL, a user without approvals) read here as `parse_request` reads them and decided
    together by `WebGuard.verdicts`; any other line, and a URL with no usable host, by `_answer`."""
    web = guard.web
    approved = web.approved
    usual: list[int] = []
    urls: list[str] = []
    users: list[str] = []
    for i in compress(range(len(tails)), map(is_, repeat(None), tails)):
        try:
            fields = rests[i].decode("ascii").split()
        except UnicodeDecodeError:
            fields = []
        if len(fields) >= 4:
            url, user = fields[0], fields[2]
            if "%" in url:
                url = unquote(url)
            if "%" in user:
                user = unquote(user)
            user = "" if user == "-" else user.lower()
            if url and url != "-" and not (approved and user in approved):
                usual.append(i)
                urls.append(url)
                users.append(user)
                continue
        tails[i] = _alone(guard, lines[i], channels[i], rests[i], when, answers)
    if usual:
        for i, verdict in zip(usual, web.verdicts(urls, users, when), strict=True):
            if verdict is None:
                tails[i] = _alone(guard, lines[i], channels[i], rests[i], when, answers)
                continue
            tail = verdict.reply or _tail(guard, verdict)
            answers[rests[i]] = tails[i] = tail


def _alone(
    guard: SquidGuard, line: bytes, channel: bytes, rest: bytes, when: float, answers: dict[bytes, bytes]
) -> bytes:
    """The reply to a numbered line after its channel ID, by `_answer` (remembered when it may)."""
    reply, remember = _answer(guard, line.decode("utf-8", "replace").rstrip("\r"), when)
    tail = reply[len(channel) :]
    if remember:
        answers[rest] = tail
    return tail


def _one(guard: SquidGuard, raw: bytes, when: float, answers: dict[bytes, bytes]) -> bytes:
    """A line the batch path does not take (no number and space first), answered alone."""
    channel, space, rest = raw.partition(b" ")
    numbered = bool(space and channel.isdigit())
    if numbered:
        known = answers.get(rest)
        if known is not None:
            return channel + known
    reply, remember = _answer(guard, raw.decode("utf-8", "replace").rstrip("\r"), when)
    if numbered and remember:
        answers[rest] = reply[len(channel) :]
    return reply


def serve(
    load: Callable[[], SquidGuard],
    stdin: int = 0,
    stdout: int = 1,
    clock: Callable[[], float] = time.time,
) -> int:
    """Answer Squid until stdin closes. `load()` builds the guard, at start and on SIGHUP."""
    guard = load()
    quiet_gc()
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

    # Answers by the bytes after the channel ID, for one guard and one working-hours flag.
    answers: dict[bytes, bytes] = {}
    loaded, flag = guard, None
    pending = b""
    while True:
        chunk = os.read(stdin, READ_SIZE)
        if not chunk:
            return 0
        if hup:
            hup = False
            reload()
        pending += chunk
        *lines, pending = pending.split(b"\n")
        if not lines:
            continue
        now = clock()
        current = guard
        _lo, _hi, hours = current.web.hours_window(now)
        if current is not loaded or hours is not flag or len(answers) > MAX_REMEMBERED:
            answers.clear()
            loaded, flag = current, hours
        data = replies(current, lines, now, answers)
        while data:
            written = os.write(stdout, data)
            data = data[written:]
