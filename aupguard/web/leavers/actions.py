"""Every write the leavers app makes, each atomic and in the audit log."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import User
from django.db import IntegrityError, transaction
from django.utils import timezone

from aupguard.web.audit.log import record
from aupguard.web.leavers.models import Confirmation
from aupguard.web.people.models import Person

__all__ = ["AlreadyConfirmed", "do_close_sign_in", "do_confirm", "leavers_to_close"]


class AlreadyConfirmed(Exception):
    """The item was confirmed already, for this leaving date (two people at the same moment)."""


def do_confirm(leaver: Person, item: str, *, done_on: dt.date, by: Person, notes: str = "") -> Confirmation:
    """Record that `by` confirms `item` was done on `done_on` for the leaver's current leaving date."""
    if leaver.leave_date is None:
        raise ValueError(f"{leaver.email} has no leaving date")
    label = Confirmation.Item(item).label
    try:
        with transaction.atomic():
            confirmation = Confirmation.objects.create(
                leaver=leaver,
                leave_date=leaver.leave_date,
                item=item,
                done_on=done_on,
                confirmed_by=by,
                notes=notes,
            )
            record(
                by.user,
                f"leavers.confirm.{item}",
                "person",
                leaver.pk,
                school=leaver.school,
                summary=f"{by.email} confirmed for {leaver.email}: {label} on {done_on.isoformat()}",
                details={
                    "leave_date": leaver.leave_date.isoformat(),
                    "done_on": done_on.isoformat(),
                    "notes": notes,
                },
            )
    except IntegrityError:
        raise AlreadyConfirmed(f"{label} was already confirmed for {leaver}") from None
    return confirmation


def do_close_sign_in(leaver: Person, *, actor: User | None, reason: str) -> bool:
    """Switch off the leaver's aupguard account (`is_active`); False when there was nothing to close.
    `actor` None is the daily command."""
    with transaction.atomic():
        user = User.objects.select_for_update().filter(person=leaver, is_active=True).first()
        if user is None:
            return False
        user.is_active = False
        user.save(update_fields=["is_active"])
        record(
            actor,
            "leavers.close_sign_in",
            "person",
            leaver.pk,
            school=leaver.school,
            summary=f"aupguard sign-in closed for {leaver.email}",
            reason=reason,
            details={"leave_date": leaver.leave_date.isoformat() if leaver.leave_date else None},
        )
    return True


def leavers_to_close(today: dt.date | None = None) -> list[Person]:
    """People past their leaving date whose aupguard account is still open."""
    today = today or timezone.localdate()
    return list(
        Person.objects.filter(leave_date__lt=today, user__isnull=False, user__is_active=True)
        .select_related("school", "user")
        .order_by("leave_date", "email")
    )
