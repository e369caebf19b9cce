"""The demo trust's pupils: `demo/pupils.csv`, the roster the relay reads in `make demo`, imported as
Wells Primary School's roster through the same plan and import a record keeper uses."""

from __future__ import annotations

from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.management.base import CommandError

from aupguard.web.org.models import Trust
from aupguard.web.people.pupils import do_apply_roster_import, new_pupil_upload, plan_roster_import

DEMO_PUPILS = Path(__file__).resolve().parents[3] / "demo" / "pupils.csv"
DEMO_SCHOOL = "wells-primary"
# The inactive account `load_demo` imports the demo directory as.
DEMO_LOADER = "demo-loader"


def load_pupils(trust: Trust) -> str:
    """Import the demo roster for the trust's Wells Primary School; running it again changes nothing."""
    school = trust.schools.filter(slug=DEMO_SCHOOL).first()
    if school is None:
        return f"{trust.name}: no school {DEMO_SCHOOL!r}, so no demo pupils"
    content = DEMO_PUPILS.read_bytes()
    plan = plan_roster_import(trust, school, DEMO_PUPILS.name, content)
    if not plan.ok:
        raise CommandError("\n".join(plan.problems))
    if plan.changes_anything:
        loader, _ = get_user_model().objects.get_or_create(
            username=DEMO_LOADER, defaults={"is_active": False}
        )
        plan = do_apply_roster_import(
            new_pupil_upload(trust, school, DEMO_PUPILS.name, content, loader), loader
        )
    on_roster = school.pupils.filter(in_roster=True).count()
    return (
        f"{school.name}: {on_roster} pupils on the roster "
        f"({plan.count_add} added, {plan.count_update + plan.count_move} updated)"
    )
