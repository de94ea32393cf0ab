"""The statistics page: numbers at a glance, charts by month and slot, the date range,
and the one rule for who came (the door's record, else the RSVPs going)."""

import re
from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from sessions_app.charts import Series, bar_chart, nice_step
from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    ConversationFormat,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    TimeOfDay,
    WalkIn,
)
from tests.clock import CLEVELAND, local
from tests.factories import make_session, make_user, make_venue

pytestmark = pytest.mark.django_db

URL = reverse("sessions:statistics")
FIRST_HALF_2024 = {"from": "2024-01", "to": "2024-06"}

EVENING_BRIEF = {"time_of_day": TimeOfDay.EVENING, "format": ConversationFormat.BRIEF}
DAYTIME_IN_DEPTH = {"time_of_day": TimeOfDay.DAYTIME, "format": ConversationFormat.IN_DEPTH}


def rsvp(session, *, user=None, name="", email="", **fields) -> Rsvp:
    values = {
        "attend_as": AttendAs.IN_PERSON,
        "status": RsvpStatus.GOING,
        "queued_at": session.starts_at - timedelta(days=3),
        **fields,
    }
    if values.get("checked_in_at") and "checked_in_by" not in values:
        values["checked_in_by"] = CheckInBy.DOOR
    return Rsvp.objects.create(session=session, user=user, name=name, email=email, **values)


def held(title: str, starts_at: datetime, slot: dict, **fields) -> Session:
    return make_session(title=title, topic="", starts_at=starts_at, **slot, **fields)


@pytest.fixture
def first_half_2024(db) -> dict[str, Session]:
    """Four sessions from January to April 2024, and one in December 2023 before them.

    - December: Dana (member) checked in, her first session.
    - January, evening brief: Dana checked in at the door, Gale (guest, online) by
      herself; Nora said yes and stayed home; 2 walk-ins. 4 came.
    - February, daytime in depth: no door record at all, so the 4 going stand in (Dana,
      Gale with her address in capitals, Pat, Nora); Wes waited, Cal cancelled.
    - March, evening brief: Pat and Quinn checked themselves in with the QR code, Rhea
      going never came. 2 came: the door recorded them, so it is no estimate.
    - April, daytime in depth: only Selma, a walk-in who checked herself in, while 3 said
      they'd come. The door recorded someone: 1 came.
    """
    dana = make_user(display_name="Dana")
    december = held("December", local(2023, 12, 20, 18), EVENING_BRIEF)
    rsvp(december, user=dana, checked_in_at=december.starts_at)

    january = held("January", local(2024, 1, 31, 20), EVENING_BRIEF)  # Feb 1 in UTC
    rsvp(january, user=dana, checked_in_at=january.starts_at)
    rsvp(
        january,
        name="Gale",
        email="gale@example.org",
        attend_as=AttendAs.ONLINE,
        checked_in_at=january.starts_at,
        checked_in_by=CheckInBy.SELF,
    )
    rsvp(january, name="Nora", email="nora@example.org")
    WalkIn.objects.create(session=january, count=2)

    february = held("February", local(2024, 2, 21, 11, 30), DAYTIME_IN_DEPTH)
    rsvp(february, user=dana)
    rsvp(february, name="Gale", email="GALE@example.org", attend_as=AttendAs.ONLINE)
    rsvp(february, name="Pat", email="pat@example.org")
    rsvp(february, name="Nora", email="nora@example.org")
    rsvp(february, name="Wes", email="wes@example.org", status=RsvpStatus.WAITLISTED)
    rsvp(february, name="Cal", email="cal@example.org", status=RsvpStatus.CANCELLED)

    march = held("March", local(2024, 3, 20, 18), EVENING_BRIEF)
    for name in ("Pat", "Quinn"):
        rsvp(
            march,
            name=name,
            email=f"{name.lower()}@example.org",
            checked_in_at=march.starts_at,
            checked_in_by=CheckInBy.SELF,
        )
    rsvp(march, name="Rhea", email="rhea@example.org")

    april = held("April", local(2024, 4, 17, 11, 30), DAYTIME_IN_DEPTH)
    for name in ("Ada", "Bo", "Cy"):
        rsvp(april, name=name, email=f"{name.lower()}@example.org")
    WalkIn.objects.create(session=april, name="Selma", count=1, self_check_in=True)

    # Not counted: a draft, a cancelled session, one still to come.
    for status, starts_at in [
        (SessionStatus.DRAFT, local(2024, 2, 1, 18)),
        (SessionStatus.CANCELLED, local(2024, 2, 7, 18)),
        (SessionStatus.PUBLISHED, datetime.now(tz=CLEVELAND) + timedelta(days=3)),
    ]:
        ignored = make_session(status=status, starts_at=starts_at)
        rsvp(ignored, user=dana, checked_in_at=starts_at)
        WalkIn.objects.create(session=ignored, count=9)
    return {"january": january, "february": february, "march": march, "april": april}


