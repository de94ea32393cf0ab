"""Guests in the statistics: one person per lower-case address, across stored months and
the months read live, new in their first month and returning after it; a change to a
guest's RSVP shows on the page at once."""

from datetime import date

import pytest
from django.urls import reverse

from sessions_app.models import MonthPeople
from sessions_app.services.attendance import rsvp_check_in
from sessions_app.services.counts import counts_recount
from sessions_app.stats import DateRange, attendance_report
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user
from tests.statistics_pages import headline

pytestmark = pytest.mark.django_db

URL = reverse("sessions:statistics")
RANGE_2024 = DateRange(date(2024, 1, 1), date(2024, 12, 31))


def _guest_history():
    """Ana comes in 2023 and goes twice in 2024 (spelled two ways); Bo goes twice in 2024,
    checked in the second time; Cy goes once, to that second session, where a member was
    checked in too (then those going in person but not checked in are not counted)."""
    old = make_session(starts_at=local(2023, 12, 6, 18))
    make_rsvp(old, name="Ana", email="ana@example.org", checked_in_at=old.starts_at)
    sessions = {}
    for month in (2, 5):
        session = sessions[month] = make_session(starts_at=local(2024, month, 7, 18))
        make_rsvp(session, name="Ana", email="Ana@Example.org" if month == 2 else "ana@example.org")
        make_rsvp(
            session,
            name="Bo",
            email="bo@example.org",
            checked_in_at=session.starts_at if month == 5 else None,
        )
    make_rsvp(sessions[5], user=make_user(), checked_in_at=sessions[5].starts_at)
    make_rsvp(sessions[5], name="Cy", email="cy@example.org")
    counts_recount()
    return sessions


def _people(report):
    return (
        report.members,
        report.guests,
        report.new_people,
        [(p.begins.month, p.new_people, p.returning_people) for p in report.months],
        [(p.begins.month, p.new_people, p.returning_people) for p in report.quarters],
    )


def test_guests_are_counted_once_by_address_from_stored_months_and_live():
    _guest_history()

    stored = _people(attendance_report(RANGE_2024))
    MonthPeople.objects.all().delete()
    live = _people(attendance_report(RANGE_2024))

    assert stored == live
    # February: Ana (came in 2023) and Bo, going in person, nobody checked in: both stand
    # in, Bo new. May: Bo and the member checked in, so Ana and Cy going are not counted;
    # the member is new, Bo returning.
    assert stored == (
        1,
        2,
        2,
        [(1, 0, 0), (2, 1, 1), (3, 0, 0), (4, 0, 0), (5, 1, 1)],
        [(1, 1, 1), (4, 1, 1)],
    )


def test_a_months_guests_are_stored_as_lower_case_addresses_in_order():
    _guest_history()

    stored = dict(MonthPeople.objects.values_list("month", "guests"))

    assert stored[date(2023, 12, 1)] == "ana@example.org"
    assert stored[date(2024, 2, 1)] == "ana@example.org\nbo@example.org"
    assert stored[date(2024, 5, 1)] == "bo@example.org"  # Ana, Cy: not checked in


def test_a_guest_checked_in_after_the_month_is_over_shows_at_once(organizer_client):
    sessions = _guest_history()
    query = {"from": "2024-05", "to": "2024-05"}
    before = organizer_client.get(URL, query).content.decode()

    rsvp_check_in(rsvp=sessions[5].rsvps.get(email="cy@example.org"))

    after = organizer_client.get(URL, query).content.decode()
    assert headline(before, "New people") != headline(after, "New people")
    assert headline(after, "New people") == headline(
        _page_recounted(organizer_client, query), "New people"
    )
    report = attendance_report(DateRange(date(2024, 5, 1), date(2024, 5, 31)))
    assert (report.members, report.guests, report.new_people) == (1, 2, 2)


def _page_recounted(client, query) -> str:
    counts_recount()
    return client.get(URL, query).content.decode()
