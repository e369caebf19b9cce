"""A teacher asks for removable media and the senior leader approves it (issue 5, "Tested as a person
would"), at Wells Primary, whose policy (wells) has a senior leader approve removable media."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from aupguard.web.approvals.models import Request
from tests.browser.conftest import screenshot, sign_in, sign_out

TEACHER = "a.khan@wells.redbridge.sch.uk"
SENIOR_LEADER = "j.ward@wells.redbridge.sch.uk"


@pytest.mark.usefixtures("demo")
def test_a_teacher_asks_for_removable_media_and_the_senior_leader_approves_it(
    page: Page, live_server: object
) -> None:
    base = str(live_server)
    sign_in(page, base, TEACHER)
    page.get_by_role("link", name="Ask for permission").click()
    page.get_by_role("link", name="Use removable media").click()
    expect(page.get_by_text("Removable media such as memory sticks should not be used").first).to_be_visible()
    page.get_by_role("button", name="Send the request").click()  # empty: the form says what is missing
    expect(page.locator(".error").first).to_be_visible()
    page.get_by_label("What do you need, and why?").fill(
        "I take our Year 4 writing samples to the borough moderation meeting."
    )
    page.get_by_label("The device and what it will hold").fill("Encrypted 32 GB USB drive WPS-USB-777")
    page.get_by_role("button", name="Send the request").click()
    expect(page.get_by_text("has gone to")).to_be_visible()
    request = Request.objects.get(requester__email=TEACHER, scope__contains="WPS-USB-777")
    sign_out(page)

    sign_in(page, base, SENIOR_LEADER)
    page.get_by_role("link", name="Requests").click()
    page.get_by_role("link", name="Waiting for you").first.click()
    page.locator("tr", has_text="WPS-USB-777").get_by_role("link").click()
    expect(page.get_by_text("WPS-USB-777").first).to_be_visible()
    page.get_by_label("Approve", exact=True).check()
    page.get_by_label("Note to the requester").fill("Keep it encrypted and bring it back after the meeting.")
    page.get_by_role("button", name="Record my decision").click()
    expect(page.get_by_text("approved", exact=False).first).to_be_visible()
    screenshot(page, "removable-media-approved")

    request.refresh_from_db()
    assert request.status == "approved" and request.decided_by is not None
    assert request.decided_by.email == SENIOR_LEADER
