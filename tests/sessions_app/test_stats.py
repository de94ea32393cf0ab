"""The statistics page: numbers at a glance, charts by month and slot, the date range,
and the one rule for who came (each mode from the door when any of its RSVPs was checked
in, else from its RSVPs going; walk-ins added), which the funder summary and the session
page share. The data sets are in tests/sessions_app/conftest.py."""

import re
from datetime import datetime

import pytest
from django.urls import reverse

from sessions_app.charts import Series, bar_chart, nice_step
from sessions_app.models import (
    AttendAs,
    CheckInBy,
    ConversationFormat,
    Session,
    TimeOfDay,
    WalkIn,
)
from sessions_app.services.counts import counts_recount
from tests.clock import CLEVELAND, local
from tests.factories import make_rsvp, make_session
from tests.session_pages import without_icons
from tests.statistics_pages import FIRST_HALF_2024, headline, table_rows, text

pytestmark = pytest.mark.django_db

URL = reverse("sessions:statistics")
SUMMARY = reverse("sessions:statistics-summary")
MAY_2024 = {"from": "2024-05", "to": "2024-05"}


# Numbers at a glance ---------------------------------------------------------------


def test_headline_numbers_for_a_known_range(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Who came, and to which slot: January 2024 to June 2024, in Cleveland time." in text(
        body
    )
    assert headline(body, "Sessions held") == (
        "Sessions held 4 2 counted at the door, 2 estimated from RSVPs"
    )
    # Dana, Gale, Pat, Nora, Quinn, Ada, Bo and Cy, once each, and 3 walk-ins.
    assert headline(body, "People reached") == (
        "People reached 11 1 member and 7 guests (each once), 3 walk-ins (at each visit)"
    )
    assert headline(body, "New people") == (
        "New people 7 Their first session ever was in this range"
    )
    # 1 of 8 is 12.5%, rounded to even.
    assert headline(body, "Returning people") == (
        "Returning people 1 12% of people with an RSVP had come before January 1, 2024"
    )
    assert headline(body, "Evening · brief") == "Evening · brief 3 6 people at 2 sessions"
    assert headline(body, "Daytime · in depth") == "Daytime · in depth 4 8 people at 2 sessions"


# Who came: one rule for the statistics, the funder summary and the session page ------


def twenty_five_going() -> Session:
    """A hybrid evening in May 2024: 10 going in person and 15 online, nobody checked in."""
    session = make_session(title="May", topic="", starts_at=local(2024, 5, 15, 18))
    for n in range(10):
        make_rsvp(session, name=f"Room {n}")
    for n in range(15):
        make_rsvp(session, name=f"Screen {n}", attend_as=AttendAs.ONLINE)
    return session


def three_pages(client, session: Session) -> tuple[str, str, str]:
    """The statistics and the funder summary for May 2024, and the session's own
    "Who came" card, as words."""
    statistics = client.get(URL, MAY_2024).content.decode()
    summary = client.get(SUMMARY, MAY_2024).content.decode()
    page = client.get(session.get_absolute_url()).content.decode()
    card = re.search(r'<section class="panel session-state".*?</section>', page, re.S)[0]
    return statistics, summary, text(without_icons(card))


def estimated_list(body: str) -> list[str]:
    found = re.search(r'<ul class="estimated-list">(.*?)</ul>', body, re.S)
    return [text(item) for item in re.findall(r"<li>(.*?)</li>", found[1], re.S)] if found else []


def test_rsvps_stand_in_for_each_mode_when_the_door_recorded_nobody(organizer_client):
    session = twenty_five_going()

    statistics, summary, card = three_pages(organizer_client, session)

    assert headline(statistics, "Sessions held") == (
        "Sessions held 1 0 counted at the door, 1 estimated from RSVPs"
    )
    assert headline(statistics, "People reached") == (
        "People reached 25 0 members and 25 guests (each once)"
    )
    assert headline(statistics, "Evening · brief") == "Evening · brief 25 25 people at 1 session"
    expected = [
        "May, May 15, 2024: in person from 10 RSVPs; online from 15 RSVPs. "
        "The door recorded nobody."
    ]
    assert estimated_list(statistics) == expected
    assert table_rows(summary, "Sessions held by slot")[1:] == ["Evening · brief 1 10 15 25 25"]
    assert estimated_list(summary) == expected
    assert card == (
        "Who came 25 people came Estimated: in person from 10 RSVPs; online from 15 RSVPs. "
        "The door recorded nobody. See what's coming up"
    )


