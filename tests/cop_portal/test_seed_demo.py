import pytest
from django.core.management import CommandError, call_command

from cop_portal.lib.roles import is_organizer
from members.demo import DEMO_ORGANIZER_EMAIL, DEMO_ORGANIZER_PASSWORD
from members.models import User
from sessions_app.models import Venue

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        list(User.objects.values_list("email", "display_name", "password")),
        list(Venue.objects.order_by("slug").values("slug", "name", "is_active", "updated")),
    )


def test_seed_demo_creates_an_organizer_who_can_log_in(client, capsys):
    call_command("seed_demo", force=True)

    output = capsys.readouterr().out
    assert f"Demo organizer: {DEMO_ORGANIZER_EMAIL} / password {DEMO_ORGANIZER_PASSWORD}" in output
    user = User.objects.get(email=DEMO_ORGANIZER_EMAIL)
    assert is_organizer(user)
    response = client.post(
        "/accounts/login/", {"login": DEMO_ORGANIZER_EMAIL, "password": DEMO_ORGANIZER_PASSWORD}
    )
    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == user.pk


def test_seed_demo_creates_the_office_and_the_archived_agora_building():
    call_command("seed_demo", force=True)

    venues = {venue.slug: venue for venue in Venue.objects.all()}
    assert set(venues) == {"midtown-hough-office", "agora-building"}
    assert venues["midtown-hough-office"].neighborhood == "Midtown/Hough"
    assert venues["midtown-hough-office"].is_active is True
    assert venues["agora-building"].is_active is False


def test_seed_demo_twice_changes_nothing():
    call_command("seed_demo", force=True)
    before = _snapshot()

    call_command("seed_demo", force=True)

    assert _snapshot() == before


def test_seed_demo_keeps_an_organizers_edits():
    call_command("seed_demo", force=True)
    Venue.objects.filter(slug="midtown-hough-office").update(capacity=40)

    call_command("seed_demo", force=True)

    assert Venue.objects.get(slug="midtown-hough-office").capacity == 40


def test_seed_demo_refuses_without_debug_unless_forced(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="pass --force"):
        call_command("seed_demo")

    assert not User.objects.exists()


def _session_snapshot():
    from sessions_app.models import Session

    return list(
        Session.objects.order_by("starts_at").values_list(
            "slug", "starts_at", "status", "sequence", "topic", "updated"
        )
    )


def test_seed_demo_creates_a_year_of_monthly_sessions_around_today():
    from django.utils import timezone

    from sessions_app.demo import DEMO_SERIES_SLUG
    from sessions_app.models import Series, SessionStatus

    call_command("seed_demo", force=True)

    series = Series.objects.get(slug=DEMO_SERIES_SLUG)
    sessions = list(series.sessions.order_by("starts_at"))
    now = timezone.now()
    past = [session for session in sessions if session.ends_at <= now]
    upcoming = [session for session in sessions if session.ends_at > now]
    assert 11 <= len(sessions) <= 13
    assert len(past) >= 4
    assert len(upcoming) >= 4
    cancelled = [session for session in sessions if session.status == SessionStatus.CANCELLED]
    assert len(cancelled) == 1
    assert cancelled[0] in upcoming
    assert cancelled[0].cancellation_reason != ""
    assert {session.time_of_day for session in sessions} == {"evening", "daytime"}
    assert all(session.topic for session in sessions)


def test_seed_demo_twice_leaves_the_sessions_as_they_were():
    call_command("seed_demo", force=True)
    before = _session_snapshot()

    call_command("seed_demo", force=True)

    assert _session_snapshot() == before
