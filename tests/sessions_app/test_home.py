"""The home page puts the next session first, then a few more."""

import re
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendanceMode, ConversationFormat, Session, SessionStatus
from tests.factories import make_session, make_venue

pytestmark = pytest.mark.django_db

CLEVELAND = ZoneInfo("America/New_York")
DASH = "\N{EN DASH}"  # between start and end times
HOME = reverse("home")


def local(*args: int) -> datetime:
    return datetime(*args, tzinfo=CLEVELAND)


def next_card(body: str) -> str:
    return re.search(r'<article class="next-session__card">.*?</article>', body, re.S)[0]


def following_titles(body: str) -> list[str]:
    return re.findall(r'class="session-card__title"><a href="[^"]*">([^<]*)</a>', body)


@pytest.fixture(params=["visitor", "member", "organizer"])
def any_client(request, member, organizer) -> Client:
    client = Client()
    if request.param != "visitor":
        client.force_login(member if request.param == "member" else organizer)
    return client


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

    card = next_card(response.content.decode())
    assert response.status_code == 200
    for text in [
        f'<a href="{session.get_absolute_url()}">Tenant rights basics</a>',
        "What renters can do",
        '<time datetime="2030-12-18T11:30:00-05:00">Wednesday, December 18, 2030</time>',
        f"11:30 AM {DASH} 1:30 PM EST",
        '<span class="badge badge--daytime">Daytime</span>',
        '<span class="badge badge--in-depth">In-depth</span>',
        '<span class="badge badge--hybrid">Hybrid</span>',
        "<dd>Midtown/Hough office, and online</dd>",
        f'<a class="button" href="{session.get_absolute_url()}">RSVP / details',
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
        make_session(title=f"Talk {n}", starts_at=start + timedelta(days=7 * n))

    body = client.get(HOME).content.decode()

    assert "Talk 0" in next_card(body)
    assert following_titles(body) == ["Talk 1", "Talk 2", "Talk 3", "Talk 4"]
    assert "Talk 5" not in body
    assert f'<a href="{reverse("sessions:session-list")}">All upcoming sessions</a>' in body


def test_home_skips_drafts_cancelled_and_past_sessions(client):
    soon = timezone.now() + timedelta(days=1)
    make_session(title="Draft", starts_at=soon, status=SessionStatus.DRAFT)
    make_session(title="Called off", starts_at=soon, status=SessionStatus.CANCELLED)
    make_session(title="Last month", starts_at=timezone.now() - timedelta(days=30))
    make_session(title="The real next one", starts_at=soon + timedelta(days=1))

    body = client.get(HOME).content.decode()

    assert "The real next one" in next_card(body)
    for title in ["Draft", "Called off", "Last month"]:
        assert title not in body


def test_home_says_so_when_nothing_is_scheduled(any_client):
    make_session(title="Last month", starts_at=timezone.now() - timedelta(days=30))

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
    with django_assert_max_num_queries(4):  # + session, user, organizer role
        client.get(HOME)
