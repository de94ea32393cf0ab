"""The home page puts the next session first, then a few more."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendanceMode, ConversationFormat, Session, SessionStatus
from tests.clock import DASH, local
from tests.factories import make_session, make_venue
from tests.session_pages import without_icons

pytestmark = pytest.mark.django_db

HOME = reverse("home")


def next_card(body: str) -> str:
    return re.search(r'<article class="next-session__card">.*?</article>', body, re.S)[0]


def following_titles(body: str) -> list[str]:
    return re.findall(r'class="session-card__title"><a href="[^"]*">([^<]*)</a>', body)


def test_home_puts_the_next_session_front_and_centre(any_client):
    session = make_session(
        title="Tenant rights basics",
        topic="What renters can do",
        starts_at=local(2030, 12, 18, 11, 30),
        ends_at=local(2030, 12, 18, 13, 30),
        time_of_day="daytime",
        format=ConversationFormat.IN_DEPTH,
        venue=make_venue(name="Midtown/Hough office"),
    )

    response = any_client.get(HOME)

    card = without_icons(next_card(response.content.decode()))
    assert response.status_code == 200
    url = session.get_absolute_url()
    for text in [
        # The topic is the title; the one-off session's own title is context.
        f'<a href="{url}">What renters can do</a>',
        '<p class="next-session__context">Tenant rights basics</p>',
        '<span class="date-badge" aria-hidden="true"><span class="date-badge__month">Dec</span>'
        '<span class="date-badge__day">18</span></span>',
        '<time datetime="2030-12-18T11:30:00-05:00">Wednesday, December 18, 2030</time>',
        f"11:30 AM {DASH} 1:30 PM EST",
        '<span class="badge badge--daytime">Daytime</span>',
        '<span class="badge badge--in-depth">In-depth</span>',
        '<span class="badge badge--hybrid">Hybrid</span>',
        "<dd>Midtown/Hough office, and online</dd>",
        # RSVP lands on the form itself; no account is needed.
        f'<a class="button next-session__rsvp" href="{url}#rsvp">RSVP'
        '<span class="visually-hidden"> for What renters can do</span></a>',
        "Free, and no account needed.",
    ]:
        assert text in card, text
    assert "secret-room" not in response.content.decode()


def test_home_shows_summer_sessions_in_edt(client):
    make_session(starts_at=local(2030, 7, 17, 18))

    card = next_card(client.get(HOME).content.decode())

    assert f"6:00 PM {DASH} 7:00 PM EDT" in card


def test_home_says_online_for_online_sessions(client):
    make_session(attendance_mode=AttendanceMode.ONLINE, venue=None)

    card = next_card(client.get(HOME).content.decode())

    assert "<dd>Online</dd>" in card


def test_home_lists_four_more_sessions_after_the_next(client):
    start = timezone.now() + timedelta(days=1)
    for n in range(6):
        make_session(topic=f"Talk {n}", starts_at=start + timedelta(days=7 * n))

    body = client.get(HOME).content.decode()

    assert "Talk 0" in next_card(body)
    assert following_titles(body) == ["Talk 1", "Talk 2", "Talk 3", "Talk 4"]
    assert "Talk 5" not in body
    assert f'<a href="{reverse("sessions:session-list")}">All upcoming sessions</a>' in body


def test_home_skips_drafts_and_past_sessions(client):
    soon = timezone.now() + timedelta(days=1)
    make_session(topic="Draft", starts_at=soon, status=SessionStatus.DRAFT)
    make_session(topic="Last month", starts_at=timezone.now() - timedelta(days=30))
    make_session(topic="The real next one", starts_at=soon + timedelta(days=1))

    body = client.get(HOME).content.decode()

    assert "The real next one" in next_card(body)
    for title in ["Draft", "Last month"]:
        assert title not in body


def test_home_keeps_a_cancelled_session_on_the_list_with_the_reason(client):
    soon = timezone.now() + timedelta(days=1)
    make_session(
        topic="Called off",
        starts_at=soon,
        status=SessionStatus.CANCELLED,
        cancellation_reason="The office is closed for a repair.",
    )
    make_session(topic="The real next one", starts_at=soon + timedelta(days=1))
    make_session(topic="After that", starts_at=soon + timedelta(days=30))

    body = client.get(HOME).content.decode()

    # The next session people can come to leads; the cancelled one keeps its place
    # in the list, marked, so that its month is not silently missing.
    assert "The real next one" in next_card(body)
    assert following_titles(body) == ["Called off", "After that"]
    assert (
        '<p class="session-card__cancelled"><span class="badge badge--cancelled">Cancelled</span>'
        " The office is closed for a repair.</p>"
    ) in body


def test_home_with_only_cancelled_sessions_ahead_lists_them(client):
    make_session(
        topic="Called off",
        starts_at=timezone.now() + timedelta(days=1),
        status=SessionStatus.CANCELLED,
    )

    body = client.get(HOME).content.decode()

    assert "No session is scheduled right now" in body
    assert following_titles(body) == ["Called off"]


def test_home_finds_the_next_session_behind_many_cancelled_ones(client):
    start = timezone.now() + timedelta(days=1)
    for n in range(6):
        make_session(
            topic=f"Off {n}", starts_at=start + timedelta(days=n), status=SessionStatus.CANCELLED
        )
    make_session(topic="On at last", starts_at=start + timedelta(days=10))

    body = client.get(HOME).content.decode()

    assert "On at last" in next_card(body)
    assert following_titles(body) == ["Off 0", "Off 1", "Off 2", "Off 3"]


def test_home_leads_with_the_next_session_then_the_invitation(client):
    make_session(topic="Next up")

    body = client.get(HOME).content.decode()

    # On a phone the page reads in source order: the session and its RSVP come first.
    assert body.index("<h1>") < body.index("next-session__card") < body.index('class="hero"')
    assert body.index("#rsvp") < body.index("An invitation, not an obligation.")
    # No account is needed to come, so signing up is a secondary link, not the main button.
    assert "Create a free account" not in body
    assert f'<a class="hero__signup" href="{reverse("account_signup")}">' in body


def test_home_says_what_is_counted_and_why(client):
    body = client.get(HOME).content.decode()

    assert "Nobody keeps attendance" not in body
    assert "We do count who comes to each session, to plan the room" in body
    assert "and to tell our funders how many people the CoP reaches." in body
    assert "Coming is an invitation, not an obligation" in body
    assert f'<a href="{reverse("about")}#what-we-count">What we count, and why</a>' in body


def test_home_says_so_when_nothing_is_scheduled(any_client):
    make_session(topic="Last month", starts_at=timezone.now() - timedelta(days=30))

    body = any_client.get(HOME).content.decode()

    assert "No session is scheduled right now" in body
    assert f'<a href="{reverse("sessions:session-past")}">past sessions</a>' in body
    assert "next-session__card" not in body
    # The invitation stays.
    assert "An invitation, not an obligation." in body
    assert "What to bring" in body


@pytest.mark.parametrize("count", [1, 500])
def test_home_query_count_does_not_grow(client, organizer, django_assert_max_num_queries, count):
    venue = make_venue()
    start = timezone.now() + timedelta(days=1)
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * timedelta(days=1))
        for n in range(count)
    )

    with django_assert_max_num_queries(1):
        response = client.get(HOME)
    assert response.status_code == 200

    client.force_login(organizer)
    # + session, user, organizer role, open library reports (the Organize menu's count)
    with django_assert_max_num_queries(5):
        client.get(HOME)
