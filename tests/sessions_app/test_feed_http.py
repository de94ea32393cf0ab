"""The feeds over HTTP, as calendar apps poll them: headers, 304s, bad input, query
counts, and the personal feeds' secret addresses."""

from datetime import timedelta

import pytest
from django.core.cache import caches
from django.utils import timezone
from django.utils.http import http_date
from icalendar import Calendar

from members.services.account import account_delete
from sessions_app.models import (
    AttendanceMode,
    FeedToken,
    Rsvp,
    Session,
    SessionStatus,
    TimeOfDay,
    Venue,
)
from sessions_app.services.feed_tokens import (
    feed_token_for_guest,
    feed_token_for_member,
    feed_token_regenerate,
    feed_token_set_include_all,
)
from sessions_app.services.rsvps import (
    Guest,
    rsvp_cancel,
    rsvp_create,
    rsvps_claim_for_member,
)
from sessions_app.services.sessions import session_cancel, session_update
from tests.factories import make_session, make_user, make_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

FEED = "/sessions/feed.ics"
ICS_TYPE = "text/calendar; charset=utf-8"
MEETING_URL = "https://meet.example.org/secret-room"
JOINING = "Dial 555-0100, passcode 4242."
# The feed state, then the sessions with their venues.
PUBLIC_FEED_QUERIES = 2
# The token with its feed state, the owner's RSVPs, the sessions with their venues.
PERSONAL_FEED_QUERIES = 3


def events(response) -> list:
    assert response.status_code == 200, response.content
    return Calendar.from_ical(response.content).events


def summaries(response) -> list[str]:
    return [str(event["SUMMARY"]) for event in events(response)]


def unfolded(response) -> str:
    return response.content.decode().replace("\r\n ", "")


def make_sessions(count: int, **fields) -> list[Session]:
    """`count` published sessions, a day apart, at one venue, saved in one query."""
    venue = fields.pop("venue", None) or make_venue()
    first = timezone.now() + timedelta(days=1)
    return Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=first + timedelta(days=n), **fields)
        for n in range(count)
    )


def age_rows() -> None:
    """Date every session, venue, RSVP and feed token two days back, so a change made
    now is later than any Last-Modified served before it (HTTP dates have whole
    seconds, and a test runs within one)."""
    two_days_ago = timezone.now() - timedelta(days=2)
    for model in (Session, Venue, Rsvp, FeedToken):
        model.objects.update(updated=two_days_ago)


# Headers ---------------------------------------------------------------------------


def test_public_feed_headers(client):
    make_session()

    response = client.get(FEED)

    assert response.status_code == 200
    assert response["Content-Type"] == ICS_TYPE
    assert response["Cache-Control"] == "public, max-age=900"
    assert response["ETag"].startswith('"')
    assert response["ETag"].endswith('"')
    assert response["Last-Modified"].endswith(" GMT")
    assert response["Content-Disposition"] == 'inline; filename="cop-portal-sessions.ics"'
    assert response.cookies == {}
    assert "Set-Cookie" not in response
    assert "Vary" not in response


def test_public_feed_sets_no_cookie_and_no_vary_for_a_logged_in_member(member_client):
    make_session()

    response = member_client.get(FEED)

    assert response.status_code == 200
    assert response.cookies == {}
    assert "Vary" not in response


def test_personal_feed_headers_are_private(client, member):
    token = feed_token_for_member(user=member)

    response = client.get(token.get_absolute_url())

    assert response.status_code == 200
    assert response["Content-Type"] == ICS_TYPE
    assert response["Cache-Control"] == "private, max-age=900"
    assert response["X-Robots-Tag"] == "noindex, nofollow"
    assert response["ETag"]
    assert response["Last-Modified"]
    assert response.cookies == {}
    assert "Vary" not in response


def test_personal_feed_description_is_escaped(client, member):
    token = feed_token_for_member(user=member)

    text = unfolded(client.get(token.get_absolute_url()))

    description = "The CoP sessions you RSVP'd to\\, with their joining details. Keep private."
    assert f"\r\nX-WR-CALDESC:{description}\r\n" in text
    assert "\r\nX-WR-CALNAME:CoP Portal: my sessions\r\n" in text


