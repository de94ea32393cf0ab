"""Library search and tag pages."""

from django.urls import path

from practice_library.views import search, tags

urlpatterns = [
    path("search/", search.search, name="search"),
    path("tags/", tags.tag_list, name="tag-list"),
    path("tags/<slug:slug>/", tags.tag_detail, name="tag-detail"),
]