def test_one_qr_walk_in_adds_a_person_and_leaves_the_rsvps_standing(organizer_client):
    """A stranger scanning the code is one more person, not 25 fewer."""
    session = twenty_five_going()
    WalkIn.objects.create(session=session, count=1, self_check_in=True)
    counts_recount()  # written without the services

    statistics, summary, card = three_pages(organizer_client, session)

    assert headline(statistics, "Sessions held") == (
        "Sessions held 1 0 counted at the door, 1 estimated from RSVPs"
    )
    assert headline(statistics, "People reached") == (
        "People reached 26 0 members and 25 guests (each once), 1 walk-in (at each visit)"
    )
    assert headline(statistics, "Evening · brief") == "Evening · brief 26 26 people at 1 session"
    expected = [
        "May, May 15, 2024: in person from 10 RSVPs; online from 15 RSVPs. "
        "No RSVP was checked in; 1 person checked in with the QR code as a walk-in."
    ]
    assert estimated_list(statistics) == expected
    assert "nobody" not in text(statistics).lower()
    assert table_rows(summary, "Sessions held by slot")[1:] == ["Evening · brief 1 11 15 26 26"]
    assert (
        headline(summary, "Came in all") == "Came in all 26 11 in person, 15 online; 26 per session"
    )
    assert estimated_list(summary) == expected
    assert card == (
        "Who came 26 people came Estimated: in person from 10 RSVPs; online from 15 RSVPs. "
        "No RSVP was checked in; 1 person checked in with the QR code as a walk-in. "
        "See what's coming up"
    )


def test_checking_the_room_in_counts_the_room_and_keeps_online_rsvps(organizer_client):
    """Online is estimated apart: checking in the 10 in the room doesn't make online 0."""
    session = twenty_five_going()
    session.rsvps.filter(attend_as=AttendAs.IN_PERSON).update(
        checked_in_at=session.starts_at, checked_in_by=CheckInBy.DOOR
    )
    counts_recount()  # written without the services

    statistics, summary, card = three_pages(organizer_client, session)

    assert table_rows(summary, "Sessions held by slot")[1:] == ["Evening · brief 1 10 15 25 25"]
    assert headline(statistics, "People reached") == (
        "People reached 25 0 members and 25 guests (each once)"
    )
    assert headline(statistics, "Sessions held") == (
        "Sessions held 1 0 counted at the door, 1 estimated from RSVPs"
    )
    expected = ["May, May 15, 2024: online from 15 RSVPs. No online RSVP was checked in."]
    assert estimated_list(statistics) == estimated_list(summary) == expected
    assert card == (
        "Who came 25 people came Estimated: online from 15 RSVPs. "
        "No online RSVP was checked in. See what's coming up"
    )


def test_checking_both_modes_in_counts_the_session_at_the_door(organizer_client):
    session = twenty_five_going()
    room = list(session.rsvps.filter(attend_as=AttendAs.IN_PERSON)[:3])
    screen = session.rsvps.filter(attend_as=AttendAs.ONLINE).first()
    for rsvp in [*room, screen]:
        rsvp.checked_in_at, rsvp.checked_in_by = session.starts_at, CheckInBy.SELF
        rsvp.save()
    counts_recount()  # written without the services

    statistics, summary, card = three_pages(organizer_client, session)

    assert headline(statistics, "Sessions held") == "Sessions held 1 1 counted at the door"
    assert table_rows(summary, "Sessions held by slot")[1:] == ["Evening · brief 1 3 1 4 4"]
    assert estimated_list(statistics) == estimated_list(summary) == []
    assert card == (
        "Who came 4 people came Counted at the door: members and guests checked in, and "
        "walk-ins. See what's coming up"
    )


