"""VTIMEZONE blocks in the yearly-rule form every calendar app reads the same way.

icalendar's own `Timezone.from_tzinfo` lists each change as an RDATE and dates the
spring change at the new wall-clock time (03:00) instead of the old one (02:00),
which RFC 5545 §3.6.5 asks for. Outlook and Thunderbird are known to misread such
machine-made blocks. Here the rules are read off the tz database: each change of a
year becomes `RRULE:FREQ=YEARLY;BYMONTH=m;BYDAY=nSU` with its onset in the old
local time, and the rules are checked against every year the events span. A zone
whose changes follow no yearly rule over those years gets its changes listed as RDATEs
(still dated in the old wall-clock time).
"""

import calendar as month_calendar
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

from icalendar import Timezone, TimezoneDaylight, TimezoneStandard, vRecur

WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")


@dataclass(frozen=True)
class Change:
    """One change of offset: when (local time before it) and from what to what."""

    onset: datetime  # naive, wall-clock time in the old offset
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool


@dataclass(frozen=True)
class YearlyRule:
    month: int
    weekday: int  # Monday is 0
    nth: int  # 1 to 4, or -1 for the last such weekday of the month
    time: tuple[int, int, int]
    offset_from: timedelta
    offset_to: timedelta
    name: str
    is_dst: bool

    @classmethod
    def of(cls, change: Change) -> "YearlyRule":
        onset = change.onset
        days_in_month = month_calendar.monthrange(onset.year, onset.month)[1]
        nth = -1 if onset.day + 7 > days_in_month else (onset.day - 1) // 7 + 1
        return cls(
            month=onset.month,
            weekday=onset.weekday(),
            nth=nth,
            time=(onset.hour, onset.minute, onset.second),
            offset_from=change.offset_from,
            offset_to=change.offset_to,
            name=change.name,
            is_dst=change.is_dst,
        )


def _offset(zone: ZoneInfo, instant: datetime) -> timedelta:
    return instant.astimezone(zone).utcoffset() or timedelta()


def _change_at(zone: ZoneInfo, before: datetime, after: datetime) -> Change:
    """Narrow an offset change between two UTC instants down to the second."""
    old = _offset(zone, before)
    while after - before > timedelta(seconds=1):
        middle = before + (after - before) / 2
        if _offset(zone, middle) == old:
            before = middle
        else:
            after = middle
    after = after.replace(microsecond=0)
    local_after = after.astimezone(zone)
    return Change(
        onset=(after + old).replace(tzinfo=None),
        offset_from=old,
        offset_to=local_after.utcoffset() or timedelta(),
        name=local_after.tzname() or "",
        is_dst=bool(local_after.dst()),
    )


@lru_cache(maxsize=256)
def changes_in_year(tzid: str, year: int) -> tuple[Change, ...]:
    """The zone's changes of offset during a calendar year, in order."""
    zone = ZoneInfo(tzid)
    step = timedelta(days=1)
    instant = datetime(year, 1, 1, tzinfo=UTC) - step
    end = datetime(year + 1, 1, 1, tzinfo=UTC) + step
    changes = []
    offset = _offset(zone, instant)
    while instant < end:
        following = instant + step
        if _offset(zone, following) != offset:
            change = _change_at(zone, instant, following)
            if change.onset.year == year:
                changes.append(change)
            offset = change.offset_to
        instant = following
    return tuple(changes)


def yearly_rules(tzid: str, first_year: int, last_year: int) -> tuple[YearlyRule, ...] | None:
    """The yearly rules that give every change from first_year to last_year, or None
    when the years disagree (a zone changed its rules in between)."""
    rules = {YearlyRule.of(change) for change in changes_in_year(tzid, first_year)}
    for year in range(first_year + 1, last_year + 1):
        if {YearlyRule.of(change) for change in changes_in_year(tzid, year)} != rules:
            return None
    return tuple(sorted(rules, key=lambda rule: rule.month))


def _component(rule: YearlyRule, onset: datetime) -> TimezoneStandard | TimezoneDaylight:
    component = TimezoneDaylight() if rule.is_dst else TimezoneStandard()
    component.add("TZOFFSETFROM", rule.offset_from)
    component.add("TZOFFSETTO", rule.offset_to)
    component.add("TZNAME", rule.name)
    component.add("DTSTART", onset)
    byday = f"{rule.nth}{WEEKDAYS[rule.weekday]}"
    component.add("RRULE", vRecur(freq="YEARLY", bymonth=rule.month, byday=byday))
    return component


def _add_listed_changes(timezone: Timezone, tzid: str, first_year: int, last_year: int) -> None:
    """For years without one yearly rule: each kind of change once, with its first onset
    as DTSTART and every onset as an RDATE, all in the old wall-clock time."""
    onsets: dict[tuple[timedelta, timedelta, str, bool], list[datetime]] = {}
    for year in range(first_year, last_year + 1):
        for change in changes_in_year(tzid, year):
            kind = (change.offset_from, change.offset_to, change.name, change.is_dst)
            onsets.setdefault(kind, []).append(change.onset)
    for (offset_from, offset_to, name, is_dst), dates in onsets.items():
        component = TimezoneDaylight() if is_dst else TimezoneStandard()
        component.add("TZOFFSETFROM", offset_from)
        component.add("TZOFFSETTO", offset_to)
        component.add("TZNAME", name)
        component.add("DTSTART", dates[0])
        # One RDATE line per onset: vobject (the parser under Radicale) reads only the
        # first date of a comma-separated RDATE in a VTIMEZONE. And DTSTART's onset is
        # listed again: ical.js (Thunderbird) skips DTSTART once a component has RDATEs,
        # and would put events before the second onset at UTC+0.
        for onset in dates:
            component.add("RDATE", onset)
        timezone.add_component(component)


@lru_cache(maxsize=64)
def vtimezone(tzid: str, first_year: int, last_year: int) -> Timezone:
    """A VTIMEZONE for `tzid` that is right for events from first_year to last_year.

    The rules start in the year before first_year, so the first events of first_year
    find the offset that was in force at New Year. Cached: treat the result as read-only.
    """
    start_year = first_year - 1
    rules = yearly_rules(tzid, start_year, last_year + 1)
    timezone = Timezone()
    timezone.add("TZID", tzid)
    # libical and Thunderbird map this to their own copy of the zone.
    timezone.add("X-LIC-LOCATION", tzid)
    if rules is None:
        _add_listed_changes(timezone, tzid, start_year, last_year + 1)
        return timezone
    if not rules:
        offset = _offset(ZoneInfo(tzid), datetime(start_year, 1, 1, tzinfo=UTC))
        standard = TimezoneStandard()
        standard.add("TZOFFSETFROM", offset)
        standard.add("TZOFFSETTO", offset)
        standard.add("TZNAME", datetime(start_year, 1, 1, tzinfo=ZoneInfo(tzid)).tzname() or "")
        standard.add("DTSTART", datetime(1970, 1, 1))
        timezone.add_component(standard)
        return timezone
    onsets = {YearlyRule.of(change): change.onset for change in changes_in_year(tzid, start_year)}
    for rule in rules:
        timezone.add_component(_component(rule, onsets[rule]))
    return timezone


__all__ = ["Change", "YearlyRule", "changes_in_year", "vtimezone", "yearly_rules"]
