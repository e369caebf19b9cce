from django.apps import AppConfig


class OrgConfig(AppConfig):
    name = "aupguard.web.org"
    label = "org"
    verbose_name = "Trusts and schools"
