"""Signing in: the password page, the second factor for the roles that need it, and single sign-on
through a real OpenID provider started on 127.0.0.1 by the test (tests/oidc/)."""

from __future__ import annotations

import json
import os
import select
import subprocess
import sys
import time
from collections.abc import Iterator
from io import StringIO
from pathlib import Path
from urllib.parse import parse_qs, urljoin, urlsplit

import pytest
import requests
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from allauth.socialaccount.models import SocialAccount
from django.conf import LazySettings
from django.contrib.auth.models import User
from django.core.cache import cache
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.http import HttpResponse
from django.test import Client

from aupguard.web.accounts import demo as accounts_demo
from aupguard.web.accounts.config import (
    DEFAULT_MFA_ROLES,
    mfa_roles_from,
    oidc_providers_from,
    oidc_second_factor_from,
)
from aupguard.web.accounts.needs import needs_of
from aupguard.web.audit.models import AuditEvent
from aupguard.web.org.management.commands.load_demo import DEMO_PASSWORD
from aupguard.web.org.models import School, Trust
from aupguard.web.people.models import Person
from tests.conftest import ROOT

pytestmark = pytest.mark.django_db

TRUST_DPL = "d.reid@demotrust.org.uk"
TRUST_COO = "l.morgan@demotrust.org.uk"
TRUST_HR = "c.evans@demotrust.org.uk"
ASH_TEACHER = "e.green@ash.demotrust.org.uk"
ASH_LEAVER = "t.hughes@ash.demotrust.org.uk"
BIRCH_TEACHER = "j.cole@birch.demotrust.org.uk"
WELLS_DPL = "t.osei@wells.redbridge.sch.uk"
WELLS_TEACHER = "a.khan@wells.redbridge.sch.uk"
NEW_STARTER = "n.new@ash.demotrust.org.uk"
STRANGER = "someone@elsewhere.example"


@pytest.fixture(autouse=True)
def fresh_cache() -> None:
    # Used TOTP codes and failed-attempt counts live in the cache, keyed by user id; ids repeat
    # between tests on SQLite, so one test's used code must not count against the next.
    cache.clear()


@pytest.fixture
def demo() -> Trust:
    call_command("load_demo", "--people-only", stdout=StringIO())
    return Trust.objects.get(slug="demo-trust")


