"""Stored attendance counts (SessionCounts, MonthPeople): kept by the services, recounted
by counts_recount(), and the statistics give the same numbers from them as from the rows."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from sessions_app.models import AttendAs, MonthPeople, SessionCounts
from sessions_app.services.attendance import rsvp_check_in, walk_in_add, walk_in_remove
from sessions_app.services.counts import counts_recount, month_people_refresh
from sessions_app.stats import DateRange, attendance_report
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user

pytestmark = pytest.mark.django_db


def _numbers(report):
    return (
        report.members,
        report.guests,
        report.new_people,
        report.attendance,
        [(p.begins, p.new_people, p.returning_people, p.total) for p in report.months],
        [(p.begins, p.new_people, p.returning_people) for p in report.quarters],
    )


def _history():
    """Three months of 2024 and one of 2023: members and guests coming back, a month
    counted from RSVPs (nobody checked in), a partial check-in."""
    dana, eli = make_user(display_name="Dana"), make_user(display_name="Eli")
    old = make_session(starts_at=local(2023, 11, 8, 18))
    make_rsvp(old, user=dana, checked_in_at=old.starts_at)
    sessions = []
    for month in (1, 2, 3):
        session = make_session(starts_at=local(2024, month, 10, 18))
        sessions.append(session)
        make_rsvp(session, user=dana, checked_in_at=session.starts_at if month != 2 else None)
        make_rsvp(session, user=eli, attend_as=AttendAs.ONLINE)
        make_rsvp(session, name=f"Guest {month % 2}", email=f"Guest{month % 2}@Example.org")
    counts_recount()
    return sessions


def test_report_is_the_same_from_stored_months_and_from_the_rsvps():
    _history()
    ranges = [
        DateRange(date(2024, 1, 1), date(2024, 12, 31)),
        DateRange(date(2024, 1, 15), date(2024, 3, 31)),  # partial first month
        DateRange(date(2023, 1, 1), date(2024, 2, 10)),  # partial last month
    ]
    stored = [_numbers(attendance_report(r)) for r in ranges]
    assert MonthPeople.objects.filter(month=date(2024, 2, 1)).exists()

    MonthPeople.objects.all().delete()
    live = [_numbers(attendance_report(r)) for r in ranges]

    assert stored == live
    # January and March: Dana checked in, so the guest going in person doesn't count;
    # Eli online stands in (nobody online checked in). February: all three stand in.
    # Dana came in 2023, so Eli and the February guest are the new people.
    assert stored[0][:4] == (2, 1, 2, 7)


def test_counts_recount_is_safe_to_rerun():
    _history()
    before = (
        sorted(SessionCounts.objects.values_list()),
        sorted(MonthPeople.objects.values_list("month", "guests")),
    )

    counts_recount()

    after = (
        sorted(SessionCounts.objects.values_list()),
        sorted(MonthPeople.objects.values_list("month", "guests")),
    )
    assert before == after


def test_months_not_over_are_never_stored():
    this_month = make_session(starts_at=timezone.now() - timedelta(minutes=5))
    make_rsvp(this_month, user=make_user(), checked_in_at=timezone.now())

    counts_recount()
    month_people_refresh(months=[timezone.localdate()])

    assert not MonthPeople.objects.filter(month__gte=timezone.localdate().replace(day=1)).exists()


def test_a_late_check_in_updates_the_session_and_its_month():
    """Checking one person in after the month is over: the room is counted from the
    door from then on, so the others going in person no longer stand in for who came."""
    january = _history()[0]
    first_2024 = DateRange(date(2024, 1, 1), date(2024, 1, 31))
    assert attendance_report(first_2024).members == 2

    eli = january.rsvps.get(user__display_name="Eli")
    rsvp_check_in(rsvp=eli)

    counts = SessionCounts.objects.get(session=january)
    assert (counts.checked_in_in_person, counts.checked_in_online) == (1, 1)
    report = attendance_report(first_2024)
    assert (report.members, report.guests) == (2, 0)  # the guest going in person: not counted
    assert _numbers(report) == _numbers_live(first_2024)


def _numbers_live(date_range):
    MonthPeople.objects.all().delete()
    return _numbers(attendance_report(date_range))


def test_walk_ins_update_the_stored_counts():
    session = make_session(starts_at=local(2024, 5, 1, 18))

    walk_in = walk_in_add(session=session, count=3)
    walk_in_add(session=session, name="Selma", self_check_in=True)
    counts = SessionCounts.objects.get(session=session)
    assert (counts.walk_ins, counts.qr_walk_ins) == (4, 1)

    walk_in_remove(walk_in=walk_in)
    counts.refresh_from_db()
    assert (counts.walk_ins, counts.qr_walk_ins) == (1, 1)
