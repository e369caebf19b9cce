from django.urls import path

from aupguard.web.people import views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("import/", views.directory_import, name="import"),
    path("import/<int:upload_id>/", views.directory_import_preview, name="import-preview"),
]
