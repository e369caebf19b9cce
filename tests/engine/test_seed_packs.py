"""The seed policies as packs: complete, and showing where the policies really differ."""

from __future__ import annotations

import pytest

from aupguard.engine.packs import Pack, coverage, diff_packs, load_pack, resolve_pack
from tests.conftest import PACKS

# The five seed policies (DESIGN.md, "Pack ids of the seed policies").
SHIPPED = ("wonder", "wells", "learning-partnership", "oak", "fst")


def pack(pack_id: str) -> Pack:
    return load_pack(PACKS / f"{pack_id}.yaml")


def checks_of(p: Pack) -> dict[str, set[str]]:
    """check id -> the actions the pack gives it."""
    out: dict[str, set[str]] = {}
    for clause in p.clauses:
        for check in clause.checks:
            out.setdefault(check.id, set()).add(check.action)
    return out


@pytest.mark.parametrize("pack_id", SHIPPED)
def test_every_seed_pack_is_complete(pack_id: str) -> None:
    p = pack(pack_id)
    assert resolve_pack(pack_id) == PACKS / f"{pack_id}.yaml"
    assert [str(problem) for problem in coverage(p).problems] == []
    # "every clause is mapped": most of each policy is enforced or signed for, not just information
    enforced = [c for c in p.clauses if c.mechanisms != ("information",)]
    assert len(enforced) >= len(p.clauses) / 2


def test_fst_allows_personal_devices_with_conditions_and_names_its_authorities() -> None:
    p = pack("fst")
    assert p.settings.personal_devices == "allowed_with_conditions"
    authorities = p.authorities()
    assert authorities["workflow:exemption"] == "siro"
    assert authorities["workflow:group_mailbox_access"] == "iao"
    assert authorities["workflow:social_media_account_access"] == "iao"
    (exemption,) = [c for c in p.clauses if c.workflow and c.workflow.id == "exemption"]
    assert exemption.workflow is not None and "risk_assessment" in exemption.workflow.requires
    # the BYOD duties (anti-virus, PIN, updates) are signed for every year
    byod = [c for c in p.clauses if "pin" in c.text.lower() and c.attestation is not None]
    assert byod


def test_learning_partnership_encodes_reporting_and_email_guidance() -> None:
    p = pack("learning-partnership")
    registers = {(c.register.id, c.register.kind) for c in p.clauses if c.register}
    assert ("incident", "inappropriate_site_accessed") in registers
    checks = checks_of(p)
    for check_id in ("email.full_names_in_body", "email.confidential_unmarked", "web.blocked_category"):
        assert check_id in checks, check_id
    assert "gambling" in p.settings.blocked_categories["all"]
    assert p.settings.signoff_interval_days == 365


def test_wonder_forbids_personal_devices_and_gives_its_authorities_to_the_coo_and_estates() -> None:
    p = pack("wonder")
    assert p.settings.personal_devices == "forbidden"
    authorities = p.authorities()
    assert authorities["workflow:exemption"] == "coo"
    assert authorities["workflow:group_mailbox_access"] == "coo"
    assert authorities["workflow:social_media_account_access"] == "estates"
    assert authorities["workflow:data_to_personal_device"] == "coo"
    checks = checks_of(p)
    assert "access.after_leaving" in checks and "asset.not_returned" in checks


def test_diff_wonder_fst_shows_the_real_differences() -> None:
    d = diff_packs(pack("wonder"), pack("fst"))
    assert {"setting": "personal_devices", "a": "forbidden", "b": "allowed_with_conditions"} in d.settings
    authorities = {row["authority"]: (row["a"], row["b"]) for row in d.authorities}
    assert authorities["workflow:exemption"] == ("coo", "siro")
    assert authorities["workflow:group_mailbox_access"] == ("coo", "iao")
    assert authorities["workflow:social_media_account_access"] == ("estates", "iao")
    # FST is the template WLP adapted: most clauses pair up, and more are the same than differ
    assert d.unchanged > len(d.changed) > 0
    assert d.unchanged + len(d.changed) > len(d.added) + len(d.removed)
    removed_texts = " ".join(c.text for c in d.removed)
    assert "Personal devices are not permitted for business use." in removed_texts


def test_oak_encodes_mailbox_access_leavers_and_training() -> None:
    p = pack("oak")
    authorities = p.authorities()
    assert authorities["workflow:mailbox_access"] == "dpl"
    assert authorities["workflow:absence_mailbox_access"] == "dpl"
    assert authorities["workflow:visitor_device"] == "senior_leader"
    checks = checks_of(p)
    for check_id in (
        "mailbox.access_unapproved",
        "account.not_disabled",
        "training.overdue",
        "web.illegal_content",
    ):
        assert check_id in checks, check_id
    (disable,) = [c for clause in p.clauses for c in clause.checks if c.id == "account.not_disabled"]
    assert disable.params["grace_days"] == 0  # disabled on the last day itself
    assert p.settings.training_interval_days == 365
    assert p.settings.mailbox_retention_days is not None


def test_wells_encodes_its_detailed_email_rules() -> None:
    p = pack("wells")
    assert p.settings.bcc_limit == 10
    assert "[egress]" in p.settings.encrypt_tags
    checks = checks_of(p)
    assert checks["email.card_number"] == {"block"}
    for check_id in (
        "email.recipients_visible",
        "email.bcc_over_limit",
        "email.pupil_name_in_subject",
        "email.auto_forward_external",
        "email.personal_data_unencrypted",
        "email.personal_webmail",
        "web.unapproved_ai",
        "ai.personal_data",
        "asset.not_returned",
        "breach.ico_deadline",
    ):
        assert check_id in checks, check_id
    (card,) = [c for c in p.clauses if any(u.id == "email.card_number" for u in c.checks)]
    assert "PAN" in card.text and "encrypted" in card.text
    assert p.authorities()["workflow:removable_media"] == "senior_leader"
    assert p.settings.personal_devices == "forbidden"
    lost = [c for c in p.clauses if c.register and c.register.kind == "lost_or_stolen_device"]
    assert lost and any(c.register and c.register.clock_hours == 72 for c in lost)
