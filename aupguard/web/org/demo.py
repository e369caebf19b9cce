"""The demo trust: its schools, its people's file and the one password every demo account uses.

Here rather than in the `load_demo` command so that the registers' demo loaders, which the command
calls, can name the demo trust without importing the command.
"""

from __future__ import annotations

from pathlib import Path

__all__ = ["DEMO_DIRECTORY", "DEMO_PASSWORD", "DEMO_SCHOOLS", "DEMO_TRUST"]

DEMO_TRUST = {"slug": "demo-trust", "name": "Demo Learning Trust", "pack_id": "wonder"}
# (slug, name, pack of its own or "" to follow the trust's)
DEMO_SCHOOLS = [
    ("ash-primary", "Ash Primary School", ""),
    ("birch-academy", "Birch Academy", ""),
    # A school that joined the trust and still follows its own policy: the case `policy diff` serves.
    ("wells-primary", "Wells Primary School", "wells"),
]
DEMO_DIRECTORY = Path(__file__).resolve().parents[3] / "demo" / "trust-staff.csv"
# Every demo account signs in with this password (README, "Who to sign in as"). Demo data only.
DEMO_PASSWORD = "aupguard-demo"  # noqa: S105
