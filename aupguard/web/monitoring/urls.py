from django.urls import path

from aupguard.web.monitoring import views

app_name = "monitoring"

urlpatterns = [
    path("", views.events, name="events"),
    path("summary/", views.summary, name="summary"),
    path("<int:event_id>/", views.event_detail, name="event"),
]
