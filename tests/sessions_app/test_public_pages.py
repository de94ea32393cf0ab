"""The upcoming sessions list, the past archive, the accessibility page and the nav link."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    Session,
    SessionStatus,
    TimeOfDay,
)
from tests.clock import DASH, local
from tests.factories import make_session, make_venue
from tests.session_pages import without_icons

pytestmark = pytest.mark.django_db

LIST = reverse("sessions:session-list")
PAST = reverse("sessions:session-past")


def titles(body: str) -> list[str]:
    """Session titles in page order, as shown on the cards."""
    return re.findall(r'class="session-card__title"><a href="[^"]*">([^<]*)</a>', body)


def _bulk(count: int, *, start: datetime, step: timedelta, **fields) -> None:
    venue = make_venue()
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * step, **fields)
        for n in range(count)
    )


# Upcoming list -------------------------------------------------------------------


def test_session_list_groups_upcoming_sessions_by_month(any_client):
    make_session(topic="January talk", starts_at=local(2031, 1, 15, 18))
    make_session(topic="December talk", starts_at=local(2030, 12, 18, 11, 30))
    make_session(topic="Second December talk", starts_at=local(2030, 12, 30, 18))

    response = any_client.get(LIST)

    body = response.content.decode()
    assert response.status_code == 200
    assert re.findall(r'<h2 id="month-[^"]*">([^<]*)</h2>', body) == [
        "December 2030",
        "January 2031",
    ]
    assert titles(body) == ["December talk", "Second December talk", "January talk"]
    assert f"11:30 AM {DASH} 12:30 PM EST" in body
    assert f'href="{reverse("sessions:calendar")}"' in body
    assert f'href="{PAST}"' in body


def test_session_list_leaves_out_drafts_and_past_sessions(any_client):
    make_session(topic="On the calendar")
    make_session(topic="Still a draft", status=SessionStatus.DRAFT)
    make_session(topic="Last month", starts_at=timezone.now() - timedelta(days=30))

    body = any_client.get(LIST).content.decode()

    assert titles(body) == ["On the calendar"]
    assert "Still a draft" not in body
    assert "Last month" not in body


def test_session_list_keeps_cancelled_sessions_marked_with_the_reason(any_client):
    soon = timezone.now() + timedelta(days=3)
    make_session(topic="Before", starts_at=soon)
    make_session(
        topic="Called off",
        starts_at=soon + timedelta(days=1),
        status=SessionStatus.CANCELLED,
        cancellation_reason="The office is closed for a repair.",
    )
    make_session(topic="After", starts_at=soon + timedelta(days=2))

    body = any_client.get(LIST).content.decode()

    assert titles(body) == ["Before", "Called off", "After"]
    cancelled = re.search(
        r'<article class="session-card session-card--cancelled">.*?</article>', body, re.S
    )[0]
    assert (
        '<p class="session-card__cancelled"><span class="badge badge--cancelled">Cancelled</span>'
        " The office is closed for a repair.</p>"
    ) in cancelled
    assert body.count("session-card--cancelled") == 1


def test_session_list_keeps_a_session_in_progress(client):
    make_session(topic="Happening now", starts_at=timezone.now() - timedelta(minutes=30))

    body = client.get(LIST).content.decode()

    assert titles(body) == ["Happening now"]


def test_session_list_keeps_a_day_long_session_until_it_ends(client):
    # The longest a session may last (Session.clean): started nearly a day ago, not over.
    now = timezone.now()
    make_session(
        topic="All-day retreat",
        starts_at=now - timedelta(hours=23, minutes=50),
        ends_at=now + timedelta(minutes=10),
    )
    make_session(
        topic="Yesterday's retreat",
        starts_at=now - timedelta(hours=24, minutes=10),
        ends_at=now - timedelta(minutes=10),
    )

    body = client.get(LIST).content.decode()

    assert titles(body) == ["All-day retreat"]


def test_session_list_when_nothing_is_scheduled_points_to_past_sessions(client):
    body = client.get(LIST).content.decode()

    assert "Nothing is scheduled yet" in body
    assert f'<a href="{PAST}">past sessions</a>' in body


def test_session_list_shows_badges_and_place(client):
    make_session(
        topic="Online and brief",
        attendance_mode=AttendanceMode.ONLINE,
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.IN_DEPTH,
    )
    make_session(topic="In the room", venue=make_venue(name="Midtown office"))

    body = without_icons(client.get(LIST).content.decode())

    assert '<span class="badge badge--daytime">Daytime</span>' in body
    assert '<span class="badge badge--in-depth">In-depth</span>' in body
    assert '<span class="badge badge--online">Online</span>' in body
    assert '<span class="badge badge--hybrid">Hybrid</span>' in body
    assert "Midtown office, Midtown/Hough, and online" in body


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"time_of_day": "daytime"}, ["Daytime brief online"]),
        ({"format": "in-depth"}, ["Evening in-depth hybrid"]),
        ({"attendance_mode": "in-person"}, ["Evening brief in person"]),
        ({"attendance_mode": "hybrid", "format": "in-depth"}, ["Evening in-depth hybrid"]),
        ({"time_of_day": "evening", "format": "brief"}, ["Evening brief in person"]),
        ({"time_of_day": "daytime", "format": "in-depth"}, []),
        ({"time_of_day": "", "format": "", "attendance_mode": ""}, None),
    ],
)
def test_session_list_filters_narrow_the_list(client, query, expected):
    soon = timezone.now() + timedelta(days=3)
    make_session(
        topic="Daytime brief online",
        starts_at=soon,
        time_of_day=TimeOfDay.DAYTIME,
        attendance_mode=AttendanceMode.ONLINE,
    )
    make_session(
        topic="Evening in-depth hybrid",
        starts_at=soon + timedelta(days=1),
        format=ConversationFormat.IN_DEPTH,
    )
    make_session(
        topic="Evening brief in person",
        starts_at=soon + timedelta(days=2),
        attendance_mode=AttendanceMode.IN_PERSON,
    )

    response = client.get(LIST, query)

    everything = ["Daytime brief online", "Evening in-depth hybrid", "Evening brief in person"]
    assert response.status_code == 200
    assert titles(response.content.decode()) == (everything if expected is None else expected)


def test_session_list_filters_show_as_selected_in_the_form(client):
    body = client.get(LIST, {"format": "brief"}).content.decode()

    assert '<option value="brief" selected>Brief conversation</option>' in body
    assert '<label for="id_time_of_day">Time of day</label>' in body
    assert f'<a href="{LIST}">Clear filters</a>' in body


def test_session_list_invalid_filter_answers_400_with_a_message(client):
    make_session(topic="Brief one")
    make_session(topic="Online one", attendance_mode=AttendanceMode.ONLINE)

    response = client.get(LIST, {"format": "banana", "attendance_mode": "online"})

    body = response.content.decode()
    assert response.status_code == 400
    assert "“banana” is not one of the choices. Pick one from the list." in body
    assert 'aria-invalid="true"' in body
    # The bad filter is ignored; the good one still applies.
    assert titles(body) == ["Online one"]


@pytest.mark.parametrize("number", ["abc", "0", "-1", "999", ""])
def test_session_list_bad_page_numbers_show_a_page(client, number):
    make_session(topic="Only one")

    response = client.get(LIST, {"page": number})

    assert response.status_code == 200
    assert titles(response.content.decode()) == ["Only one"]


def test_session_list_paginates_by_thirty_and_keeps_filters(client):
    _bulk(31, start=timezone.now() + timedelta(days=1), step=timedelta(days=1))

    first = client.get(LIST, {"format": "brief"}).content.decode()
    second = client.get(LIST, {"format": "brief", "page": "2"}).content.decode()

    assert len(titles(first)) == 30
    assert "Page 1 of 2" in first
    assert 'href="?format=brief&amp;page=2" rel="next"' in first
    assert len(titles(second)) == 1


@pytest.mark.parametrize("count", [1, 500])
def test_session_list_query_count_does_not_grow(
    client, organizer, django_assert_max_num_queries, count
):
    _bulk(count, start=timezone.now() + timedelta(days=1), step=timedelta(hours=6))

    with django_assert_max_num_queries(3):  # count, the page's keys, its rows (cards not kept yet)
        response = client.get(LIST)
    assert response.status_code == 200

    client.force_login(organizer)
    # + session, user, organizer role, open library reports (the Organize menu's count)
    with django_assert_max_num_queries(7):
        response = client.get(LIST, {"format": "brief", "page": "2"})
    assert response.status_code == 200
    with django_assert_max_num_queries(6):  # the cards are kept: not their rows
        again = client.get(LIST, {"format": "brief", "page": "2"})
    card = '<article class="session-card'
    assert again.content.decode().count(card) == response.content.decode().count(card)


def test_session_list_refuses_posts(client):
    response = client.post(LIST)

    assert response.status_code == 405


# Past sessions --------------------------------------------------------------------


def test_session_past_lists_most_recent_first_with_cancelled_marked(any_client):
    make_session(topic="Long ago", starts_at=local(2024, 3, 20, 18))
    make_session(topic="Called off", starts_at=local(2024, 5, 15, 18), status="cancelled")
    make_session(topic="Recently", starts_at=local(2024, 6, 19, 11, 30))
    make_session(topic="Never published", starts_at=local(2024, 4, 17, 18), status="draft")
    make_session(topic="Coming up")

    response = any_client.get(PAST)

    body = response.content.decode()
    assert response.status_code == 200
    assert titles(body) == ["Recently", "Called off", "Long ago"]
    assert body.count('<span class="badge badge--cancelled">Cancelled</span>') == 1
    assert "June 2024" in body


def test_session_past_filters_and_rejects_bad_values(client):
    make_session(topic="Evening", starts_at=local(2024, 3, 20, 18))
    make_session(
        topic="Daytime", starts_at=local(2024, 4, 17, 11, 30), time_of_day=TimeOfDay.DAYTIME
    )

    filtered = client.get(PAST, {"time_of_day": "evening"})
    bad = client.get(PAST, {"time_of_day": "midnight"})

    assert titles(filtered.content.decode()) == ["Evening"]
    assert bad.status_code == 400
    assert "“midnight” is not one of the choices" in bad.content.decode()
    assert titles(bad.content.decode()) == ["Daytime", "Evening"]


def test_session_past_paginates_by_twenty(client):
    _bulk(21, start=local(2024, 1, 1, 18), step=timedelta(days=3))

    first = client.get(PAST).content.decode()
    last = client.get(PAST, {"page": "2"}).content.decode()
    bad = client.get(PAST, {"page": "nope"})

    assert len(titles(first)) == 20
    assert len(titles(last)) == 1
    assert bad.status_code == 200


def test_session_past_when_empty_says_so(client):
    body = client.get(PAST).content.decode()

    assert "No sessions have taken place on the portal yet." in body


@pytest.mark.parametrize("count", [1, 500])
def test_session_past_query_count_does_not_grow(
    client, member, django_assert_max_num_queries, count
):
    _bulk(count, start=local(2020, 1, 1, 18), step=timedelta(days=1), status="cancelled")

    with django_assert_max_num_queries(3):  # count, the page's keys, its rows (cards not kept yet)
        response = client.get(PAST)
    assert response.status_code == 200

    client.force_login(member)
    with django_assert_max_num_queries(6):  # + session, user, organizer role
        response = client.get(PAST, {"page": "3"})
    assert response.status_code == 200


# Accessibility page -------------------------------------------------------------------


def test_accessibility_page_lists_active_venues_with_their_notes(any_client):
    make_venue(
        name="Midtown office",
        accessibility_notes="Step-free entrance.",
        directions="First door on the left.",
        parking_notes="Free lot behind the building.",
    )
    make_venue(name="Old building", is_active=False)

    response = any_client.get(reverse("sessions:accessibility"))

    body = response.content.decode()
    assert response.status_code == 200
    for text in [
        "Midtown office",
        "Step-free entrance.",
        "First door on the left.",
        "Free lot behind the building.",
        "camera is optional",
        "tell an organizer when you RSVP",
    ]:
        assert text in body
    assert "Old building" not in body
    assert f'href="{reverse("about")}"' in body


def test_accessibility_page_is_linked_from_the_footer(client):
    body = client.get(reverse("home")).content.decode()

    assert f'<li><a href="{reverse("sessions:accessibility")}">Accessibility</a></li>' in body


def test_accessibility_page_query_count(client, django_assert_max_num_queries):
    for _ in range(3):
        make_venue()

    with django_assert_max_num_queries(1):
        client.get(reverse("sessions:accessibility"))


# Navigation -------------------------------------------------------------------------


def test_nav_sessions_link_marks_the_sessions_pages(client):
    session = make_session()
    link = f'<a href="{LIST}"'

    on_list = client.get(LIST).content.decode()
    on_detail = client.get(session.get_absolute_url()).content.decode()
    on_about = client.get(reverse("about")).content.decode()

    assert f'{link} aria-current="page">Sessions</a>' in on_list
    assert f'{link} aria-current="true">Sessions</a>' in on_detail
    assert f"{link}>Sessions</a>" in on_about
