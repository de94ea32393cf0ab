"""Library URLs (being written)."""

urlpatterns: list = []
