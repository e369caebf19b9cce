"""Settings for the aupguard web application, every one from the environment (docs/configuration.md).

SQLite in `var/` by default, so that `make demo` needs nothing installed; `DATABASE_URL` points at
PostgreSQL in production and in CI.
"""

from __future__ import annotations

import os
from pathlib import Path

import dj_database_url

BASE_DIR = Path(__file__).resolve().parents[2]
VAR_DIR = Path(os.environ.get("AUPGUARD_VAR_DIR", BASE_DIR / "var"))


def _secret(name: str, default: str | None = None) -> str | None:
    """A secret from NAME, or from the file NAME_FILE names (for container secrets)."""
    path = os.environ.get(f"{name}_FILE")
    if path:
        return Path(path).read_text(encoding="utf-8").strip()
    return os.environ.get(name, default)


DEBUG = os.environ.get("AUPGUARD_DEBUG", "0") == "1"
INSECURE_DEV_KEY = "aupguard-insecure-development-key-change-me"
SECRET_KEY = _secret("SECRET_KEY", INSECURE_DEV_KEY) or INSECURE_DEV_KEY
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
]

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
        conn_max_age=int(os.environ.get("AUPGUARD_DB_CONN_MAX_AGE", "60")),
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
