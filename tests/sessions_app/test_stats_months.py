"""Each month's sessions stored with its people (MonthPeople.sessions): the statistics add
up a row per month that is over instead of reading every session, the services keep the
rows true when a session moves, changes slot or mode, or is cancelled, counts_recount()
rebuilds them, and the pages show the same numbers from them as from the sessions."""

from datetime import date, timedelta

import pytest
from django.urls import reverse

from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    ConversationFormat,
    MonthPeople,
    TimeOfDay,
)
from sessions_app.services.counts import counts_recount
from sessions_app.services.sessions import session_cancel, session_create, session_update
from sessions_app.stats import DateRange, attendance_report, default_range
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user, make_venue
from tests.statistics_pages import headline, table_rows

pytestmark = pytest.mark.django_db

URL = reverse("sessions:statistics")
SUMMARY = reverse("sessions:statistics-summary")
FIRST_HALF_2024 = DateRange(date(2024, 1, 1), date(2024, 6, 30))


def _history():
    """Sessions from November 2023 to April 2024 in both slots and three modes, Dana
    checked in at each: January's and February's evenings counted at the door, January's
    noon (its guest in person) and April's (Eli online) estimated in part."""
    dana, eli = make_user(display_name="Dana"), make_user(display_name="Eli")
    sessions = {}
    for n, (title, starts_at, mode) in enumerate(
        [
            ("November", local(2023, 11, 8, 18), AttendanceMode.HYBRID),
            ("January", local(2024, 1, 10, 18), AttendanceMode.IN_PERSON),
            ("January noon", local(2024, 1, 24, 11, 30), AttendanceMode.ONLINE),
            ("February", local(2024, 2, 14, 18), AttendanceMode.HYBRID),
            ("April", local(2024, 4, 3, 11, 30), AttendanceMode.HYBRID),
        ]
    ):
        daytime = starts_at.hour < 17
        session = make_session(
            title=title,
            topic="",
            starts_at=starts_at,
            attendance_mode=mode,
            time_of_day=TimeOfDay.DAYTIME if daytime else TimeOfDay.EVENING,
            format=ConversationFormat.IN_DEPTH if daytime else ConversationFormat.BRIEF,
        )
        attend_as = AttendAs.ONLINE if mode == AttendanceMode.ONLINE else AttendAs.IN_PERSON
        make_rsvp(session, user=dana, attend_as=attend_as, checked_in_at=session.starts_at)
        if n % 2:
            make_rsvp(session, user=eli, attend_as=attend_as)
        else:
            make_rsvp(session, name=f"Guest {n}", email=f"guest{n}@example.org")
            make_rsvp(session, user=eli, attend_as=AttendAs.ONLINE)
        sessions[title] = session
    counts_recount()  # the rows above were written without the services
    return sessions


def _numbers(date_range: DateRange) -> tuple:
    """Everything the statistics and the funder summary show for the range."""
    report = attendance_report(date_range)
    return (
        report.session_count,
        report.counted_sessions,
        report.attendance,
        report.in_person,
        report.online,
        report.walk_ins,
        [(s.label, s.sessions, s.people, s.in_person, s.online) for s in report.slots],
        report.modes,
        [(s.title, s.estimate, s.door_record) for s in report.estimated_sessions],
        [(p.begins, p.session_count, p.total, p.estimated_count) for p in report.months],
        [(p.begins, p.session_count, p.new_people, p.returning_people) for p in report.quarters],
        (report.members, report.guests, report.new_people),
    )


def _stored_months() -> list[tuple]:
    return list(MonthPeople.objects.order_by("month").values_list("month", "sessions"))


def _as_recounted() -> tuple[list[tuple], list[tuple]]:
    """The stored months as the services left them, and as counts_recount() makes them."""
    kept = _stored_months()
    counts_recount()
    return kept, _stored_months()


RANGES = [
    FIRST_HALF_2024,
    DateRange(date(2024, 1, 15), date(2024, 3, 31)),  # a partial first month
    DateRange(date(2023, 1, 1), date(2024, 2, 10)),  # a partial last month
    DateRange(date(2015, 1, 1), date(2024, 12, 31)),  # by quarter
]


def test_stored_months_give_the_numbers_the_sessions_give():
    _history()
    stored = [_numbers(r) for r in RANGES]
    assert MonthPeople.objects.get(month=date(2024, 1, 1)).sessions["groups"]

    MonthPeople.objects.update(sessions=None)  # as before migration 0017: read live
    live = [_numbers(r) for r in RANGES]

    assert stored == live
    assert stored[0][:3] == (4, 2, 6)
    assert stored[0][8] == [
        ("January noon", "in person from 1 RSVP", "No in-person RSVP was checked in"),
        ("April", "online from 1 RSVP", "No online RSVP was checked in"),
    ]


