from django.apps import AppConfig


class ApprovalsConfig(AppConfig):
    name = "aupguard.web.approvals"
    label = "approvals"
    verbose_name = "Requests and approvals"
