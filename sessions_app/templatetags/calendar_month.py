"""{% calendar_weeks grid.weeks %}: the rows of the calendar's month table, written in
Python.

A month at scale 10 holds ~85 sessions, and the table written by the template engine
cost ~0.3 ms a session (the headline include, the URL, two date filters, the badges,
the cancellation reason) and ~0.1 ms a day: most of building the month afresh. Written
here, the same markup, byte for byte, with the template's indentation, costs a few µs a
session: the words are translated once a table, the headline written as
sessions_app/_headline.html writes it, the badges by {% session_badges %}, dates by
cop_portal.lib.dates.date_as. tests/sessions_app/test_calendar_month.py pins the markup
against the template it replaced.
"""

from collections.abc import Callable, Iterable
from datetime import date, datetime
from html import escape

from django import template
from django.conf import settings
from django.template.defaultfilters import truncatewords
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cop_portal.lib.dates import date_as
from cop_portal.lib.translated import Translated
from sessions_app.models import Session
from sessions_app.selectors import CalendarDay
from sessions_app.templatetags.session_badges import session_badges

register = template.Library()

# The template's indentation, which the response keeps (pages are compared whole).
_DAY = "\n          "
_CELL = "\n            "
_IN_CELL = "\n              "
_LIST = "\n                "
_ITEM = "\n                  "
_ROW = "\n                    "
_IN_ROW = "\n                      "


def _headline_writer(language: str) -> Callable[[Session], str]:
    """Writes a session's headline as sessions_app/_headline.html does (HTML, not text):
    its topic, else a series' headline, else its title, in `language` or marked as the
    other language's (cop_portal.lib.translated, the `translated` filter)."""
    wanted = translation.get_supported_language_variant(language)
    order = [wanted] + [code for code, _name in settings.LANGUAGES if code != wanted]
    notes: dict[str, str] = {}

    def translated(session: Session, field: str) -> str:
        for code in order:
            text = getattr(session, f"{field}_{code}", None)
            if text:
                if code == wanted:
                    return escape(text)
                if code not in notes:
                    notes[code] = escape(Translated(text="", language=code, fallback=True).note)
                return (
                    f'<span lang="{escape(code)}">{escape(text)}</span>'
                    f' <span class="translation-note">{notes[code]}</span>'
                )
        return ""

    def write(session: Session) -> str:
        if session.topic:
            return translated(session, "topic")
        if session.series_id:
            return escape(session.headline)
        return translated(session, "title")

    return write


def _iso(moment: datetime) -> str:
    """The iso filter: local time, whole seconds and the offset."""
    return timezone.localtime(moment).isoformat(timespec="seconds")


def _sessions(sessions: Iterable[Session], headline: Callable[[Session], str]) -> str:
    """A day's sessions: the <li> of each, as the template's loop over them wrote it."""
    out = []
    for session in sessions:
        cancelled = session.is_cancelled
        reason = session.cancellation_reason if cancelled else ""
        if reason:
            reason = f'<p class="calendar__reason">{escape(truncatewords(reason, 12))}</p>'
        out.append(
            f'{_ROW}<li class="calendar__session'
            f'{" calendar__session--cancelled" if cancelled else ""}">'
            f'{_IN_ROW}<a href="{escape(session.get_absolute_url())}">{headline(session)}</a>'
            f'{_IN_ROW}<time class="calendar__time" datetime="{_iso(session.starts_at)}">'
            f"{escape(date_as(session.starts_at, 'CLOCK_ZONE'))}</time>"
            f"{_IN_ROW}{session_badges(session, with_status=True)}"
            f"{_IN_ROW}{reason}{_ROW}</li>{_ITEM}"
        )
    return "".join(out)


_TODAY_ATTRIBUTE = ' aria-current="date"'
_OUTSIDE = f'{_DAY}{_CELL}<td class="calendar__day calendar__day--outside"></td>{_DAY}\n        '


def _day(day: CalendarDay, today_word: str, headline: Callable[[Session], str]) -> str:
    """One day of the month, or an empty cell for a day of the months around it."""
    if not day.in_month:
        return _OUTSIDE
    when: date = day.date
    before = escape(date_as(when, "CALENDAR_BEFORE_DAY"))
    after = escape(date_as(when, "CALENDAR_AFTER_DAY"))
    after = f'<span class="calendar__long">{after}</span>' if after else ""
    today = f'<span class="calendar__today">{today_word}</span>' if day.is_today else ""
    cell = [
        f'{_DAY}{_CELL}<td class="calendar__day'
        f"{' calendar__day--today' if day.is_today else ''}"
        f'{"" if day.sessions else " calendar__day--empty"}"'
        f"{_TODAY_ATTRIBUTE if day.is_today else ''}>"
        f'{_IN_CELL}<time class="calendar__date" datetime="{when.isoformat()}">'
        f'<span class="calendar__long">{before}</span>{when.day}{after}</time>'
        f"{_IN_CELL}{today}{_IN_CELL}"
    ]
    if day.sessions:
        cell.append(
            f'{_LIST}<ul class="calendar__sessions">{_ITEM}'
            f"{_sessions(day.sessions, headline)}"
            f"{_LIST}</ul>{_IN_CELL}"
        )
    cell.append(f"{_CELL}</td>{_DAY}\n        ")
    return "".join(cell)


@register.simple_tag
def calendar_weeks(weeks: Iterable[Iterable[CalendarDay]]) -> SafeString:
    """The <tr> rows of the month (selectors.month_grid's weeks), as the template's
    loop over weeks and days wrote them."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    headline = _headline_writer(language)
    today_word = escape(_("Today"))
    out = []
    for week in weeks:
        days = "".join(_day(day, today_word, headline) for day in week)
        out.append(f"\n      <tr>\n        {days}\n      </tr>\n    ")
    return mark_safe("".join(out))  # noqa: S308 -- every value above is escaped
