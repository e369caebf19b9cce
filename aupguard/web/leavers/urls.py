from django.urls import URLPattern, URLResolver

app_name = "leavers"

urlpatterns: list[URLPattern | URLResolver] = []
