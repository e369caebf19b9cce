from django.urls import path

from aupguard.web.people import pupil_views, views

app_name = "people"

urlpatterns = [
    path("", views.people_list, name="list"),
    path("<int:person_id>/", views.person_detail, name="detail"),
    path("import/", views.directory_import, name="import"),
    path("import/<int:upload_id>/", views.directory_import_preview, name="import-preview"),
    path("pupils/", pupil_views.pupil_list, name="pupils"),
    path("pupils/import/", pupil_views.pupil_import, name="pupils-import"),
    path("pupils/import/<int:upload_id>/", pupil_views.pupil_import_preview, name="pupils-import-preview"),
]
