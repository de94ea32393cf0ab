"""What the public calendar feed says (RFC 5545 and RFC 7986), read back by three parsers.

icalendar and recurring-ical-events look the TZID up in the tz database; vobject reads
the feed's own VTIMEZONE (through dateutil), as a desktop calendar does. Every time
must come out the same in all three. Dates are relative to today, so the sessions are
always inside the feed's window.
"""

import re
from datetime import UTC, date, datetime, time, timedelta

import pytest
import recurring_ical_events
import vobject
from django.core.cache import caches
from django.utils import timezone
from icalendar import Calendar

from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    Session,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.services.rsvps import Guest, rsvp_create
from sessions_app.services.sessions import session_cancel, session_update
from sessions_app.vtimezone import changes_in_year, vtimezone
from tests.clock import local
from tests.factories import make_session, make_user, make_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

FEED = "/sessions/feed.ics"
MEETING_URL = "https://meet.example.org/secret-room"
JOINING = "Dial 555-0100, passcode 4242."
NEXT_YEAR = timezone.now().year + 1


def fetch(client, **filters: str) -> bytes:
    response = client.get(FEED, filters)
    assert response.status_code == 200, response.content
    return response.content


def content_lines(data: bytes) -> list[str]:
    return data.decode().replace("\r\n ", "").split("\r\n")


def calendar_lines(data: bytes, name: str) -> list[str]:
    """The VCALENDAR's own lines for a property (not those of its components)."""
    lines, depth = [], 0
    for line in content_lines(data):
        if line.startswith("BEGIN:"):
            depth += 1
        elif line.startswith("END:"):
            depth -= 1
        elif depth == 1 and re.split("[;:]", line, maxsplit=1)[0] == name:
            lines.append(line)
    return lines


def event_lines(data: bytes, name: str) -> list[str]:
    """A property's lines in every VEVENT, in order."""
    found = []
    for vevent in data.decode().replace("\r\n ", "").split("BEGIN:VEVENT\r\n")[1:]:
        body = vevent.split("END:VEVENT", 1)[0]
        found.extend(
            line for line in body.split("\r\n") if re.split("[;:]", line, maxsplit=1)[0] == name
        )
    return found


def events_by_uid(data: bytes) -> dict:
    return {str(event.uid): event for event in Calendar.from_ical(data).events}


def uid(session: Session) -> str:
    return f"{session.uid}@cop.example.org"


def utc_starts(data: bytes) -> dict[str, list[datetime]]:
    """Each event's start and end in UTC, by parser."""
    calendar = Calendar.from_ical(data)
    expanded = recurring_ical_events.of(calendar).between(
        datetime(NEXT_YEAR - 2, 1, 1, tzinfo=UTC), datetime(NEXT_YEAR + 2, 1, 1, tzinfo=UTC)
    )
    parsed = vobject.readOne(data.decode())
    return {
        "icalendar": [
            (event.start.astimezone(UTC), event.end.astimezone(UTC)) for event in calendar.events
        ],
        "recurring-ical-events": [
            (event.start.astimezone(UTC), event.end.astimezone(UTC)) for event in expanded
        ],
        "vobject": [
            (event.dtstart.value.astimezone(UTC), event.dtend.value.astimezone(UTC))
            for event in parsed.vevent_list
        ],
    }


# The calendar ----------------------------------------------------------------------


def test_public_feed_calendar_properties(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))

    data = fetch(client)

    assert content_lines(data)[:5] == [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//CoP Portal//Sessions//EN",
        "CALSCALE:GREGORIAN",
        "METHOD:PUBLISH",
    ]
    assert calendar_lines(data, "NAME") == ["NAME:CoP Portal sessions"]
    assert calendar_lines(data, "X-WR-CALNAME") == ["X-WR-CALNAME:CoP Portal sessions"]
    assert calendar_lines(data, "REFRESH-INTERVAL") == ["REFRESH-INTERVAL;VALUE=DURATION:PT6H"]
    assert calendar_lines(data, "X-PUBLISHED-TTL") == ["X-PUBLISHED-TTL:PT6H"]
    assert calendar_lines(data, "SOURCE") == [
        "SOURCE;VALUE=URI:https://cop.example.org/sessions/feed.ics"
    ]
    assert calendar_lines(data, "URL") == ["URL:https://cop.example.org/sessions/"]
    assert calendar_lines(data, "UID") == []  # no random calendar UID
    calendar = Calendar.from_ical(data)
    assert calendar.refresh_interval == timedelta(hours=6)
    assert calendar.calendar_name == "CoP Portal sessions"