def test_qr_self_check_ins_count_as_the_door_and_the_session_page_agrees(
    organizer_client, first_half_2024
):
    """Two QR self check-ins and no check-in by an organizer: counted, not estimated."""
    march = first_half_2024["march"]

    stats_page = organizer_client.get(URL, {"from": "2024-03", "to": "2024-03"})
    session_page = organizer_client.get(march.get_absolute_url())

    report = stats_page.context["report"]
    assert (report.session_count, report.counted_sessions, report.attendance) == (1, 1, 2)
    assert report.estimated_sessions == []
    body = stats_page.content.decode()
    assert "estimated-list" not in body
    assert headline(body, "Sessions held") == "Sessions held 1 1 counted at the door"
    turnout = session_page.context["turnout"]
    assert (turnout.estimated, turnout.total) == (False, 2)
    assert "2 people came" in text(session_page.content.decode())


def test_a_qr_walk_in_alone_leaves_the_rsvps_standing(organizer_client, first_half_2024):
    april = first_half_2024["april"]

    report = organizer_client.get(URL, {"from": "2024-04", "to": "2024-04"}).context["report"]
    turnout = organizer_client.get(april.get_absolute_url()).context["turnout"]

    assert (report.session_count, report.counted_sessions, report.attendance) == (1, 0, 4)
    assert [(s.title, s.in_person, s.walk_ins, s.total) for s in report.estimated_sessions] == [
        ("April", 3, 1, 4)
    ]
    assert (turnout.estimated, turnout.total) == (True, 4)


