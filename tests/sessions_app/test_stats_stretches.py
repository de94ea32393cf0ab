"""The months a report reads live (not stored, or partly in the range) around the stored
ones: whichever months are stored, the numbers are those of a report read all live."""

from datetime import date

import pytest

from sessions_app.models import AttendAs, MonthPeople
from sessions_app.services.counts import counts_recount
from sessions_app.stats import DateRange, attendance_report
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user

pytestmark = pytest.mark.django_db

RANGES = [
    DateRange(date(2023, 1, 1), date(2024, 12, 31)),
    DateRange(date(2023, 11, 15), date(2024, 3, 9)),  # partial at both ends
    DateRange(date(2024, 2, 1), date(2024, 2, 29)),  # one stored month
    DateRange(date(2024, 2, 10), date(2024, 2, 20)),  # inside one month
    DateRange(date(2024, 4, 1), date(2030, 12, 31)),  # into the months to come
]


def _numbers(report):
    return (
        report.session_count,
        report.attendance,
        report.members,
        report.guests,
        report.new_people,
        [(s.session_id, s.total) for s in report.estimated_sessions],
        [(p.begins, p.session_count, p.new_people, p.returning_people) for p in report.months],
    )


def _history():
    """A session on the 5th and the 20th of each month from October 2023 to May 2024,
    with members and guests coming back, some checked in, some only going."""
    people = [make_user() for _ in range(4)]
    for month in [(2023, 10), (2023, 11), (2023, 12), *((2024, m) for m in range(1, 6))]:
        for day in (5, 20):
            session = make_session(starts_at=local(*month, day, 18))
            checked = session.starts_at if day == 5 else None
            for n, user in enumerate(people[: 2 + month[1] % 3]):
                make_rsvp(session, user=user, checked_in_at=checked if n % 2 else None)
            make_rsvp(
                session,
                name="Guest",
                email=f"guest{month[1] % 2}@example.org",
                attend_as=AttendAs.ONLINE,
            )
    counts_recount()


@pytest.mark.parametrize(
    "kept",
    [
        "all",
        [date(2024, 2, 1)],  # one month stored, live on both sides
        [date(2023, 10, 1), date(2024, 1, 1), date(2024, 3, 1)],  # gaps between them
    ],
)
def test_any_stored_months_give_the_numbers_read_live(kept):
    _history()
    if kept != "all":
        MonthPeople.objects.exclude(month__in=kept).delete()
    stored = [_numbers(attendance_report(r)) for r in RANGES]

    MonthPeople.objects.all().delete()
    live = [_numbers(attendance_report(r)) for r in RANGES]

    assert stored == live
    assert live[0][0] == 16
