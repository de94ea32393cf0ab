"""The month calendar: local-time month edges, DST, navigation, bad months, filters."""

import re
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendanceMode, Session, SessionStatus
from tests.clock import local
from tests.factories import make_session, make_venue
from tests.session_pages import without_icons

pytestmark = pytest.mark.django_db

CALENDAR = reverse("sessions:calendar")


def month_url(year: int, month: int) -> str:
    return reverse("sessions:calendar-month", kwargs={"year": year, "month": month})


def day_cell(body: str, day: str) -> str:
    """The HTML of the calendar cell for a date like "2027-01-31"."""
    for cell in re.findall(r"<td class=\"calendar__day[^\"]*\"[^>]*>.*?</td>", body, re.S):
        if f'datetime="{day}"' in cell:
            return cell
    raise AssertionError(f"No cell for {day}")


def test_calendar_shows_this_month_with_today_marked(any_client):
    today = timezone.localdate()
    make_session(topic="Talk of the day", starts_at=local(today.year, today.month, today.day, 23))

    response = any_client.get(CALENDAR)

    body = response.content.decode()
    cell = day_cell(body, today.isoformat())
    assert response.status_code == 200
    assert f"<caption>{today:%B %Y}</caption>" in body
    assert 'aria-current="date"' in cell
    assert "calendar__day--today" in cell
    assert "Talk of the day" in cell
    assert body.count('aria-current="date"') == 1


def test_calendar_weeks_start_on_sunday(client):
    body = client.get(month_url(2027, 1)).content.decode()

    headers = re.findall(r'<th scope="col">.*?"visually-hidden">(\w+)</span></th>', body)
    assert headers == [
        "Sunday",
        "Monday",
        "Tuesday",
        "Wednesday",
        "Thursday",
        "Friday",
        "Saturday",
    ]
    # January 1, 2027 is a Friday: five blank cells come first.
    first_row = re.search(r"<tbody>\s*<tr>(.*?)</tr>", body, re.S)[1]
    assert first_row.count("calendar__day--outside") == 5


def test_calendar_places_a_late_evening_session_on_its_local_day(client):
    # 23:30 in Cleveland on January 31 is already February 1 in UTC.
    make_session(topic="Late talk", starts_at=local(2027, 1, 31, 23, 30))

    january = client.get(month_url(2027, 1)).content.decode()
    february = client.get(month_url(2027, 2)).content.decode()

    assert "Late talk" in day_cell(january, "2027-01-31")
    assert "11:30 PM EST" in day_cell(january, "2027-01-31")
    assert "Late talk" not in february


def test_calendar_leaves_out_a_session_just_after_the_month(client):
    make_session(topic="First of February", starts_at=local(2027, 2, 1, 0, 0))

    body = client.get(month_url(2027, 1)).content.decode()

    assert "First of February" not in body
    assert "No sessions in January 2027." in body


@pytest.mark.parametrize(
    ("start", "shown"),
    [
        (local(2027, 3, 14, 18), "6:00 PM EDT"),  # the day clocks go forward
        (local(2027, 11, 7, 18), "6:00 PM EST"),  # the day clocks go back
        (local(2027, 3, 13, 18), "6:00 PM EST"),
        (local(2027, 11, 6, 18), "6:00 PM EDT"),
    ],
)
def test_calendar_shows_local_time_on_daylight_saving_days(client, start, shown):
    make_session(topic="Evening talk", starts_at=start)

    body = client.get(month_url(start.year, start.month)).content.decode()

    cell = day_cell(body, start.date().isoformat())
    assert "Evening talk" in cell
    assert shown in cell


def test_calendar_links_december_to_january_and_back(client):
    december = client.get(month_url(2026, 12)).content.decode()
    january = client.get(month_url(2027, 1)).content.decode()

    assert f'<a href="{month_url(2027, 1)}" rel="next">January 2027' in december
    assert f'<a href="{month_url(2026, 11)}" rel="prev">' in december
    assert f'<a href="{month_url(2026, 12)}" rel="prev">' in january


def test_calendar_marks_cancelled_and_hides_drafts(organizer_client):
    make_session(topic="On", starts_at=local(2027, 1, 20, 18))
    make_session(topic="Off", starts_at=local(2027, 1, 21, 18), status=SessionStatus.CANCELLED)
    make_session(topic="Not yet", starts_at=local(2027, 1, 22, 18), status=SessionStatus.DRAFT)

    body = organizer_client.get(month_url(2027, 1)).content.decode()

    cancelled = day_cell(body, "2027-01-21")
    assert "On" in day_cell(body, "2027-01-20")
    assert '<li class="calendar__session calendar__session--cancelled">' in cancelled
    assert '<span class="badge badge--cancelled">Cancelled</span>' in cancelled
    assert "Not yet" not in body


