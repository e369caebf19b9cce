from django.apps import AppConfig


class PoliciesConfig(AppConfig):
    name = "aupguard.web.policies"
    label = "policies"
    verbose_name = "Policy versions"
