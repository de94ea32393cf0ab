from django.apps import AppConfig


class CopPortalConfig(AppConfig):
    """The project itself: site pages, demo data and the cache table."""

    name = "cop_portal"
    verbose_name = "CoP Portal"
