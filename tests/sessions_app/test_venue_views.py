from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendanceMode, AttendAs, RsvpStatus, Venue
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_session, make_user, make_venue

pytestmark = pytest.mark.django_db

VALID = {
    "name": "Hough Library meeting room",
    "address": "1566 Crawford Road",
    "city": "Cleveland",
    "state": "OH",
    "postal_code": "44106",
    "neighborhood": "Hough",
    "capacity": "30",
    "transit_notes": "Bus 38 stops at the corner of Hough Avenue.",
    "directions": "Second floor.",
    "accessibility_notes": "Elevator by the front desk.",
    "parking_notes": "Street parking.",
    "is_active": "on",
}


@pytest.mark.parametrize("name", ["sessions:venue-list", "sessions:venue-create"])
def test_visitor_is_sent_to_log_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


@pytest.mark.parametrize("name", ["sessions:venue-list", "sessions:venue-create"])
def test_member_is_refused(member_client, name):
    response = member_client.get(reverse(name))

    assert response.status_code == 403


def test_member_cannot_create_a_venue(member_client):
    response = member_client.post(reverse("sessions:venue-create"), VALID)

    assert response.status_code == 403
    assert not Venue.objects.exists()


def test_member_cannot_edit_a_venue(member_client):
    venue = make_venue(name="Old name")

    response = member_client.post(
        reverse("sessions:venue-edit", kwargs={"slug": venue.slug}), {**VALID, "name": "New"}
    )

    assert response.status_code == 403
    venue.refresh_from_db()
    assert venue.name == "Old name"


def test_organizer_sees_active_venues_first(organizer_client):
    make_venue(name="Agora building", is_active=False)
    make_venue(name="Midtown office")

    response = organizer_client.get(reverse("sessions:venue-list"))

    assert response.status_code == 200
    assert [venue.name for venue in response.context["venues"]] == [
        "Midtown office",
        "Agora building",
    ]
    assert "Archived" in response.content.decode()


def test_organizer_sees_an_empty_state(organizer_client):
    response = organizer_client.get(reverse("sessions:venue-list"))

    assert "No venues yet." in response.content.decode()


def test_organizer_creates_a_venue_with_a_slug_from_its_name(organizer_client):
    response = organizer_client.post(reverse("sessions:venue-create"), VALID)

    assert response.status_code == 302
    assert response["Location"] == reverse("sessions:venue-list")
    venue = Venue.objects.get()
    assert venue.slug == "hough-library-meeting-room"
    assert (venue.capacity, venue.is_active) == (30, True)
    assert venue.full_address == "1566 Crawford Road, Cleveland, OH 44106"
    assert venue.transit_notes == "Bus 38 stops at the corner of Hough Avenue."
    page = organizer_client.get(response["Location"])
    assert "Hough Library meeting room was added." in page.content.decode()


def test_same_name_gets_a_distinct_slug(organizer_client):
    make_venue(name="Hough Library meeting room", slug="hough-library-meeting-room")

    organizer_client.post(reverse("sessions:venue-create"), VALID)

    assert sorted(Venue.objects.values_list("slug", flat=True)) == [
        "hough-library-meeting-room",
        "hough-library-meeting-room-2",
    ]


def test_organizer_archives_a_venue(organizer_client):
    venue = make_venue()
    data = {**VALID, "name": venue.name}
    del data["is_active"]

    response = organizer_client.post(
        reverse("sessions:venue-edit", kwargs={"slug": venue.slug}), data
    )

    assert response.status_code == 302
    venue.refresh_from_db()
    assert venue.is_active is False
    assert str(venue) == f"{venue.name} (archived)"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("capacity", "0", "The room must seat at least one person."),
        ("capacity", "-4", "The room must seat at least one person."),
        ("capacity", "lots", "Enter a whole number."),
        ("capacity", "99999999999", "Enter the number of seats, at most 10,000."),
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("name", "x" * 500, "Ensure this value has at most 120 characters (it has 500)."),
        ("address", "", "This field is required."),
        ("postal_code", "", "Enter the ZIP code, so maps find the right street."),
        ("postal_code", "4410", "Enter a five-digit ZIP code, like 44103."),
        ("postal_code", "Cleveland", "Enter a five-digit ZIP code, like 44103."),
        ("state", "Ohio", "Ensure this value has at most 2 characters (it has 4)."),
        ("state", "O1", "Enter the state's two-letter abbreviation, like OH."),
    ],
)
def test_bad_input_is_explained_next_to_the_field(organizer_client, field, value, message):
    response = organizer_client.post(reverse("sessions:venue-create"), {**VALID, field: value})

    assert response.status_code == 400
    assert response.context["form"].errors[field] == [message]
    body = response.content.decode()
    assert f'id="id_{field}_error"' in body
    assert not Venue.objects.exists()


def test_unknown_venue_is_404(organizer_client):
    response = organizer_client.get(reverse("sessions:venue-edit", kwargs={"slug": "nowhere"}))

    assert response.status_code == 404


