from django.apps import AppConfig


class MonitoringConfig(AppConfig):
    name = "aupguard.web.monitoring"
    label = "monitoring"
    verbose_name = "Monitoring: what the guards found"
