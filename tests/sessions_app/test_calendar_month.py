"""The month table's rows, written in Python (templatetags/calendar_month): byte for byte
what the template's loop over weeks and days wrote, in both languages, for every kind of
session and day; and the calendar page built with them."""

import re
from datetime import date

import pytest
from django.template import engines
from django.utils import translation

from sessions_app.models import AttendanceMode, ConversationFormat, Session, TimeOfDay
from sessions_app.models.choices import SessionStatus
from sessions_app.selectors import month_grid, sessions_in_month
from sessions_app.templatetags.calendar_month import calendar_weeks
from tests.clock import local
from tests.factories import make_series, make_session, make_venue

pytestmark = pytest.mark.django_db

# The loop calendar.html had before {% calendar_weeks %}, as it was written there.
TEMPLATE_LOOP = """{% load session_badges %}    {% for week in grid.weeks %}
      <tr>
        {% for day in week %}
          {% if day.in_month %}
            <td class="calendar__day{% if day.is_today %} calendar__day--today{% endif %}{% if not day.sessions %} calendar__day--empty{% endif %}"{% if day.is_today %} aria-current="date"{% endif %}>
              <time class="calendar__date" datetime="{{ day.date|date:'Y-m-d' }}"><span class="calendar__long">{{ day.date|date_as:"CALENDAR_BEFORE_DAY" }}</span>{{ day.date|date:"j" }}{% with after=day.date|date_as:"CALENDAR_AFTER_DAY" %}{% if after %}<span class="calendar__long">{{ after }}</span>{% endif %}{% endwith %}</time>
              {% if day.is_today %}<span class="calendar__today">{% translate "Today" %}</span>{% endif %}
              {% if day.sessions %}
                <ul class="calendar__sessions">
                  {% for session in day.sessions %}
                    <li class="calendar__session{% if session.is_cancelled %} calendar__session--cancelled{% endif %}">
                      <a href="{{ session.get_absolute_url }}">{% include "sessions_app/_headline.html" %}</a>
                      <time class="calendar__time" datetime="{{ session.starts_at|iso }}">{{ session.starts_at|date_as:"CLOCK_ZONE" }}</time>
                      {% session_badges session with_status=True %}
                      {% if session.is_cancelled and session.cancellation_reason %}<p class="calendar__reason">{{ session.cancellation_reason|truncatewords:12 }}</p>{% endif %}
                    </li>
                  {% endfor %}
                </ul>
              {% endif %}
            </td>
          {% else %}
            <td class="calendar__day calendar__day--outside"></td>
          {% endif %}
        {% endfor %}
      </tr>
    {% endfor %}
"""  # noqa: E501 -- the template's own lines


@pytest.fixture
def month_of_every_kind(db) -> None:
    """March 2027 (it starts on a Monday; the clocks change on the 14th) with one session
    of every kind a cell shows."""
    venue = make_venue()
    make_session(topic='Plain <evening> & "quoted"', starts_at=local(2027, 3, 1, 18))
    make_session(
        topic="",
        title_en="",
        title_es="Sólo en español",
        starts_at=local(2027, 3, 1, 11, 30),
        time_of_day=TimeOfDay.DAYTIME,
        format=ConversationFormat.IN_DEPTH,
        attendance_mode=AttendanceMode.ONLINE,
    )
    make_session(
        topic="Only in English",
        starts_at=local(2027, 3, 14, 18),
        attendance_mode=AttendanceMode.IN_PERSON,
        venue=venue,
    )
    make_session(
        topic="Called off",
        status=SessionStatus.CANCELLED,
        cancellation_reason="The room <flooded> & " + "we could not find another one " * 3,
        starts_at=local(2027, 3, 17, 18),
    )
    make_session(
        topic="Called off quietly",
        status=SessionStatus.CANCELLED,
        cancellation_reason="",
        starts_at=local(2027, 3, 17, 11, 30),
    )
    # A series' session without a topic yet: its headline is "to be announced".
    make_session(series=make_series(), topic="", starts_at=local(2027, 3, 17, 12))
    make_session(topic="Last day, late", starts_at=local(2027, 3, 31, 23, 30))