def test_session_ics_download(client):
    session = make_session()

    response = client.get(f"/sessions/{session.slug}/calendar.ics")

    assert response["Content-Type"] == ICS_TYPE
    assert response["Content-Disposition"] == f'attachment; filename="{session.slug}.ics"'
    [event] = events(response)
    assert str(event["SUMMARY"]) == session.headline
    assert MEETING_URL not in response.content.decode()


# Conditional requests ----------------------------------------------------------------


def test_public_feed_if_none_match_is_304_without_a_query(client, django_assert_num_queries):
    make_sessions(5)
    first = client.get(FEED)

    with django_assert_num_queries(0):
        response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304
    assert response.content == b""
    assert response["ETag"] == first["ETag"]
    assert response["Last-Modified"] == first["Last-Modified"]
    assert response["Cache-Control"] == "public, max-age=900"


def test_public_feed_304_does_not_build_the_calendar(client, monkeypatch):
    make_session()
    first = client.get(FEED)

    def refuse(*args, **kwargs):
        raise AssertionError("built the feed for a 304")

    monkeypatch.setattr("sessions_app.views.feeds.public_feed", refuse)
    caches["feeds"].clear()
    response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304


def test_public_feed_if_modified_since_is_304(client, django_assert_num_queries):
    make_session()
    first = client.get(FEED)

    with django_assert_num_queries(0):
        response = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert response.status_code == 304


def test_public_feed_cached_200_costs_no_query(client, django_assert_num_queries):
    make_sessions(5)
    first = client.get(FEED)

    with django_assert_num_queries(0):
        second = client.get(FEED)

    assert second.content == first.content


