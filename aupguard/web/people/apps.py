from django.apps import AppConfig


class PeopleConfig(AppConfig):
    name = "aupguard.web.people"
    label = "people"
    verbose_name = "People, roles and pupils"
