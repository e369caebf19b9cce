"""The emails the approvals register sends: who is told what, and when.

- a new request: its approvers (or, when nobody holds the role, the people who can give someone
  the role);
- a withdrawal: the approvers, so that nobody decides a request that is gone;
- a decision: the requester, with the decider copied (their own record of what they decided);
- a revocation: the requester, with the approver and the revoker copied.

Messages are sent once the change is committed, and a mail server that is down is logged, never
turned into an error for the person who made the change (the register is the record; mail is the
nudge).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.urls import reverse
from django.utils.formats import date_format

from aupguard.web.approvals.models import Request
from aupguard.web.approvals.workflows import label_of
from aupguard.web.people.models import Person

__all__ = [
    "tell_decision",
    "tell_new_request",
    "tell_revoked",
    "tell_role_unheld",
    "tell_withdrawn",
]


def _link(req: Request) -> str:
    # Emails need an absolute address; AUPGUARD_BASE_URL is the site's, e.g. https://aup.trust.org.uk
    base = str(settings.AUPGUARD_BASE_URL).rstrip("/")
    return base + reverse("approvals:request-detail", args=[req.pk])


def _day(day: dt.date) -> str:
    return date_format(day, "j F Y")


def _period(req: Request) -> str:
    return f"{_day(req.first_day)} to {_day(req.last_day)} (inclusive)"


def _addresses(people: Iterable[Person | None]) -> list[str]:
    seen: list[str] = []
    for person in people:
        if person is not None and person.email not in seen:
            seen.append(person.email)
    return seen


def _send(subject: str, body: str, to: list[str], cc: list[str] | None = None) -> None:
    if not to:
        return
    message = EmailMessage(
        subject=subject,
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=to,
        cc=[a for a in cc or [] if a not in to],
    )
    transaction.on_commit(message.send, robust=True)


def _summary(req: Request) -> str:
    lines = [
        f"Request {req.reference}: {label_of(req.workflow)}",
        f"Asked by: {req.requester} ({req.requester.email})",
    ]
    if req.school is not None:
        lines.append(f"School: {req.school}")
    if req.scope:
        lines.append(f"Scope: {req.scope}")
    lines.append(f"Period: {_period(req)}")
    lines.append(f"Under clause {req.clause_id} of {req.version.title}")
    return "\n".join(lines)


def tell_new_request(req: Request, approvers: list[Person]) -> None:
    body = (
        f"{req.requester} has asked for approval and you hold the role that decides it.\n\n"
        f"{_summary(req)}\n\nWhat and why:\n{req.details}\n\nDecide it here: {_link(req)}\n"
    )
    _send(
        f"Request for your decision: {label_of(req.workflow)} ({req.reference})", body, _addresses(approvers)
    )


def tell_role_unheld(req: Request, keepers: list[Person]) -> None:
    where = req.school or req.trust
    body = (
        f"{req.requester} has made a request that the policy says a {req.approver_role.replace('_', ' ')} "
        f"decides, but nobody holds that role for {where}.\n\n{_summary(req)}\n\n"
        "The request is kept and waits. Give someone the role in the staff directory and it goes to "
        "them straight away; nobody else may decide it.\n"
    )
    _send(
        f"Nobody can decide {req.requester}'s request: no {req.approver_role.replace('_', ' ')} for {where}",
        body,
        _addresses(keepers),
    )


def tell_withdrawn(req: Request, approvers: list[Person]) -> None:
    body = f"{req.requester} has withdrawn this request; there is nothing to decide.\n\n{_summary(req)}\n"
    _send(f"Request withdrawn: {label_of(req.workflow)} ({req.reference})", body, _addresses(approvers))


def tell_decision(req: Request) -> None:
    approved = req.status == Request.Status.APPROVED
    verb = "approved" if approved else "turned down"
    body = f"{req.decided_by} has {verb} your request.\n\n{_summary(req)}\n"
    if req.decision_note:
        body += f"\nTheir note:\n{req.decision_note}\n"
    if approved:
        body += f"\nThe approval covers {_period(req)}: ask again before it ends if you still need it.\n"
    body += f"\nSee it here: {_link(req)}\n"
    _send(
        f"Your request was {verb}: {label_of(req.workflow)} ({req.reference})",
        body,
        _addresses([req.requester]),
        _addresses([req.decided_by]),
    )


def tell_revoked(req: Request) -> None:
    body = (
        f"{req.revoked_by} has revoked this approval: it no longer allows anything, from now.\n\n"
        f"{_summary(req)}\n\nReason:\n{req.revoke_reason}\n\nSee it here: {_link(req)}\n"
    )
    _send(
        f"Approval revoked: {label_of(req.workflow)} ({req.reference})",
        body,
        _addresses([req.requester]),
        _addresses([req.decided_by, req.revoked_by]),
    )
