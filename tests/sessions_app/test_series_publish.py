from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from sessions_app.demo import demo_recurrence
from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    Session,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.services.series import series_publish
from sessions_app.services.sessions import session_cancel, session_create, session_update
from tests.clock import CLEVELAND
from tests.factories import make_series, make_venue

pytestmark = pytest.mark.django_db

NEW_YEAR = datetime(2026, 1, 1, tzinfo=CLEVELAND)
YEAR_2026 = {"since": date(2026, 1, 1), "until": date(2026, 12, 31), "now": NEW_YEAR}


def _by_date(series) -> dict[date, Session]:
    return {session.occurrence_date: session for session in series.sessions.all()}


def _local(session: Session) -> datetime:
    return session.starts_at.astimezone(CLEVELAND)


def test_series_publish_creates_published_sessions_from_the_slots():
    venue = make_venue(name="Midtown/Hough office")
    series = make_series(venue=venue)

    result = series_publish(series=series, **YEAR_2026)

    assert len(result.created) == 12
    sessions = _by_date(series)
    january, february = sessions[date(2026, 1, 21)], sessions[date(2026, 2, 18)]
    assert january.status == SessionStatus.PUBLISHED
    assert january.title == "Community of Practice"
    assert (january.time_of_day, january.format) == (TimeOfDay.EVENING, ConversationFormat.BRIEF)
    assert (february.time_of_day, february.format) == (
        TimeOfDay.DAYTIME,
        ConversationFormat.IN_DEPTH,
    )
    assert january.attendance_mode == AttendanceMode.HYBRID
    assert january.venue == venue
    assert january.meeting_url == "https://meet.example.org/cop"
    assert (_local(january).time(), _local(february).time()) == (time(18, 0), time(11, 30))
    assert february.duration == timedelta(hours=2)
    assert (january.sequence, january.edited) == (0, False)


def test_series_publish_twice_creates_and_updates_nothing():
    series = make_series()
    series_publish(series=series, **YEAR_2026)
    before = list(Session.objects.values_list("pk", "starts_at", "sequence", "slug"))

    result = series_publish(series=series, **YEAR_2026)

    assert (len(result.created), len(result.updated), result.left_alone) == (0, 0, 0)
    assert list(Session.objects.values_list("pk", "starts_at", "sequence", "slug")) == before
    assert Session.objects.count() == 12


def test_series_publish_only_covers_since_to_until():
    series = make_series()

    series_publish(series=series, since=date(2026, 3, 1), until=date(2026, 5, 31), now=NEW_YEAR)

    assert sorted(_by_date(series)) == [date(2026, 3, 18), date(2026, 4, 15), date(2026, 5, 20)]


def test_series_publish_skips_an_excluded_date_and_keeps_the_rotation():
    rec = demo_recurrence()
    rec.exdates = [datetime(2026, 3, 18)]
    series = make_series(recurrence=rec)
    series.refresh_from_db()  # exclusions as they come back from the database

    series_publish(series=series, **YEAR_2026)

    sessions = _by_date(series)
    assert date(2026, 3, 18) not in sessions
    assert len(sessions) == 11
    assert sessions[date(2026, 4, 15)].time_of_day == TimeOfDay.DAYTIME
    assert sessions[date(2026, 5, 20)].time_of_day == TimeOfDay.EVENING


def test_series_publish_leaves_a_cancelled_session_in_its_place():
    series = make_series()
    series_publish(series=series, **YEAR_2026)
    march = _by_date(series)[date(2026, 3, 18)]  # occurrence 2
    session_cancel(session=march, reason="Snow day.")

    result = series_publish(series=series, **YEAR_2026)

    assert (len(result.created), len(result.updated), result.left_alone) == (0, 0, 1)
    sessions = _by_date(series)
    assert len(sessions) == 12
    assert sessions[date(2026, 3, 18)].status == SessionStatus.CANCELLED
    assert sessions[date(2026, 3, 18)].cancellation_reason == "Snow day."
    # Occurrence 3 takes slot 3 mod 2 = B, the daytime slot, as before.
    assert sessions[date(2026, 4, 15)].time_of_day == TimeOfDay.DAYTIME
    assert _local(sessions[date(2026, 4, 15)]).time() == time(11, 30)


