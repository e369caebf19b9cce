from django.urls import path

from aupguard.web.policies import views

app_name = "policies"
urlpatterns = [
    path("", views.pack_list, name="pack-list"),
    path("<slug:pack_id>/", views.pack_detail, name="pack-detail"),
    path("<slug:pack_id>/<str:version_code>/", views.pack_detail, name="pack-version"),
]