def test_public_feed_after_an_edit_has_a_new_etag_and_is_served_again(client):
    session = make_session()
    age_rows()
    first = client.get(FEED)

    session_update(session=session, fields={"topic": "Renamed"})
    by_etag = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(FEED, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert by_etag.status_code == 200
    assert by_etag["ETag"] != first["ETag"]
    assert summaries(by_etag) == ["Renamed"]
    assert by_date.status_code == 200
    assert summaries(by_date) == ["Renamed"]


def test_public_feed_after_a_venue_edit_is_served_again(client):
    venue = make_venue(address="1 Old Road")
    make_session(venue=venue, attendance_mode=AttendanceMode.IN_PERSON)
    age_rows()
    first = client.get(FEED)

    venue.address = "2 New Road"
    venue.save()
    response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 200
    assert events(response)[0]["LOCATION"] == f"{venue.name}, 2 New Road, Cleveland, OH 44103"


def test_filtered_feed_if_modified_since_sees_a_session_leave_it(client):
    make_session(topic="Stays", time_of_day=TimeOfDay.EVENING)
    leaving = make_session(topic="Leaves", time_of_day=TimeOfDay.EVENING)
    age_rows()
    first = client.get(FEED, {"time_of_day": "evening"})

    session_update(session=leaving, fields={"time_of_day": TimeOfDay.DAYTIME})
    response = client.get(
        FEED, {"time_of_day": "evening"}, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"]
    )

    assert summaries(first) == ["Stays", "Leaves"]
    assert summaries(response) == ["Stays"]


def test_public_feed_head_answers_like_get_without_a_body(client):
    make_session()
    got = client.get(FEED)

    response = client.head(FEED)
    not_modified = client.head(FEED, HTTP_IF_NONE_MATCH=got["ETag"])

    assert response.status_code == 200
    assert response.content == b""
    assert response["Content-Type"] == ICS_TYPE
    assert response["ETag"] == got["ETag"]
    assert not_modified.status_code == 304


@pytest.mark.parametrize("method", ["post", "put", "delete"])
def test_public_feed_refuses_writes(client, method):
    response = getattr(client, method)(FEED)

    assert response.status_code == 405


@pytest.mark.parametrize(
    "value",
    [
        "yesterday",
        "",
        "Fri, 31 Dec 9999 23:59:59 GMT",
        "Mon, 01 Jan 0001 00:00:00 GMT",
        "Thu, 31 Feb 2026 10:00:00 GMT",
        "Sun, 06 Nov 1994 08:49:37 GMT",
        "Sunday, 06-Nov-94 08:49:37 GMT",
        "Sun Nov  6 08:49:37 1994",
        "99999999999999999999999999999",
        "-1",
        "Sun, 06 Nov 1994 08:49:37 GMT" * 200,
        "\x00\x01",
    ],
    ids=[
        "garbage",
        "empty",
        "year-9999",
        "year-0001",
        "february-31",
        "long-ago",
        "rfc850",
        "asctime",
        "huge-number",
        "negative",
        "very-long",
        "control-characters",
    ],
)
def test_public_feed_absurd_if_modified_since_gets_the_feed(client, value):
    make_session(topic="Listed")

    response = client.get(FEED, HTTP_IF_MODIFIED_SINCE=value)

    assert response.status_code == 200
    assert summaries(response) == ["Listed"]


def test_public_feed_future_if_modified_since_is_no_304(client):
    make_session(topic="Listed")
    tomorrow = http_date((timezone.now() + timedelta(days=1)).timestamp())

    response = client.get(FEED, HTTP_IF_MODIFIED_SINCE=tomorrow)

    assert summaries(response) == ["Listed"]


@pytest.mark.parametrize("value", ['"not-the-etag"', "garbage", "", 'W/"x", "y"'])
def test_public_feed_unknown_if_none_match_gets_the_feed(client, value):
    make_session(topic="Listed")

    response = client.get(FEED, HTTP_IF_NONE_MATCH=value)

    assert summaries(response) == ["Listed"]


def test_public_feed_weak_etag_match_is_304(client):
    make_session()
    etag = client.get(FEED)["ETag"]

    response = client.get(FEED, HTTP_IF_NONE_MATCH=f"W/{etag}")

    assert response.status_code == 304


# Bad filters -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"time_of_day": "midnight"}, "time_of_day"),
        ({"format": "EVENING"}, "format"),
        ({"attendance_mode": "x" * 5000}, "attendance_mode"),
        ({"time_of_day": "evening", "attendance_mode": "in person"}, "attendance_mode"),
        ({"format": "\x00"}, "format"),
    ],
    ids=["unknown", "wrong-field-value", "very-long", "one-of-two", "nul"],
)
def test_public_feed_bad_filter_is_400_naming_the_field(client, query, field):
    make_session()

    response = client.get(FEED, query)

    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert text.startswith("This feed has no such filter value.\n")
    assert f"\n{field}: “" in text
    assert "ETag" not in response


def test_public_feed_unknown_parameter_is_ignored(client):
    make_session(topic="Listed")

    response = client.get(FEED, {"utm_source": "newsletter", "page": "2"})

    assert summaries(response) == ["Listed"]


