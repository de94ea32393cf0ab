"""How long an RSVP and the session page take with 500 RSVPs already in.

Run with `make bench` or `.venv/bin/python -m bench.rsvp`. Like bench.generation, it
uses a throwaway SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards). Every request goes
through Django's test client, so the times include middleware, forms and templates.
"""

import statistics
from collections.abc import Callable
from datetime import timedelta

from bench.harness import hybrid_session, percentile, run_with_database, timed

RUNS = 25
EXISTING = 500
SEATS_WITH_ROOM = 1000  # the new RSVP still gets a seat
SEATS_FULL = 30  # the new RSVP joins the waitlist


def _time(label: str, run: Callable[[], object], prepare: Callable[[], None]) -> None:
    """`prepare` runs untimed before each run (and the untimed warm-up)."""
    samples = timed(run, prepare, RUNS)
    print(
        f"{label:<46} median {statistics.median(samples):8.1f} ms   "
        f"p95 {percentile(samples, 0.95):8.1f} ms   ({RUNS} runs)"
    )


def _session_with_rsvps(seats: int):  # -> Session; imports wait until Django is set up
    """A published hybrid session a week ahead with EXISTING member RSVPs: in person
    until the seats are taken, then the waitlist; every fifth person online."""
    from members.models import User
    from sessions_app.models import AttendAs, Rsvp, RsvpStatus

    session = hybrid_session(
        name=f"Bench session, {seats} seats", slug=f"bench-session-{seats}", seats=seats
    )
    users = User.objects.bulk_create(
        User(email=f"rsvp{seats}-{n}@example.org", display_name=f"Person {n}")
        for n in range(EXISTING)
    )
    rsvps, in_room = [], 0
    for n, user in enumerate(users):
        online = n % 5 == 0
        going = online or in_room < seats
        in_room += not online and going
        rsvps.append(
            Rsvp(
                session=session,
                user=user,
                attend_as=AttendAs.ONLINE if online else AttendAs.IN_PERSON,
                status=RsvpStatus.GOING if going else RsvpStatus.WAITLISTED,
                queued_at=session.created + timedelta(seconds=n),
                listed=n % 2 == 0,
            )
        )
    Rsvp.objects.bulk_create(rsvps)
    return session


def _benchmark() -> None:
    from django.conf import settings
    from django.test import Client
    from django.urls import reverse

    from members.models import User
    from sessions_app.models import Rsvp

    client = Client()
    fresh = iter(range(10_000))

    def log_in_someone_new() -> None:
        client.force_login(User.objects.create_user(email=f"new{next(fresh)}@example.org"))

    def post_rsvp(session, how: str) -> Callable[[], None]:
        url = reverse("sessions:rsvp-create", args=[session.slug])

        def run() -> None:
            response = client.post(url, {"how": how})
            assert response.status_code == 302, response.status_code

        return run

    def check_new_rsvps(session, status: str) -> None:
        new = Rsvp.objects.filter(session=session, user__email__startswith="new")
        assert list(new.values_list("status", flat=True)) == [status] * (RUNS + 1)

    def get_page(session) -> Callable[[], None]:
        url = session.get_absolute_url()

        def run() -> None:
            response = client.get(url)
            assert response.status_code == 200, response.status_code

        return run

    with_room = _session_with_rsvps(SEATS_WITH_ROOM)
    full = _session_with_rsvps(SEATS_FULL)
    going_member = Rsvp.objects.filter(session=with_room).first().user

    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    _time(
        f"RSVP POST, {EXISTING} RSVPs, a seat left",
        post_rsvp(with_room, "in-person"),
        log_in_someone_new,
    )
    check_new_rsvps(with_room, "going")
    _time(
        f"RSVP POST, {EXISTING} RSVPs, onto the waitlist",
        post_rsvp(full, "in-person-waitlist"),
        log_in_someone_new,
    )
    check_new_rsvps(full, "waitlisted")
    client.logout()
    _time(f"session page GET, {EXISTING} RSVPs, visitor", get_page(with_room), lambda: None)
    client.force_login(going_member)
    _time(f"session page GET, {EXISTING} RSVPs, member going", get_page(with_room), lambda: None)


def main() -> None:
    run_with_database(_benchmark)


if __name__ == "__main__":
    main()
