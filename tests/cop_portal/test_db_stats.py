"""The planner's statistics are refreshed by migrate (SQLite) and seed_demo."""

import pytest
from django.db import connection

from cop_portal.lib.db_stats import refresh_planner_statistics, statistics_after_migrate
from tests.factories import make_post

pytestmark = pytest.mark.django_db


def _analyzed_tables() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT tbl FROM sqlite_stat1")
        else:
            cursor.execute("SELECT relname FROM pg_stat_user_tables WHERE last_analyze IS NOT NULL")
        return {row[0] for row in cursor.fetchall()}


def test_refreshing_statistics_covers_the_posts():
    for _ in range(3):
        make_post()

    refresh_planner_statistics()

    assert "practice_library_post" in _analyzed_tables()


@pytest.mark.skipif(connection.vendor != "sqlite", reason="PostgreSQL has autovacuum")
def test_migrate_refreshes_sqlite_statistics():
    make_post()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM sqlite_stat1")

    statistics_after_migrate(sender=None, using="default")

    assert "practice_library_post" in _analyzed_tables()