# Query counts --------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 1000])
def test_public_feed_queries_do_not_grow_with_sessions(
    client, django_assert_max_num_queries, count
):
    make_sessions(count - count // 10)
    make_sessions(count // 10, status=SessionStatus.CANCELLED)

    with django_assert_max_num_queries(PUBLIC_FEED_QUERIES):
        response = client.get(FEED)

    assert len(events(response)) == count


@pytest.mark.parametrize("count", [1, 20])
def test_personal_feed_queries_do_not_grow_with_rsvps(
    client, member, django_assert_max_num_queries, count
):
    for session in make_sessions(count, attendance_mode=AttendanceMode.HYBRID):
        rsvp_create(session=session, attend_as="online", user=member)
    token = feed_token_for_member(user=member)
    FeedToken.objects.update(last_fetched_at=timezone.now())  # no fetch note to write
    token.refresh_from_db()

    with django_assert_max_num_queries(PERSONAL_FEED_QUERIES):
        response = client.get(token.get_absolute_url())

    assert len(events(response)) == count


# Personal feeds: addresses -------------------------------------------------------------


@pytest.mark.parametrize(
    "key",
    ["no-such-key", "x" * 64, "x" * 65, "a" * 5000, "-"],
    ids=["unknown", "64-chars", "65-chars", "very-long", "dash"],
)
def test_personal_feed_unknown_key_is_404_never_410(client, member, key):
    feed_token_for_member(user=member)

    response = client.get(f"/calendar/{key}.ics")

    assert response.status_code == 404
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith("This calendar address is not")


def test_personal_feed_head_unknown_key_is_404(client):
    response = client.head("/calendar/no-such-key.ics")

    assert response.status_code == 404


def test_personal_feed_old_key_is_404_after_regeneration(client, member):
    token = feed_token_for_member(user=member)
    old_url = token.get_absolute_url()
    assert client.get(old_url).status_code == 200

    feed_token_regenerate(token=token)

    assert client.get(old_url).status_code == 404
    assert client.get(old_url, HTTP_IF_NONE_MATCH="*").status_code == 404
    assert client.get(token.get_absolute_url()).status_code == 200


def test_personal_feed_is_404_after_account_deletion(client, member):
    session = make_session()
    rsvp_create(session=session, attend_as="online", user=member)
    url = feed_token_for_member(user=member).get_absolute_url()

    account_delete(user=member, keep_posts=False)

    assert client.get(url).status_code == 404
    assert FeedToken.objects.count() == 0


# Personal feeds: what they list ----------------------------------------------------------


def test_member_feed_lists_only_their_going_and_waitlisted_sessions(client, member):
    going_online = make_session(topic="Going online", attendance_mode=AttendanceMode.ONLINE)
    going_room = make_session(
        topic="Going in person", attendance_mode=AttendanceMode.IN_PERSON, meeting_url=""
    )
    going_hybrid = make_session(topic="Going hybrid, in the room")
    full = make_session(topic="Full", capacity=1)
    make_session(topic="Not answered")
    cancelled_rsvp = make_session(topic="Changed my mind")
    others = make_session(topic="Someone else's")
    rsvp_create(session=going_online, attend_as="online", user=member)
    rsvp_create(session=going_room, attend_as="in-person", user=member)
    rsvp_create(session=going_hybrid, attend_as="in-person", user=member)
    rsvp_create(session=full, attend_as="in-person", user=make_user())
    rsvp_create(session=full, attend_as="in-person", user=member)
    rsvp, _ = rsvp_create(session=cancelled_rsvp, attend_as="online", user=member)
    rsvp_cancel(rsvp=rsvp)
    rsvp_create(session=others, attend_as="online", user=make_user())
    url = feed_token_for_member(user=member).get_absolute_url()

    found = {str(event["SUMMARY"]): event for event in events(client.get(url))}

    assert list(found) == [
        "Going online",
        "Going in person",
        "Going hybrid, in the room",
        "Waitlist: Full",
    ]
    conference = {title: [str(c.uri) for c in event.conferences] for title, event in found.items()}
    assert conference == {
        "Going online": [MEETING_URL],
        "Going in person": [],
        # A seat in the room is not an online place: they answer "online" to get the link.
        "Going hybrid, in the room": [],
        "Waitlist: Full": [],
    }
    assert {title: str(event["STATUS"]) for title, event in found.items()} == {
        "Going online": "CONFIRMED",
        "Going in person": "CONFIRMED",
        "Going hybrid, in the room": "CONFIRMED",
        "Waitlist: Full": "TENTATIVE",
    }
    assert f"Join online: {MEETING_URL}\n{JOINING}" in found["Going online"]["DESCRIPTION"]
    assert MEETING_URL not in found["Waitlist: Full"]["DESCRIPTION"]
    assert JOINING not in found["Waitlist: Full"]["DESCRIPTION"]
    assert str(found["Going online"]["DESCRIPTION"]).startswith("You're going. Change or cancel:")
    assert str(found["Waitlist: Full"]["DESCRIPTION"]).startswith(
        "You're on the waitlist (in person)."
    )


def test_member_feed_cancelled_rsvp_disappears_and_changes_the_etag(client, member):
    session = make_session(topic="Going")
    rsvp, _ = rsvp_create(session=session, attend_as="online", user=member)
    url = feed_token_for_member(user=member).get_absolute_url()
    age_rows()
    first = client.get(url)

    rsvp_cancel(rsvp=rsvp)
    by_etag = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"])
    by_date = client.get(url, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

    assert summaries(first) == ["Going"]
    assert summaries(by_etag) == []
    assert summaries(by_date) == []


def test_member_feed_cancelled_session_stays_marked(client, member):
    session = make_session(topic="Called off")
    rsvp_create(session=session, attend_as="in-person", user=member)
    url = feed_token_for_member(user=member).get_absolute_url()

    session_cancel(session=session, reason="Snow.")
    [event] = events(client.get(url))

    assert (str(event["SUMMARY"]), str(event["STATUS"])) == ("Cancelled: Called off", "CANCELLED")
    assert event.sequence == 1


def test_member_feed_include_all_adds_others_without_joining_details(client, member):
    mine = make_session(topic="Mine", attendance_mode=AttendanceMode.ONLINE)
    make_session(topic="Other", attendance_mode=AttendanceMode.ONLINE)
    make_session(topic="Draft", status=SessionStatus.DRAFT)
    rsvp_create(session=mine, attend_as="online", user=member)
    token = feed_token_for_member(user=member)
    age_rows()
    before = client.get(token.get_absolute_url())

    feed_token_set_include_all(token=token, include_all=True)
    response = client.get(token.get_absolute_url(), HTTP_IF_NONE_MATCH=before["ETag"])

    found = {str(event["SUMMARY"]): event for event in events(response)}
    assert list(found) == ["Mine", "Other"]
    assert [str(c.uri) for c in found["Mine"].conferences] == [MEETING_URL]
    assert found["Other"].conferences == []
    assert MEETING_URL not in found["Other"]["DESCRIPTION"]
    assert "You're" not in found["Other"]["DESCRIPTION"]


def test_guest_feed_matches_the_email_in_any_case(client):
    session = make_session(topic="Guest session")
    rsvp_create(session=session, attend_as="online", guest=Guest("Gus", "Gus.Guest@Example.org"))

    token = feed_token_for_guest(email="GUS.GUEST@example.ORG")
    response = client.get(token.get_absolute_url())

    assert token.guest_email == "gus.guest@example.org"
    assert feed_token_for_guest(email="gus.guest@example.org") == token
    assert summaries(response) == ["Guest session"]
    assert MEETING_URL in unfolded(response)


@pytest.mark.parametrize(
    ("email", "lookalike"),
    [
        ("a_b@example.org", "axb@example.org"),
        ("a%b@example.org", "axyzb@example.org"),
        ("ab@example.org", "AB@example.org.evil.test"),
    ],
    ids=["underscore", "percent", "suffix"],
)
def test_guest_feed_never_shows_another_guests_rsvps(client, member, email, lookalike):
    mine = make_session(topic="Mine")
    theirs = make_session(topic="Theirs")
    members = make_session(topic="A member's")
    rsvp_create(session=mine, attend_as="online", guest=Guest("Me", email))
    rsvp_create(session=theirs, attend_as="online", guest=Guest("Them", lookalike))
    rsvp_create(session=members, attend_as="online", user=member)
    token = feed_token_for_guest(email=email)

    response = client.get(token.get_absolute_url())

    assert summaries(response) == ["Mine"]
    assert lookalike.lower() not in unfolded(response).lower()


def test_guest_feed_after_claim_is_gone_and_the_members_feed_lists_everything(client):
    """Whoever made the guest feed may not be the member: its address stops working."""
    guest_session = make_session(topic="As a guest")
    member_session = make_session(topic="As a member")
    user = make_user(email="gus@example.org")
    rsvp_create(session=guest_session, attend_as="online", guest=Guest("Gus", "GUS@example.org"))
    rsvp_create(session=member_session, attend_as="online", user=user)
    guest_url = feed_token_for_guest(email="gus@example.org").get_absolute_url()
    first = client.get(guest_url)

    rsvps_claim_for_member(user=user, email="gus@example.org")
    after = client.get(guest_url, HTTP_IF_NONE_MATCH=first["ETag"])
    members = client.get(feed_token_for_member(user=user).get_absolute_url())

    assert summaries(first) == ["As a guest"]
    assert after.status_code == 404
    assert summaries(members) == ["As a guest", "As a member"]
    assert not FeedToken.objects.filter(user=None).exists()


# Personal feeds: noting fetches ----------------------------------------------------------


def test_personal_feed_notes_the_fetch_on_200_and_304(client, member):
    token = feed_token_for_member(user=member)
    url = token.get_absolute_url()

    first = client.get(url, HTTP_USER_AGENT="Thunderbird/128")
    token.refresh_from_db()
    noted = token.last_fetched_at
    FeedToken.objects.update(last_fetched_at=noted - timedelta(minutes=11))
    not_modified = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_USER_AGENT="iOS/18")
    token.refresh_from_db()

    assert first.status_code == 200
    assert noted is not None
    assert not_modified.status_code == 304
    assert token.last_fetched_by == "iOS/18"
    assert token.last_fetched_at > noted - timedelta(minutes=11)


def test_personal_feed_does_not_rewrite_the_note_within_ten_minutes(
    client, member, django_assert_max_num_queries
):
    token = feed_token_for_member(user=member)
    url = token.get_absolute_url()
    first = client.get(url, HTTP_USER_AGENT="Thunderbird/128")
    token.refresh_from_db()
    noted = (token.last_fetched_at, token.last_fetched_by)

    with django_assert_max_num_queries(1):
        response = client.get(url, HTTP_IF_NONE_MATCH=first["ETag"], HTTP_USER_AGENT="Other")
    client.get(url, HTTP_USER_AGENT="Another")
    token.refresh_from_db()

    assert response.status_code == 304
    assert (token.last_fetched_at, token.last_fetched_by) == noted


def test_personal_feed_notes_an_app_name_with_control_characters(client, member):
    """PostgreSQL refuses NUL in text: the feed must still answer, and note what it can."""
    token = feed_token_for_member(user=member)

    response = client.get(token.get_absolute_url(), HTTP_USER_AGENT="Cal\x00endar\x07/2")

    token.refresh_from_db()
    assert response.status_code == 200
    assert token.last_fetched_by == "Calendar/2"


def test_personal_feed_fetch_note_keeps_the_etag(client, member):
    token = feed_token_for_member(user=member)
    url = token.get_absolute_url()

    first = client.get(url)
    FeedToken.objects.update(last_fetched_at=None)
    second = client.get(url)

    assert second["ETag"] == first["ETag"]


def test_personal_feed_404_notes_nothing(client, member):
    token = feed_token_for_member(user=member)

    client.get("/calendar/no-such-key.ics")
    token.refresh_from_db()

    assert token.last_fetched_at is None


def test_public_feed_first_poll_after_a_change_is_rebuilt_in_two_queries(
    client, django_assert_num_queries
):
    """One for the new state, one for the sessions; the next poll needs none."""
    session = make_session()
    first = client.get(FEED)
    session_update(session=session, fields={"topic": "Renamed"})

    with django_assert_num_queries(2):
        response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])
    with django_assert_num_queries(0):
        again = client.get(FEED, HTTP_IF_NONE_MATCH=response["ETag"])

    assert response.status_code == 200
    assert summaries(response) == ["Renamed"]
    assert again.status_code == 304


def test_public_feed_state_is_worked_out_each_time_with_page_cache_off(
    client, settings, django_assert_num_queries
):
    settings.PAGE_CACHE_SECONDS = 0
    make_session()
    first = client.get(FEED)

    with django_assert_num_queries(1):
        response = client.get(FEED, HTTP_IF_NONE_MATCH=first["ETag"])

    assert response.status_code == 304