def test_series_publish_moves_unedited_upcoming_sessions_only():
    series = make_series()
    series_publish(series=series, **YEAR_2026)
    september = _by_date(series)[date(2026, 9, 16)]  # slot A, edited by an organizer
    session_update(session=september, fields={"topic": "Tenant rights basics"})
    slot_a = series.slots.get(position=0)
    slot_a.start_time = time(18, 30)
    slot_a.save()
    june_first = datetime(2026, 6, 1, tzinfo=CLEVELAND)

    result = series_publish(
        series=series, since=date(2026, 1, 1), until=date(2026, 12, 31), now=june_first
    )

    sessions = _by_date(series)
    moved = [date(2026, 7, 15), date(2026, 11, 18)]
    assert sorted(session.occurrence_date for session in result.updated) == moved
    assert result.left_alone == 1
    for day in moved:
        assert _local(sessions[day]).time() == time(18, 30)
        assert _local(sessions[day]).date() == day
        assert sessions[day].ends_at - sessions[day].starts_at == timedelta(hours=1)
        assert sessions[day].sequence == 1
    assert _local(sessions[date(2026, 9, 16)]).time() == time(18, 0)
    assert sessions[date(2026, 9, 16)].topic == "Tenant rights basics"
    assert sessions[date(2026, 9, 16)].sequence == 1  # its new topic renamed the event
    for past in (date(2026, 1, 21), date(2026, 3, 18), date(2026, 5, 20)):
        assert _local(sessions[past]).time() == time(18, 0)
        assert sessions[past].sequence == 0
    daytime = [session for session in sessions.values() if session.time_of_day == "daytime"]
    assert {session.sequence for session in daytime} == {0}


def test_series_publish_keeps_six_pm_local_on_both_sides_of_dst():
    series = make_series()

    series_publish(series=series, **YEAR_2026)

    sessions = _by_date(series)
    march, november = sessions[date(2026, 3, 18)], sessions[date(2026, 11, 18)]
    assert _local(march).time() == _local(november).time() == time(18, 0)
    assert _local(march).utcoffset() == timedelta(hours=-4)
    assert _local(november).utcoffset() == timedelta(hours=-5)
    assert (march.starts_at.astimezone(ZoneInfo("UTC")).hour, november.starts_at.hour) == (
        22,
        23,
    )


def test_series_publish_gives_each_session_a_dated_slug():
    series = make_series()

    series_publish(series=series, **YEAR_2026)

    slugs = list(Session.objects.order_by("starts_at").values_list("slug", flat=True))
    assert slugs[-1] == "2026-12-16-community-of-practice"
    assert slugs == [f"{day:%Y-%m-%d}-community-of-practice" for day in sorted(_by_date(series))]
    assert len(set(slugs)) == 12


def test_series_publish_two_series_with_one_title_get_distinct_slugs():
    first, second = make_series(), make_series()

    series_publish(series=first, **YEAR_2026)
    series_publish(series=second, **YEAR_2026)

    assert first.slug != second.slug
    december = Session.objects.filter(occurrence_date=date(2026, 12, 16))
    assert sorted(december.values_list("slug", flat=True)) == [
        "2026-12-16-community-of-practice",
        "2026-12-16-community-of-practice-2",
    ]
    assert Session.objects.values("slug").distinct().count() == 24


def test_series_publish_gives_a_slot_turned_online_the_meeting_link():
    venue = make_venue()
    series = make_series(venue=venue)
    series.slots.filter(position=0).update(attendance_mode=AttendanceMode.IN_PERSON)
    series_publish(series=series, **YEAR_2026)
    series.slots.filter(position=0).update(attendance_mode=AttendanceMode.ONLINE, venue=None)

    series_publish(series=series, **YEAR_2026)

    july = _by_date(series)[date(2026, 7, 15)]
    assert july.attendance_mode == AttendanceMode.ONLINE
    assert july.venue is None
    assert july.meeting_url == "https://meet.example.org/cop"