def test_moving_a_session_to_another_month_moves_its_numbers():
    sessions = _history()
    january = sessions["January"]
    starts_at = local(2024, 3, 6, 18)

    session_update(
        session=january,
        fields={"starts_at": starts_at, "ends_at": starts_at + timedelta(hours=1)},
    )

    months = [(p.begins.month, p.session_count) for p in attendance_report(FIRST_HALF_2024).months]
    assert months == [(1, 1), (2, 1), (3, 1), (4, 1)]
    kept, recounted = _as_recounted()
    assert kept == recounted


def test_changing_a_past_sessions_slot_and_mode_changes_its_numbers(organizer_client):
    sessions = _history()

    session_update(
        session=sessions["February"],
        fields={
            "time_of_day": TimeOfDay.DAYTIME,
            "format": ConversationFormat.IN_DEPTH,
            "attendance_mode": AttendanceMode.IN_PERSON,
        },
    )

    summary = organizer_client.get(SUMMARY, {"from": "2024-02", "to": "2024-02"})
    assert table_rows(summary.content.decode(), "Sessions held by slot")[1:] == [
        "Daytime · in depth 1 1 0 1 1"
    ]
    kept, recounted = _as_recounted()
    assert kept == recounted


def test_cancelling_a_past_session_takes_it_out(organizer_client):
    sessions = _history()

    session_cancel(session=sessions["April"], reason="Counted twice")

    body = organizer_client.get(URL, {"from": "2024-01", "to": "2024-06"}).content.decode()
    assert headline(body, "Sessions held") == (
        "Sessions held 3 2 counted at the door, 1 estimated from RSVPs"
    )
    kept, recounted = _as_recounted()
    assert kept == recounted


def test_a_session_created_in_a_month_that_is_over_counts_there():
    _history()

    session_create(
        fields={
            "title": "Added later",
            "starts_at": local(2024, 2, 28, 18),
            "ends_at": local(2024, 2, 28, 19),
            "time_of_day": TimeOfDay.EVENING,
            "format": ConversationFormat.BRIEF,
            "attendance_mode": AttendanceMode.IN_PERSON,
            "venue": make_venue(),
        },
        publish=True,
    )

    february = attendance_report(DateRange(date(2024, 2, 1), date(2024, 2, 29)))
    assert february.session_count == 2
    kept, recounted = _as_recounted()
    assert kept == recounted


def test_recount_rebuilds_the_months_sessions():
    _history()
    expected = _stored_months()
    MonthPeople.objects.update(sessions={"groups": [], "estimated": []})

    counts_recount()

    assert _stored_months() == expected


@pytest.mark.parametrize("count", [1, 80])
def test_ten_years_of_statistics_read_a_row_per_month(
    organizer_client, django_assert_max_num_queries, bulk_sessions, count
):
    """However many sessions: the months that are over, the rest live with the estimated
    sessions by name (every one here: nobody online is checked in), in one query."""
    bulk_sessions(count)

    with django_assert_max_num_queries(7):
        response = organizer_client.get(URL, {"from": "2017-01", "to": "2026-12"})

    report = response.context["report"]
    assert report.session_count == len(report.estimated_sessions) == count
    assert not report.by_month


def test_a_session_late_on_a_months_last_evening_counts_in_its_local_month():
    # 21:30 in Cleveland on January 31 is February 1 in UTC; 23:30 on March 31 (the
    # clocks gone forward) is April 1 in UTC.
    dana = make_user(display_name="Dana")
    for starts_at in (local(2024, 1, 31, 21, 30), local(2024, 3, 31, 23, 30)):
        session = make_session(topic="", starts_at=starts_at)
        make_rsvp(session, user=dana, checked_in_at=starts_at)
    counts_recount()

    stored = [(p.begins.month, p.session_count, p.people) for p in _report_months()]
    groups = {month: data["groups"] for month, data in _stored_months()}
    MonthPeople.objects.all().delete()  # every month read live

    assert stored == [(1, 1, 1), (2, 0, 0), (3, 1, 1)]
    assert [len(groups[date(2024, month, 1)]) for month in (1, 2, 3, 4)] == [1, 0, 1, 0]
    assert [(p.begins.month, p.session_count, p.people) for p in _report_months()] == stored


def _report_months():
    return attendance_report(FIRST_HALF_2024).months


def test_default_range_counts_months_by_their_first_instant():
    """The default range's twelve months, found by comparing starts as the database
    gives them (text on both SQLite and PostgreSQL): a session at the very first
    instant of a Cleveland month belongs to that month, one a microsecond before it
    to the month before."""
    for month in range(1, 13):
        make_session(starts_at=local(2024, month, 1))
        make_session(starts_at=local(2024, month, 1, 0, 0, 0, 500_000))
    make_session(starts_at=local(2023, 12, 31, 23, 59, 59, 999_999))
    make_session(starts_at=local(2023, 11, 30, 23, 59, 59))

    found = default_range(local(2024, 12, 20))

    assert (found.first, found.last) == (date(2024, 1, 1), date(2024, 12, 31))
    # With December 2024's sessions not yet begun, the twelve months reach back to
    # the one-microsecond-before-January session's December 2023.
    found = default_range(local(2024, 11, 30))
    assert (found.first, found.last) == (date(2023, 12, 1), date(2024, 11, 30))
