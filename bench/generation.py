"""How long publishing a long series takes.

Run with `make bench` or `.venv/bin/python -m bench.generation`. Uses a throwaway
SQLite file unless DATABASE_URL is set; then a test database is created next to
the one named there (and dropped afterwards), so real data is never touched.
"""

import statistics
import time
from collections.abc import Callable
from datetime import date, datetime

from bench.harness import percentile, run_with_database

RUNS = 7
YEARS = 5


def _time(label: str, run: Callable[[], int], reset: Callable[[], None]) -> None:
    reset()
    run()  # warm-up: imports, query compilation, SQLite page cache
    samples, count = [], 0
    for _ in range(RUNS):
        reset()
        started = time.perf_counter()
        count = run()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<42} median {statistics.median(samples):8.1f} ms   "
        f"p95 {percentile(samples, 0.95):8.1f} ms   {count} sessions   ({RUNS} runs)"
    )


def _weekly_series():  # -> Series; imports wait until Django is set up
    from datetime import time as clock

    import recurrence

    from sessions_app.models import (
        AttendanceMode,
        ConversationFormat,
        RotationSlot,
        Series,
        TimeOfDay,
        Venue,
    )
    from sessions_app.services.series import series_save

    venue = Venue.objects.create(
        name="Bench venue",
        slug="bench-venue",
        address="1 Euclid Ave",
        neighborhood="Midtown",
        capacity=20,
    )
    rule = recurrence.Rule(recurrence.WEEKLY, byday=[recurrence.WE])
    series = Series(
        title="Weekly VCoP",
        starts_on=date(2026, 1, 1),
        recurrence=recurrence.Recurrence(rrules=[rule], include_dtstart=False),
        meeting_url="https://meet.example.org/bench",
    )
    slots = [
        RotationSlot(
            time_of_day=TimeOfDay.EVENING,
            start_time=clock(18, 0),
            duration_minutes=60,
            format=ConversationFormat.BRIEF,
            attendance_mode=AttendanceMode.HYBRID,
            venue=venue,
        ),
        RotationSlot(
            time_of_day=TimeOfDay.DAYTIME,
            start_time=clock(11, 30),
            duration_minutes=120,
            format=ConversationFormat.IN_DEPTH,
            attendance_mode=AttendanceMode.ONLINE,
        ),
    ]
    series_save(series=series, slots=slots)
    series.refresh_from_db()  # the recurrence as it comes back from the database
    return series


def _benchmark() -> None:
    from zoneinfo import ZoneInfo

    from dateutil.relativedelta import relativedelta
    from django.conf import settings

    from sessions_app.models import Session
    from sessions_app.rotation import plan_occurrences
    from sessions_app.services.series import series_publish

    series = _weekly_series()
    since = series.starts_on
    until = since + relativedelta(years=YEARS)
    now = datetime(2026, 1, 1, tzinfo=ZoneInfo(settings.TIME_ZONE))
    slots = list(series.slots.all())

    def clear() -> None:
        Session.objects.filter(series=series).delete()

    def publish() -> int:
        return len(series_publish(series=series, since=since, until=until, now=now).created)

    def republish() -> int:
        result = series_publish(series=series, since=since, until=until, now=now)
        assert not result.created, "republishing should create nothing"
        assert not result.updated, "republishing should update nothing"
        return Session.objects.filter(series=series).count()

    def plan() -> int:
        return len(list(plan_occurrences(series, slots, until=until)))

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    _time(f"plan {YEARS} years of a weekly series", plan, lambda: None)
    _time(f"publish {YEARS} years of a weekly series", publish, clear)
    publish()
    _time("republish it (nothing to do)", republish, lambda: None)


def main() -> None:
    run_with_database(_benchmark)


if __name__ == "__main__":
    main()