def test_sessions_with_a_mode_nobody_checked_in_are_estimated(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    report = response.context["report"]
    assert (report.session_count, report.counted_sessions) == (4, 2)
    assert [s.title for s in report.estimated_sessions] == ["February", "April"]
    assert [p.estimated_count for p in report.months] == [0, 1, 0, 1]
    body = response.content.decode()
    assert "2 sessions are estimated from RSVPs, in part or in whole (marked * in the tables)" in (
        text(body)
    )
    assert estimated_list(body) == [
        "February, Feb 21, 2024: in person from 3 RSVPs; online from 1 RSVP. "
        "The door recorded nobody.",
        "April, Apr 17, 2024: in person from 3 RSVPs. "
        "No RSVP was checked in; 1 person checked in with the QR code as a walk-in.",
    ]


# Charts --------------------------------------------------------------------------


def test_one_slot_chart_when_time_of_day_and_format_always_pair(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    body = response.content.decode()
    charts = response.context["charts"]
    assert [c.id for c in charts] == ["attendance", "slot", "people"]
    assert body.count('<svg class="chart" viewBox=') == 3
    slot = charts[1]
    assert [s.label for s in slot.series] == ["Evening · brief", "Daytime · in depth"]
    assert [(p.name, values, total) for p, values, total in slot.rows] == [
        ("January 2024", [("Evening · brief", 4), ("Daytime · in depth", 0)], 4),
        ("February 2024", [("Evening · brief", 0), ("Daytime · in depth", 4)], 4),
        ("March 2024", [("Evening · brief", 2), ("Daytime · in depth", 0)], 2),
        ("April 2024", [("Evening · brief", 0), ("Daytime · in depth", 4)], 4),
    ]
    assert "<title>Feb 2024, Daytime · in depth: 4</title>" in body
    assert "<title>Jan 2024, Walk-ins: 2</title>" in body
    assert 'aria-labelledby="chart-slot-title chart-slot-desc"' in body
    assert "style=" not in body
    assert "<script" not in body.split("<main")[1]


def test_attendance_and_people_charts_by_month(organizer_client, first_half_2024):
    charts = organizer_client.get(URL, FIRST_HALF_2024).context["charts"]

    attendance, _slot, people = charts
    assert [(p.name, values, total) for p, values, total in attendance.rows] == [
        ("January 2024", [("In person", 1), ("Online", 1), ("Walk-ins", 2)], 4),
        ("February 2024", [("In person", 3), ("Online", 1), ("Walk-ins", 0)], 4),
        ("March 2024", [("In person", 2), ("Online", 0), ("Walk-ins", 0)], 2),
        ("April 2024", [("In person", 3), ("Online", 0), ("Walk-ins", 1)], 4),
    ]
    # Dana came in December 2023, Gale in January, Pat in February: they return.
    assert [(p.name, values) for p, values, _total in people.rows] == [
        ("January 2024", [("New", 1), ("Returning", 1)]),
        ("February 2024", [("New", 2), ("Returning", 2)]),
        ("March 2024", [("New", 1), ("Returning", 1)]),
        ("April 2024", [("New", 3), ("Returning", 0)]),
    ]


def test_time_of_day_and_format_charts_apart_when_they_dont_pair(organizer_client, first_half_2024):
    noon = make_session(
        title="Brief at noon",
        starts_at=local(2024, 3, 6, 12),
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.BRIEF,
    )
    WalkIn.objects.create(session=noon, count=1)
    counts_recount()  # written without the services

    response = organizer_client.get(URL, FIRST_HALF_2024)

    charts = response.context["charts"]
    assert [c.id for c in charts] == ["attendance", "time-of-day", "format", "people"]
    assert [s.label for s in charts[1].series] == ["Evening", "Daytime"]
    assert [s.label for s in charts[2].series] == ["Brief", "In depth"]
    assert [s.values for s in charts[1].series] != [s.values for s in charts[2].series]
    assert headline(response.content.decode(), "Daytime · brief") == (
        "Daytime · brief 1 1 person at 1 session"
    )


def test_no_slot_chart_when_every_session_had_the_same_slot(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2024-01", "to": "2024-01"})

    assert [c.id for c in response.context["charts"]] == ["attendance", "people"]
    assert "Every session in this range was evening · brief, so there is no chart by slot." in (
        text(response.content.decode())
    )


QUARTERS = [
    f"{first}\N{EN DASH}{last}"
    for first, last in [("Jan", "Mar"), ("Apr", "Jun"), ("Jul", "Sep"), ("Oct", "Dec")]
]


def test_long_ranges_are_charted_by_quarter(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2022-01", "to": "2024-12"})

    charts = response.context["charts"]
    assert [p.name for p, _values, _total in charts[0].rows] == [
        *(f"Q{q} {year} ({m})" for year in (2022, 2023) for q, m in enumerate(QUARTERS, 1)),
        "Q1 2024 (Jan\N{EN DASH}Mar)",
        "Q2 2024 (Apr\N{EN DASH}Jun)",
    ]
    assert [total for _p, _values, total in charts[0].rows][-3:] == [1, 10, 4]


# The range --------------------------------------------------------------------------


def test_range_filters_every_number(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2024-03-01", "to": "2024-03-31"})

    report = response.context["report"]
    assert [(p.name, p.session_count, p.total) for p in report.months] == [("March 2024", 1, 2)]
    assert (report.known_people, report.new_people, report.returning_people) == (2, 1, 1)
    assert response.context["form"]["start"].value() == "2024-03-01"
    body = response.content.decode()
    assert 'type="date" name="from" value="2024-03-01"' in body
    assert "Who came, and to which slot: March 2024, in Cleveland time." in text(body)


def test_default_range_is_the_last_twelve_months_with_sessions(organizer_client, first_half_2024):
    response = organizer_client.get(URL)

    report = response.context["report"]
    assert [(p.name, p.session_count) for p in report.months] == [
        ("December 2023", 1),
        ("January 2024", 1),
        ("February 2024", 1),
        ("March 2024", 1),
        ("April 2024", 1),
    ]
    assert report.range.first.isoformat() == "2023-12-01"
    body = response.content.decode()
    assert 'type="month" name="from" value="2023-12"' in body


def test_presets_link_to_their_ranges(organizer_client, first_half_2024):
    this_year = datetime.now(tz=CLEVELAND).year

    response = organizer_client.get(URL, {"from": f"{this_year}-01", "to": f"{this_year}-12"})

    body = response.content.decode()
    assert f'<a href="{URL}?from={this_year}-01&amp;to={this_year}-12" aria-current="true">' in (
        body
    )
    assert f'href="{URL}?from={this_year - 1}-01&amp;to={this_year - 1}-12">Last year</a>' in body
    assert "No sessions took place in this range." in body


@pytest.mark.parametrize(
    ("query", "field", "message"),
    [
        ({"from": "2024-13"}, "from", "Enter a month like 2026-03 or a date like 2026-03-15."),
        ({"from": "March"}, "from", "Enter a month like 2026-03 or a date like 2026-03-15."),
        ({"to": "2024-02-30"}, "to", "Enter a month like 2026-03 or a date like 2026-03-15."),
        ({"from": "1999-12"}, "from", "Choose a date between 2000 and 2100."),
        (
            {"from": "2024-05", "to": "2024-02"},
            "to",
            "This is before the start: choose May 1, 2024 or after.",
        ),
        (
            {"from": "2014-01", "to": "2024-06"},
            "from",
            "Choose at most 10 years: for this end, start on July 1, 2014 or later.",
        ),
        ({"from": "2099-01"}, "from", "That's after today"),
    ],
)
def test_bad_ranges_are_refused_next_to_the_field(organizer_client, query, field, message):
    response = organizer_client.get(URL, query)

    assert response.status_code == 400
    body = response.content.decode()
    error = re.search(rf'<ul class="errorlist" id="id_{field}_error">.*?</ul>', body, re.S)
    assert error is not None
    assert message.replace("'", "&#x27;") in error[0]
    assert response.context.get("report") is None


def test_ten_years_exactly_are_fine(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2014-07", "to": "2024-06"})

    assert response.status_code == 200
    assert response.context["report"].by_month is False


# Access and cost ----------------------------------------------------------------------


def test_statistics_page_without_sessions_says_so(organizer_client):
    response = organizer_client.get(URL)

    assert response.status_code == 200
    assert "No sessions have taken place yet." in response.content.decode()


def test_statistics_page_links_to_the_funder_summary_for_the_same_range(
    organizer_client, first_half_2024
):
    body = organizer_client.get(URL, FIRST_HALF_2024).content.decode()

    summary = reverse("sessions:statistics-summary")
    assert f'href="{summary}?from=2024-01&amp;to=2024-06">Funder summary</a>' in body
    assert 'aria-current="page">Statistics</a>' in body


def test_statistics_page_sends_visitors_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_statistics_page_refuses_members(member_client):
    assert member_client.get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 60])
def test_statistics_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, bulk_sessions, count
):
    sessions = bulk_sessions(count)

    # Session cookie, user, organizer role, the Organize menu's reports badge; default
    # range, sessions added up, the estimated ones by name, first visits, months.
    with django_assert_max_num_queries(9):
        response = organizer_client.get(URL)

    periods = response.context["report"].months
    all_months = sorted({s.starts_at.astimezone(CLEVELAND).date().replace(day=1) for s in sessions})
    assert [p.begins for p in periods] == all_months[-12:]
    assert response.content.decode().count('<svg class="chart"') >= 2


@pytest.mark.parametrize("count", [1, 60])
def test_statistics_query_count_with_a_range_does_not_grow(
    organizer_client, django_assert_max_num_queries, bulk_sessions, count
):
    bulk_sessions(count)

    with django_assert_max_num_queries(8):
        response = organizer_client.get(URL, {"from": "2023-01", "to": "2024-12"})

    assert response.context["report"].session_count == count


# The SVG drawing


@pytest.mark.parametrize(
    ("top", "step"), [(0, 1), (4, 1), (7, 2), (12, 5), (23, 5), (99, 20), (480, 100)]
)
def test_nice_step_gives_round_gridlines(top, step):
    assert nice_step(top) == step


def test_bar_chart_escapes_text_and_has_no_style_attributes():
    svg = bar_chart(
        chart_id="c",
        title="<b>Title</b>",
        description="A & B",
        categories=[("Jan", "2026"), ("Feb", "2026")],
        series=[Series("<i>One</i>", "series-1", [3, 0]), Series("Two", "series-2", [1, 2])],
        stacked=True,
    )

    assert svg.startswith(
        '<svg class="chart" viewBox="0 0 640 280" width="640" height="280" role="img"'
    )
    assert '<title id="c-title">&lt;b&gt;Title&lt;/b&gt;</title>' in svg
    assert '<desc id="c-desc">A &amp; B</desc>' in svg
    assert "<title>Jan 2026, &lt;i&gt;One&lt;/i&gt;: 3</title>" in svg
    assert "<title>Feb 2026, Two: 2</title>" in svg
    assert "<title>Feb 2026, &lt;i&gt;One&lt;/i&gt;: 0</title>" not in svg  # no empty bars
    assert "style" not in svg


def test_grouped_bar_chart_leaves_out_empty_bars():
    svg = bar_chart(
        chart_id="c",
        title="T",
        description="D",
        categories=[("Jan", "2026")],
        series=[Series("One", "series-1", [0]), Series("Two", "series-2", [5])],
    )

    assert "<title>Jan 2026, One: 0</title>" not in svg
    assert "<title>Jan 2026, Two: 5</title>" in svg
