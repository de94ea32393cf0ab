"""The iCalendar event builder: local times with TZID, stable UID and DTSTAMP, the meeting
link only when asked for, escaping, and invitations with organizer and attendee."""

from datetime import timedelta

import pytest
from icalendar import Calendar

from sessions_app.ical import invitation, new_calendar, session_event, to_ical
from sessions_app.models import AttendanceMode, ConversationFormat, SessionStatus, TimeOfDay
from sessions_app.services.rsvps import Guest, rsvp_create
from sessions_app.services.sessions import session_update
from tests.clock import local
from tests.factories import make_series, make_session, make_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

MEETING_URL = "https://meet.example.org/secret-room"


@pytest.fixture(autouse=True)
def _sender(settings):
    settings.DEFAULT_FROM_EMAIL = "CoP Portal <hello@cop.example.org>"


def build(session, *, include_conference: bool = False) -> bytes:
    calendar = new_calendar()
    calendar.add_component(session_event(session, include_conference=include_conference))
    return to_ical(calendar)


def only_event(data: bytes):
    calendar = Calendar.from_ical(data)
    [event] = calendar.events
    return event


def lines(data: bytes, name: str) -> list[str]:
    """The event's unfolded content lines for a property, like ["DTSTART;TZID=…:2027…"]."""
    text = data.decode().replace("\r\n ", "")
    vevent = text.split("BEGIN:VEVENT\r\n", 1)[1].split("END:VEVENT", 1)[0]
    return [line for line in vevent.split("\r\n") if line.split(";")[0].split(":")[0] == name]


@pytest.mark.parametrize(
    ("starts_at", "offset", "wall_clock"),
    [
        (local(2027, 1, 20, 18), timedelta(hours=-5), "20270120T180000"),
        (local(2027, 7, 21, 18), timedelta(hours=-4), "20270721T180000"),
    ],
    ids=["winter-EST", "summer-EDT"],
)
def test_session_event_times_are_cleveland_local_with_tzid(starts_at, offset, wall_clock):
    session = make_session(starts_at=starts_at)

    data = build(session)

    event = only_event(data)
    assert lines(data, "DTSTART") == [f"DTSTART;TZID=America/New_York:{wall_clock}"]
    assert lines(data, "DTEND")[0].startswith("DTEND;TZID=America/New_York:")
    assert event["DTSTART"].params["TZID"] == "America/New_York"
    assert event.start == starts_at
    assert event.start.utcoffset() == offset
    assert event.end == starts_at + timedelta(hours=1)
    assert event.end.utcoffset() == offset


def test_session_event_comes_with_its_vtimezone():
    session = make_session(starts_at=local(2027, 3, 17, 18))

    calendar = Calendar.from_ical(build(session))

    assert [tz.tz_name for tz in calendar.timezones] == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()
    assert calendar.events[0].start.utcoffset() == timedelta(hours=-4)


def test_session_event_uid_is_stable_across_edits():
    session = make_session(starts_at=local(2027, 3, 17, 18))
    before = only_event(build(session))

    session_update(
        session=session,
        fields={
            "topic": "A new topic",
            "starts_at": local(2027, 3, 18, 12),
            "ends_at": local(2027, 3, 18, 13),
        },
    )
    after = only_event(build(session))

    assert before.uid == f"{session.uid}@cop.example.org"
    assert after.uid == before.uid
    assert (before.sequence, after.sequence) == (0, 1)
    assert after.summary == "A new topic"


def test_session_event_output_is_byte_identical_for_the_same_data():
    session = make_session()

    first = build(session, include_conference=True)
    second = build(session, include_conference=True)

    event = only_event(first)
    stamp = event.DTSTAMP
    assert first == second
    assert stamp == session.updated.replace(microsecond=0)
    assert event.last_modified == session.updated.replace(microsecond=0)
    assert lines(first, "UID") == [f"UID:{session.uid}@cop.example.org"]


def test_session_event_without_conference_has_no_meeting_link_anywhere():
    session = make_session(attendance_mode=AttendanceMode.HYBRID)

    data = build(session, include_conference=False)

    assert lines(data, "CONFERENCE") == []
    assert MEETING_URL not in data.decode().replace("\r\n ", "")
    assert "555-0100" not in data.decode().replace("\r\n ", "")
    assert only_event(data).conferences == []


def test_session_event_with_conference_has_the_meeting_link():
    session = make_session(attendance_mode=AttendanceMode.ONLINE)

    data = build(session, include_conference=True)

    event = only_event(data)
    assert lines(data, "CONFERENCE") == [f"CONFERENCE;FEATURE=VIDEO;VALUE=URI:{MEETING_URL}"]
    assert [conference.uri for conference in event.conferences] == [MEETING_URL]
    assert f"Join online: {MEETING_URL}" in event.description
    assert "Dial 555-0100, passcode 4242." in event.description


def test_session_event_in_person_session_never_has_a_conference():
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON)

    data = build(session, include_conference=True)

    assert lines(data, "CONFERENCE") == []
    assert MEETING_URL not in data.decode().replace("\r\n ", "")


def test_session_event_location_in_person_is_the_venue_and_address():
    venue = make_venue(
        name="Midtown/Hough office", address="7000 Euclid Avenue", postal_code="44103"
    )
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, venue=venue)

    event = only_event(build(session))

    assert event.location == "Midtown/Hough office, 7000 Euclid Avenue, Cleveland, OH 44103"


