from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from aupguard.web.accounts import demo as accounts_demo
from aupguard.web.approvals import demo as approvals_demo
from aupguard.web.audit.log import record
from aupguard.web.devices import demo as devices_demo
from aupguard.web.incidents import demo as incidents_demo
from aupguard.web.leavers import demo as leavers_demo
from aupguard.web.org.demo import DEMO_DIRECTORY, DEMO_PASSWORD, DEMO_SCHOOLS, DEMO_TRUST
from aupguard.web.org.models import School, Trust
from aupguard.web.people.demo_pupils import load_pupils
from aupguard.web.people.imports import do_apply_directory_import, new_upload
from aupguard.web.people.models import Person
from aupguard.web.signoff import demo as signoff_demo

# After the people: each register's demo records, in an order where each can use the ones before.
REGISTER_LOADERS: tuple[Callable[[Trust], str], ...] = (
    load_pupils,
    accounts_demo.load,
    signoff_demo.load,
    approvals_demo.load,
    devices_demo.load,
    incidents_demo.load,
    leavers_demo.load,
)


class Command(BaseCommand):
    help = "Create the demo trust, its schools and its people, with demo sign-ins (safe to run again)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--people-only",
            action="store_true",
            help="the trust, its schools, its people and their sign-ins, without the registers' demo "
            "records (requests, incidents, devices ...): for tests that make their own",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        trust, _ = Trust.objects.update_or_create(
            slug=DEMO_TRUST["slug"], defaults={"name": DEMO_TRUST["name"], "pack_id": DEMO_TRUST["pack_id"]}
        )
        for slug, name, pack_id in DEMO_SCHOOLS:
            School.objects.update_or_create(
                trust=trust, slug=slug, defaults={"name": name, "pack_id": pack_id}
            )
        with transaction.atomic():
            admin = self._system_user()
            upload = new_upload(trust, DEMO_DIRECTORY.name, DEMO_DIRECTORY.read_bytes(), admin)
            plan = do_apply_directory_import(upload, admin)
            if not plan.ok:
                raise CommandError("\n".join(plan.problems))
            accounts = self._accounts(trust)
        people = Person.objects.filter(trust=trust).count()
        self.stdout.write(
            f"{trust.name}: {trust.schools.count()} schools, {people} people, "
            f"{accounts} demo sign-ins (password {DEMO_PASSWORD!r})"
        )
        # The registers' own demo records, each loader safe to run again (it adds nothing twice).
        for load in () if options["people_only"] else REGISTER_LOADERS:
            with transaction.atomic():
                self.stdout.write(f"  {load(trust)}")

    def _system_user(self) -> Any:
        user_model = get_user_model()
        user, _ = user_model.objects.get_or_create(username="demo-loader", defaults={"is_active": False})
        return user

    def _accounts(self, trust: Trust) -> int:
        user_model = get_user_model()
        count = 0
        for person in Person.objects.filter(trust=trust, account_kind="person"):
            user, created = user_model.objects.get_or_create(
                username=person.email,
                defaults={
                    "email": person.email,
                    "first_name": person.first_name,
                    "last_name": person.last_name,
                },
            )
            if created:
                user.set_password(DEMO_PASSWORD)
                user.save()
                record(
                    None,
                    "people.demo_account",
                    "person",
                    person.pk,
                    summary=f"demo sign-in for {person.email}",
                )
            if person.user_id != user.pk:
                person.user = user
                person.save(update_fields=["user"])
            count += 1
        return count
