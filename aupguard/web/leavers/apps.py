from django.apps import AppConfig


class LeaversConfig(AppConfig):
    name = "aupguard.web.leavers"
    label = "leavers"
    verbose_name = "Leavers"

    def ready(self) -> None:
        from aupguard.web.leavers import checks  # noqa: F401, PLC0415  registers the system check
