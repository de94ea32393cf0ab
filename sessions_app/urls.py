from django.urls import path

from sessions_app import views

app_name = "sessions"

urlpatterns = [
    path("organize/venues/", views.venue_list, name="venue-list"),
    path("organize/venues/new/", views.venue_create_view, name="venue-create"),
    path("organize/venues/<slug:slug>/", views.venue_edit, name="venue-edit"),
]
