from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "aupguard.web.accounts"
    label = "aupguard_accounts"  # allauth's own app is labelled "account"
    verbose_name = "Signing in"

    def ready(self) -> None:
        from aupguard.web.accounts import signals  # noqa: F401, PLC0415  connects the audit receivers
