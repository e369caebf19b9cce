"""`manage.py demo_totp EMAIL`: the current authenticator code for a demo sign-in.

Demo only: it refuses anyone outside the demo trust, and anyone whose app was set up with a secret of
their own rather than the published demo secret, so it can never print a real person's code.
"""

from __future__ import annotations

import time
from typing import Any

from allauth.mfa import app_settings as mfa_settings  # type: ignore[import-untyped]
from allauth.mfa.models import Authenticator  # type: ignore[import-untyped]
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # type: ignore[import-untyped]
from allauth.mfa.utils import decrypt  # type: ignore[import-untyped]
from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.web.accounts.demo import DEMO_TOTP_SECRET, is_demo_trust
from aupguard.web.people.models import Person


class Command(BaseCommand):
    help = "Print the current two-step sign-in code for a demo account (demo trust only)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("email", help="the demo person's school email address")

    def handle(self, *args: Any, **options: Any) -> None:
        email = str(options["email"]).strip()
        person = Person.objects.filter(email__iexact=email).select_related("trust", "user").first()
        if person is None:
            raise CommandError(f"{email} is not in the staff directory")
        if not is_demo_trust(person.trust):
            raise CommandError(
                f"{email} is in {person.trust}, not the demo trust: demo_totp is for the demo only"
            )
        totp = (
            Authenticator.objects.filter(user_id=person.user_id, type=Authenticator.Type.TOTP).first()
            if person.user_id
            else None
        )
        if totp is None:
            raise CommandError(f"{email} has no authenticator app set up (run load_demo first)")
        if decrypt(totp.data["secret"]) != DEMO_TOTP_SECRET:
            raise CommandError(f"{email} set up an authenticator app of their own: use that app's code")
        period = int(mfa_settings.TOTP_PERIOD)
        now = int(time.time())
        self.stdout.write(format_hotp_value(hotp_value(DEMO_TOTP_SECRET, now // period)))
        self.stderr.write(f"valid for another {period - now % period} seconds")
