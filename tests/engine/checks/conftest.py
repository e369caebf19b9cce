"""Messages as a mail client writes them, and the decision a seed pack makes about them."""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Sequence
from email.message import EmailMessage
from email.utils import format_datetime

import pytest

from aupguard.engine.approvals import NONE, Approvals
from aupguard.engine.checks.context import CheckContext, People
from aupguard.engine.checks.email import check_email
from aupguard.engine.compiled import CompiledPack, compile_pack
from aupguard.engine.decision import Decision
from aupguard.engine.mail import read_message
from aupguard.engine.packs import load_pack
from aupguard.engine.people import read_directory, read_roster
from tests.conftest import DATA, PACKS

EMAIL_DATA = DATA / "email"
SCHOOL = "wells.redbridge.sch.uk"
AT = dt.datetime(2026, 12, 1, 10, 30, tzinfo=dt.UTC)


def eml(
    *,
    sender: str = f"a.khan@{SCHOOL}",
    sender_name: str = "Aisha Khan",
    to: Sequence[str] = (),
    cc: Sequence[str] = (),
    bcc: Sequence[str] = (),
    subject: str = "Year 6 trip",
    body: str = "Dear parents,\n\nPlease find the details below.\n\nKind regards\nAisha Khan\n",
    attachments: Sequence[tuple[str, bytes, str]] = (),
    headers: Sequence[tuple[str, str]] = (),
    html: str | None = None,
) -> bytes:
    msg = EmailMessage()
    msg["From"] = f"{sender_name} <{sender}>" if sender_name else sender
    if to:
        msg["To"] = ", ".join(to)
    if cc:
        msg["Cc"] = ", ".join(cc)
    if bcc:
        msg["Bcc"] = ", ".join(bcc)
    msg["Subject"] = subject
    msg["Date"] = format_datetime(AT)
    msg["Message-ID"] = "<test@wells.redbridge.sch.uk>"
    for name, value in headers:
        msg[name] = value
    msg.set_content(body)
    if html is not None:
        msg.add_alternative(html, subtype="html")
    for filename, data, mime in attachments:
        maintype, _, subtype = mime.partition("/")
        msg.add_attachment(data, maintype=maintype, subtype=subtype, filename=filename)
    return msg.as_bytes()


@functools.cache
def compiled(pack_id: str) -> CompiledPack:
    return compile_pack(load_pack(PACKS / f"{pack_id}.yaml"))


@functools.cache
def wells_people() -> People:
    return People(
        read_roster(EMAIL_DATA / "wells_pupils.csv"), read_directory(EMAIL_DATA / "wells_staff.csv")
    )


Decide = Callable[..., Decision]


@pytest.fixture
def decide() -> Decide:
    def run(
        pack_id: str,
        raw: bytes,
        *,
        people: People | None = None,
        approvals: Approvals = NONE,
        at: dt.datetime = AT,
        envelope: Sequence[str] | None = None,
    ) -> Decision:
        ctx = CheckContext(
            at=at, people=people if people is not None else wells_people(), approvals=approvals
        )
        return check_email(compiled(pack_id), ctx, read_message(raw, envelope_recipients=envelope))

    return run


def fired(decision: Decision) -> set[str]:
    return {f.check for f in decision.findings}


def finding(decision: Decision, check: str) -> dict[str, object]:
    for f in decision.findings:
        if f.check == check:
            return f.as_dict()
    raise AssertionError(f"{check} did not fire; fired: {sorted(fired(decision))}")
