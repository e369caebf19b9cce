"""`manage.py reset_second_factor EMAIL --reason "..."`: remove someone's authenticator app and
recovery codes, for a lost or replaced phone.

A command, not a page: it needs the server, which only IT has, and the person is then made to set up
a new app the next time they sign in (if their role needs one). Recorded in the audit log with the
reason, since it reopens an account holding breach data to its password alone until they do.
"""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from aupguard.web.audit.log import record
from aupguard.web.people.models import Person


class Command(BaseCommand):
    help = "Remove a person's authenticator app and recovery codes (lost or new phone)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the person's school email address")
        parser.add_argument(
            "--reason", required=True, help="why, for the audit log (e.g. 'phone lost, ticket 812')"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        reason = str(options["reason"]).strip()
        if not reason:
            raise CommandError("give a --reason: it goes in the audit log")
        person = Person.objects.filter(email__iexact=email).select_related("user", "school").first()
        if person is None or person.user is None:
            raise CommandError(f"{email} has no aupguard account")
        with transaction.atomic():
            removed, _ = Authenticator.objects.filter(user=person.user).delete()
            if not removed:
                raise CommandError(f"{email} has no two-step sign-in to reset")
            record(
                None,
                "accounts.second_factor_reset_by_it",
                "person",
                person.pk,
                school=person.school,
                summary=f"two-step sign-in reset for {person.email}",
                reason=reason,
            )
        self.stdout.write(
            f"{person.email}: authenticator app and recovery codes removed; "
            "they set up a new one the next time they sign in"
        )
