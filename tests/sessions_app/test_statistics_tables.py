"""The numbers under each chart of the statistics page, as a table: a row per month (or
quarter) with each series, the total, and a mark on a period with an estimated session."""

import re

from django.urls import reverse

from tests.statistics_pages import FIRST_HALF_2024, text

URL = reverse("sessions:statistics")


def _chart_table(body: str, caption: str) -> list[str]:
    table = re.search(rf"<caption>{caption}: the numbers</caption>(.*?)</table>", body, re.S)[1]
    return [text(row) for row in re.findall(r"<tr>(.*?)</tr>", table, re.S)]


def test_each_chart_lists_its_numbers_by_month(organizer_client, first_half_2024):
    body = organizer_client.get(URL, FIRST_HALF_2024).content.decode()

    # February and April: RSVPs going stand in for who came (marked *).
    assert _chart_table(body, "People who came") == [
        "Month In person Online Walk-ins Total",
        "January 2024 1 1 2 4",
        "February 2024 * 3 1 0 4",
        "March 2024 2 0 0 2",
        "April 2024 * 3 0 1 4",
    ]
    assert _chart_table(body, "New and returning people") == [
        "Month New Returning Different people",
        "January 2024 1 1 2",
        "February 2024 * 2 2 4",
        "March 2024 1 1 2",
        "April 2024 * 3 0 3",
    ]
    assert (
        '<th scope="row" data-label="Month">February 2024 <a href="#estimated-note" '
        'title="Uses going RSVPs for a session with no door record">*</a></th>'
    ) in body


def test_long_ranges_list_their_numbers_by_quarter(organizer_client, first_half_2024):
    body = organizer_client.get(URL, {"from": "2022-01", "to": "2024-12"}).content.decode()

    assert _chart_table(body, "People who came")[0] == "Quarter In person Online Walk-ins Total"
    assert _chart_table(body, "People who came")[-2:] == [
        "Q1 2024 (Jan\N{EN DASH}Mar) * 6 2 2 10",
        "Q2 2024 (Apr\N{EN DASH}Jun) * 3 0 1 4",
    ]
