"""A member's email preferences (mounted under the "members" namespace)."""

from django.urls import path

from members.views import preferences

urlpatterns = [
    path("me/emails/", preferences.email_preferences, name="preferences"),
]
