from django.urls import path

from aupguard.web.signoff import views

app_name = "signoff"

urlpatterns = [
    path("", views.my_policy, name="my-policy"),
    path("section/<int:number>/", views.policy_section, name="section"),
    path("dashboard/", views.dashboard, name="dashboard"),
]