def text(html: str) -> str:
    """The page's words without tags, spaces squeezed."""
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


def headline(body: str, label: str) -> str:
    """A card of the numbers at a glance, as words: "People reached 8 1 member and…"."""
    cards = re.findall(r'<div class="headline__item">(.*?)</div>', body, re.S)
    return next(text(card) for card in cards if f"<dt>{label}</dt>" in card)


# Numbers at a glance ---------------------------------------------------------------


def test_headline_numbers_for_a_known_range(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    assert response.status_code == 200
    body = response.content.decode()
    assert "Who came, and to which slot: January 2024 to June 2024, in Cleveland time." in text(
        body
    )
    assert headline(body, "Sessions held") == (
        "Sessions held 4 3 counted at the door, 1 estimated from RSVPs"
    )
    # Dana, Gale, Pat, Nora and Quinn, once each, and 3 walk-ins.
    assert headline(body, "People reached") == (
        "People reached 8 1 member and 4 guests (each once), 3 walk-ins (at each visit)"
    )
    assert headline(body, "New people") == (
        "New people 4 Their first session ever was in this range"
    )
    assert headline(body, "Returning people") == (
        "Returning people 1 20% of people with an RSVP had come before January 1, 2024"
    )
    assert headline(body, "Evening · brief") == "Evening · brief 3 6 people at 2 sessions"
    assert headline(body, "Daytime · in depth") == "Daytime · in depth 2.5 5 people at 2 sessions"


def test_qr_self_check_ins_count_as_the_door_and_the_session_page_agrees(
    organizer_client, first_half_2024
):
    """Two QR self check-ins and no check-in at the door: counted, not estimated."""
    march = first_half_2024["march"]

    stats_page = organizer_client.get(URL, {"from": "2024-03", "to": "2024-03"})
    session_page = organizer_client.get(march.get_absolute_url())

    report = stats_page.context["report"]
    assert [(s.title, s.total, s.estimated) for s in report.sessions] == [("March", 2, False)]
    body = stats_page.content.decode()
    assert "recorded nobody at" not in body
    assert headline(body, "Sessions held") == "Sessions held 1 1 counted at the door"
    turnout = session_page.context["turnout"]
    assert (turnout.counted, turnout.came) == (True, 2)
    assert "2 people came" in text(session_page.content.decode())


def test_a_self_checked_in_walk_in_alone_is_a_door_record(organizer_client, first_half_2024):
    april = first_half_2024["april"]

    report = organizer_client.get(URL, {"from": "2024-04", "to": "2024-04"}).context["report"]
    turnout = organizer_client.get(april.get_absolute_url()).context["turnout"]

    assert [(s.total, s.walk_ins, s.estimated) for s in report.sessions] == [(1, 1, False)]
    assert (turnout.counted, turnout.came) == (True, 1)


def test_only_a_session_without_any_door_record_is_estimated(organizer_client, first_half_2024):
    response = organizer_client.get(URL, FIRST_HALF_2024)

    report = response.context["report"]
    assert [(s.title, s.estimated) for s in report.sessions] == [
        ("January", False),
        ("February", True),
        ("March", False),
        ("April", False),
    ]
    body = text(response.content.decode())
    assert "The door recorded nobody at 1 session (no check-ins, no walk-ins)" in body
    assert "Which session February, Feb 21, 2024" in body


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
        ("April 2024", [("Evening · brief", 0), ("Daytime · in depth", 1)], 1),
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
        ("April 2024", [("In person", 0), ("Online", 0), ("Walk-ins", 1)], 1),
    ]
    # Dana came in December 2023, Gale in January, Pat in February: they return.
    assert [(p.name, values) for p, values, _total in people.rows] == [
        ("January 2024", [("New", 1), ("Returning", 1)]),
        ("February 2024", [("New", 2), ("Returning", 2)]),
        ("March 2024", [("New", 1), ("Returning", 1)]),
        ("April 2024", [("New", 0), ("Returning", 0)]),
    ]