def test_public_feed_is_well_formed_ical(client):
    make_session(title="A title long enough to be folded " * 3)

    data = fetch(client)

    assert data.endswith(b"END:VCALENDAR\r\n")
    assert b"\n" not in data.replace(b"\r\n", b"")
    assert max(len(line) for line in data.split(b"\r\n")) <= 75


def test_public_feed_filtered_name_is_escaped(client):
    make_session(time_of_day=TimeOfDay.EVENING, attendance_mode=AttendanceMode.ONLINE)
    name = "CoP Portal sessions: Evening, Brief conversation, Online"

    data = fetch(client, time_of_day="evening", format="brief", attendance_mode="online")

    escaped = name.replace(",", "\\,")
    assert calendar_lines(data, "NAME") == [f"NAME:{escaped}"]
    assert calendar_lines(data, "X-WR-CALNAME") == [f"X-WR-CALNAME:{escaped}"]
    parsed = vobject.readOne(data.decode())
    assert parsed.contents["name"][0].value == name
    assert parsed.contents["x-wr-calname"][0].value == name
    assert calendar_lines(data, "SOURCE") == [
        "SOURCE;VALUE=URI:https://cop.example.org/sessions/feed.ics"
        "?time_of_day=evening&format=brief&attendance_mode=online"
    ]


