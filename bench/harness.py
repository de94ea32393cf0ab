"""What every benchmark shares: a throwaway database and percentile arithmetic.

Uses a temporary SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards), so real data is never
touched. The cache table comes from a migration, so migrating is the whole setup.
"""

import contextlib
import io
import os
import tempfile
from collections.abc import Callable
from pathlib import Path


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 7 runs, p95 is the slowest run."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without math
    return ordered[int(rank) - 1]


def run_with_database(benchmark: Callable[[], None]) -> None:
    """Set Django up on a throwaway database, run `benchmark`, clean up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_portal.settings_test")
    with tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp:
        given_url = os.environ.get("DATABASE_URL")
        if not given_url:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"

        import django
        from django.core.management import call_command
        from django.db import connection
        from django.test.utils import setup_test_environment

        django.setup()
        setup_test_environment()  # locmem email: emails sent while timing go nowhere
        if given_url:
            old_name = connection.settings_dict["NAME"]
            # createcachetable inside create_test_db talks even at verbosity 0.
            with contextlib.redirect_stdout(io.StringIO()):
                connection.creation.create_test_db(verbosity=0, autoclobber=True)
            try:
                benchmark()
            finally:
                connection.creation.destroy_test_db(old_name, verbosity=0)
        else:
            call_command("migrate", verbosity=0)
            benchmark()
            connection.close()
