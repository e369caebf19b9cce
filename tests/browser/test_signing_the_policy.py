"""A member of staff signs the policy, as they would in a browser (issue 5, "Tested as a person would")."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from aupguard.web.people.models import Person
from tests.browser.conftest import screenshot, sign_in

TEACHER = "e.green@ash.demotrust.org.uk"


@pytest.mark.usefixtures("demo")
def test_a_teacher_reads_a_section_and_signs_the_policy(page: Page, live_server: object) -> None:
    base = str(live_server)
    sign_in(page, base, TEACHER)
    page.get_by_role("link", name="Read and sign the policy").click()
    page.get_by_role("list").filter(has=page.get_by_role("link")).get_by_role("link").first.click()
    expect(page.locator("h1")).to_be_visible()
    page.go_back()

    page.get_by_role("button", name="Sign version").click()  # nothing filled in: both errors show
    expect(page.get_by_text("Tick the box to confirm you have read the policy.")).to_be_visible()
    page.get_by_label("I have read this policy").check()
    page.get_by_label("Your full name").fill("emma  green")
    page.get_by_role("button", name="Sign version").click()

    expect(page.get_by_text("You signed this version on")).to_be_visible()
    screenshot(page, "signing-the-policy")
    emma = Person.objects.get(email=TEACHER)
    assert emma.signoffs.get().typed_name == "emma green"
    page.goto(f"{base}/")
    expect(page.get_by_text("Nothing needs you right now.")).to_be_visible()
