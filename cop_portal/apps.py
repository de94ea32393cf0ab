from django.apps import AppConfig
from django.db.models.signals import m2m_changed, post_migrate, post_save


class CopPortalConfig(AppConfig):
    """The project itself: site pages, demo data and the cache table."""

    name = "cop_portal"
    verbose_name = "CoP Portal"

    def ready(self) -> None:
        from cop_portal.lib.content_version import content_model_saved
        from cop_portal.lib.db_stats import statistics_after_migrate

        # No post_delete: a receiver would stop Django's fast cascade deletes; deletes
        # come from POSTs, which ContentChangeMiddleware covers.
        post_save.connect(content_model_saved, dispatch_uid="content-version-save")
        m2m_changed.connect(content_model_saved, dispatch_uid="content-version-m2m")
        post_migrate.connect(statistics_after_migrate, sender=self, dispatch_uid="db-statistics")