def _one_off(**overrides) -> dict:
    starts_at = datetime(2026, 5, 6, 18, 0, tzinfo=CLEVELAND)
    fields = {
        "title": "Neighbourhood walk debrief",
        "time_of_day": TimeOfDay.EVENING,
        "format": ConversationFormat.BRIEF,
        "attendance_mode": AttendanceMode.ONLINE,
        "starts_at": starts_at,
        "ends_at": starts_at + timedelta(hours=1),
        "meeting_url": "https://meet.example.org/walk",
    }
    fields.update(overrides)
    return fields


def test_session_create_publishes_a_one_off_with_a_dated_slug():
    session = session_create(fields=_one_off(), publish=True)

    assert session.slug == "2026-05-06-neighbourhood-walk-debrief"
    assert session.status == SessionStatus.PUBLISHED
    assert (session.sequence, session.edited) == (0, True)


def test_session_cancel_bumps_the_sequence_and_keeps_the_reason():
    session = session_create(fields=_one_off(), publish=True)

    session_cancel(session=session, reason="The speaker is ill.")

    session.refresh_from_db()
    assert (session.status, session.sequence) == (SessionStatus.CANCELLED, 1)
    assert session.cancellation_reason == "The speaker is ill."


def test_session_update_of_the_title_under_a_topic_keeps_the_sequence():
    # With a topic, the title is only the series' context: calendars show the topic.
    session = session_create(fields=_one_off(topic="What the walk showed us"), publish=True)

    moved = session_update(session=session, fields={"title": "Walk debrief"})

    session.refresh_from_db()
    assert moved is False
    assert (session.title, session.sequence) == ("Walk debrief", 0)


@pytest.mark.parametrize(
    "change",
    [
        {"starts_at": datetime(2026, 5, 6, 17, 30, tzinfo=CLEVELAND)},
        {"attendance_mode": AttendanceMode.HYBRID},
        {"status": SessionStatus.CANCELLED},
    ],
    ids=["time", "mode", "status"],
)
def test_session_update_of_time_mode_or_status_bumps_the_sequence(change):
    session = session_create(fields=_one_off(), publish=True)
    if change.get("attendance_mode") == AttendanceMode.HYBRID:
        change = {**change, "venue": make_venue()}

    moved = session_update(session=session, fields=change)

    session.refresh_from_db()
    assert moved is True
    assert session.sequence == 1


def test_session_update_of_the_venue_bumps_the_sequence():
    session = session_create(
        fields=_one_off(attendance_mode=AttendanceMode.IN_PERSON, venue=make_venue()),
        publish=True,
    )

    session_update(session=session, fields={"venue": make_venue()})

    session.refresh_from_db()
    assert session.sequence == 1


@pytest.mark.parametrize(
    ("overrides", "key", "message"),
    [
        (
            {"ends_at": datetime(2026, 5, 6, 17, 0, tzinfo=CLEVELAND)},
            NON_FIELD_ERRORS,
            "The session must end after it starts.",
        ),
        (
            {"attendance_mode": AttendanceMode.IN_PERSON, "meeting_url": ""},
            "venue",
            "Choose where people meet in person, or make the session online only.",
        ),
        (
            {"meeting_url": ""},
            "meeting_url",
            "Online and hybrid sessions need a meeting link. Only people who RSVP will see it.",
        ),
        ({"capacity": 0}, NON_FIELD_ERRORS, "A session needs at least one seat."),
    ],
    ids=["ends-before-start", "in-person-without-venue", "online-without-link", "no-seats"],
)
def test_session_create_with_bad_data_saves_nothing(overrides, key, message):
    with pytest.raises(ValidationError) as caught:
        session_create(fields=_one_off(**overrides), publish=True)

    assert caught.value.message_dict[key] == [message]
    assert not Session.objects.exists()
