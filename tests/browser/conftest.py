"""Browser tests: Debian's Chromium driven by Playwright against the app on a live server.

Never a downloaded browser (DESIGN.md stack): Playwright is given `executable_path`. Chromium is
installed from Debian's packages when it is missing and the tests run as root (as in CI); otherwise
the tests fail saying how to install it. Each scenario saves a screenshot under
`artifacts/browser/` (gitignored), the test artefact a reviewer looks at.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from allauth.mfa import app_settings as mfa_settings  # type: ignore[import-untyped]
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value  # type: ignore[import-untyped]
from django.core.management import call_command
from playwright.sync_api import Browser, Page, expect, sync_playwright

from aupguard.web.accounts.demo import DEMO_TOTP_SECRET
from aupguard.web.org.demo import DEMO_PASSWORD
from tests.conftest import ROOT

ARTIFACTS = ROOT / "artifacts" / "browser"

# Playwright's sync API runs an event loop in this thread; the ORM calls the tests make between
# page actions are ordinary synchronous code, which Django would otherwise refuse there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def _ensure_chromium() -> str:
    found = shutil.which("chromium")
    if found:
        return found
    if os.geteuid() != 0:
        pytest.fail("Chromium is not installed and this test is not root: `sudo apt-get install -y chromium`")
    subprocess.run(
        ["apt-get", "install", "-y", "--no-install-recommends", "chromium"],
        env={**os.environ, "DEBIAN_FRONTEND": "noninteractive"},
        check=True,
        capture_output=True,
        timeout=900,
    )
    found = shutil.which("chromium")
    assert found, "apt-get installed chromium but it is not on the PATH"
    return found


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    executable = _ensure_chromium()
    with sync_playwright() as playwright:
        # --no-sandbox: CI runs as root, where Chromium refuses its sandbox.
        launched = playwright.chromium.launch(executable_path=executable, args=["--no-sandbox"])
        yield launched
        launched.close()


@pytest.fixture
def demo(transactional_db: None) -> None:
    call_command("load_packs", stdout=StringIO())
    call_command("load_demo", stdout=StringIO())


@pytest.fixture
def page(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    # A phone-sized window: the pages must work there (issue 5, "readable on a phone").
    context = browser.new_context(viewport={"width": 414, "height": 896}, locale="en-GB")
    opened = context.new_page()
    yield opened
    context.close()


def screenshot(page: Page, name: str) -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def sign_in(page: Page, base_url: str, email: str, *, second_factor: bool = False) -> None:
    """Sign in with the demo password, and the authenticator code for those who need one (the demo
    enrols the published demo secret for them, as `make demo` does)."""
    page.goto(f"{base_url}/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    if second_factor:
        period = int(mfa_settings.TOTP_PERIOD)
        code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // period))
        page.get_by_label("Code from your authenticator app").fill(code)
        page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("button", name="Sign out", exact=True)).to_be_visible()


def sign_out(page: Page) -> None:
    page.get_by_role("button", name="Sign out", exact=True).click()
    expect(page.get_by_role("button", name="Sign in")).to_be_visible()
