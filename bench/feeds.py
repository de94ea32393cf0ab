"""How long the public calendar feed takes with 1,000 sessions, against icalendar alone.

Run with `make bench` or `.venv/bin/python -m bench.feeds`. Like bench.generation, it
uses a throwaway SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards).

What is timed, each through Django's test client unless said otherwise:
- cold: GET /sessions/feed.ics with the built-feed cache cleared (and the VTIMEZONE
  cache too), so the state query, the sessions query, our event builder and the
  serialization all run, as on the first poll after a change;
- baseline: icalendar on its own, no database and no Django: the same 1,000 sessions,
  already in memory with their venues, become VEVENTs through plain `Event()` and
  `event.add(...)` calls with the same property values (UID, DTSTAMP, LAST-MODIFIED,
  SEQUENCE, DTSTART/DTEND in America/New_York, STATUS, SUMMARY, LOCATION, URL,
  DESCRIPTION, CATEGORIES), in a VCALENDAR with the same calendar properties and the
  VTIMEZONE that icalendar makes itself (`add_missing_timezones`), then `to_ical()`.
  The texts (description, location, URLs) are made beforehand, untimed;
- builder only: our `build_feed` over the same in-memory sessions (no database, no
  request), to tell our event code's cost from the request's;
- warm: the same GET once its bytes are cached (no query: the state is kept too);
- 304: the same GET with If-None-Match (no query, nothing built).
Cold, baseline and builder-only run in turn, one of each per round after a garbage
collection, so that the machine's ups and downs fall on all three alike. The ratio is
our cold request over the baseline: what the feed costs beyond icalendar's own
serialization of the same events.
"""

import gc
import statistics
from collections.abc import Callable
from datetime import datetime, time, timedelta
from time import perf_counter

from bench.harness import percentile, run_with_database

RUNS = 15
SESSIONS = 1_000
CANCELLED_EVERY = 12  # about 8% cancelled
VENUES = 8


def _time(label: str, run: Callable[[], object], prepare: Callable[[], None]) -> float:
    """`prepare` runs untimed before each run (and the untimed warm-up). Returns the median."""
    prepare()
    run()  # warm-up: imports, query compilation
    samples = []
    for _ in range(RUNS):
        prepare()
        started = perf_counter()
        run()
        samples.append((perf_counter() - started) * 1000)
    median = statistics.median(samples)
    print(
        f"{label:<44} median {median:8.1f} ms   "
        f"p95 {percentile(samples, 0.95):8.1f} ms   ({RUNS} runs)"
    )
    return median


def _paired(
    runs: dict[str, Callable[[], object]], prepare: Callable[[], None]
) -> dict[str, list[float]]:
    """Time the runs in turn, one of each per round, so that a machine slowing down or
    speeding up (other work on it, frequency changes) weighs on all of them alike."""
    samples: dict[str, list[float]] = {label: [] for label in runs}
    for round_number in range(RUNS + 1):  # round 0 is the warm-up
        for label, run in runs.items():
            prepare()
            started = perf_counter()
            run()
            if round_number:
                samples[label].append((perf_counter() - started) * 1000)
    for label, times in samples.items():
        print(
            f"{label:<44} median {statistics.median(times):8.1f} ms   "
            f"p95 {percentile(times, 0.95):8.1f} ms   ({RUNS} runs)"
        )
    return samples


def _queries(label: str, run: Callable[[], object], prepare: Callable[[], None]) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    prepare()
    with CaptureQueriesContext(connection) as captured:
        run()
    print(f"  queries, {label}: {len(captured.captured_queries)}")


def _make_sessions() -> None:
    """SESSIONS published sessions, a day or two apart from two months ago on, over three
    years: evening and daytime, brief and in-depth, all three modes, some cancelled."""
    from django.utils import timezone

    from sessions_app.models import (
        AttendanceMode,
        ConversationFormat,
        Session,
        SessionStatus,
        TimeOfDay,
        Venue,
    )
    from sessions_app.models.session import local_zone

    venues = Venue.objects.bulk_create(
        Venue(
            name=f"Bench venue {n}",
            slug=f"bench-venue-{n}",
            address=f"{1000 + n} Euclid Avenue, Cleveland, OH 44115",
            neighborhood="Midtown",
            accessibility_notes="Step-free entrance on the east side." if n % 2 else "",
            capacity=30,
        )
        for n in range(VENUES)
    )
    today = timezone.localdate(timezone=local_zone())
    modes = list(AttendanceMode)
    sessions = []
    for n in range(SESSIONS):
        evening = n % 2 == 0
        day = today + timedelta(days=-60 + n)
        starts_at = datetime.combine(day, time(18 if evening else 11, 30), local_zone())
        mode = modes[n % 3]
        cancelled = n % CANCELLED_EVERY == 5
        sessions.append(
            Session(
                title=f"Community of Practice, conversation {n}",
                slug=f"bench-session-{n}",
                topic="Keeping volunteers after the first meeting",
                summary="What brings people back a second time? Bring one story, one question.",
                time_of_day=TimeOfDay.EVENING if evening else TimeOfDay.DAYTIME,
                format=ConversationFormat.BRIEF if n % 4 < 2 else ConversationFormat.IN_DEPTH,
                attendance_mode=mode,
                starts_at=starts_at,
                ends_at=starts_at + timedelta(hours=1 if evening else 2),
                venue=None if mode == AttendanceMode.ONLINE else venues[n % VENUES],
                meeting_url="https://meet.example.org/bench",
                joining_instructions="Dial 555-0100, passcode 4242.",
                status=SessionStatus.CANCELLED if cancelled else SessionStatus.PUBLISHED,
                cancellation_reason="The room is closed for repairs." if cancelled else "",
                sequence=1 if cancelled else 0,
            )
        )
    Session.objects.bulk_create(sessions)


