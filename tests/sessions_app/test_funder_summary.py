"""The funder summary: a printable page of sessions held, people reached and the
returning rate by quarter, for the statistics page's range. The data sets are in
tests/sessions_app/conftest.py."""

import re

import pytest
from django.urls import reverse

from tests.statistics_pages import FIRST_HALF_2024, headline, table_rows, text

pytestmark = pytest.mark.django_db

URL = reverse("sessions:statistics-summary")
STATISTICS = reverse("sessions:statistics")


def test_summary_numbers_for_a_known_range(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    assert response.status_code == 200
    body = response.content.decode()
    assert "<h1>Attendance summary</h1>" in body
    assert '<p class="lead">January 2024 to June 2024</p>' in body
    assert headline(body, "Sessions held") == "Sessions held 4 4 hybrid"
    assert headline(body, "People reached") == (
        "People reached 11 8 different people with an RSVP and 3 walk-ins"
    )
    assert headline(body, "Came in all") == (
        "Came in all 14 12 in person, 2 online; 3.5 per session"
    )
    assert headline(body, "Returning") == (
        "Returning 12% 1 of 8 had come before January 1, 2024; 7 new"
    )


def test_summary_lists_sessions_by_slot(organizer_client, first_half_2024):
    body = organizer_client.get(URL, FIRST_HALF_2024).content.decode()

    assert table_rows(body, "Sessions held by slot") == [
        "Slot Sessions In person Online Came in all Per session",
        "Evening · brief 2 5 1 6 3",
        "Daytime · in depth 2 7 1 8 4",
        "All sessions 4 12 2 14 3.5",
    ]


def test_summary_gives_the_returning_rate_by_quarter(organizer_client, first_half_2024):
    body = organizer_client.get(URL, FIRST_HALF_2024).content.decode()

    # Q1: Dana came back (her first was December 2023); Gale, Pat, Nora, Quinn were new.
    # Q2: Ada, Bo and Cy said they'd come and nobody in the room was checked in.
    assert table_rows(body, "New and returning people by quarter") == [
        "Quarter Sessions People New Returning Returning % Walk-ins",
        "Q1 2024 (Jan\N{EN DASH}Mar) 3 5 4 1 20% 2",
        "Q2 2024 (Apr\N{EN DASH}Jun) 1 3 3 0 0% 1",
        "Whole range 4 8 7 1 12% 3",
    ]


def test_quarters_cut_by_the_range_say_which_days(organizer_client, first_half_2024):
    body = organizer_client.get(URL, {"from": "2024-02-15", "to": "2024-04-30"}).content.decode()

    # Dana (December) and Gale (January 31) had come before February 15: returning.
    assert table_rows(body, "New and returning people by quarter")[1:] == [
        "Q1 2024 (Feb 15\N{EN DASH}Mar 31) 2 5 3 2 40% 0",
        "Q2 2024 (Apr 1\N{EN DASH}30) 1 3 3 0 0% 1",
        "Whole range 3 8 6 2 25% 1",
    ]
    assert '<p class="lead">February 15, 2024 to April 30, 2024</p>' in body


def test_summary_says_how_it_counts_and_prints(organizer_client, first_half_2024):
    body = organizer_client.get(URL, FIRST_HALF_2024).content.decode()

    words = text(body)
    assert (
        "2 of the 4 sessions are estimated from RSVPs, in part or in whole; the others were "
        "counted at the door: February, Feb 21, 2024: in person from 3 RSVPs; online from 1 "
        "RSVP. The door recorded nobody. April, Apr 17, 2024: in person from 3 RSVPs. No RSVP "
        "was checked in; 1 person checked in with the QR code as a walk-in."
    ) in words
    assert (
        "Estimated: in person and online are counted apart. Where no in-person RSVP was "
        "checked in at a session, the in-person RSVPs going when it started stand in for them;"
        " online the same. Walk-ins are added either way and never change how the RSVPs are "
        "counted."
    ) in words
    assert '<button type="button" class="button" data-print hidden>Print</button>' in body
    assert '<script src="/static/js/print.js" defer></script>' in body
    assert (
        "Use your browser\N{RIGHT SINGLE QUOTATION MARK}s Print to print it or save it as a PDF."
        in body
    )
    assert f'<a href="{STATISTICS}?from=2024-01&amp;to=2024-06">Back to the statistics</a>' in body
    assert "style=" not in body


def test_statistics_page_is_one_click_from_the_summary(organizer_client, first_half_2024):
    statistics = organizer_client.get(STATISTICS, FIRST_HALF_2024).content.decode()
    link = re.search(
        r'<a class="button button--ghost" href="([^"]+)">Funder summary</a>', statistics
    )

    response = organizer_client.get(link[1].replace("&amp;", "&"))

    assert response.status_code == 200
    report = response.context["report"]
    assert (report.range.label, report.session_count) == ("January 2024 to June 2024", 4)


def test_summary_of_a_range_without_sessions(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2025-01", "to": "2025-03"})

    assert response.status_code == 200
    assert "No sessions took place in this range." in response.content.decode()


def test_summary_refuses_a_reversed_range_next_to_the_field(organizer_client):
    response = organizer_client.get(URL, {"from": "2024-05", "to": "2024-02"})

    assert response.status_code == 400
    body = response.content.decode()
    assert (
        '<ul class="errorlist" id="id_to_error"><li>This is before the start: choose May 1, '
        "2024 or after.</li></ul>"
    ) in body
    assert "At a glance" not in body


def test_summary_sends_visitors_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_summary_refuses_members(member_client, first_half_2024):
    response = member_client.get(URL, FIRST_HALF_2024)

    assert response.status_code == 403
    words = text(response.content.decode())
    assert "This page isn't open to you" in words
    assert "this part of the portal is for organizers" in words
    assert "Attendance summary" not in words
    assert "People reached" not in words


@pytest.mark.parametrize("count", [1, 60])
def test_summary_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, bulk_sessions, count
):
    bulk_sessions(count)

    # Session cookie, user, organizer role, the Organize menu's reports badge; sessions
    # added up, the estimated ones by name, first visits, months.
    with django_assert_max_num_queries(8):
        response = organizer_client.get(URL, {"from": "2023-01", "to": "2024-12"})

    report = response.context["report"]
    assert report.session_count == count
    assert report.quarters[0].begins.isoformat() == "2023-01-01"
