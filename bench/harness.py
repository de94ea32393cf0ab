"""What every benchmark shares: a throwaway database and percentile arithmetic.

Uses a temporary SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards), so real data is never
touched. The cache table comes from a migration, so migrating is the whole setup.
"""

import contextlib
import io
import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path


def percentile(samples: list[float], fraction: float) -> float:
    """Nearest-rank percentile: with 7 runs, p95 is the slowest run."""
    ordered = sorted(samples)
    rank = max(1, -(-len(ordered) * fraction // 1))  # ceil without math
    return ordered[int(rank) - 1]


def set_up_django() -> None:
    """django.setup() for a benchmark, on the database DATABASE_URL names (or the settings'
    default): the test settings, and what Django's setup_test_environment() does that the
    benchmarks need (emails sent while timing go nowhere; the test client's host), and not
    the rest: it also instruments every template render (a signal and a copy of the
    context per template and include), which production never pays and which would make
    template-heavy pages look 2-4x slower than they are."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_portal.settings_test")
    import django
    from django.conf import settings
    from django.core import mail

    django.setup()
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    mail.outbox = []
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def run_with_database(benchmark: Callable[[], None]) -> None:
    """Set Django up on a throwaway database, run `benchmark`, clean up."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_portal.settings_test")
    with tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp:
        given_url = os.environ.get("DATABASE_URL")
        if not given_url:
            os.environ["DATABASE_URL"] = f"sqlite:///{Path(tmp) / 'bench.sqlite3'}"

        from django.core.management import call_command
        from django.db import connection

        set_up_django()
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


def database_url() -> str:
    """The throwaway database the harness made, as a DATABASE_URL for another process
    (a worker, a web server) to open."""
    from urllib.parse import urlsplit

    from django.db import connection

    if connection.vendor == "sqlite":
        return f"sqlite:///{connection.settings_dict['NAME']}"
    given = urlsplit(os.environ["DATABASE_URL"])
    return given._replace(path=f"/{connection.settings_dict['NAME']}").geturl()


def timed(run: Callable[[], object], prepare: Callable[[], None], runs: int) -> list[float]:
    """Milliseconds of `runs` runs, after one untimed warm-up (imports, template loading,
    query compilation); `prepare` runs untimed before each run and the warm-up."""
    prepare()
    run()
    samples = []
    for _ in range(runs):
        prepare()
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    return samples


def stop_process_group(process: subprocess.Popen, timeout: float) -> None:
    """Stop a process started with start_new_session=True, and everything it started
    (gunicorn's workers, a worker's reloader): SIGTERM, then SIGKILL after `timeout`."""
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def hybrid_session(*, name: str, slug: str, seats: int):  # -> Session, after django.setup()
    """A published hybrid session a week ahead in a venue of its own with `seats` seats:
    what the RSVP and mail benchmarks answer."""
    from datetime import timedelta

    from django.utils import timezone

    from sessions_app.models import (
        AttendanceMode,
        ConversationFormat,
        Session,
        SessionStatus,
        TimeOfDay,
        Venue,
    )

    venue = Venue.objects.create(
        name=f"{name} venue", slug=f"{slug}-venue", address="1 Euclid Ave", capacity=seats
    )
    starts_at = timezone.now() + timedelta(days=7)
    return Session.objects.create(
        title=name,
        slug=slug,
        time_of_day=TimeOfDay.EVENING,
        format=ConversationFormat.BRIEF,
        attendance_mode=AttendanceMode.HYBRID,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1),
        venue=venue,
        meeting_url="https://meet.example.org/bench",
        status=SessionStatus.PUBLISHED,
    )
