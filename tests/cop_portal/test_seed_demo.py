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


# The reference data set (--scale), at a hundredth of its size: 10 sessions, 50 members,
# 500 RSVPs, 50 posts with 200 replies.

SMALL = "0.01"


def _reference_rows():
    """The reference set's rows, told apart from the demo data by their addresses and slugs."""
    from practice_library.models import Post, Reply
    from sessions_app.models import Rsvp, Session

    members = User.objects.filter(email__endswith="@reference.example.org")
    return {
        "members": members,
        "sessions": Session.objects.filter(slug__contains="-cop-conversation-"),
        "rsvps": Rsvp.objects.filter(session__slug__contains="-cop-conversation-"),
        "posts": Post.objects.filter(author__in=members),
        "replies": Reply.objects.filter(post__author__in=members),
    }


def test_seed_demo_scale_adds_the_reference_data_set(capsys):
    call_command("seed_demo", force=True, scale=SMALL)

    counts = {name: rows.count() for name, rows in _reference_rows().items()}
    assert counts == {"members": 50, "sessions": 10, "rsvps": 500, "posts": 50, "replies": 200}
    output = capsys.readouterr().out
    assert "(scale 0.01): 10 sessions, 50 members, 500 RSVPs, 50 posts, 200 replies" in output


def test_seed_demo_scale_spreads_sessions_over_ten_years_ending_a_year_ahead():
    from django.utils import timezone

    call_command("seed_demo", force=True, scale=SMALL)

    sessions = list(_reference_rows()["sessions"].order_by("starts_at"))
    today = timezone.localdate()
    assert 8 * 365 < (today - sessions[0].local_starts_at.date()).days <= 9 * 365
    assert 0 < (sessions[-1].local_starts_at.date() - today).days <= 365
    assert sum(session.is_past for session in sessions) == 9


def test_seed_demo_scale_rsvps_respect_the_seats():
    from sessions_app.models import AttendAs, RsvpStatus

    call_command("seed_demo", force=True, scale=SMALL)

    for session in _reference_rows()["sessions"].select_related("venue"):
        rsvps = list(session.rsvps.all())
        members = [rsvp.user_id for rsvp in rsvps if rsvp.user_id is not None]
        in_room = [
            r for r in rsvps if r.status == RsvpStatus.GOING and r.attend_as == AttendAs.IN_PERSON
        ]
        assert len(members) == len(set(members))
        assert len(in_room) <= (session.seats or 0)
        if session.is_draft:
            assert rsvps == []


def test_seed_demo_scale_twice_leaves_the_reference_data_alone(capsys):
    call_command("seed_demo", force=True, scale=SMALL)
    before = {name: rows.count() for name, rows in _reference_rows().items()}

    call_command("seed_demo", force=True, scale="1")

    assert {name: rows.count() for name, rows in _reference_rows().items()} == before
    assert "Reference data: already loaded, left as it is" in capsys.readouterr().out


def test_seed_demo_scale_zero_adds_nothing_to_the_demo_data():
    call_command("seed_demo", force=True, scale="0")

    assert {name: rows.count() for name, rows in _reference_rows().items()} == {
        "members": 0,
        "sessions": 0,
        "rsvps": 0,
        "posts": 0,
        "replies": 0,
    }


@pytest.mark.parametrize("scale", ["-1", "ten", "nan", "inf", ""])
def test_seed_demo_refuses_a_scale_that_is_not_a_number_of_zero_or_more(scale):
    with pytest.raises(CommandError, match="--scale"):
        call_command("seed_demo", force=True, scale=scale)

    assert not User.objects.exists()


def test_seed_demo_scale_pages_render_over_the_reference_data(client):
    from practice_library.models import Post, Tag

    call_command("seed_demo", force=True, scale=SMALL)
    rows = _reference_rows()
    session = rows["sessions"].filter(status="published").order_by("-starts_at").first()
    post = Post.objects.filter(author__in=rows["members"], state="published", members_only=False)
    post = post.order_by("pk").first()
    member = rows["members"].filter(profile__listed=True).order_by("pk").first()
    tag = Tag.objects.filter(posts__isnull=False).order_by("pk").first()
    # (address, something the page must show)
    pages = [
        ("/", "Next session"),
        ("/sessions/", session.topic),
        ("/sessions/past/", "Past sessions"),
        (session.get_absolute_url(), session.topic),
        ("/sessions/feed.ics", "BEGIN:VCALENDAR"),
        ("/library/", "Recently shared"),
        (post.get_absolute_url(), post.title),
        ("/library/search/?q=volunteers", "volunteers"),
        (tag.get_absolute_url(), tag.name),
    ]
    member_pages = [
        ("/me/", member.display_name),
        ("/my/sessions/", "My sessions"),
        ("/members/", "Member directory"),
        (member.profile.get_absolute_url(), member.display_name),
    ]

    shown = {url: text in client.get(url).content.decode() for url, text in pages}
    client.force_login(member)
    shown |= {url: text in client.get(url).content.decode() for url, text in member_pages}

    assert shown == {url: True for url, _ in pages + member_pages}


def test_seed_demo_scale_members_are_found_by_the_directory_search():
    from members.search import MemberSearch
    from members.selectors import directory

    call_command("seed_demo", force=True, scale=SMALL)
    someone = User.objects.filter(
        email__endswith="@reference.example.org", profile__listed=True
    ).first()

    # Their bio names their neighborhood; on PostgreSQL the stored search text must hold it.
    word = someone.profile.neighborhood.split()[0]
    found = directory(search=MemberSearch(word, viewer=someone))

    assert someone.profile in found
