"""Single sign-on admits people in the staff directory only, and only as themselves.

The identity provider vouches for an email address; aupguard matches it to `Person.email` and signs
the person in to their own account, creating the account (with no password) the first time. An
address the directory does not have, or a person who has left, is refused: the provider's word that
someone exists never creates a member of staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth.models import User
from django.db import transaction
from django.utils import timezone

from aupguard.web.people.models import Person

__all__ = ["Refusal", "account_for", "directory_person_for", "not_in_directory", "refusal_for"]


@dataclass(frozen=True, slots=True)
class Refusal:
    """Why a single sign-on was refused, in words for the page the person sees."""

    code: str  # "no_verified_email", "not_in_directory", "left", "no_account", "not_yours"
    email: str
    message: str


def directory_person_for(emails: Iterable[str]) -> Person | None:
    """The directory's person for the first of `emails` it lists (addresses compare case-blind)."""
    for email in emails:
        person = (
            Person.objects.filter(email__iexact=email.strip(), account_kind="person")
            .select_related("user", "school", "trust")
            .first()
        )
        if person is not None:
            return person
    return None


def not_in_directory(email: str) -> Refusal:
    return Refusal(
        "not_in_directory",
        email,
        f"{email or 'This account'} is not in the staff directory, so it cannot sign in to aupguard. "
        "If you work here, ask your school office to add you to the directory.",
    )


def refusal_for(person: Person, *, today: dt.date | None = None) -> Refusal | None:
    """Why `person` may not sign in any more, or None when they may."""
    email = person.email
    if not person.in_directory:
        return not_in_directory(email)
    today = today or timezone.localdate()
    if person.leave_date is not None and person.leave_date < today:
        return Refusal(
            "left",
            email,
            f"The staff directory says {email} left on {person.leave_date.day} {person.leave_date:%B %Y}, "
            "so it cannot sign "
            "in any more.",
        )
    if person.user is not None and not person.user.is_active:
        return Refusal("no_account", email, f"The aupguard account for {email} is switched off.")
    return None


@transaction.atomic
def account_for(person: Person) -> User:
    """`person`'s account, created without a password on their first single sign-on."""
    if person.user is not None:
        return person.user
    user, created = User.objects.get_or_create(
        username=person.email,
        defaults={"email": person.email, "first_name": person.first_name, "last_name": person.last_name},
    )
    if created:
        # Signs in through the identity provider only; a password would be a second way in to guard.
        user.set_unusable_password()
        user.save(update_fields=["password"])
    person.user = user
    person.save(update_fields=["user"])
    return user
