"""Settings for the aupguard web application, every one from the environment (docs/configuration.md).

SQLite in `var/` by default, so that `make demo` needs nothing installed; `DATABASE_URL` points at
PostgreSQL in production and in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

from aupguard.web.accounts.config import mfa_roles_from, oidc_providers_from, oidc_second_factor_from

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("AUPGUARD_VAR_DIR", BASE_DIR / "var"))


def _secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file NAME_FILE names (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


def _whole_number(name: str, default: int) -> int:
    raw = os.environ.get(name, "").strip()
    if not raw:
        return default
    if not raw.isdigit():
        raise ImproperlyConfigured(f"{name} is {raw!r}; expected a whole number such as {default}")
    return int(raw)


DEBUG = os.environ.get("AUPGUARD_DEBUG", "0") == "1"
INSECURE_DEV_KEY = "aupguard-insecure-development-key-change-me"
SECRET_KEY = _secret("SECRET_KEY", INSECURE_DEV_KEY) or INSECURE_DEV_KEY
# Old keys, space-separated, while SECRET_KEY is rotated: sessions and the encrypted TOTP secrets
# made with them stay readable.
SECRET_KEY_FALLBACKS = (_secret("SECRET_KEY_FALLBACKS") or "").split()
ALLOWED_HOSTS = [h for h in os.environ.get("AUPGUARD_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h]

INSTALLED_APPS = [
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "aupguard.web.org",
    "aupguard.web.policies",
    "aupguard.web.audit",
    "aupguard.web.people",
    "aupguard.web.signoff",
    "aupguard.web.approvals",
    "aupguard.web.devices",
    "aupguard.web.incidents",
    "aupguard.web.leavers",
    "aupguard.web.monitoring",
    # Before allauth, so that its page layout and form elements (accounts/templates/allauth/) win.
    "aupguard.web.accounts",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "allauth.mfa",
]

LOGIN_URL = "login"
LOGIN_REDIRECT_URL = "signoff:my-policy"
LOGOUT_REDIRECT_URL = "login"

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After the session, the user and messages: it reads all three.
    "aupguard.web.accounts.middleware.SecondFactorMiddleware",
]

# Signing in (docs/configuration.md, "Signing in"). allauth's backend adds sign-in by email address;
# Django's own keeps `Client.login(username=...)` and the admin commands working.
AUTHENTICATION_BACKENDS = [
    # First: refuses a leaver past their leaving date before any backend checks the password.
    "aupguard.web.leavers.signin.LeaverGate",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator", "OPTIONS": {"min_length": 10}},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
# Accounts come from the staff directory, never from a sign-up form: the adapter closes sign-up, and
# addresses are the directory's, so there is nothing to verify by email.
ACCOUNT_ADAPTER = "aupguard.web.accounts.adapters.AccountAdapter"
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*"]
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
# Staffroom computers are shared: a sign-in ends when the browser closes, with no "remember me".
ACCOUNT_SESSION_REMEMBER = False
SOCIALACCOUNT_ADAPTER = "aupguard.web.accounts.adapters.DirectorySocialAccountAdapter"
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_STORE_TOKENS = False
SOCIALACCOUNT_PROVIDERS = oidc_providers_from(os.environ, secret=_secret("AUPGUARD_OIDC_CLIENT_SECRET"))
# Whether a single sign-on counts as the second factor: `provider` (Entra ID's or Google's own MFA) or
# `aupguard` (our TOTP as well).
AUPGUARD_OIDC_SECOND_FACTOR = oidc_second_factor_from(os.environ)

# Second factor: an authenticator app (TOTP) with recovery codes. Required for the roles that hold
# breach, monitoring and account data; anyone else may turn it on.
AUPGUARD_MFA_ROLES = mfa_roles_from(os.environ)
MFA_ADAPTER = "aupguard.web.accounts.adapters.MFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = os.environ.get("AUPGUARD_MFA_ISSUER", "aupguard")
# One 30-second step either side: phone clocks drift, and a used code is refused for the whole window.
MFA_TOTP_TOLERANCE = 1

ROOT_URLCONF = "aupguard.web.urls"
WSGI_APPLICATION = "aupguard.web.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "aupguard" / "web" / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        _secret("DATABASE_URL", f"sqlite:///{VAR_DIR / 'aupguard.sqlite3'}") or "",
        conn_max_age=_whole_number("AUPGUARD_DB_CONN_MAX_AGE", 60),
    )
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

LANGUAGE_CODE = "en-gb"
TIME_ZONE = os.environ.get("AUPGUARD_TIME_ZONE", "Europe/London")
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [BASE_DIR / "aupguard" / "web" / "static"]

# The email the registers send (approvals, incident alerts, sign-off reminders), through the school's
# own SMTP server. `make demo` points it at the demo mail sink, which keeps what it is sent in var/.
EMAIL_HOST = os.environ.get("AUPGUARD_EMAIL_HOST", "localhost")
EMAIL_PORT = _whole_number("AUPGUARD_EMAIL_PORT", 25)
EMAIL_HOST_USER = os.environ.get("AUPGUARD_EMAIL_USER", "")
EMAIL_HOST_PASSWORD = _secret("AUPGUARD_EMAIL_PASSWORD", "") or ""
EMAIL_USE_TLS = os.environ.get("AUPGUARD_EMAIL_STARTTLS", "0") == "1"
EMAIL_TIMEOUT = 15
DEFAULT_FROM_EMAIL = os.environ.get("AUPGUARD_FROM_EMAIL", "aupguard@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Links in those emails need the site's own address.
AUPGUARD_BASE_URL = os.environ.get("AUPGUARD_BASE_URL", "http://127.0.0.1:8000").rstrip("/")
