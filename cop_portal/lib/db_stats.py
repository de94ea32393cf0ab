"""The query planner's statistics, which SQLite only gathers when asked."""

from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections


def refresh_planner_statistics(using: str = DEFAULT_DB_ALIAS) -> None:
    """ANALYZE, so that the planner knows which index narrows a query most. Without
    statistics SQLite finds a tag's or a session's few posts by walking every published
    post newest first (0.2-0.5 s at 50,000 posts). PostgreSQL's autovacuum keeps its
    own statistics; an ANALYZE here only brings them up to date sooner."""
    with connections[using].cursor() as cursor:
        cursor.execute("ANALYZE")


def statistics_after_migrate(sender: Any, using: str = DEFAULT_DB_ALIAS, **kwargs: Any) -> None:
    """post_migrate receiver: every deploy's `migrate` refreshes SQLite's statistics."""
    if connections[using].vendor == "sqlite":
        refresh_planner_statistics(using)
