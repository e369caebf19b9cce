"""Documents that state contracts stay equal to the code that enforces them."""

from __future__ import annotations

import re

from aupguard.engine import catalogue
from tests.conftest import ROOT


def test_the_check_catalogue_document_lists_exactly_the_checks_in_the_code() -> None:
    text = (ROOT / "docs" / "checks.md").read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([a-z_]+\.[a-z_]+)` \|", text, flags=re.M)
    assert documented == list(catalogue.CHECKS)


def test_the_pack_format_document_names_every_setting_the_loader_reads() -> None:
    from aupguard.engine.packs.load import _SETTINGS_FIELDS

    text = (ROOT / "docs" / "pack-format.md").read_text(encoding="utf-8")
    documented = re.findall(
        r"^\| `([a-z_]+)` \| ", text.split("## Settings")[1].split("Web categories")[0], flags=re.M
    )
    assert documented == list(_SETTINGS_FIELDS)
