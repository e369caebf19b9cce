from django.urls import include, path

from aupguard.web.home.views import home
from aupguard.web.signoff import views as signoff_views

urlpatterns = [
    path("", home, name="home"),
    path("policies/", include("aupguard.web.policies.urls")),
    path("people/", include("aupguard.web.people.urls")),
    path("my-policy/", include("aupguard.web.signoff.urls")),
    path("requests/", include("aupguard.web.approvals.urls")),
    path("incidents/", include("aupguard.web.incidents.urls")),
    path("devices/", include("aupguard.web.devices.urls")),
    path("leavers/", include("aupguard.web.leavers.urls")),
    path("monitoring/", include("aupguard.web.monitoring.urls")),
    path("check/", signoff_views.version_check, name="version-check"),
    path("accounts/", include("aupguard.web.accounts.urls")),
]
