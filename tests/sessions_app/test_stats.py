"""The statistics page: attendance by slot, month by month, and its SVG charts."""

from datetime import datetime, timedelta

import pytest
from django.urls import reverse

from sessions_app import stats
from sessions_app.charts import Series, bar_chart, nice_step
from sessions_app.models import (
    AttendanceMode,
    AttendAs,
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


def rsvp(session, *, user=None, name="", email="", **fields) -> Rsvp:
    values = {
        "attend_as": AttendAs.IN_PERSON,
        "status": RsvpStatus.GOING,
        "queued_at": session.starts_at - timedelta(days=3),
        **fields,
    }
    return Rsvp.objects.create(session=session, user=user, name=name, email=email, **values)


@pytest.fixture
def two_months(db) -> dict[str, Session]:
    """January: an evening brief session with check-ins. February: a daytime in-depth one
    where nobody was checked in. Dana (member) and Gale (guest) come back in February."""
    venue = make_venue()
    january = make_session(
        title="January evening",
        venue=venue,
        # 8 PM on January 31 in Cleveland is already February 1 in UTC.
        starts_at=local(2024, 1, 31, 20),
        time_of_day=TimeOfDay.EVENING,
        format=ConversationFormat.BRIEF,
    )
    february = make_session(
        title="February daytime",
        venue=venue,
        starts_at=local(2024, 2, 21, 11, 30),
        ends_at=local(2024, 2, 21, 13, 30),
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.IN_DEPTH,
    )
    dana = make_user(display_name="Dana")
    checked_in = local(2024, 1, 31, 19, 55)
    rsvp(january, user=dana, checked_in_at=checked_in)
    rsvp(
        january,
        name="Gale",
        email="gale@example.org",
        attend_as=AttendAs.ONLINE,
        checked_in_at=checked_in,
    )
    rsvp(january, name="Nora", email="nora@example.org")  # said yes, never came
    WalkIn.objects.create(session=january, count=2)

    rsvp(february, user=dana)
    rsvp(february, name="Gale", email="GALE@example.org", attend_as=AttendAs.ONLINE)
    rsvp(february, name="Pat", email="pat@example.org")
    rsvp(february, name="Nora", email="nora@example.org")
    rsvp(february, name="Wes", email="wes@example.org", status=RsvpStatus.WAITLISTED)
    rsvp(february, name="Cal", email="cal@example.org", status=RsvpStatus.CANCELLED)
    WalkIn.objects.create(session=february, name="Selma", count=1, self_check_in=True)

    # Not counted: a draft, a cancelled session, one still to come.
    for status, starts_at in [
        (SessionStatus.DRAFT, local(2024, 2, 1, 18)),
        (SessionStatus.CANCELLED, local(2024, 2, 7, 18)),
        (SessionStatus.PUBLISHED, datetime.now(tz=CLEVELAND) + timedelta(days=3)),
    ]:
        ignored = make_session(venue=venue, status=status, starts_at=starts_at)
        rsvp(ignored, user=dana, checked_in_at=starts_at)
        WalkIn.objects.create(session=ignored, count=9)
    return {"january": january, "february": february}


NUMBERS = [
    "total",
    "evening",
    "daytime",
    "brief",
    "in_depth",
    "in_person",
    "online",
    "new_people",
    "returning_people",
    "walk_ins",
]


def test_monthly_attendance_counts_slots_people_and_walk_ins(two_months):
    months = stats.monthly_attendance()

    assert [m.month.isoformat() for m in months] == ["2024-01-01", "2024-02-01"]
    january, february = months
    assert {n: getattr(january, n) for n in NUMBERS} == {
        "total": 4,  # Dana and Gale checked in, 2 walk-ins; Nora stayed home
        "evening": 4,
        "daytime": 0,
        "brief": 4,
        "in_depth": 0,
        "in_person": 3,
        "online": 1,
        "new_people": 2,
        "returning_people": 0,
        "walk_ins": 2,
    }
    assert {n: getattr(february, n) for n in NUMBERS} == {
        "total": 5,  # nobody checked in: Dana, Gale, Pat and Nora going, 1 walk-in
        "evening": 0,
        "daytime": 5,
        "brief": 0,
        "in_depth": 5,
        "in_person": 4,
        "online": 1,
        "new_people": 2,  # Pat, and Nora, who didn't come in January
        "returning_people": 2,  # Dana, and Gale with her email in capitals
        "walk_ins": 1,
    }
    assert [s.title for s in january.estimated_sessions] == []
    assert [s.title for s in february.estimated_sessions] == ["February daytime"]


def test_returning_people_count_sessions_before_the_months_shown(two_months, monkeypatch):
    monkeypatch.setattr(stats, "MONTHS_SHOWN", 1)

    months = stats.monthly_attendance()

    assert [m.month.isoformat() for m in months] == ["2024-02-01"]
    assert (months[0].new_people, months[0].returning_people) == (2, 2)


def test_statistics_page_shows_charts_tables_and_the_note(organizer_client, two_months):
    response = organizer_client.get(URL)

    assert response.status_code == 200
    body = response.content.decode()
    assert body.count('<svg class="chart" viewBox=') == 4
    assert 'role="img" aria-labelledby="chart-time-of-day-title chart-time-of-day-desc"' in body
    assert '<title id="chart-time-of-day-title">Evening or daytime</title>' in body
    assert "<title>Feb 2024, Daytime: 5</title>" in body
    assert "<title>Jan 2024, Walk-ins: 2</title>" in body
    assert "style=" not in body
    assert "<script" not in body.split("<main")[1]
    assert "Nobody was checked in at 1 session" in body
    assert "Keeping volunteers after the first meeting (February daytime), Feb 21, 2024" in body
    first_table = response.context["charts"][0].rows
    assert [(m.month.isoformat(), values) for m, values in first_table] == [
        ("2024-01-01", [("Evening", 4), ("Daytime", 0)]),
        ("2024-02-01", [("Evening", 0), ("Daytime", 5)]),
    ]
    assert '<td data-label="Daytime">5</td>' in body
    assert 'aria-current="page">Statistics</a>' in body


def test_statistics_page_without_sessions_says_so(organizer_client):
    response = organizer_client.get(URL)

    assert response.status_code == 200
    assert "No sessions have taken place yet." in response.content.decode()


def test_statistics_page_sends_visitors_to_log_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert response.url == f"{reverse('account_login')}?next={URL}"


def test_statistics_page_refuses_members(member_client):
    assert member_client.get(URL).status_code == 403


@pytest.mark.parametrize("count", [1, 50])
def test_statistics_query_count_does_not_grow(
    organizer_client, django_assert_max_num_queries, count
):
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
    WalkIn.objects.bulk_create(WalkIn(session=session, count=2) for session in sessions)

    # Session cookie, user, organizer role; months, sessions, first visits.
    with django_assert_max_num_queries(6):
        response = organizer_client.get(URL)

    months = response.context["months"]
    all_months = sorted({s.starts_at.astimezone(CLEVELAND).date().replace(day=1) for s in sessions})
    assert [m.month for m in months] == all_months[-12:]
    # Each session: one RSVP (checked in, or going where nobody was) and two walk-ins.
    assert [m.total for m in months] == [3 * len(m.sessions) for m in months]
    assert response.content.decode().count('<svg class="chart"') == 4


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
        '<svg class="chart" viewBox="0 0 360 280" width="360" height="280" role="img"'
    )
    assert '<title id="c-title">&lt;b&gt;Title&lt;/b&gt;</title>' in svg
    assert '<desc id="c-desc">A &amp; B</desc>' in svg
    assert "<title>Jan 2026, &lt;i&gt;One&lt;/i&gt;: 3</title>" in svg
    assert "<title>Feb 2026, Two: 2</title>" in svg
    assert "<title>Feb 2026, &lt;i&gt;One&lt;/i&gt;: 0</title>" not in svg  # no empty bars
    assert "style" not in svg