def test_public_feed_has_a_vtimezone_for_every_tzid(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    make_session(starts_at=local(NEXT_YEAR + 1, 7, 6, 18))

    data = fetch(client)

    calendar = Calendar.from_ical(data)
    assert [zone.tz_name for zone in calendar.timezones] == ["America/New_York"]
    assert calendar.get_missing_tzids() == set()
    tzids = {
        line.split("TZID=", 1)[1].split(":", 1)[0]
        for line in content_lines(data)
        if "TZID=" in line
    }
    assert tzids == {"America/New_York"}


def test_public_feed_without_sessions_is_an_empty_calendar(client):
    data = fetch(client)

    calendar = Calendar.from_ical(data)
    assert calendar.events == []
    assert calendar.timezones == []
    assert calendar_lines(data, "METHOD") == ["METHOD:PUBLISH"]


# Events ----------------------------------------------------------------------------


def test_public_feed_event_properties(client):
    venue = make_venue(name="Hough Library", address="1566 Crawford Rd", postal_code="44106")
    session = make_session(
        title="Keeping volunteers",
        starts_at=local(NEXT_YEAR, 1, 6, 18),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue=venue,
        meeting_url="",
        joining_instructions="",
        time_of_day=TimeOfDay.EVENING,
        format=ConversationFormat.IN_DEPTH,
    )
    session.refresh_from_db()

    data = fetch(client)

    event = events_by_uid(data)[uid(session)]
    updated = session.updated.astimezone(UTC).replace(microsecond=0)
    assert event["SUMMARY"] == "Keeping volunteers after the first meeting"
    assert event.stamp == updated
    assert event.last_modified == updated
    assert event.sequence == 0
    assert event["STATUS"] == "CONFIRMED"
    assert event["LOCATION"] == "Hough Library, 1566 Crawford Rd, Cleveland, OH 44106"
    assert event["URL"] == f"https://cop.example.org/sessions/{session.slug}/"
    assert event.categories == ["Evening", "In-depth conversation", "In person"]
    assert event["DESCRIPTION"] == (
        "Keeping volunteers\n\n"
        "What brings people back a second time?\n\n"
        f"Session page: https://cop.example.org/sessions/{session.slug}/"
    )
    assert "CONFERENCE" not in event
    assert "RRULE" not in event
    assert event_lines(data, "DTSTAMP")[0].endswith("Z")
    assert event_lines(data, "LAST-MODIFIED")[0].endswith("Z")


@pytest.mark.parametrize(
    ("mode", "location", "category"),
    [
        (AttendanceMode.ONLINE, "Online", "Online"),
        (AttendanceMode.HYBRID, "Room 2, 2 Euclid Avenue, Cleveland, OH 44103", "Hybrid"),
    ],
    ids=["online", "hybrid"],
)
def test_public_feed_location_and_category_by_mode(client, mode, location, category):
    venue = make_venue(name="Room 2", address="2 Euclid Avenue", postal_code="44103")
    session = make_session(
        attendance_mode=mode,
        venue=venue if mode != AttendanceMode.ONLINE else None,
        time_of_day=TimeOfDay.DAYTIME,
    )

    event = events_by_uid(fetch(client))[uid(session)]

    assert event["LOCATION"] == location
    assert event.categories == ["Daytime", "Brief conversation", category]


def test_public_feed_one_event_per_session_without_recurrence(client):
    sessions = [make_session(starts_at=local(NEXT_YEAR, 2, day, 18)) for day in (3, 10, 17)]

    data = fetch(client)

    assert event_lines(data, "UID") == [f"UID:{uid(session)}" for session in sessions]
    assert b"RRULE" not in data.split(b"END:VTIMEZONE")[1]
    assert b"RDATE" not in data.split(b"END:VTIMEZONE")[1]
    calendar = Calendar.from_ical(data)
    occurrences = recurring_ical_events.of(calendar).between(
        local(NEXT_YEAR, 1, 1), local(NEXT_YEAR, 12, 31)
    )
    assert sorted(str(event.uid) for event in occurrences) == sorted(map(uid, sessions))


def test_public_feed_times_are_local_with_tzid_never_floating_or_utc(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    make_session(starts_at=local(NEXT_YEAR, 7, 6, 18))

    data = fetch(client)

    assert event_lines(data, "DTSTART") == [
        f"DTSTART;TZID=America/New_York:{NEXT_YEAR}0106T180000",
        f"DTSTART;TZID=America/New_York:{NEXT_YEAR}0706T180000",
    ]
    assert event_lines(data, "DTEND") == [
        f"DTEND;TZID=America/New_York:{NEXT_YEAR}0106T190000",
        f"DTEND;TZID=America/New_York:{NEXT_YEAR}0706T190000",
    ]


def test_public_feed_winter_and_summer_evenings_in_utc_agree_in_every_parser(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))  # EST, UTC-5
    make_session(starts_at=local(NEXT_YEAR, 7, 6, 18))  # EDT, UTC-4

    starts = utc_starts(fetch(client))

    expected = [
        (datetime(NEXT_YEAR, 1, 6, 23, tzinfo=UTC), datetime(NEXT_YEAR, 1, 7, 0, tzinfo=UTC)),
        (datetime(NEXT_YEAR, 7, 6, 22, tzinfo=UTC), datetime(NEXT_YEAR, 7, 6, 23, tzinfo=UTC)),
    ]
    assert starts == dict.fromkeys(starts, expected)


def _change_days(year: int) -> tuple[date, date]:
    spring, autumn = changes_in_year("America/New_York", year)
    return spring.onset.date(), autumn.onset.date()


def at(day: date, hour: int, minute: int = 0) -> datetime:
    """A time of day in UTC."""
    return datetime.combine(day, time(hour, minute), UTC)


def test_public_feed_sessions_across_the_night_of_a_change_agree_in_every_parser(client):
    spring, autumn = _change_days(NEXT_YEAR)
    # 01:00 EST to 03:30 EDT: one and a half hours; 01:30 EDT (the first 01:30) to
    # 02:30 EST: two hours; 03:30 on the spring day, stored as the instant after the gap.
    make_session(starts_at=at(spring, 6), ends_at=at(spring, 7, 30))
    make_session(starts_at=at(spring, 7, 30), ends_at=at(spring, 8, 30))
    make_session(starts_at=at(autumn, 5, 30), ends_at=at(autumn, 7, 30))

    data = fetch(client)

    day = f"{spring:%Y%m%d}"
    fall = f"{autumn:%Y%m%d}"
    assert event_lines(data, "DTSTART") == [
        f"DTSTART;TZID=America/New_York:{day}T010000",
        f"DTSTART;TZID=America/New_York:{day}T033000",
        f"DTSTART;TZID=America/New_York:{fall}T013000",
    ]
    assert event_lines(data, "DTEND") == [
        f"DTEND;TZID=America/New_York:{day}T033000",
        f"DTEND;TZID=America/New_York:{day}T043000",
        f"DTEND;TZID=America/New_York:{fall}T023000",
    ]
    starts = utc_starts(data)
    expected = [
        (at(spring, 6), at(spring, 7, 30)),
        (at(spring, 7, 30), at(spring, 8, 30)),
        (at(autumn, 5, 30), at(autumn, 7, 30)),
    ]
    assert starts == dict.fromkeys(starts, expected)


def test_public_feed_vtimezone_spans_the_years_of_its_events(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    make_session(starts_at=local(NEXT_YEAR + 3, 7, 6, 18))

    data = fetch(client)

    [zone] = Calendar.from_ical(data).timezones
    expected = vtimezone("America/New_York", NEXT_YEAR, NEXT_YEAR + 3).to_ical()
    assert zone.to_ical() == expected


# Changes ---------------------------------------------------------------------------


def test_public_feed_cancelled_session_stays_marked_cancelled(client):
    session = make_session(topic="Budget walk-through", starts_at=local(NEXT_YEAR, 1, 6, 18))
    before = events_by_uid(fetch(client))[uid(session)]

    session_cancel(session=session, reason="The room flooded.")
    after = events_by_uid(fetch(client))[uid(session)]

    assert after["STATUS"] == "CANCELLED"
    assert after["SUMMARY"] == "Cancelled: Budget walk-through"
    assert after.sequence == before.sequence + 1
    assert after.uid == before.uid
    assert after["DESCRIPTION"].startswith("This session is cancelled. The room flooded.\n\n")


def test_public_feed_edit_grows_sequence_keeps_uid_and_moves_last_modified(client):
    session = make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    an_hour_ago = timezone.now() - timedelta(hours=1)
    Session.objects.filter(pk=session.pk).update(updated=an_hour_ago)
    session.refresh_from_db()
    before = events_by_uid(fetch(client))[uid(session)]

    session_update(
        session=session,
        fields={"starts_at": local(NEXT_YEAR, 1, 7, 18), "ends_at": local(NEXT_YEAR, 1, 7, 19)},
    )
    after = events_by_uid(fetch(client))[uid(session)]

    assert before.last_modified == an_hour_ago.astimezone(UTC).replace(microsecond=0)
    assert after.uid == before.uid == uid(session)
    assert (before.sequence, after.sequence) == (0, 1)
    assert after.last_modified > before.last_modified
    assert after.stamp == after.last_modified
    assert after.start == local(NEXT_YEAR, 1, 7, 18)


@pytest.mark.parametrize(
    "fields",
    [
        {"venue": "new"},
        {"attendance_mode": AttendanceMode.ONLINE, "venue": None},
    ],
    ids=["new-venue", "now-online"],
)
def test_public_feed_change_of_place_grows_sequence(client, fields):
    session = make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    if fields.get("venue") == "new":
        fields = {"venue": make_venue()}

    session_update(session=session, fields=fields)
    event = events_by_uid(fetch(client))[uid(session)]

    assert event.sequence == 1


def test_public_feed_topic_edit_renames_the_event_and_grows_the_sequence(client):
    session = make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))

    session_update(session=session, fields={"topic": "A better topic"})
    event = events_by_uid(fetch(client))[uid(session)]

    # The topic is the event's name: calendars must take the new one.
    assert (event["SUMMARY"], event.sequence) == ("A better topic", 1)


