from django.contrib import admin
from django.urls import include, path

from cop_portal import unsubscribe, views

urlpatterns = [
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("unsubscribe/<str:token>/", unsubscribe.unsubscribe, name="unsubscribe"),
    path("accounts/", include("allauth.urls")),
    path("admin/", admin.site.urls),
    path("library/", include("practice_library.urls")),
    path("", include("members.urls")),
    path("", include("sessions_app.urls")),
]

admin.site.site_header = "CoP Portal administration"
admin.site.site_title = "CoP Portal admin"
