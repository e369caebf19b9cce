"""`manage.py export_roster --trust SLUG [--school SLUG] --out FILE`: the pupils on the registers'
roster, as the pupils roster CSV of DESIGN.md, for `aupguard check email --roster` and the relay.

Only pupils on the roster are written (not those a later import no longer listed): the file says what
the school's MIS says today, which is what the guards were built to read. Run it after each import,
or from cron: an unchanged roster leaves the file, and the audit log, untouched.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from aupguard.engine.people import ROSTER_COLUMNS, read_roster
from aupguard.web.audit.log import record
from aupguard.web.org.models import School
from aupguard.web.people.management.exports import trust_named, written
from aupguard.web.people.models import Pupil


def roster_row(pupil: Pupil) -> list[str]:
    """One pupil in ROSTER_COLUMNS order."""
    values = {
        "upn": pupil.upn,
        "first_name": pupil.first_name,
        "last_name": pupil.last_name,
        "preferred_name": pupil.preferred_name,
        "year_group": pupil.year_group,
        "school": pupil.school.name,
        "contact_emails": ";".join(pupil.contact_emails),
    }
    return [values[column] for column in ROSTER_COLUMNS]


class Command(BaseCommand):
    help = "Write a trust's (or one school's) pupils roster as the CSV the guards read."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--trust", required=True, metavar="SLUG", help="the trust's slug")
        parser.add_argument("--school", metavar="SLUG", help="only this school of the trust")
        parser.add_argument("--out", required=True, metavar="FILE", help="the CSV file to write or replace")

    def handle(self, *args: Any, **options: Any) -> None:
        trust = trust_named(options["trust"])
        school: School | None = None
        if options["school"]:
            school = trust.schools.filter(slug=options["school"]).first()
            if school is None:
                known = ", ".join(trust.schools.order_by("slug").values_list("slug", flat=True)) or "none"
                raise CommandError(
                    f"{trust.name} has no school {options['school']!r}; its schools are: {known}"
                )
        pupils = Pupil.objects.filter(school__trust=trust, in_roster=True).select_related("school")
        if school is not None:
            pupils = pupils.filter(school=school)
        rows = [roster_row(p) for p in pupils.order_by("school__name", "last_name", "first_name", "upn")]
        out = Path(options["out"])
        scope = school.name if school else trust.name
        if written(out, ROSTER_COLUMNS, rows, read_roster):
            record(
                None,
                "pupils.export",
                "trust",
                trust.pk,
                school=school,
                summary=f"wrote the pupils roster of {scope} ({len(rows)} pupils) to {out}",
                details={"file": str(out.resolve()), "pupils": len(rows)},
            )
            self.stdout.write(f"{out}: {len(rows)} pupils of {scope}")
        else:
            self.stdout.write(f"{out}: unchanged ({len(rows)} pupils of {scope})")
