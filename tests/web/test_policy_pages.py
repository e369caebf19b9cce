"""Publishing packs and reading them as pages: what `make demo` shows a new user."""

from __future__ import annotations

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from aupguard.web.org.models import School
from aupguard.web.policies.models import PolicyVersion
from tests.conftest import DATA

TINY = str(DATA / "packs" / "tiny.yaml")

pytestmark = pytest.mark.django_db


def publish(*refs: str) -> str:
    out = StringIO()
    call_command("load_packs", *refs, stdout=out)
    return out.getvalue()


def test_publishing_the_same_pack_twice_stores_one_version() -> None:
    assert "tiny: published version" in publish(TINY)
    assert "tiny: unchanged version" in publish(TINY)
    assert PolicyVersion.objects.count() == 1
    version = PolicyVersion.objects.get()
    assert version.clause_count == 7
    assert version.source_yaml == Path(TINY).read_text(encoding="utf-8")


def test_a_changed_pack_is_a_new_version_and_the_old_one_stays(
    pack_dir: Path, tiny_text: str, client: Client
) -> None:
    publish(TINY)
    changed = pack_dir / "tiny.yaml"
    changed.write_text(tiny_text.replace('policy_version: "1.0"', 'policy_version: "1.1"'), encoding="utf-8")
    publish(str(changed))
    old, new = PolicyVersion.objects.order_by("published_at", "pk")
    assert (old.policy_version, new.policy_version) == ("1.0", "1.1")

    page = client.get("/policies/tiny/").content.decode()
    assert "policy version 1.1" in page
    assert f"/policies/tiny/{old.version_code}/" in page  # the older version is still one click away
    old_page = client.get(f"/policies/tiny/{old.version_code}/").content.decode()
    assert "policy version 1.0" in old_page


def test_a_broken_pack_is_not_published(pack_dir: Path, tiny_text: str) -> None:
    broken = pack_dir / "tiny.yaml"
    broken.write_text(tiny_text.replace("action: block", "action: shout"), encoding="utf-8")
    err = StringIO()
    with pytest.raises(CommandError, match="1 pack"):
        call_command("load_packs", str(broken), stdout=StringIO(), stderr=err)
    assert "unknown action 'shout'" in err.getvalue()
    assert PolicyVersion.objects.count() == 0


def test_the_pack_page_lists_clauses_by_section_with_their_enforcement(client: Client) -> None:
    publish(TINY)
    response = client.get("/policies/tiny/")
    assert response.status_code == 200
    page = response.content.decode()
    email, devices = '<h2 id="s2">1 Email</h2>', '<h2 id="s3">2 Devices</h2>'
    assert page.index(email) < page.index('id="TINY-1.1"') < page.index(devices) < page.index('id="TINY-2.1"')
    assert '<li><a href="#s2">1 Email</a> (3)</li>' in page  # the contents list, with clause counts
    assert "<blockquote>Staff must never send payment card numbers by email.</blockquote>" in page
    assert "check email.card_number -&gt; block" in page
    assert "workflow removable_media (approver: senior_leader)" in page
    assert "register incident:lost_or_stolen_device (report to dpl) within 72h" in page
    assert '<span class="badge m-attestation">attestation</span>' in page


def test_the_list_shows_each_pack_and_the_schools_that_follow_it(client: Client) -> None:
    publish(TINY)
    call_command("load_demo", stdout=StringIO())
    School.objects.filter(slug="birch-academy").update(pack_id="tiny")
    page = client.get("/policies/").content.decode()
    assert '<a href="/policies/tiny/">Acceptable Use Policy</a>' in page
    assert "Birch Academy" in page


def test_unknown_packs_and_versions_are_404(client: Client) -> None:
    publish(TINY)
    assert client.get("/policies/atlantis/").status_code == 404
    assert client.get("/policies/tiny/000000000000/").status_code == 404


def test_the_demo_trust_can_be_loaded_again_without_duplicates() -> None:
    call_command("load_demo", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())
    assert School.objects.count() == 3
    assert School.objects.get(slug="wells-primary").effective_pack_id == "wells"
    assert School.objects.get(slug="ash-primary").effective_pack_id == "wonder"


def test_every_seed_pack_publishes_and_shows_as_a_page(client: Client) -> None:
    from tests.conftest import PACKS

    publish(
        *(
            str(PACKS / f"{pack_id}.yaml")
            for pack_id in ("wonder", "wells", "learning-partnership", "oak", "fst")
        )
    )
    for pack_id in ("wonder", "wells", "learning-partnership", "oak", "fst"):
        page = client.get(f"/policies/{pack_id}/")
        assert page.status_code == 200, pack_id
    assert "RB-5.22" in client.get("/policies/wells/").text
