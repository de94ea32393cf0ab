"""A venue's address in parts, its one-line form, its map link, and the data migration
that split the old one-line addresses."""

import importlib

import pytest
from django.apps import apps

from sessions_app.models import Venue
from tests.factories import make_venue

pytestmark = pytest.mark.django_db

split_migration = importlib.import_module("sessions_app.migrations.0007_split_venue_addresses")


def test_full_address_is_one_line_for_maps_and_calendars():
    venue = Venue(address="5000 Euclid Avenue", postal_code="44103")

    assert venue.full_address == "5000 Euclid Avenue, Cleveland, OH 44103"


def test_full_address_without_a_zip_code_leaves_no_gap():
    venue = Venue(address="5000 Euclid Avenue", city="Cleveland Heights", state="OH")

    assert venue.full_address == "5000 Euclid Avenue, Cleveland Heights, OH"


def test_map_url_searches_openstreetmap_for_the_full_address():
    venue = Venue(address="1566 Crawford Road #2", postal_code="44106")

    assert venue.map_url == (
        "https://www.openstreetmap.org/search?query=1566+Crawford+Road+%232%2C+Cleveland%2C+OH+44106"
    )


@pytest.mark.parametrize(
    ("address", "parts"),
    [
        (
            "5000 Euclid Avenue, Cleveland, OH 44103",
            ("5000 Euclid Avenue", "Cleveland", "OH", "44103"),
        ),
        (
            "1566 Crawford Rd., Suite 2, Cleveland, Ohio 44106-1234",
            ("1566 Crawford Rd., Suite 2", "Cleveland", "OH", "44106-1234"),
        ),
        ("12 Lee Road,Cleveland Heights,oh", ("12 Lee Road", "Cleveland Heights", "OH", "")),
    ],
)
def test_split_address_finds_street_city_state_and_zip(address, parts):
    found = split_migration.split_address(address)

    assert (found["street"], found["city"], found["state"], found["postal_code"]) == parts


@pytest.mark.parametrize("address", ["Euclid Avenue", "5000 Euclid Avenue, Cleveland", ""])
def test_split_address_leaves_what_is_not_a_full_address(address):
    assert split_migration.split_address(address) is None


def test_migration_splits_one_line_addresses_and_reports_the_rest(capsys):
    # Rows as the old code stored them: the whole address in one field.
    whole = make_venue(name="Agora", address="5000 Euclid Avenue, Cleveland, OH 44103")
    partial = make_venue(name="Office", address="Euclid Avenue", postal_code="")

    split_migration.split_venue_addresses(apps, None)

    whole.refresh_from_db()
    partial.refresh_from_db()
    assert (whole.address, whole.city, whole.state, whole.postal_code) == (
        "5000 Euclid Avenue",
        "Cleveland",
        "OH",
        "44103",
    )
    assert (partial.address, partial.city, partial.postal_code) == (
        "Euclid Avenue",
        "Cleveland",
        "",
    )
    assert "Office: 'Euclid Avenue'" in capsys.readouterr().out


def test_migration_backwards_joins_the_parts_again():
    venue = make_venue(address="5000 Euclid Avenue", postal_code="44103")

    split_migration.join_venue_addresses(apps, None)

    venue.refresh_from_db()
    assert venue.address == "5000 Euclid Avenue, Cleveland, OH 44103"


def test_where_include_shows_the_address_map_link_and_how_to_get_there():
    from django.template.loader import render_to_string

    venue = make_venue(
        name="Midtown/Hough office",
        address="6555 Euclid Avenue",
        postal_code="44103",
        neighborhood="Midtown/Hough",
        transit_notes="HealthLine: East 66th Street.",
        parking_notes="Lot behind the building.",
        directions="First door on the left.",
        accessibility_notes="Step-free entrance.",
    )

    html = render_to_string("sessions_app/_venue_where.html", {"venue": venue})

    assert (
        '<address class="address venue__address"><strong>Midtown/Hough office</strong><br>'
        "6555 Euclid Avenue<br>Cleveland, OH 44103</address>"
    ) in html
    assert (
        '<span class="muted">Midtown/Hough</span> · '
        '<a href="https://www.openstreetmap.org/search?query=6555+Euclid+Avenue%2C+Cleveland'
        '%2C+OH+44103">Open in OpenStreetMap</a>'
    ) in html
    assert "target=" not in html
    assert "<script" not in html
    headings = ["Getting there", "Parking", "Finding the room", "Accessibility"]
    assert [h for h in headings if f"<h3>{h}</h3>" in html] == headings
    assert html.index("<h3>Getting there</h3>") < html.index("<h3>Parking</h3>")


def test_where_include_leaves_out_notes_nobody_wrote():
    from django.template.loader import render_to_string

    venue = make_venue(transit_notes="", parking_notes="", directions="", accessibility_notes="")

    html = render_to_string("sessions_app/_venue_where.html", {"venue": venue})

    assert "<h3>" not in html
    assert "Open in OpenStreetMap" in html


def test_accessibility_page_gives_each_venue_its_full_address_map_and_transit(client):
    from django.urls import reverse

    make_venue(
        name="Agora",
        address="5000 Euclid Avenue",
        postal_code="44103",
        neighborhood="Midtown",
        transit_notes="HealthLine: East 55th Street.",
        parking_notes="Street parking.",
    )

    body = client.get(reverse("sessions:accessibility")).content.decode()

    assert (
        '<p><span class="address">5000 Euclid Avenue, Cleveland, OH 44103</span> (Midtown) · '
        '<a href="https://www.openstreetmap.org/search?query=5000+Euclid+Avenue%2C+Cleveland'
        '%2C+OH+44103">Open in OpenStreetMap</a></p>'
    ) in body
    assert "<dt>Getting there</dt><dd>HealthLine: East 55th Street.</dd>" in body
    assert "<dt>Parking</dt><dd>Street parking.</dd>" in body
