from django.urls import URLPattern, URLResolver, path

from aupguard.web.leavers import views

app_name = "leavers"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.leaver_list, name="leaver-list"),
    path("<int:person_id>/", views.leaver_checklist, name="leaver-checklist"),
    path("<int:person_id>/confirm/<slug:item>/", views.leaver_confirm, name="leaver-confirm"),
    path("<int:person_id>/close-sign-in/", views.leaver_close_sign_in, name="leaver-close-sign-in"),
]