def _both(today: date, language: str, filters: dict[str, str] | None = None) -> tuple[str, str]:
    with translation.override(language):
        sessions = list(sessions_in_month(2027, 3, filters or {}))
        grid = month_grid(2027, 3, sessions, today=today)
        expected = engines["django"].from_string(TEMPLATE_LOOP).render({"grid": grid})
        written = "    " + calendar_weeks(grid.weeks) + "\n"
    return written, expected


@pytest.mark.parametrize("language", ["en", "es"])
@pytest.mark.parametrize("today", [date(2027, 3, 17), date(2027, 3, 2), date(2027, 4, 1)])
def test_calendar_weeks_write_what_the_template_wrote(month_of_every_kind, language, today):
    written, expected = _both(today, language)

    assert written == expected
    assert (
        written.count('<li class="calendar__session')
        == Session.objects.public()
        .filter(starts_at__gte=local(2027, 3, 1), starts_at__lt=local(2027, 4, 1))
        .count()
    )


def test_calendar_weeks_write_what_the_template_wrote_with_filters(month_of_every_kind):
    written, expected = _both(date(2027, 3, 17), "en", {"format": ConversationFormat.IN_DEPTH})

    assert written == expected
    assert "Sólo en español" in written
    assert "Only in English" not in written


def test_calendar_weeks_of_an_empty_month(db):
    written, expected = _both(date(2027, 3, 5), "es")

    assert written == expected
    assert written.count("calendar__day--empty") == 31


def test_calendar_page_shows_the_month_of_every_kind(client, month_of_every_kind):
    body = client.get("/sessions/calendar/2027/3/").content.decode()

    assert "Plain &lt;evening&gt; &amp; &quot;quoted&quot;" in body
    assert '<span lang="es">Sólo en español</span> <span class="translation-note">' in body
    assert (
        '<p class="calendar__reason">The room &lt;flooded&gt; &amp; we could not find another'
        " one we could …</p>"
    ) in body
    assert body.count("calendar__session--cancelled") == 2


def test_calendar_page_in_spanish_marks_english_text(client, month_of_every_kind):
    body = client.get("/sessions/calendar/2027/3/", {"lang": "es"}).content.decode()

    assert (
        '<span lang="en">Only in English</span> <span class="translation-note">(en inglés)</span>'
        in body
    )


def test_calendar_weeks_place_sessions_on_their_local_days(month_of_every_kind):
    written, _expected = _both(date(2027, 3, 17), "en")

    last = written[written.index('datetime="2027-03-31"') :]
    assert "Last day, late" in last
    assert "11:30 PM EDT" in last


def _without_token(body: str) -> str:
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)


def _selected(body: str) -> list[str]:
    return re.findall(r'<option value="([^"]*)" selected>', body)


def test_calendar_kept_filter_fields_show_each_requests_choices(member_client):
    # The fields are kept per month, filters and language (calendar.html); a bad value
    # is shown with its error, never a kept copy.
    url = "/sessions/calendar/2027/3/"

    brief = member_client.get(url, {"format": "brief"}).content.decode()
    in_depth = member_client.get(url, {"format": "in-depth"}).content.decode()
    bad = member_client.get(url, {"format": "night"})
    plain = member_client.get(url).content.decode()
    again = member_client.get(url, {"format": "brief"}).content.decode()
    spanish = member_client.get(url, {"format": "brief", "lang": "es"}).content.decode()

    assert _selected(brief) == ["", "brief", ""]
    assert _selected(in_depth) == ["", "in-depth", ""]
    assert bad.status_code == 400
    assert 'aria-invalid="true"' in bad.content.decode()
    assert "“night” is not one of the choices." in bad.content.decode()
    assert _selected(plain) == ["", "", ""]
    assert 'value="2027-03"' in plain
    assert _without_token(again) == _without_token(brief)
    assert _selected(spanish) == ["", "brief", ""]
    assert "Formato" in spanish
