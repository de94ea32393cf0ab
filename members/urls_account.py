"""Member URLs (being written)."""

urlpatterns: list = []
