"""Profiles and the member directory. Members are addressed by their profile's code."""

from django.urls import path

from members.views import directory, profile

urlpatterns = [
    path("me/profile/", profile.profile_edit, name="profile-edit"),
    path("members/", directory.directory, name="directory"),
    path("members/expertise/", directory.who_knows_what, name="who-knows-what"),
    path("members/gaps/", directory.gaps, name="gaps"),
    path("members/<slug:code>/", profile.profile_detail, name="profile-detail"),
]
