from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from aupguard.web.org.models import School, Trust

DEMO_TRUST = {"slug": "demo-trust", "name": "Demo Learning Trust", "pack_id": "wonder"}
# (slug, name, pack of its own or "" to follow the trust's)
DEMO_SCHOOLS = [
    ("ash-primary", "Ash Primary School", ""),
    ("birch-academy", "Birch Academy", ""),
    # A school that joined the trust and still follows its own policy: the case `policy diff` serves.
    ("wells-primary", "Wells Primary School", "wells"),
]


class Command(BaseCommand):
    help = "Create the demo trust and its schools (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        trust, _ = Trust.objects.update_or_create(
            slug=DEMO_TRUST["slug"], defaults={"name": DEMO_TRUST["name"], "pack_id": DEMO_TRUST["pack_id"]}
        )
        for slug, name, pack_id in DEMO_SCHOOLS:
            School.objects.update_or_create(
                trust=trust, slug=slug, defaults={"name": name, "pack_id": pack_id}
            )
        self.stdout.write(f"{trust.name}: {trust.schools.count()} schools")
