"""Reads for the public session pages: grouping by month and the month grid.

Everything here works on sessions already fetched (one query, venue joined), so
building a page costs the same number of queries however many sessions it shows.
"""

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta

from sessions_app.models import Session, SessionQuerySet
from sessions_app.models.session import local_zone

# Months the calendar can show; beyond them its pages answer 404.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# US calendars start their weeks on Sunday.
WEEK = calendar.Calendar(firstweekday=calendar.SUNDAY)


def in_calendar_range(year: int, month: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


@dataclass(frozen=True)
class MonthGroup:
    month: date  # the first of the month
    sessions: list[Session]


def group_by_month(sessions: Iterable[Session]) -> list[MonthGroup]:
    """Consecutive sessions grouped by their local month, keeping the given order."""
    groups: list[MonthGroup] = []
    for session in sessions:
        month = session.local_starts_at.date().replace(day=1)
        if not groups or groups[-1].month != month:
            groups.append(MonthGroup(month=month, sessions=[]))
        groups[-1].sessions.append(session)
    return groups


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Local midnight on the first of the month and of the next month, as aware datetimes.

    Local, not UTC: a session at 11:30 PM on January 31 in Cleveland is already
    February in UTC, yet belongs to January.
    """
    first = datetime(year, month, 1, tzinfo=local_zone())
    return first, first + relativedelta(months=1)


def sessions_in_month(year: int, month: int, filters: dict[str, str]) -> SessionQuerySet:
    """Published and cancelled sessions starting in that local month, in order."""
    start, end = month_bounds(year, month)
    return (
        Session.objects.public()
        .starting_between(start, end)
        .matching(**filters)
        .for_listing()
        .order_by("starts_at", "id")
    )


@dataclass
class CalendarDay:
    date: date
    in_month: bool
    is_today: bool
    sessions: list[Session] = field(default_factory=list)


@dataclass
class MonthGrid:
    first: date
    weeks: list[list[CalendarDay]]
    previous: date | None
    next: date | None

    @property
    def session_count(self) -> int:
        return sum(len(day.sessions) for week in self.weeks for day in week)


def month_grid(year: int, month: int, sessions: Iterable[Session], *, today: date) -> MonthGrid:
    """Weeks of days, Sunday first, each day holding the sessions that start on it locally."""
    by_day: dict[date, list[Session]] = {}
    for session in sessions:
        by_day.setdefault(session.local_starts_at.date(), []).append(session)
    weeks = [
        [
            CalendarDay(
                date=day,
                in_month=day.month == month,
                is_today=day == today,
                sessions=by_day.get(day, []) if day.month == month else [],
            )
            for day in week
        ]
        for week in WEEK.monthdatescalendar(year, month)
    ]
    first = date(year, month, 1)
    previous = first - relativedelta(months=1)
    following = first + relativedelta(months=1)
    return MonthGrid(
        first=first,
        weeks=weeks,
        previous=previous if in_calendar_range(previous.year, previous.month) else None,
        next=following if in_calendar_range(following.year, following.month) else None,
    )
