from django.urls import path

from aupguard.web.signoff import views

app_name = "signoff"

urlpatterns = [
    path("", views.my_policy, name="my-policy"),
    path("section/<int:number>/", views.policy_section, name="section"),
    path("dashboard/", views.dashboard, name="dashboard"),
    path("training/", views.my_training, name="my-training"),
    path("training/people/<int:person_id>/", views.person_training, name="person-training"),
    path("campaigns/", views.campaign_list, name="campaign-list"),
    path("campaigns/<int:campaign_id>/", views.campaign_detail, name="campaign-detail"),
]