def code_for(secret: str, step: int = 0) -> str:
    """The code an authenticator app shows now (`step` 30-second periods later)."""
    return format_hotp_value(hotp_value(secret, int(time.time()) // 30 + step))


def wrong_code_for(secret: str) -> str:
    valid = {code_for(secret, step) for step in (-1, 0, 1)}
    return next(code for code in ("000000", "123456", "999999") if code not in valid)


def sign_in_with_password(email: str, password: str = DEMO_PASSWORD) -> tuple[Client, HttpResponse]:
    client = Client()
    return client, client.post("/accounts/login/", {"login": email, "password": password})


def confirm_password(client: Client, then: str, email: str) -> HttpResponse:
    """allauth's "confirm it is you" page, which stands before any change to how someone signs in."""
    response = client.post("/accounts/reauthenticate/", {"password": DEMO_PASSWORD, "next": then})
    assert response.status_code == 302, f"{email}: {response}"
    return response


# --- the sign-in page --------------------------------------------------------------------------


def test_the_sign_in_page_has_labelled_fields_and_says_what_went_wrong(
    demo: Trust, settings: LazySettings
) -> None:
    settings.SOCIALACCOUNT_PROVIDERS = {}
    client = Client()
    page = client.get("/accounts/login/").text
    assert '<label for="id_login">School email address</label>' in page
    assert '<label for="id_password">Password</label>' in page
    assert "Sign in with" not in page  # no single sign-on configured, no button
    refused = client.post("/accounts/login/", {"login": ASH_TEACHER, "password": "not-my-password"})
    assert refused.status_code == 200
    assert "email address and/or password you specified are not correct" in refused.text
    assert 'value="e.green@ash.demotrust.org.uk"' in refused.text  # typed address kept
    assert "_auth_user_id" not in client.session


def test_the_url_names_base_html_uses_still_work(demo: Trust) -> None:
    from django.urls import reverse

    assert reverse("login") == "/accounts/login/" and reverse("logout") == "/accounts/logout/"
    client, _ = sign_in_with_password(ASH_TEACHER)
    out = client.post("/accounts/logout/")
    assert out.status_code == 302 and out.url == "/accounts/login/"
    assert "_auth_user_id" not in client.session


@pytest.mark.mfa
def test_a_teacher_signs_in_with_a_password_alone(demo: Trust) -> None:
    client, response = sign_in_with_password(ASH_TEACHER)
    assert response.status_code == 302 and response.url == "/my-policy/"
    assert client.get("/my-policy/").status_code == 200
    assert needs_of(Person.objects.get(email=ASH_TEACHER)) == []


def test_allauth_s_other_account_pages_are_drawn_in_the_site_s_layout(demo: Trust) -> None:
    client, _ = sign_in_with_password(ASH_TEACHER)
    for page in ("/accounts/password/change/", "/accounts/3rdparty/", "/accounts/2fa/", "/accounts/email/"):
        response = client.get(page)
        assert response.status_code == 200 and '<header class="site">' in response.text, page
    change = client.get("/accounts/password/change/").text
    assert '<form method="post" class="stack"' in change and '<label for="id_oldpassword">' in change
    reset = Client().get("/accounts/password/reset/").text
    assert '<form method="post" class="stack"' in reset and '<label for="id_email">' in reset


def test_there_is_no_sign_up(demo: Trust) -> None:
    page = Client().get("/accounts/signup/")
    assert "Accounts come from the staff directory" in page.text
    assert not User.objects.filter(username="new@ash.demotrust.org.uk").exists()


# --- the second factor -------------------------------------------------------------------------


# A real commit: allauth reports the new authenticator once the transaction commits, as in production.
@pytest.mark.django_db(transaction=True)
@pytest.mark.mfa
def test_a_dpl_reaches_nothing_until_they_set_up_an_authenticator_app(demo: Trust) -> None:
    client, response = sign_in_with_password(TRUST_DPL)
    assert response.status_code == 302  # the password was right
    for page in ("/my-policy/", "/people/", "/check/"):
        held = client.get(page)
        assert held.status_code == 302 and held.url == "/accounts/2fa/totp/activate/", page
    setup = client.get("/accounts/2fa/totp/activate/")
    assert setup.status_code == 200
    assert "As Data Protection Lead you can see records" in setup.text
    secret = client.session["mfa.totp.secret"]
    assert secret in setup.text  # the key to type when the QR code cannot be scanned

    wrong = client.post("/accounts/2fa/totp/activate/", {"code": wrong_code_for(secret)})
    assert wrong.status_code == 200 and "That code is not right" in wrong.text
    assert not Authenticator.objects.filter(user__username=TRUST_DPL).exists()
    assert client.get("/my-policy/").url == "/accounts/2fa/totp/activate/"

    done = client.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    assert done.status_code == 302 and done.url == "/accounts/2fa/recovery-codes/"
    codes = client.get("/accounts/2fa/recovery-codes/")
    assert codes.text.count("<li><code>") == 10
    assert 'href="/my-policy/">I have kept them: continue' in codes.text  # back to where they were going
    assert client.get("/my-policy/").status_code == 200
    assert AuditEvent.objects.filter(
        action="accounts.second_factor_added", actor__username=TRUST_DPL
    ).exists()


@pytest.mark.mfa
def test_an_enrolled_dpl_is_asked_for_the_code_at_sign_in(demo: Trust) -> None:
    accounts_demo.load(demo)
    client, response = sign_in_with_password(TRUST_DPL)
    assert response.status_code == 302 and response.url == "/accounts/2fa/authenticate/"
    assert client.get("/my-policy/").url.startswith("/accounts/login/")  # not signed in yet
    ask = client.get("/accounts/2fa/authenticate/")
    assert '<label for="id_code">' in ask.text and 'autocomplete="one-time-code"' in ask.text

    wrong = client.post(
        "/accounts/2fa/authenticate/", {"code": wrong_code_for(accounts_demo.DEMO_TOTP_SECRET)}
    )
    assert wrong.status_code == 200 and "That code is not right" in wrong.text
    assert client.get("/my-policy/").url.startswith("/accounts/login/")

    right = client.post("/accounts/2fa/authenticate/", {"code": code_for(accounts_demo.DEMO_TOTP_SECRET)})
    assert right.status_code == 302 and right.url == "/my-policy/"
    assert client.get("/my-policy/").status_code == 200


@pytest.mark.mfa
def test_a_code_works_once(demo: Trust) -> None:
    accounts_demo.load(demo)
    code = code_for(accounts_demo.DEMO_TOTP_SECRET)
    first, _ = sign_in_with_password(TRUST_DPL)
    assert first.post("/accounts/2fa/authenticate/", {"code": code}).status_code == 302
    second, _ = sign_in_with_password(TRUST_DPL)
    again = second.post("/accounts/2fa/authenticate/", {"code": code})
    assert again.status_code == 200 and "That code is not right" in again.text


@pytest.mark.mfa
def test_a_recovery_code_signs_in_when_the_phone_is_not_to_hand(demo: Trust) -> None:
    accounts_demo.load(demo)
    user = User.objects.get(username=TRUST_COO)
    codes = Authenticator.objects.get(user=user, type=Authenticator.Type.RECOVERY_CODES).wrap()
    recovery = codes.get_unused_codes()[0]
    client, _ = sign_in_with_password(TRUST_COO)
    assert client.post("/accounts/2fa/authenticate/", {"code": recovery}).url == "/my-policy/"
    codes.instance.refresh_from_db()
    assert recovery not in codes.get_unused_codes()
    again, _ = sign_in_with_password(TRUST_COO)
    assert again.post("/accounts/2fa/authenticate/", {"code": recovery}).status_code == 200  # used up


@pytest.mark.mfa
def test_a_session_that_skipped_the_code_is_asked_for_it(demo: Trust) -> None:
    accounts_demo.load(demo)
    client = Client()
    # Client.login() goes round allauth's sign-in steps, as any other route in would.
    assert client.login(username=WELLS_DPL, password=DEMO_PASSWORD)
    held = client.get("/people/")
    assert held.status_code == 302 and held.url == "/accounts/2fa/reauthenticate/?next=%2Fpeople%2F"
    page = client.get(held.url)
    assert "As Data Protection Lead you need two-step sign-in" in page.text
    done = client.post(held.url, {"code": code_for(accounts_demo.DEMO_TOTP_SECRET), "next": "/people/"})
    assert done.status_code == 302 and done.url == "/people/"
    assert client.get("/people/").status_code == 200


@pytest.mark.mfa(roles=("hr",))
def test_the_roles_that_need_a_code_come_from_the_setting(demo: Trust) -> None:
    hr, _ = sign_in_with_password(TRUST_HR)
    assert hr.get("/my-policy/").url == "/accounts/2fa/totp/activate/"
    dpl, _ = sign_in_with_password(TRUST_DPL)
    assert dpl.get("/my-policy/").status_code == 200


def test_without_the_mfa_marker_other_tests_sign_in_as_before(demo: Trust) -> None:
    client = Client()
    assert client.login(username=TRUST_DPL, password=DEMO_PASSWORD)
    assert client.get("/my-policy/").status_code == 200


@pytest.mark.django_db(transaction=True)
@pytest.mark.mfa
def test_anyone_may_turn_it_on_and_off_but_a_dpl_cannot_turn_it_off(demo: Trust) -> None:
    teacher, _ = sign_in_with_password(ASH_TEACHER)
    assert "Anyone may turn it on" in teacher.get("/accounts/2fa/").text
    teacher.get("/accounts/2fa/totp/activate/")
    secret = teacher.session["mfa.totp.secret"]
    teacher.post("/accounts/2fa/totp/activate/", {"code": code_for(secret)})
    again, response = sign_in_with_password(ASH_TEACHER)
    assert response.url == "/accounts/2fa/authenticate/"  # now asked, like the DPL
    assert again.post("/accounts/2fa/authenticate/", {"code": code_for(secret, 1)}).url == "/my-policy/"
    asked = again.post("/accounts/2fa/totp/deactivate/")  # a change to sign-in: password first
    assert asked.status_code == 302 and asked.url.startswith("/accounts/reauthenticate/")
    off = confirm_password(again, "/accounts/2fa/totp/deactivate/", ASH_TEACHER)
    assert off.status_code == 302 and off.url == "/accounts/2fa/"
    assert not Authenticator.objects.filter(user__username=ASH_TEACHER, type="totp").exists()

    accounts_demo.load(demo)
    dpl, _ = sign_in_with_password(TRUST_DPL)
    dpl.post("/accounts/2fa/authenticate/", {"code": code_for(accounts_demo.DEMO_TOTP_SECRET)})
    assert "it stays on" in dpl.get("/accounts/2fa/").text
    confirm_password(dpl, "/accounts/2fa/", TRUST_DPL)
    refused = dpl.post("/accounts/2fa/totp/deactivate/")
    assert refused.status_code == 200 and "Your role needs two-step sign-in, so it stays on" in refused.text
    assert Authenticator.objects.filter(user__username=TRUST_DPL, type="totp").exists()


@pytest.mark.mfa
def test_the_secret_is_not_stored_in_clear(demo: Trust, settings: LazySettings) -> None:
    accounts_demo.load(demo)
    stored = Authenticator.objects.get(user__username=TRUST_DPL, type="totp").data["secret"]
    assert accounts_demo.DEMO_TOTP_SECRET not in json.dumps(stored)
    # A new SECRET_KEY with the old one kept as a fallback: the app set up before still works.
    settings.SECRET_KEY_FALLBACKS = [settings.SECRET_KEY]
    settings.SECRET_KEY = "a-new-secret-key-after-rotation-0123456789"
    client, _ = sign_in_with_password(TRUST_DPL)
    done = client.post("/accounts/2fa/authenticate/", {"code": code_for(accounts_demo.DEMO_TOTP_SECRET)})
    assert done.url == "/my-policy/"


@pytest.mark.mfa
def test_each_person_sees_only_their_own_sign_in_settings(demo: Trust) -> None:
    """Owner, someone in the same school, someone in another school: every page is about the person
    signed in, and no address or code of anyone else appears on it."""
    accounts_demo.load(demo)
    dpl_codes = (
        Authenticator.objects.get(user__username=WELLS_DPL, type="recovery_codes").wrap().get_unused_codes()
    )
    owner, _ = sign_in_with_password(WELLS_DPL)
    owner.post("/accounts/2fa/authenticate/", {"code": code_for(accounts_demo.DEMO_TOTP_SECRET)})
    shown = confirm_password(owner, "/accounts/2fa/recovery-codes/", WELLS_DPL)
    assert dpl_codes[0] in owner.get(shown.url).text
    assert WELLS_DPL in owner.get("/accounts/email/").text
    for email in (WELLS_TEACHER, ASH_TEACHER):  # the same school, another school
        other, _ = sign_in_with_password(email)
        email_page = other.get("/accounts/email/").text
        assert email in email_page and WELLS_DPL not in email_page
        codes_page = other.get("/accounts/2fa/recovery-codes/")
        assert all(code not in codes_page.text for code in dpl_codes)


@pytest.mark.mfa
def test_what_signing_in_asks_on_the_home_page(demo: Trust) -> None:
    dpl = Person.objects.get(email=TRUST_DPL)
    (need,) = needs_of(dpl)
    assert (
        need.title == "Set up two-step sign-in" and need.urgent and need.url == "/accounts/2fa/totp/activate/"
    )
    assert "Data Protection Lead" in need.detail
    accounts_demo.load(demo)
    assert needs_of(dpl) == []
    codes = Authenticator.objects.get(user=dpl.user, type="recovery_codes")
    codes.data["used_mask"] = 0b11111111  # eight of the ten used
    codes.save()
    (low,) = needs_of(dpl)
    assert low.title == "Make new recovery codes" and "You have 2 recovery codes left" in low.detail
    assert needs_of(Person.objects.get(email="office@ash.demotrust.org.uk")) == []  # no account


# --- the demo ----------------------------------------------------------------------------------


@pytest.mark.mfa
def test_the_demo_enrols_its_dpl_coo_and_it_people_once(demo: Trust) -> None:
    summary = accounts_demo.load(demo)
    assert "4 demo sign-ins need a code (4 newly set up)" in summary
    enrolled = set(Authenticator.objects.filter(type="totp").values_list("user__username", flat=True))
    assert enrolled == {TRUST_DPL, TRUST_COO, "s.ahmed@demotrust.org.uk", WELLS_DPL}
    assert "(0 newly set up)" in accounts_demo.load(demo)
    assert Authenticator.objects.count() == 8  # an app and recovery codes each, nothing more
    other = Trust.objects.create(name="Real Trust", slug="real-trust", pack_id="wonder")
    with pytest.raises(ValueError, match="not the demo trust"):
        accounts_demo.load(other)


@pytest.mark.mfa
def test_demo_totp_prints_the_current_code_for_demo_people_only(demo: Trust) -> None:
    accounts_demo.load(demo)
    out, err = StringIO(), StringIO()
    call_command("demo_totp", TRUST_DPL.upper(), stdout=out, stderr=err)
    assert out.getvalue().strip() in {code_for(accounts_demo.DEMO_TOTP_SECRET, s) for s in (0, -1)}
    assert "valid for another" in err.getvalue()
    with pytest.raises(CommandError, match="not in the staff directory"):
        call_command("demo_totp", STRANGER, stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="no authenticator app"):
        call_command("demo_totp", ASH_TEACHER, stdout=StringIO(), stderr=StringIO())
    real = Trust.objects.create(name="Real Trust", slug="real-trust", pack_id="wonder")
    Person.objects.create(trust=real, email="dpl@real.example")
    with pytest.raises(CommandError, match="not the demo trust"):
        call_command("demo_totp", "dpl@real.example", stdout=StringIO(), stderr=StringIO())


@pytest.mark.mfa
def test_it_resets_a_lost_phone_and_the_person_sets_up_a_new_app(demo: Trust) -> None:
    accounts_demo.load(demo)
    with pytest.raises(CommandError, match="give a --reason"):
        call_command("reset_second_factor", TRUST_DPL, reason="  ", stdout=StringIO())
    with pytest.raises(CommandError, match="has no two-step sign-in"):
        call_command("reset_second_factor", ASH_TEACHER, reason="phone lost", stdout=StringIO())
    out = StringIO()
    call_command("reset_second_factor", TRUST_DPL, reason="phone lost, ticket 812", stdout=out)
    assert "removed" in out.getvalue()
    assert not Authenticator.objects.filter(user__username=TRUST_DPL).exists()
    assert AuditEvent.objects.filter(
        action="accounts.second_factor_reset_by_it", reason="phone lost, ticket 812"
    ).exists()
    client, response = sign_in_with_password(TRUST_DPL)
    assert response.url == "/my-policy/"  # no code to ask for any more...
    assert client.get("/my-policy/").url == "/accounts/2fa/totp/activate/"  # ...so a new app first


# --- settings from the environment -------------------------------------------------------------


def test_the_roles_needing_a_code_are_read_from_the_environment() -> None:
    assert mfa_roles_from({}) == DEFAULT_MFA_ROLES == ("dpl", "coo", "siro", "it_support", "network_manager")
    assert mfa_roles_from({"AUPGUARD_MFA_ROLES": " DPL, hr ,dpl"}) == ("dpl", "hr")
    assert mfa_roles_from({"AUPGUARD_MFA_ROLES": ""}) == ()
    with pytest.raises(ImproperlyConfigured, match="unknown role\\(s\\) dlp"):
        mfa_roles_from({"AUPGUARD_MFA_ROLES": "dlp,coo"})


def test_single_sign_on_is_configured_whole_or_not_at_all() -> None:
    assert oidc_providers_from({}, secret=None) == {}
    with pytest.raises(
        ImproperlyConfigured, match="set AUPGUARD_OIDC_SERVER_URL, AUPGUARD_OIDC_CLIENT_SECRET"
    ):
        oidc_providers_from({"AUPGUARD_OIDC_CLIENT_ID": "abc"}, secret=None)
    entra = {
        "AUPGUARD_OIDC_PROVIDER_ID": "entra",
        "AUPGUARD_OIDC_NAME": "Microsoft",
        "AUPGUARD_OIDC_SERVER_URL": "https://login.microsoftonline.com/tenant-id/v2.0/",
        "AUPGUARD_OIDC_CLIENT_ID": "abc",
        "AUPGUARD_OIDC_TRUST_EMAIL": "1",
    }
    (app,) = oidc_providers_from(entra, secret="shh")["openid_connect"]["APPS"]
    assert app["provider_id"] == "entra" and app["name"] == "Microsoft" and app["secret"] == "shh"
    assert app["settings"] == {
        "server_url": "https://login.microsoftonline.com/tenant-id/v2.0",
        "verified_email": True,
    }
    with pytest.raises(ImproperlyConfigured, match="must be an https:// address"):
        oidc_providers_from({**entra, "AUPGUARD_OIDC_SERVER_URL": "http://idp.example.org"}, secret="shh")
    with pytest.raises(ImproperlyConfigured, match="AUPGUARD_OIDC_PROVIDER_ID"):
        oidc_providers_from({**entra, "AUPGUARD_OIDC_PROVIDER_ID": "Entra ID"}, secret="shh")
    with pytest.raises(ImproperlyConfigured, match="use 1 or 0"):
        oidc_providers_from({**entra, "AUPGUARD_OIDC_TRUST_EMAIL": "maybe"}, secret="shh")
    assert oidc_second_factor_from({}) == "provider"
    with pytest.raises(ImproperlyConfigured, match="'provider' or 'aupguard'"):
        oidc_second_factor_from({"AUPGUARD_OIDC_SECOND_FACTOR": "both"})


# --- single sign-on through a real OpenID provider ---------------------------------------------

PROVIDER_ID = "sso"
CLIENT_ID = "aupguard-tests"
CLIENT_SECRET = "client-secret-for-the-tests"
CALLBACK = f"http://testserver/accounts/oidc/{PROVIDER_ID}/login/callback/"
IDP_PASSWORD = "password-at-the-provider"
IDP_USERS = [
    {"email": ASH_TEACHER, "first_name": "Emma", "last_name": "Green"},
    {"email": TRUST_DPL, "first_name": "Daniel", "last_name": "Reid"},
    {"email": ASH_LEAVER, "first_name": "Tom", "last_name": "Hughes"},
    {"email": NEW_STARTER, "first_name": "Nia", "last_name": "New"},
    {"email": STRANGER, "first_name": "Some", "last_name": "One"},
    {"email": BIRCH_TEACHER, "first_name": "Jamie", "last_name": "Cole", "verified": False},
]


@pytest.fixture(scope="module")
def identity_provider(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The provider in its own process on 127.0.0.1; its address (the issuer is this plus /o)."""
    folder = tmp_path_factory.mktemp("oidc")
    config = folder / "provider.json"
    config.write_text(
        json.dumps(
            {
                "client_id": CLIENT_ID,
                "client_secret": CLIENT_SECRET,
                "redirect_uri": CALLBACK,
                "users": [{**user, "password": IDP_PASSWORD} for user in IDP_USERS],
            }
        ),
        encoding="utf-8",
    )
    log = folder / "provider.log"
    env = {key: value for key, value in os.environ.items() if key != "DATABASE_URL"}
    with log.open("w", encoding="utf-8") as errors:
        process = subprocess.Popen(
            [sys.executable, "-m", "tests.oidc.serve", str(config)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
        )
        try:
            assert process.stdout is not None
            ready, _, _ = select.select([process.stdout], [], [], 60)
            line = process.stdout.readline() if ready else ""
            if not line.startswith("READY "):
                raise RuntimeError(f"the test OpenID provider did not start:\n{Path(log).read_text()}")
            yield line.split()[1]
        finally:
            process.terminate()
            process.wait(timeout=10)


@pytest.fixture
def sso(identity_provider: str, settings: LazySettings, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")
    settings.SOCIALACCOUNT_PROVIDERS = oidc_providers_from(
        {
            "AUPGUARD_OIDC_PROVIDER_ID": PROVIDER_ID,
            "AUPGUARD_OIDC_NAME": "Test Identity",
            "AUPGUARD_OIDC_SERVER_URL": f"{identity_provider}/o",
            "AUPGUARD_OIDC_CLIENT_ID": CLIENT_ID,
        },
        secret=CLIENT_SECRET,
    )
    return identity_provider


def sign_in_at_provider(
    provider: str, email: str, *, client: Client | None = None, process: str = "login"
) -> tuple[Client, HttpResponse]:
    """The whole redirect flow: our sign-in button, the provider's sign-in page (real HTTP), the
    provider's redirect back to our callback, which our side completes against the provider."""
    client = client or Client()
    start = client.post(f"/accounts/oidc/{PROVIDER_ID}/login/?process={process}")
    assert start.status_code == 302 and start.url.startswith(f"{provider}/o/authorize/"), start
    browser = requests.Session()
    login_page = browser.get(start.url, timeout=10)  # the provider asks its user to sign in
    assert login_page.url.startswith(f"{provider}/login/"), login_page.url
    signed_in = browser.post(
        login_page.url,
        data={
            "username": email,
            "password": IDP_PASSWORD,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
            "next": parse_qs(urlsplit(login_page.url).query)["next"][0],
        },
        allow_redirects=False,
        timeout=10,
    )
    assert signed_in.status_code == 302, signed_in.text
    back = browser.get(urljoin(provider, signed_in.headers["Location"]), allow_redirects=False, timeout=10)
    callback = back.headers["Location"]
    assert callback.startswith(CALLBACK), callback
    return client, client.get(callback.removeprefix("http://testserver"))


def test_the_sign_in_page_offers_single_sign_on_when_configured(sso: str) -> None:
    page = Client().get("/accounts/login/").text
    assert f'action="/accounts/oidc/{PROVIDER_ID}/login/?process=login"' in page
    assert "Sign in with Test Identity" in page


def test_a_directory_member_signs_in_with_single_sign_on_and_lands_on_their_page(
    demo: Trust, sso: str
) -> None:
    emma = User.objects.get(username=ASH_TEACHER)
    client, response = sign_in_at_provider(sso, ASH_TEACHER)
    assert response.status_code == 302 and response.url == "/my-policy/"
    assert client.get("/my-policy/").status_code == 200
    assert client.get("/accounts/email/").context["user"] == emma  # their own account, no new one
    (link,) = SocialAccount.objects.all()
    assert link.user == emma and link.provider == PROVIDER_ID
    assert AuditEvent.objects.filter(action="accounts.sso_linked", actor=emma).exists()
    _, second = sign_in_at_provider(sso, ASH_TEACHER)  # the link is reused
    assert second.url == "/my-policy/" and SocialAccount.objects.count() == 1


def test_an_address_the_directory_does_not_have_is_refused(demo: Trust, sso: str) -> None:
    users = User.objects.count()
    client, response = sign_in_at_provider(sso, STRANGER)
    assert response.status_code == 403
    assert f"{STRANGER} is not in the staff directory" in response.text
    assert User.objects.count() == users and not SocialAccount.objects.exists()
    assert "_auth_user_id" not in client.session
    assert AuditEvent.objects.filter(action="accounts.sso_refused", summary__contains=STRANGER).exists()


def test_a_new_starter_with_no_account_yet_gets_one_without_a_password(demo: Trust, sso: str) -> None:
    Person.objects.create(
        trust=demo,
        school=School.objects.get(slug="ash-primary"),
        email=NEW_STARTER,
        first_name="Nia",
        last_name="New",
    )
    _, response = sign_in_at_provider(sso, NEW_STARTER)
    assert response.url == "/my-policy/"
    person = Person.objects.select_related("user").get(email=NEW_STARTER)
    assert person.user is not None and person.user.email == NEW_STARTER
    assert not person.user.has_usable_password()


def test_an_address_the_provider_has_not_verified_is_refused(demo: Trust, sso: str) -> None:
    _, response = sign_in_at_provider(sso, BIRCH_TEACHER)
    assert response.status_code == 403 and "did not confirm an email address" in response.text
    assert not SocialAccount.objects.exists()


def test_a_leaver_is_refused_even_with_a_link_from_before(demo: Trust, sso: str) -> None:
    sign_in_at_provider(sso, ASH_LEAVER)  # linked while still working here
    Person.objects.filter(email=ASH_LEAVER).update(leave_date="2025-07-18")
    _, response = sign_in_at_provider(sso, ASH_LEAVER)
    assert response.status_code == 403 and "left on 18 July 2025" in response.text


def test_someone_signed_in_can_link_only_their_own_provider_account(demo: Trust, sso: str) -> None:
    emma, _ = sign_in_with_password(ASH_TEACHER)
    _, refused = sign_in_at_provider(sso, TRUST_DPL, client=emma, process="connect")
    assert refused.status_code == 403
    assert "not the one the staff directory has for you" in refused.text
    assert not SocialAccount.objects.exists()
    _, linked = sign_in_at_provider(sso, ASH_TEACHER, client=emma, process="connect")
    assert linked.status_code == 302
    assert SocialAccount.objects.get().user.username == ASH_TEACHER


@pytest.mark.mfa
def test_the_identity_provider_s_mfa_is_the_second_factor_by_default(demo: Trust, sso: str) -> None:
    accounts_demo.load(demo)
    client, response = sign_in_at_provider(sso, TRUST_DPL)
    assert response.url == "/my-policy/"  # no aupguard code after the provider's sign-in
    assert client.get("/people/").status_code == 200


@pytest.mark.mfa
def test_aupguard_can_ask_for_its_own_code_after_single_sign_on(
    demo: Trust, sso: str, settings: LazySettings
) -> None:
    settings.AUPGUARD_OIDC_SECOND_FACTOR = "aupguard"
    accounts_demo.load(demo)
    client, response = sign_in_at_provider(sso, TRUST_DPL)
    assert response.url == "/accounts/2fa/authenticate/"
    done = client.post("/accounts/2fa/authenticate/", {"code": code_for(accounts_demo.DEMO_TOTP_SECRET)})
    assert done.url == "/my-policy/"
