from django.apps import AppConfig


class DevicesConfig(AppConfig):
    name = "aupguard.web.devices"
    label = "devices"
    verbose_name = "Devices"
