from django.apps import AppConfig


class LeaversConfig(AppConfig):
    name = "aupguard.web.leavers"
    label = "leavers"
    verbose_name = "Leavers"