def test_calendar_shows_badges_and_links_each_session(client):
    session = make_session(
        topic="Online only", starts_at=local(2027, 1, 20, 12), attendance_mode="online"
    )

    cell = without_icons(day_cell(client.get(month_url(2027, 1)).content.decode(), "2027-01-20"))

    assert f'<a href="{session.get_absolute_url()}">Online only</a>' in cell
    assert '<span class="badge badge--online">Online</span>' in cell
    assert "12:00 PM EST" in cell


def test_calendar_applies_filters_and_keeps_them_on_month_links(client):
    make_session(topic="Hybrid talk", starts_at=local(2027, 1, 20, 18))
    make_session(
        topic="Online talk",
        starts_at=local(2027, 1, 21, 18),
        attendance_mode=AttendanceMode.ONLINE,
    )

    body = client.get(month_url(2027, 1), {"attendance_mode": "online"}).content.decode()

    assert "Online talk" in body
    assert "Hybrid talk" not in body
    assert f'href="{month_url(2027, 2)}?attendance_mode=online"' in body


def test_calendar_rejects_a_bad_filter_with_400(client):
    response = client.get(month_url(2027, 1), {"time_of_day": "night"})

    assert response.status_code == 400
    assert "“night” is not one of the choices." in response.content.decode()


def test_calendar_month_parameter_redirects_to_the_month_page(client):
    response = client.get(CALENDAR, {"month": "2026-12", "format": "brief", "time_of_day": ""})

    assert response.status_code == 302
    assert response["Location"] == f"{month_url(2026, 12)}?format=brief"


def test_calendar_month_parameter_without_filters_redirects_cleanly(client):
    response = client.get(CALENDAR, {"month": "2027-01"})

    assert response.status_code == 302
    assert response["Location"] == month_url(2027, 1)


@pytest.mark.parametrize(
    ("month", "message"),
    [
        ("13", "Enter a year and month, like 2026-12."),
        ("2026-13", "Months go from 01 to 12."),
        ("2026-00", "Months go from 01 to 12."),
        ("abc", "Enter a year and month, like 2026-12."),
        ("", "Enter a year and month, like 2026-12."),
        ("1999-12", "The calendar covers 2000 to 2100."),
    ],
)
def test_calendar_bad_month_parameter_answers_400_next_to_the_field(client, month, message):
    response = client.get(CALENDAR, {"month": month})

    body = response.content.decode()
    assert response.status_code == 400
    assert f'<ul class="errorlist" id="id_month_error"><li>{message}</li></ul>' in body
    assert '<input type="month" name="month"' in body
    assert 'aria-invalid="true"' in body


@pytest.mark.parametrize(
    "path",
    [
        "/sessions/calendar/2026/13/",
        "/sessions/calendar/2026/99/",
        "/sessions/calendar/2026/0/",
        "/sessions/calendar/1999/12/",
        "/sessions/calendar/2101/1/",
        "/sessions/calendar/99999999999/1/",
    ],
)
def test_calendar_month_out_of_range_is_not_found(client, path):
    response = client.get(path)

    assert response.status_code == 404
    assert "We can't find that page" in response.content.decode()


def test_calendar_has_no_link_beyond_its_range(client):
    body = client.get(month_url(2100, 12)).content.decode()

    assert 'rel="next"' not in body
    assert f'href="{month_url(2100, 11)}" rel="prev"' in body


@pytest.mark.parametrize("count", [1, 500])
def test_calendar_query_count_does_not_grow(
    client, organizer, django_assert_max_num_queries, count
):
    venue = make_venue()
    start = local(2027, 1, 1, 6)
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * timedelta(hours=1))
        for n in range(count)
    )

    # Built afresh: the month's sessions, with the fields its table shows, in one query.
    with django_assert_max_num_queries(1):
        response = client.get(month_url(2027, 1))
    assert response.status_code == 200
    assert response.content.decode().count('class="calendar__session"') == count

    client.force_login(organizer)
    # + session, user, organizer role, open library reports (the Organize menu's count)
    with django_assert_max_num_queries(5):
        client.get(month_url(2027, 1), {"format": "brief"})
    # The kept table read again: none of the month's sessions.
    with django_assert_max_num_queries(4):
        response = client.get(month_url(2027, 1), {"format": "brief"})
    assert response.content.decode().count('class="calendar__session"') == count
