from django.urls import URLPattern, URLResolver, path

from aupguard.web.incidents import views

app_name = "incidents"

urlpatterns: list[URLPattern | URLResolver] = [
    path("", views.register, name="register"),
    path("report/", views.report_choose, name="report"),
    path("report/<slug:kind>/", views.report_kind, name="report-kind"),
    path("mine/", views.my_reports, name="mine"),
    path("<int:incident_id>/", views.incident_detail, name="detail"),
    path("<int:incident_id>/assign/", views.incident_assign, name="assign"),
    path("<int:incident_id>/close/", views.incident_close, name="close"),
    path("<int:incident_id>/reopen/", views.incident_reopen, name="reopen"),
    path("<int:incident_id>/breach/", views.breach_open, name="breach-open"),
    path("breaches/", views.breach_register, name="breach-register"),
    path("breaches/new/", views.breach_new, name="breach-new"),
    path("breaches/<int:breach_id>/", views.breach_detail, name="breach-detail"),
    path("breaches/<int:breach_id>/assess/", views.breach_assess, name="breach-assess"),
    path("breaches/<int:breach_id>/decide/", views.breach_decide, name="breach-decide"),
    path("breaches/<int:breach_id>/respond/", views.breach_respond, name="breach-respond"),
    path("breaches/<int:breach_id>/close/", views.breach_close, name="breach-close"),
]
