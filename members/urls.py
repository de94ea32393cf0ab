from django.urls import include, path

app_name = "members"

urlpatterns = [
    path("", include("members.urls_profile")),
    path("", include("members.urls_account")),
    path("", include("members.urls_preferences")),
    path("", include("members.urls_organize")),
]
