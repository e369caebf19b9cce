"""`manage.py export_directory --trust SLUG --out FILE`: the people on the registers' directory, as the
staff directory CSV of DESIGN.md, for `aupguard check email --directory`, the relay and the Squid
helper.

Only people in the directory are written (not those a later import no longer listed), with every
role they hold in the trust, so a guard answers with the roles the registers give them. An unchanged
directory leaves the file, and the audit log, untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.db.models import F

from aupguard.engine.people import DIRECTORY_COLUMNS, read_directory
from aupguard.web.audit.log import record
from aupguard.web.people.management.exports import trust_named, written
from aupguard.web.people.models import Person


def directory_row(person: Person) -> list[str]:
    """One person in DIRECTORY_COLUMNS order."""
    values = {
        "email": person.email,
        "first_name": person.first_name,
        "last_name": person.last_name,
        "roles": ";".join(sorted({a.role for a in person.role_assignments.all()})),
        "school": person.school.name if person.school else "",
        "line_manager": person.line_manager.email if person.line_manager else "",
        "start_date": person.start_date.isoformat() if person.start_date else "",
        "leave_date": person.leave_date.isoformat() if person.leave_date else "",
        "personal_email": person.personal_email,
        "personal_mobile": person.personal_mobile,
        "account_kind": person.account_kind,
    }
    return [values[column] for column in DIRECTORY_COLUMNS]


class Command(BaseCommand):
    help = "Write a trust's staff directory as the CSV the guards read."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", required=True, metavar="SLUG", help="the trust's slug")
        parser.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write or replace")

    def handle(self, *args: Any, **options: Any) -> None:
        trust = trust_named(options["trust"])
        people = (
            Person.objects.filter(trust=trust, in_directory=True)
            .select_related("school", "line_manager")
            .prefetch_related("role_assignments")
            # The central team first, as a directory file lists it.
            .order_by(F("school__name").asc(nulls_first=True), "last_name", "first_name", "email")
        )
        rows = [directory_row(p) for p in people]
        out = Path(options["out"])
        if written(out, DIRECTORY_COLUMNS, rows, read_directory):
            record(
                None,
                "people.export_directory",
                "trust",
                trust.pk,
                summary=f"wrote the staff directory of {trust.name} ({len(rows)} accounts) to {out}",
                details={"file": str(out.resolve()), "accounts": len(rows)},
            )
            self.stdout.write(f"{out}: {len(rows)} accounts of {trust.name}")
        else:
            self.stdout.write(f"{out}: unchanged ({len(rows)} accounts of {trust.name})")
