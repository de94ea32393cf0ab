"""Server errors the fuzz tests found in the sessions app, each pinned by a plain test."""

import pytest
from django.urls import reverse

from sessions_app.models import Series, Session
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import make_session, make_venue

pytestmark = pytest.mark.django_db


def _guest_rsvp():
    rsvp, _ = rsvp_create(
        session=make_session(),
        attend_as="in-person",
        waitlist_ok=True,
        user=None,
        guest=Guest("Gia Guest", "gia@example.org"),
    )
    return rsvp


@pytest.mark.parametrize("target", ["Dana Member", "home", "https://evil.example.org/"])
def test_rsvp_change_with_a_next_that_is_not_a_path_goes_to_the_manage_page(client, target):
    """`next` was handed to redirect(), which reverses any other text as a view name:
    "Dana Member" was a 500 (NoReverseMatch)."""
    rsvp = _guest_rsvp()

    response = client.post(
        reverse("sessions:rsvp-change", kwargs={"token": rsvp.token}),
        {"how": "online", "next": target},
    )

    assert response.status_code == 302
    assert response["Location"] == rsvp.get_absolute_url()


def test_rsvp_cancel_with_a_next_that_is_not_a_path_goes_to_the_manage_page(client):
    rsvp = _guest_rsvp()

    response = client.post(
        reverse("sessions:rsvp-cancel", kwargs={"token": rsvp.token}), {"next": "Dana Member"}
    )

    assert response.status_code == 302
    assert response["Location"] == rsvp.get_absolute_url()


def _session_data(venue, **overrides) -> dict:
    return {
        "title": "Tenant organizing 101",
        "date": "2027-03-17",
        "start_time": "18:00",
        "end_time": "19:30",
        "time_of_day": "evening",
        "format": "brief",
        "attendance_mode": "in-person",
        "venue": str(venue.pk),
        "action": "publish",
        **overrides,
    }


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01", "1999-12-31", "2101-01-01"])
def test_session_form_refuses_dates_outside_the_calendar(organizer_client, day):
    """A session until 19:30 on 9999-12-31 in Cleveland ends in the year 10000 in UTC:
    saving it was a 500 (OverflowError)."""
    response = organizer_client.post(
        reverse("sessions:session-create"), _session_data(make_venue(), date=day)
    )

    assert response.status_code == 400
    assert response.context["form"].errors["date"] == ["Choose a date between 2000 and 2100."]
    assert 'id="id_date_error"' in response.content.decode()
    assert Session.objects.count() == 0


def _series_data(venue, **overrides) -> dict:
    return {
        "title": "Community of Practice",
        "frequency": "monthly",
        "interval": "1",
        "week_of_month": "3",
        "weekday": "2",
        "starts_on": "2027-01-01",
        "meeting_url": "https://meet.example.org/cop",
        "slots-TOTAL_FORMS": "1",
        "slots-INITIAL_FORMS": "0",
        "slots-0-time_of_day": "evening",
        "slots-0-start_time": "18:00",
        "slots-0-format": "brief",
        "slots-0-duration_minutes": "60",
        "slots-0-attendance_mode": "in-person",
        "slots-0-venue": str(venue.pk),
        **overrides,
    }


@pytest.mark.parametrize(
    ("field", "day"),
    [("starts_on", "9999-12-31"), ("starts_on", "0001-01-01"), ("ends_on", "9999-12-31")],
)
def test_series_form_refuses_dates_outside_the_calendar(organizer_client, field, day):
    """The schedule is checked for years after its first date: from 9999-12-31 that
    was a 500 (ValueError: year 10049 is out of range)."""
    response = organizer_client.post(
        reverse("sessions:series-create"), _series_data(make_venue(), **{field: day})
    )

    assert response.status_code == 400
    assert response.context["form"].errors[field] == ["Choose a date between 2000 and 2100."]
    assert Series.objects.count() == 0
