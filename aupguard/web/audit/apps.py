from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "aupguard.web.audit"
    label = "audit"
    verbose_name = "Audit log"
