"""A pack's hash names the exact version a person signs."""

from __future__ import annotations

from pathlib import Path

from aupguard.engine.packs import load_pack
from tests.conftest import DATA

TINY = DATA / "packs" / "tiny.yaml"


def hash_of(pack_dir: Path, text: str) -> str:
    path = pack_dir / "tiny.yaml"
    path.write_text(text, encoding="utf-8")
    return load_pack(path).sha256


def test_loading_the_same_file_twice_gives_the_same_hash() -> None:
    assert load_pack(TINY).sha256 == load_pack(TINY).sha256
    assert load_pack(TINY).version_code == load_pack(TINY).sha256[:12]


def test_comments_and_layout_do_not_change_it(pack_dir: Path, tiny_text: str) -> None:
    reformatted = "# reviewed by the DPL\n" + tiny_text.replace(
        "      - {id: email.card_number, action: block}",
        "      - id: email.card_number  # the Egress route is the only exception\n        action: block",
    )
    assert hash_of(pack_dir, reformatted) == load_pack(TINY).sha256


def test_any_change_to_a_clause_or_setting_changes_it(pack_dir: Path, tiny_text: str) -> None:
    original = load_pack(TINY).sha256
    changes = [
        ("action: block}", "action: warn}"),  # an action
        ("Lock your screen whenever", "Lock your screen when"),  # a quote
        ("internal_domains: [tiny.sch.uk]", "internal_domains: [tiny.sch.uk, tiny.org.uk]"),  # a setting
        ("senior_leader: a senior leader", "senior_leader: the headteacher"),  # a role's wording
        ("review: 2027-09-01", "review: 2027-10-01"),  # a date
    ]
    hashes = {hash_of(pack_dir, tiny_text.replace(old, new, 1)) for old, new in changes}
    assert original not in hashes
    assert len(hashes) == len(changes)
