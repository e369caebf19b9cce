from django.urls import path

from aupguard.web.approvals import views

app_name = "approvals"

urlpatterns = [
    path("", views.my_requests, name="request-list"),
    path("new/", views.request_new, name="request-new"),
    path("new/<slug:workflow>/", views.request_form, name="request-form"),
    path("waiting/", views.waiting, name="request-waiting"),
    path("snapshot.json", views.snapshot_json, name="snapshot"),
    path("<int:request_id>/", views.request_detail, name="request-detail"),
    path("<int:request_id>/decide/", views.request_decide, name="request-decide"),
    path("<int:request_id>/withdraw/", views.request_withdraw, name="request-withdraw"),
    path("<int:request_id>/revoke/", views.request_revoke, name="request-revoke"),
    path("<int:request_id>/risk-assessment/", views.request_assess, name="request-assess"),
]
