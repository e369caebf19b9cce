from django.urls import include, path
from django.views.generic import RedirectView

urlpatterns = [
    path("", RedirectView.as_view(pattern_name="policies:pack-list", permanent=False), name="home"),
    path("policies/", include("aupguard.web.policies.urls")),
    path("people/", include("aupguard.web.people.urls")),
    path("accounts/", include("django.contrib.auth.urls")),
]
