"""A teacher reports a lost laptop and the DPL opens a breach and sees the 72-hour countdown (issue 5,
"Tested as a person would"). The DPL signs in with a second factor, as their role requires."""

from __future__ import annotations

import re

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from aupguard.web.devices.models import Device
from aupguard.web.incidents.models import Breach, Incident
from tests.browser.conftest import screenshot, sign_in, sign_out

TEACHER = "e.green@ash.demotrust.org.uk"
DPL = "d.reid@demotrust.org.uk"


@pytest.mark.usefixtures("demo")
def test_a_lost_laptop_becomes_a_breach_with_its_ico_clock(page: Page, live_server: object) -> None:
    base = str(live_server)
    sign_in(page, base, TEACHER)
    page.get_by_role("link", name="Report an incident").first.click()
    page.get_by_role("link", name="Report a lost or stolen device").click()
    an_hour_ago = timezone.localtime() - timezone.timedelta(hours=1)
    page.get_by_label("When did it happen?").fill(an_hour_ago.strftime("%Y-%m-%dT%H:%M"))
    page.get_by_label("What happened?").fill("I left my school laptop on the train after the Year 6 trip.")
    devices = page.get_by_label("Which of your devices?")
    devices.select_option(value=devices.locator("option", has_text="ASH-L-002").get_attribute("value"))
    page.get_by_label("Lost", exact=True).check()
    page.get_by_label("Where?").fill("Southeastern train, Ashford to London")
    page.get_by_label("yes", exact=True).check()
    page.get_by_role("button", name="Send the report").click()
    expect(page.get_by_text("ASH-L-002").first).to_be_visible()
    incident = Incident.objects.get(reporter__email=TEACHER, device__asset_tag="ASH-L-002")
    assert Device.objects.get(asset_tag="ASH-L-002").status == "lost"  # the asset register knows at once
    sign_out(page)

    sign_in(page, base, DPL, second_factor=True)
    page.goto(f"{base}/incidents/{incident.pk}/")
    page.get_by_role("link", name="Open a breach record").click()
    page.get_by_role("button", name="Open the breach record").click()

    clock = page.locator("time.countdown").first
    expect(clock).to_have_text(re.compile(r"^7[01] h \d\d min \d\d s left$"))
    before = clock.inner_text()
    expect(clock).not_to_have_text(before, timeout=5000)  # it ticks in the browser
    screenshot(page, "breach-countdown")
    breach = Breach.objects.get(incident=incident)
    assert breach.deadline - breach.aware_at == timezone.timedelta(hours=72)
    assert breach.opened_by.email == DPL

    page.goto(f"{base}/")
    expect(page.get_by_text("ICO deadline").first).to_be_visible()
