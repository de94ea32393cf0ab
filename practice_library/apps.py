from typing import Any

from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _search_index_prune_after_migrate(sender: AppConfig, using: str, **kwargs: Any) -> None:
    """`manage.py flush` sends post_migrate too: the search index (not a model's table,
    so never flushed) loses the rows of posts that are gone."""
    from practice_library.services.search_index import search_index_prune

    search_index_prune(using=using)


class PracticeLibraryConfig(AppConfig):
    name = "practice_library"
    verbose_name = _("Practice library")

    def ready(self) -> None:
        from cop_portal.mail import beat
        from practice_library import notifications, session_page  # noqa: F401

        # notifications registers the library's email renderers and fan-out with the
        # outbox; session_page its part of each session's page (sessions_app.contributions).
        # The organizers' email about new reports goes out from the worker's periodic
        # round, at most hourly.
        beat.every_round(notifications.queue_reports_digest)
        post_migrate.connect(
            _search_index_prune_after_migrate, sender=self, dispatch_uid="library-search-index"
        )