def test_public_feed_summary_edit_keeps_sequence(client):
    session = make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))

    session_update(session=session, fields={"summary": "Different words, same session."})
    event = events_by_uid(fetch(client))[uid(session)]

    assert event.sequence == 0


def test_public_feed_is_byte_identical_for_the_same_data(client):
    make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    make_session(starts_at=local(NEXT_YEAR, 7, 6, 18), status=SessionStatus.CANCELLED)
    first = fetch(client, time_of_day="evening")

    caches["feeds"].clear()
    vtimezone.cache_clear()
    second = fetch(client, time_of_day="evening")

    assert second == first


# What is in it ---------------------------------------------------------------------


def test_public_feed_never_has_joining_details_or_emails(client, member):
    session = make_session(
        attendance_mode=AttendanceMode.HYBRID,
        meeting_url=MEETING_URL,
        joining_instructions=JOINING,
    )
    online = make_session(
        attendance_mode=AttendanceMode.ONLINE,
        venue=None,
        meeting_url="https://meet.example.org/other-room",
        joining_instructions="Ask for Pat at the door.",
    )
    rsvp_create(session=session, attend_as="online", user=member)
    rsvp_create(session=online, attend_as="online", user=member)
    rsvp_create(
        session=session, attend_as="online", guest=Guest("Gus Guest", "gus.guest@example.org")
    )

    text = fetch(client).decode().replace("\r\n ", "")

    for secret in (
        MEETING_URL,
        "meet.example.org",
        "555-0100",
        "Ask for Pat",
        member.email,
        "gus.guest@example.org",
        "Gus Guest",
        member.display_name,
        "CONFERENCE",
        "ATTENDEE",
        "ORGANIZER",
    ):
        assert secret not in text
    assert len(Calendar.from_ical(text).events) == 2


