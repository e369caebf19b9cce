"""Release or reject a held message (`aupguard relay release|reject ID`).

Both work on the spool alone, so they can run while the relay runs: a released message moves to
``queue/`` and the running relay delivers it; a rejected one moves to ``rejected/`` (kept for the
record) and the sender is told. The web app takes this over when the registers exist.
"""

from __future__ import annotations

import time

from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Finding
from aupguard.relay.events import EventLog
from aupguard.relay.notices import notice, queue_notice
from aupguard.relay.spool import HOLD, QUEUE, REJECTED, Envelope, Spool

__all__ = ["reject", "release"]


def _findings(env: Envelope) -> list[Finding]:
    return [
        Finding(f["check"], f.get("clause"), f["action"], f["where"], f["evidence"]) for f in env.findings
    ]


def _tell_sender(
    spool: Spool, pack: CompiledPack | None, env: Envelope, kind: str, detail: str, sender: str
) -> None:
    if pack is None or not env.mail_from:
        return
    msg = notice(
        pack,
        kind=kind,
        sender=sender,
        to=[env.mail_from],
        subject=env.subject,
        findings=_findings(env) if kind == "rejected" else [],
        message_id=env.id,
        detail=detail,
    )
    queue_notice(spool, msg, [env.mail_from])


def release(
    spool: Spool, events: EventLog, message_id: str, *, by: str, pack: CompiledPack | None, sender: str
) -> Envelope:
    """Send a held message on; raises SpoolError when there is no such held message."""
    env = spool.envelope(HOLD, message_id)
    env.next_attempt = 0.0
    # Its time in quarantine does not count against delivery: the retry clock starts now.
    env.received = time.time()
    spool.update(HOLD, env)
    spool.move(message_id, HOLD, QUEUE)
    events.write("released", id=message_id, by=by)
    _tell_sender(spool, pack, env, "released", f"Released by {by}." if by else "", sender)
    return env


def reject(
    spool: Spool,
    events: EventLog,
    message_id: str,
    *,
    by: str,
    reason: str,
    pack: CompiledPack | None,
    sender: str,
) -> Envelope:
    """Refuse a held message for good; it is kept in ``rejected/`` and the sender is told."""
    env = spool.envelope(HOLD, message_id)
    spool.move(message_id, HOLD, REJECTED)
    events.write("rejected", id=message_id, by=by, reason=reason)
    detail = f"Rejected by {by}" + (f": {reason}" if reason else ".") if by else reason
    _tell_sender(spool, pack, env, "rejected", detail, sender)
    return env
