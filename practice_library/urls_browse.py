"""The library's home, the activities' pages, and the organizer pages that edit them."""

from django.urls import path

from practice_library.views import browse, patterns

urlpatterns = [
    path("", browse.library_home, name="home"),
    path("activities/<slug:slug>/", browse.pattern_detail, name="pattern-detail"),
    path("activities/<slug:slug>/edit/", patterns.pattern_edit, name="pattern-edit"),
    path(
        "sessions/<slug:session_slug>/focus/",
        patterns.session_focus,
        name="session-focus",
    ),
]