COMBINATIONS = [
    (time_of_day, format_, mode)
    for time_of_day in TimeOfDay.values
    for format_ in ConversationFormat.values
    for mode in AttendanceMode.values
]


@pytest.mark.parametrize(
    ("filters", "count"),
    [
        ({}, 12),
        ({"time_of_day": "evening"}, 6),
        ({"time_of_day": "daytime"}, 6),
        ({"format": "in-depth"}, 6),
        ({"attendance_mode": "hybrid"}, 4),
        ({"attendance_mode": "online"}, 4),
        ({"time_of_day": "daytime", "format": "brief", "attendance_mode": "in-person"}, 1),
        ({"time_of_day": "evening", "format": "", "attendance_mode": "online"}, 2),
    ],
    ids=lambda value: (
        "&".join(f"{k}={v}" for k, v in value.items()) or "none"
        if isinstance(value, dict)
        else str(value)
    ),
)
def test_public_feed_filters_select_exactly_the_matching_sessions(client, filters, count):
    venue = make_venue()
    sessions = [
        make_session(
            time_of_day=time_of_day,
            format=format_,
            attendance_mode=mode,
            venue=None if mode == AttendanceMode.ONLINE else venue,
            starts_at=local(NEXT_YEAR, 3, 1 + n, 12),
        )
        for n, (time_of_day, format_, mode) in enumerate(COMBINATIONS)
    ]
    wanted = {name: value for name, value in filters.items() if value}

    data = fetch(client, **filters)

    expected = [
        uid(session)
        for session in sessions
        if all(getattr(session, name) == value for name, value in wanted.items())
    ]
    assert [str(event.uid) for event in Calendar.from_ical(data).events] == expected
    assert len(expected) == count


def test_public_feed_window_keeps_recent_past_and_leaves_out_old_and_drafts(client):
    now = timezone.now()
    old = make_session(starts_at=now - timedelta(days=100))
    recent = make_session(starts_at=now - timedelta(days=80))
    cancelled = make_session(starts_at=now - timedelta(days=10), status=SessionStatus.CANCELLED)
    upcoming = make_session(starts_at=now + timedelta(days=3))
    far = make_session(starts_at=now + timedelta(days=700))
    draft = make_session(starts_at=now + timedelta(days=5), status=SessionStatus.DRAFT)

    uids = set(events_by_uid(fetch(client)))

    assert uids == {uid(recent), uid(cancelled), uid(upcoming), uid(far)}
    assert uid(old) not in uids
    assert uid(draft) not in uids


def test_public_feed_escapes_text_and_parses_back(client):
    session = make_session(
        topic="Rent, repairs; and\\or the landlord",
        summary="Line one.\nLine two, with a comma; and a semicolon.",
        starts_at=local(NEXT_YEAR, 1, 6, 18),
    )

    data = fetch(client)

    event = events_by_uid(data)[uid(session)]
    assert event["SUMMARY"] == "Rent, repairs; and\\or the landlord"
    assert "Line one.\nLine two, with a comma; and a semicolon." in event["DESCRIPTION"]
    [parsed] = vobject.readOne(data.decode()).vevent_list
    assert parsed.summary.value == "Rent, repairs; and\\or the landlord"


def test_public_feed_with_a_member_rsvp_is_the_same_for_everyone(client, member):
    session = make_session(starts_at=local(NEXT_YEAR, 1, 6, 18))
    rsvp_create(session=session, attend_as="online", user=make_user())
    anonymous = fetch(client)

    client.force_login(member)
    caches["feeds"].clear()

    assert fetch(client) == anonymous
