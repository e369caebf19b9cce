"""A leaver's checklist is completed (issue 5, "Tested as a person would"): Tom Hughes leaves Ash Primary
with a school laptop; the trust's IT lead, who signs in with a second factor, takes the laptop back
with the Returned Device Form, closes his sign-in and confirms his school accounts are disabled."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from aupguard.web.devices.models import Device, DeviceEvent
from aupguard.web.people.models import Person
from tests.browser.conftest import screenshot, sign_in

IT_LEAD = "s.ahmed@demotrust.org.uk"
LEAVER = "t.hughes@ash.demotrust.org.uk"


@pytest.mark.usefixtures("demo")
def test_the_it_lead_completes_a_leaver_s_checklist(page: Page, live_server: object) -> None:
    base = str(live_server)
    sign_in(page, base, IT_LEAD, second_factor=True)
    page.get_by_role("link", name="Leavers").first.click()
    page.get_by_role("link", name="Tom Hughes").first.click()
    expect(page.get_by_text("Outstanding")).to_be_visible()

    page.get_by_role("link", name="Record its return").click()
    page.get_by_label("good working order").check()
    page.get_by_label("Yes").check()
    page.get_by_role("button", name="Record").click()

    page.goto(f"{base}/leavers/")
    page.get_by_role("link", name="Tom Hughes").first.click()
    page.get_by_role("button", name="Close Tom's aupguard sign-in now").click()
    page.get_by_role("button", name="Confirm disabled").click()
    expect(page.get_by_text("The checklist is complete.")).to_be_visible()
    screenshot(page, "leaver-checklist-complete")

    tom = Person.objects.select_related("user").get(email=LEAVER)
    assert tom.user is not None and not tom.user.is_active
    assert not Device.objects.filter(holder=tom).exists()
    returned = DeviceEvent.objects.get(kind="returned", person=tom)
    assert returned.condition == "good" and returned.data_wiped is True
