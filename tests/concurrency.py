"""Calls that really overlap: each in its own thread with its own database connection,
all released together by a barrier (for races on PostgreSQL under READ COMMITTED and on
SQLite's write lock; the suite's SQLite test database is a file for this reason)."""

import threading
from collections.abc import Callable
from typing import Any

from django.db import connection

JOIN_TIMEOUT = 60  # seconds; far above the few seconds a run takes
# Fewer free PostgreSQL connections than this, and a race would be too small to mean much.
MIN_FREE = 10


def _free_connections() -> int | None:
    """How many connections the server still accepts; None on SQLite (no limit).

    PostgreSQL allows 100 by default, which a hundred threads would fill; another test
    run on the same server must not make this one fail with "too many clients".
    """
    if connection.vendor != "postgresql":
        return None
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT current_setting('max_connections')::int"
            " - CASE WHEN rolsuper THEN 0"
            "   ELSE current_setting('superuser_reserved_connections')::int END"
            " - (SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'client backend')"
            " FROM pg_roles WHERE rolname = current_user"
        )
        free = cursor.fetchone()[0]
    return free + 1  # this thread's own connection is closed before the others start


def at_once(calls: list[Callable[[], Any]]) -> tuple[list[Any], list[BaseException]]:
    """Run each call in its own thread, all released together by a barrier.

    Returns the results in the calls' order and every exception raised.
    """
    free = _free_connections()
    assert free is None or free > MIN_FREE, f"PostgreSQL accepts only {free} more connections"
    # Only when the server is short of connections do some threads wait their turn.
    gate = threading.BoundedSemaphore(min(free or len(calls), len(calls)))
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)
    errors: list[BaseException] = []

    def run(index: int, call: Callable[[], Any]) -> None:
        try:
            barrier.wait(timeout=JOIN_TIMEOUT)
            with gate:
                try:
                    results[index] = call()
                finally:
                    connection.close()
        except BaseException as error:  # every failure must reach the test
            errors.append(error)

    threads = [threading.Thread(target=run, args=item) for item in enumerate(calls)]
    connection.close()  # the test's own connection would take a slot on PostgreSQL
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=JOIN_TIMEOUT)
    assert not any(thread.is_alive() for thread in threads), "a thread never finished"
    return results, errors