def test_session_event_location_online_is_online():
    session = make_session(attendance_mode=AttendanceMode.ONLINE)

    event = only_event(build(session))

    assert event.location == "Online"


def test_session_event_categories_name_time_format_and_mode():
    evening = make_session()
    daytime = make_session(
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.IN_DEPTH,
        attendance_mode=AttendanceMode.ONLINE,
    )

    assert only_event(build(evening)).categories == ["Evening", "Brief conversation", "Hybrid"]
    assert only_event(build(daytime)).categories == [
        "Daytime",
        "In-depth conversation",
        "Online",
    ]


def test_session_event_describes_the_session_and_links_its_page():
    venue = make_venue(accessibility_notes="Step-free entrance on 71st Street.")
    session = make_session(
        venue=venue, title="Block clubs", topic="Who funds what", summary="Stories, then questions."
    )

    event = only_event(build(session))

    assert event.summary == "Who funds what"
    assert event.url == f"https://cop.example.org/sessions/{session.slug}/"
    assert event.description == (
        "Block clubs\n\nStories, then questions.\n\n"
        "Accessibility: Step-free entrance on 71st Street.\n\n"
        f"Session page: https://cop.example.org/sessions/{session.slug}/"
    )


@pytest.mark.parametrize(
    ("topic", "summary"),
    [("Tenant rights basics", "Tenant rights basics"), ("", "Topic to be announced")],
)
def test_session_event_of_a_series_is_titled_by_its_topic_with_the_series_as_context(
    topic, summary
):
    series = make_series(title="Community of Practice")
    session = make_session(series=series, title=series.title, topic=topic, summary="")

    event = only_event(build(session))

    assert event.summary == summary
    assert event.description.startswith("Community of Practice\n\n")


def test_session_event_title_with_commas_semicolons_and_newlines_round_trips():
    title = "Rent, repairs; and\nwhat's next"
    session = make_session(topic=title)

    data = build(session)

    assert lines(data, "SUMMARY") == ["SUMMARY:Rent\\, repairs\\; and\\nwhat's next"]
    assert only_event(data).summary == title


def test_session_event_cancelled_session_says_so():
    session = make_session(status=SessionStatus.CANCELLED, cancellation_reason="Snowstorm.")

    event = only_event(build(session))

    assert event.status == "CANCELLED"
    assert event.summary == "Cancelled: Keeping volunteers after the first meeting"
    assert event.description.startswith("This session is cancelled. Snowstorm.")


def test_session_event_without_attendee_has_no_organizer_or_attendee():
    session = make_session()

    event = only_event(build(session))

    assert event.organizer is None
    assert event.attendees == []


def test_invitation_names_organizer_and_the_going_attendee(member):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    rsvp, _ = rsvp_create(session=session, attend_as="online", user=member)

    calendar = Calendar.from_ical(invitation(session, rsvp, "REQUEST"))

    [event] = calendar.events
    [attendee] = event.attendees
    assert calendar["PRODID"] == "-//CoP Portal//Sessions//EN"
    assert calendar["VERSION"] == "2.0"
    assert calendar["CALSCALE"] == "GREGORIAN"
    assert calendar["METHOD"] == "REQUEST"
    assert "UID" not in calendar  # no random calendar UID: output stays byte-identical
    assert event.organizer == "mailto:hello@cop.example.org"
    assert event.organizer.params["CN"] == "CoP Portal"
    assert attendee == f"mailto:{member.email}"
    assert attendee.params["CN"] == "Dana Member"
    assert attendee.params["PARTSTAT"] == "ACCEPTED"
    assert attendee.params["RSVP"] == "FALSE"
    assert [conference.uri for conference in event.conferences] == [MEETING_URL]


def test_invitation_waitlisted_guest_is_tentative_without_the_meeting_link():
    session = make_session(attendance_mode=AttendanceMode.ONLINE, online_capacity=1)
    rsvp_create(session=session, attend_as="online", guest=Guest("First", "first@example.com"))
    waiting, _ = rsvp_create(
        session=session, attend_as="online", guest=Guest("Ana, R.", "ana@example.com")
    )

    data = invitation(session, waiting, "REQUEST")

    [attendee] = only_event(data).attendees
    assert attendee == "mailto:ana@example.com"
    assert attendee.params["CN"] == "Ana, R."
    assert attendee.params["PARTSTAT"] == "TENTATIVE"
    assert MEETING_URL not in data.decode().replace("\r\n ", "")


def test_invitation_cancel_keeps_uid_and_sequence(member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, attend_as="online", user=member)

    request = only_event(invitation(session, rsvp, "REQUEST"))
    cancel_data = invitation(session, rsvp, "CANCEL")

    cancel = only_event(cancel_data)
    assert Calendar.from_ical(cancel_data)["METHOD"] == "CANCEL"
    assert cancel.status == "CANCELLED"
    assert (cancel.uid, cancel.sequence) == (request.uid, request.sequence)
    assert cancel.conferences == []


def test_invitation_unknown_method_is_refused(member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, attend_as="online", user=member)

    with pytest.raises(ValueError, match="PUBLISH"):
        invitation(session, rsvp, "PUBLISH")
