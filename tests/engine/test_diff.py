from __future__ import annotations

from pathlib import Path

from aupguard.engine.packs import diff_packs, load_pack
from tests.conftest import DATA


def test_two_versions_differ_by_clause(pack_dir: Path, tiny_text: str) -> None:
    newer = (
        tiny_text.replace("{id: email.card_number, action: block}", "{id: email.card_number, action: hold}")
        .replace("approver: senior_leader}", "approver: dpl}")
        .replace("  internal_domains: [tiny.sch.uk]", "  internal_domains: [tiny.sch.uk]\n  bcc_limit: 10")
    )
    # drop the screen-lock clause, add nothing else
    start = newer.index("  - id: TINY-2.2")
    end = newer.index("  - id: TINY-2.3")
    newer = newer[:start] + newer[end:]
    path = pack_dir / "tiny.yaml"
    path.write_text(newer, encoding="utf-8")
    d = diff_packs(load_pack(DATA / "packs" / "tiny.yaml"), load_pack(path))

    assert [c.id for c in d.removed] == ["TINY-2.2"]
    assert d.added == []
    changed = {ca.id: changes for ca, _, changes in d.changed}
    assert set(changed) == {"TINY-1.1", "TINY-2.1"}
    assert changed["TINY-1.1"] == [
        {
            "field": "checks",
            "a": [{"id": "email.card_number", "action": "block"}],
            "b": [{"id": "email.card_number", "action": "hold"}],
        }
    ]
    assert {"setting": "bcc_limit", "a": None, "b": 10} in d.settings
    assert {"authority": "workflow:removable_media", "a": "senior_leader", "b": "dpl"} in d.authorities
    assert d.unchanged == 4


def test_a_pack_does_not_differ_from_itself() -> None:
    pack = load_pack(DATA / "packs" / "tiny.yaml")
    d = diff_packs(pack, pack)
    assert (d.added, d.removed, d.changed, d.settings, d.authorities) == ([], [], [], [], [])
    assert d.unchanged == len(pack.clauses)
