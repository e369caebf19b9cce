"""Start the test OpenID provider: `python -m tests.oidc.serve CONFIG.json`.

CONFIG names one client (`client_id`, `client_secret`, `redirect_uri`) and the accounts the provider
knows (`users`: `email`, `password`, `first_name`, `last_name`, `verified`). The server listens on
127.0.0.1 on a free port and prints `READY http://127.0.0.1:PORT` once it answers; the issuer is that
address followed by `/o`.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any
from wsgiref.simple_server import WSGIRequestHandler, make_server


class _Quiet(WSGIRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


def main(config_path: str) -> None:
    config = json.loads(Path(config_path).read_text(encoding="utf-8"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "tests.oidc.settings"
    os.environ["OIDC_PROVIDER_DB"] = str(Path(config_path).with_suffix(".sqlite3"))
    import django

    django.setup()
    from django.contrib.auth.models import Group, User
    from django.core.management import call_command
    from django.core.wsgi import get_wsgi_application
    from oauth2_provider.models import Application

    call_command("migrate", verbosity=0)
    unverified, _ = Group.objects.get_or_create(name="unverified-email")
    for entry in config["users"]:
        user = User.objects.create_user(
            username=entry["email"],
            email=entry["email"],
            password=entry["password"],
            first_name=entry.get("first_name", ""),
            last_name=entry.get("last_name", ""),
        )
        if not entry.get("verified", True):
            user.groups.add(unverified)
    Application.objects.create(
        name="aupguard",
        client_id=config["client_id"],
        client_secret=config["client_secret"],
        client_type=Application.CLIENT_CONFIDENTIAL,
        authorization_grant_type=Application.GRANT_AUTHORIZATION_CODE,
        redirect_uris=config["redirect_uri"],
        algorithm=Application.RS256_ALGORITHM,
        skip_authorization=True,
    )
    server = make_server("127.0.0.1", 0, get_wsgi_application(), handler_class=_Quiet)
    print(f"READY http://127.0.0.1:{server.server_port}", flush=True)
    server.serve_forever()


if __name__ == "__main__":
    main(sys.argv[1])
