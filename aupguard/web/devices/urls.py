from django.urls import URLPattern, URLResolver, path

from aupguard.web.devices import views

app_name = "devices"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.device_list, name="device-list"),
    path("add/", views.device_add, name="device-add"),
    path("<int:device_id>/", views.device_detail, name="device-detail"),
    path("<int:device_id>/issue/", views.device_issue, name="device-issue"),
    path("<int:device_id>/return/", views.device_return, name="device-return"),
    path("<int:device_id>/missing/", views.device_missing, name="device-missing"),
    path("<int:device_id>/found/", views.device_found, name="device-found"),
    path("<int:device_id>/dispose/", views.device_dispose, name="device-dispose"),
    path("person/<int:person_id>/", views.person_devices, name="person-devices"),
]
