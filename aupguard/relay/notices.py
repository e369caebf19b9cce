"""The short messages the relay writes: to a sender (warned, held, rejected, undeliverable) and to
the leaders a pack names for an `alert`.

Each names the clause and quotes it, so the person reading knows which rule applied and why;
evidence is the redacted evidence of the finding, never the data itself.
"""

from __future__ import annotations

import datetime as dt
import textwrap
import time
from collections.abc import Iterable, Sequence
from email.headerregistry import Address
from email.message import EmailMessage
from email.policy import SMTP as SMTP_POLICY
from email.utils import format_datetime, make_msgid

from aupguard.engine.compiled import CompiledPack
from aupguard.engine.decision import Finding
from aupguard.engine.people import StaffMember
from aupguard.relay.spool import QUEUE, Envelope, Spool, new_id

__all__ = ["notice", "queue_notice", "role_holders"]

_INTRO = {
    "warn": "Your message was delivered, but it goes against the school's Acceptable Use Policy.",
    "hold": (
        "Your message has been held and has not been delivered. It will be delivered if someone with "
        "the authority to do so releases it; you will be told if it is rejected."
    ),
    "alert": "A message was delivered that the Acceptable Use Policy asks you to know about at once.",
    "rejected": "Your held message was rejected and will not be delivered.",
    "released": "Your held message was released and is on its way.",
    "failed": "Your message could not be delivered: the receiving mail server refused it.",
}
_SUBJECT = {
    "warn": "Policy reminder",
    "hold": "Message held",
    "alert": "Policy alert",
    "rejected": "Held message rejected",
    "released": "Held message released",
    "failed": "Undeliverable",
}


def _findings_text(pack: CompiledPack, findings: Iterable[Finding]) -> str:
    lines: list[str] = []
    quoted: set[str] = set()
    for f in findings:
        lines.append(f"- {f.check} in {f.where}: {f.evidence}")
        if f.clause and f.clause not in quoted:
            quoted.add(f.clause)
            text = pack.clause_text(f.clause)
            if text:
                lines.append(textwrap.indent(textwrap.fill(f"{f.clause}: “{text}”", 76), "    "))
    return "\n".join(lines)


def notice(
    pack: CompiledPack,
    *,
    kind: str,
    sender: str,
    to: Sequence[str],
    subject: str,
    findings: Sequence[Finding] = (),
    message_id: str = "",
    detail: str = "",
) -> EmailMessage:
    """A notice of `kind` (warn, hold, alert, rejected, released, failed) about one message."""
    msg = EmailMessage()
    msg["From"] = Address(display_name=f"{pack.pack.organisation} (aupguard)", addr_spec=sender)
    msg["To"] = ", ".join(to)
    subject = " ".join(subject.split())  # a decoded subject may hold line breaks; a header may not
    msg["Subject"] = f"{_SUBJECT[kind]}: {subject}" if subject else _SUBJECT[kind]
    msg["Date"] = format_datetime(dt.datetime.now().astimezone())
    msg["Message-ID"] = make_msgid(domain=sender.rpartition("@")[2] or None)
    # RFC 3834: an automatic message, so that auto-replies and forwarding rules leave it alone.
    msg["Auto-Submitted"] = "auto-generated"
    parts = [_INTRO[kind], ""]
    if subject:
        parts += [f"Subject: {subject}"]
    if message_id:
        parts += [f"Reference: {message_id}"]
    if detail:
        parts += ["", detail]
    if findings:
        parts += ["", "What was found:", _findings_text(pack, findings)]
    parts += [
        "",
        f"Policy: {pack.pack.title} ({pack.pack.policy_version}), version code {pack.pack.version_code}",
    ]
    msg.set_content("\n".join(parts) + "\n")
    return msg


def role_holders(roles: Iterable[str], staff: Iterable[StaffMember], school: str = "") -> list[str]:
    """The addresses of the people holding any of `roles`, in `school` when one is given.

    A trust-wide role (a DPL with no school in the directory) is always included.
    """
    wanted = set(roles)
    return [
        member.email
        for member in staff
        if member.account_kind == "person"
        and wanted & set(member.roles)
        and (not school or not member.school or member.school == school)
    ]


def queue_notice(spool: Spool, msg: EmailMessage, to: list[str]) -> None:
    """Put a notice in the spool's queue, to be delivered like any message but never checked again.

    Its sender is null: a notice that cannot be delivered is never bounced back (no loops).
    """
    env = Envelope(new_id(), "", to, time.time(), str(msg["Subject"]), kind="notice")
    spool.store(QUEUE, env, msg.as_bytes(policy=SMTP_POLICY))
