"""counts_recount after a bulk load: SQLite's planner learns how many stored counts there
are before the months' people are read (else it scans them all for every RSVP)."""

import pytest
from django.db import connection

from sessions_app.models import SessionCounts
from sessions_app.services.counts import counts_recount
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's own statistics"),
]


def test_recount_tells_sqlite_how_many_stored_counts_there_are():
    for day in (3, 10, 17):
        session = make_session(starts_at=local(2024, 2, day, 18))
        make_rsvp(session, user=make_user(), checked_in_at=session.starts_at)
    SessionCounts.objects.all().delete()  # loaded in bulk, around the services
    with connection.cursor() as cursor:
        cursor.execute('ANALYZE "sessions_app_sessioncounts"')  # as `migrate` did, before

    counts_recount()

    with connection.cursor() as cursor:
        cursor.execute("SELECT stat FROM sqlite_stat1 WHERE tbl = 'sessions_app_sessioncounts'")
        (stat,) = cursor.fetchone()
    assert int(stat.split()[0]) == SessionCounts.objects.count() == 3
