from django.apps import AppConfig


class SignoffConfig(AppConfig):
    name = "aupguard.web.signoff"
    label = "signoff"
    verbose_name = "Annual sign-off"
