from django.urls import include, path

app_name = "library"

urlpatterns = [
    path("", include("practice_library.urls_browse")),
    path("", include("practice_library.urls_posts")),
    path("", include("practice_library.urls_search")),
]