def test_time_of_day_and_format_charts_apart_when_they_dont_pair(organizer_client, first_half_2024):
    noon = held("Brief at noon", local(2024, 3, 6, 12), DAYTIME_IN_DEPTH)
    noon.format = ConversationFormat.BRIEF
    noon.save()
    WalkIn.objects.create(session=noon, count=1)

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
    assert [total for _p, _values, total in charts[0].rows][-3:] == [1, 10, 1]


# The range --------------------------------------------------------------------------


def test_range_filters_every_number(organizer_client, first_half_2024):
    response = organizer_client.get(URL, {"from": "2024-03-01", "to": "2024-03-31"})

    report = response.context["report"]
    assert [s.title for s in report.sessions] == ["March"]
    assert (report.known_people, report.new_people, report.returning_people) == (2, 1, 1)
    assert response.context["form"]["start"].value() == "2024-03-01"
    body = response.content.decode()
    assert 'type="date" name="from" value="2024-03-01"' in body
    assert "Who came, and to which slot: March 2024, in Cleveland time." in text(body)


def test_default_range_is_the_last_twelve_months_with_sessions(organizer_client, first_half_2024):
    response = organizer_client.get(URL)

    report = response.context["report"]
    assert [s.title for s in report.sessions] == [
        "December",
        "January",
        "February",
        "March",
        "April",
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


def bulk_sessions(count: int) -> list[Session]:
    venue = make_venue()
    first = local(2023, 1, 10, 18)
    sessions = Session.objects.bulk_create(
        make_session(
            save=False,
            venue=venue,
            attendance_mode=AttendanceMode.HYBRID,
            starts_at=first + timedelta(days=9 * n),
            time_of_day=TimeOfDay.EVENING if n % 2 else TimeOfDay.DAYTIME,
        )
        for n in range(count)
    )
    members = [make_user(display_name=f"Member {n}") for n in range(3)]
    Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            name=f"Guest {n % 7}",
            email=f"guest{n % 7}@example.org",
            attend_as=AttendAs.IN_PERSON,
            status=RsvpStatus.GOING,
            queued_at=session.starts_at,
            checked_in_at=session.starts_at if n % 3 else None,
        )
        for n, session in enumerate(sessions)
    )
    Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            user=members[n % 3],
            attend_as=AttendAs.ONLINE,
            status=RsvpStatus.GOING,
            queued_at=session.starts_at,
        )
        for n, session in enumerate(sessions)
    )
    WalkIn.objects.bulk_create(
        WalkIn(session=session, count=2) for n, session in enumerate(sessions) if n % 5
    )
    return sessions


@pytest.mark.parametrize("count", [1, 60])
def test_statistics_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, count
):
    sessions = bulk_sessions(count)

    # Session cookie, user, organizer role, the Organize menu's reports badge; default
    # range, sessions, first visits, months.
    with django_assert_max_num_queries(8):
        response = organizer_client.get(URL)

    periods = response.context["report"].months
    all_months = sorted({s.starts_at.astimezone(CLEVELAND).date().replace(day=1) for s in sessions})
    assert [p.begins for p in periods] == all_months[-12:]
    assert response.content.decode().count('<svg class="chart"') >= 2


@pytest.mark.parametrize("count", [1, 60])
def test_statistics_query_count_with_a_range_does_not_grow(
    organizer_client, django_assert_max_num_queries, count
):
    bulk_sessions(count)

    with django_assert_max_num_queries(7):
        response = organizer_client.get(URL, {"from": "2023-01", "to": "2024-12"})

    assert len(response.context["report"].sessions) == count


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