def _baseline(sessions: list) -> Callable[[], bytes]:
    """icalendar alone: the same events from in-memory data, with texts made beforehand."""
    from icalendar import Calendar, Event

    from sessions_app import ical

    rows = [
        {
            "uid": ical.event_uid(session),
            "stamp": session.updated,
            "start": session.local_starts_at.replace(microsecond=0),
            "end": session.local_ends_at.replace(microsecond=0),
            "sequence": session.sequence,
            "status": "CANCELLED" if session.is_cancelled else "CONFIRMED",
            "summary": f"Cancelled: {session.title}" if session.is_cancelled else session.title,
            "location": ical.location(session),
            "url": f"https://cop.example.org{session.get_absolute_url()}",
            "description": ical.description(session, include_conference=False),
            "categories": ical.categories(session),
        }
        for session in sessions
    ]

    def build() -> bytes:
        calendar = Calendar()
        calendar.add("PRODID", "-//CoP Portal//Sessions//EN")
        calendar.add("VERSION", "2.0")
        calendar.add("CALSCALE", "GREGORIAN")
        calendar.add("METHOD", "PUBLISH")
        calendar.add("NAME", "CoP Portal sessions")
        calendar.add("X-WR-CALNAME", "CoP Portal sessions")
        calendar.add("REFRESH-INTERVAL", timedelta(hours=6), parameters={"VALUE": "DURATION"})
        calendar.add("X-PUBLISHED-TTL", "PT6H")
        for row in rows:
            event = Event()
            event.add("UID", row["uid"])
            event.add("DTSTAMP", row["stamp"])
            event.add("LAST-MODIFIED", row["stamp"])
            event.add("SEQUENCE", row["sequence"])
            event.add("DTSTART", row["start"])
            event.add("DTEND", row["end"])
            event.add("STATUS", row["status"])
            event.add("SUMMARY", row["summary"])
            event.add("LOCATION", row["location"])
            event.add("URL", row["url"])
            event.add("DESCRIPTION", row["description"])
            event.add("CATEGORIES", row["categories"])
            calendar.add_component(event)
        calendar.add_missing_timezones()
        return calendar.to_ical()

    return build


def _benchmark() -> None:
    from django.conf import settings
    from django.core.cache import caches
    from django.test import Client
    from django.urls import reverse
    from icalendar import Calendar

    from sessions_app.feeds import build_feed, public_feed_sessions, window_start
    from sessions_app.vtimezone import changes_in_year, vtimezone

    _make_sessions()
    url = reverse("sessions:feed-ics")
    client = Client()
    cache = caches["feeds"]

    def cold_cache() -> None:
        gc.collect()  # no run pays for garbage the one before it left
        cache.clear()
        vtimezone.cache_clear()
        changes_in_year.cache_clear()

    def get(**headers: str) -> Callable[[], None]:
        def run() -> None:
            response = client.get(url, headers=headers)
            assert response.status_code == (304 if headers else 200), response.status_code

        return run

    sessions = list(public_feed_sessions({}, window_start()).for_listing().order_by("starts_at"))
    assert len(sessions) == SESSIONS, len(sessions)

    def ours_in_memory() -> bytes:
        return build_feed(sessions, name="CoP Portal sessions", description="", source=url)

    baseline = _baseline(sessions)
    assert len(Calendar.from_ical(baseline()).events) == SESSIONS
    body = client.get(url).content
    assert len(Calendar.from_ical(body).events) == SESSIONS

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"Public feed, {SESSIONS} sessions, {len(body) // 1024} KiB")
    cold_label, base_label = "cold GET (nothing cached)", "baseline: icalendar alone, in memory"
    samples = _paired(
        {
            cold_label: get(),
            base_label: baseline,
            "our build_feed alone, in memory": ours_in_memory,
        },
        cold_cache,
    )
    _time("warm GET (bytes cached)", get(), lambda: None)
    etag = client.get(url)["ETag"]
    _time("GET with If-None-Match, 304", get(If_None_Match=etag), lambda: None)
    ratios = [c / b for c, b in zip(samples[cold_label], samples[base_label], strict=True)]
    print(
        f"  overhead: cold GET / baseline = "
        f"{statistics.median(samples[cold_label]) / statistics.median(samples[base_label]):.2f}x "
        f"(medians); {statistics.median(ratios):.2f}x (median of the {RUNS} rounds' ratios)"
    )
    _queries("cold GET", get(), cold_cache)
    _queries("warm GET", get(), lambda: None)
    _queries("304", get(If_None_Match=etag), lambda: None)


def main() -> None:
    run_with_database(_benchmark)


if __name__ == "__main__":
    main()