def test_venue_list_query_count_does_not_grow(organizer_client, django_assert_max_num_queries):
    make_venue()
    with django_assert_max_num_queries(5):
        organizer_client.get(reverse("sessions:venue-list"))

    for _ in range(60):
        make_venue()
    with django_assert_max_num_queries(5):
        response = organizer_client.get(reverse("sessions:venue-list"))
    assert len(response.context["venues"]) == 61


def test_venue_form_pages_query_count(organizer_client, django_assert_max_num_queries):
    venue = make_venue()
    with django_assert_max_num_queries(5):
        organizer_client.get(reverse("sessions:venue-create"))
    with django_assert_max_num_queries(6):
        organizer_client.get(reverse("sessions:venue-edit", kwargs={"slug": venue.slug}))


def _edit(client, venue, **changes):
    data = {
        **VALID,
        "name": venue.name,
        "address": venue.address,
        "postal_code": venue.postal_code,
        **changes,
    }
    return client.post(reverse("sessions:venue-edit", kwargs={"slug": venue.slug}), data)


def test_new_address_moves_upcoming_sessions_in_calendars(organizer_client):
    venue = make_venue(address="1 Old Street, Cleveland, OH")
    upcoming = make_session(venue=venue)
    past = make_session(venue=venue, starts_at=timezone.now() - timedelta(days=30))

    response = _edit(organizer_client, venue, address="2 New Street, Cleveland, OH")

    assert response.status_code == 302
    upcoming.refresh_from_db()
    past.refresh_from_db()
    assert (upcoming.sequence, past.sequence) == (1, 0)


def test_new_zip_code_moves_upcoming_sessions_in_calendars(organizer_client):
    venue = make_venue(postal_code="44103")
    upcoming = make_session(venue=venue)

    _edit(organizer_client, venue, postal_code="44104")

    upcoming.refresh_from_db()
    assert upcoming.sequence == 1


def test_other_venue_edits_leave_sequence_alone(organizer_client):
    venue = make_venue()
    session = make_session(venue=venue)

    _edit(
        organizer_client,
        venue,
        parking_notes="Lot behind the building.",
        transit_notes="HealthLine at East 66th.",
    )

    session.refresh_from_db()
    assert session.sequence == 0


def test_more_seats_at_the_venue_go_to_the_waitlist(organizer_client, mailoutbox):
    venue = make_venue(capacity=1)
    session = make_session(venue=venue, attendance_mode=AttendanceMode.IN_PERSON)
    rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)
    waiting, _ = rsvp_create(session=session, user=make_user(), attend_as=AttendAs.IN_PERSON)
    assert waiting.status == RsvpStatus.WAITLISTED

    _edit(organizer_client, venue, capacity="2")

    waiting.refresh_from_db()
    assert waiting.status == RsvpStatus.GOING


def test_state_is_stored_in_capitals_however_it_was_typed(organizer_client):
    organizer_client.post(reverse("sessions:venue-create"), {**VALID, "state": " oh "})

    assert Venue.objects.get().state == "OH"


def test_city_and_state_start_as_cleveland_ohio(organizer_client):
    response = organizer_client.get(reverse("sessions:venue-create"))

    form = response.context["form"]
    assert (form["city"].value(), form["state"].value()) == ("Cleveland", "OH")
    body = response.content.decode()
    assert "<legend>Address</legend>" in body
    assert "<legend>Getting there and getting in</legend>" in body


def test_edit_page_links_the_saved_address_to_openstreetmap(organizer_client):
    venue = make_venue(address="5000 Euclid Avenue", postal_code="44103")

    response = organizer_client.get(reverse("sessions:venue-edit", kwargs={"slug": venue.slug}))

    assert (
        '<a href="https://www.openstreetmap.org/search?query=5000+Euclid+Avenue%2C+Cleveland'
        '%2C+OH+44103">Check the saved address in OpenStreetMap</a>'
    ) in response.content.decode()


def test_list_shows_full_addresses_and_flags_a_missing_zip_code(organizer_client):
    make_venue(name="Complete", address="5000 Euclid Avenue", postal_code="44103")
    make_venue(name="Old row", address="6555 Euclid Avenue", postal_code="")

    response = organizer_client.get(reverse("sessions:venue-list"))

    body = response.content.decode()
    assert '<span class="cell-note">5000 Euclid Avenue, Cleveland, OH 44103</span></th>' in body
    assert (
        '<span class="cell-note">6555 Euclid Avenue, Cleveland, OH</span> '
        '<span class="badge badge--todo">No ZIP code yet</span></th>'
    ) in body


def test_old_row_without_a_zip_code_must_get_one_when_edited(organizer_client):
    venue = make_venue(postal_code="")

    response = _edit(organizer_client, venue, capacity="25")

    assert response.status_code == 400
    assert response.context["form"].errors["postal_code"] == [
        "Enter the ZIP code, so maps find the right street."
    ]
