from django.apps import AppConfig


class IncidentsConfig(AppConfig):
    name = "aupguard.web.incidents"
    label = "incidents"
    verbose_name = "Incidents and data breaches"
