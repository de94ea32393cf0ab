"""Turning a series' recurrence and rotation into dated, timed occurrences.

Pure computation: nothing here reads or writes the database beyond the objects
it is handed, so the arithmetic is easy to test and cheap to run in previews.
"""

import calendar
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

import recurrence
from dateutil.relativedelta import relativedelta
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext, pgettext_lazy

from cop_portal.lib.dates import date_as
from sessions_app.models import (
    AttendanceMode,
    RotationSlot,
    Series,
    Session,
    Venue,
)
from sessions_app.models.choices import slot_label
from sessions_app.models.session import local_zone

EN_DASH = "\u2013"

# A schedule that is exhausted or excludes everything must not loop forever.
MAX_YEARS = 50


@dataclass(frozen=True)
class PlannedOccurrence:
    index: int  # k: the k-th date of the recurrence, counting excluded dates too
    date: date
    slot: RotationSlot
    excluded: bool
    starts_at: datetime  # aware, in the local zone
    ends_at: datetime


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time.min)


def _can_match(rule: recurrence.Rule) -> bool:
    """False for rules such as "February 31st" that no date ever satisfies.

    dateutil would search every year up to 9999 for them before giving up
    (seconds for a daily rule), so they are dropped before iterating.
    """
    if not rule.bymonthday:
        return True
    months = rule.bymonth or range(1, 13)
    # 2024 is a leap year, so February 29th counts as possible.
    return any(
        1 <= abs(day) <= calendar.monthrange(2024, month)[1]
        for month in months
        for day in rule.bymonthday
    )


def _counted_dates(rec: recurrence.Recurrence, starts_on: date) -> Iterator[date]:
    """Every date the rules and extra dates give, exclusions ignored, from starts_on on."""
    last = starts_on + relativedelta(years=MAX_YEARS)
    counting = recurrence.Recurrence(
        rrules=[rule for rule in rec.rrules if _can_match(rule)],
        rdates=rec.rdates,
        include_dtstart=False,
    )
    seen: set[date] = set()
    # Never pass dtend: django-recurrence adds dtend itself as an occurrence.
    for moment in counting.occurrences(dtstart=_midnight(starts_on)):
        day = moment.date()
        if day > last:
            return
        if day < starts_on or day in seen:
            continue
        seen.add(day)
        yield day


def _excluded_dates(rec: recurrence.Recurrence, starts_on: date, until: date) -> set[date]:
    """Dates removed by exclusion dates or exclusion rules, up to `until`."""
    excluded = {moment.date() for moment in rec.exdates}
    if rec.exrules:
        removing = recurrence.Recurrence(
            rrules=[rule for rule in rec.exrules if _can_match(rule)], include_dtstart=False
        )
        for moment in removing.occurrences(dtstart=_midnight(starts_on)):
            if moment.date() > until:
                break
            excluded.add(moment.date())
    return excluded


def has_dates(rec: recurrence.Recurrence, starts_on: date) -> bool:
    """True when the recurrence gives at least one date that is not excluded."""
    last = starts_on + relativedelta(years=MAX_YEARS)
    excluded = _excluded_dates(rec, starts_on, last)
    return any(day not in excluded for day in _counted_dates(rec, starts_on))


ORDINALS = {
    1: pgettext_lazy("week of the month", "first"),
    2: pgettext_lazy("week of the month", "second"),
    3: pgettext_lazy("week of the month", "third"),
    4: pgettext_lazy("week of the month", "fourth"),
    5: pgettext_lazy("week of the month", "fifth"),
    -1: pgettext_lazy("week of the month", "last"),
}
WEEKDAYS = [
    gettext_lazy("Monday"),
    gettext_lazy("Tuesday"),
    gettext_lazy("Wednesday"),
    gettext_lazy("Thursday"),
    gettext_lazy("Friday"),
    gettext_lazy("Saturday"),
    gettext_lazy("Sunday"),
]
# "Weekly on Saturday": Spanish says it in the plural ("los sábados"), so whole phrases.
EVERY_WEEKDAY = [
    pgettext_lazy("every week", "on Monday"),
    pgettext_lazy("every week", "on Tuesday"),
    pgettext_lazy("every week", "on Wednesday"),
    pgettext_lazy("every week", "on Thursday"),
    pgettext_lazy("every week", "on Friday"),
    pgettext_lazy("every week", "on Saturday"),
    pgettext_lazy("every week", "on Sunday"),
]


def describe_recurrence(rec: recurrence.Recurrence) -> str:
    """Plain words for the schedules the organizer form builds, e.g.
    "Monthly on the third Wednesday" or "Every 2 weeks on Wednesday"."""
    if len(rec.rrules) != 1:
        return _("Custom schedule") if rec.rrules else _("Only on the extra dates")
    rule = rec.rrules[0]
    days = [recurrence.to_weekday(day) for day in rule.byday or []]
    if len(days) != 1 or rule.freq not in (recurrence.WEEKLY, recurrence.MONTHLY):
        return rule.to_text().capitalize()
    day = days[0]
    if rule.freq == recurrence.MONTHLY:
        unit = (
            _("Monthly")
            if rule.interval == 1
            else ngettext("Every %(count)s month", "Every %(count)s months", rule.interval)
            % {"count": rule.interval}
        )
        words = {"unit": unit, "weekday": WEEKDAYS[day.number]}
        if ordinal := ORDINALS.get(day.index or 0):
            return _("%(unit)s on the %(ordinal)s %(weekday)s") % {**words, "ordinal": ordinal}
        return _("%(unit)s on the %(weekday)s") % words
    unit = (
        _("Weekly")
        if rule.interval == 1
        else ngettext("Every %(count)s week", "Every %(count)s weeks", rule.interval)
        % {"count": rule.interval}
    )
    return _("%(unit)s %(on_weekday)s") % {"unit": unit, "on_weekday": EVERY_WEEKDAY[day.number]}


def local_datetime(day: date, at: time) -> datetime:
    """The aware moment of a wall-clock time in Cleveland on that day (DST included)."""
    return datetime.combine(day, at, tzinfo=local_zone())


def plan_occurrences(
    series: Series, slots: Sequence[RotationSlot], *, until: date
) -> Iterator[PlannedOccurrence]:
    """Yield the series' occurrences from its first date up to `until`, in order.

    Occurrence k takes slot k mod n. Excluded dates are yielded (flagged) so the
    count, and with it the alternation, never shifts when a date is skipped.
    """
    if not slots:
        return
    rec = series.recurrence
    if not rec:
        return
    excluded = _excluded_dates(rec, series.starts_on, until)
    for index, day in enumerate(_counted_dates(rec, series.starts_on)):
        if day > until:
            return
        slot = slots[index % len(slots)]
        starts_at = local_datetime(day, slot.start_time)
        yield PlannedOccurrence(
            index=index,
            date=day,
            slot=slot,
            excluded=day in excluded,
            starts_at=starts_at,
            # Wall-clock addition: a 6 pm hour-long session ends at 7 pm local.
            ends_at=starts_at + timedelta(minutes=slot.duration_minutes),
        )


def upcoming_occurrences(
    series: Series, slots: Sequence[RotationSlot], *, after: date, until: date
) -> list[PlannedOccurrence]:
    """Every date from `after` to `until`, excluded ones included and flagged."""
    return [
        planned for planned in plan_occurrences(series, slots, until=until) if planned.date >= after
    ]


def clock_range(starts_at: datetime, ends_at: datetime) -> str:
    """ "6-7 pm", "11:30 am-1:30 pm" (with an en dash): a session's hours as people
    say them."""

    def clock(moment: datetime) -> str:
        minutes = f":{moment.minute:02d}" if moment.minute else ""
        return f"{moment.hour % 12 or 12}{minutes}"

    def half(moment: datetime) -> str:
        return pgettext("clock", "am") if moment.hour < 12 else pgettext("clock", "pm")

    if half(starts_at) == half(ends_at):
        return f"{clock(starts_at)}{EN_DASH}{clock(ends_at)} {half(ends_at)}"
    return f"{clock(starts_at)} {half(starts_at)}{EN_DASH}{clock(ends_at)} {half(ends_at)}"


def describe_occurrence(
    *,
    starts_at: datetime,
    ends_at: datetime,
    time_of_day: str,
    conversation_format: str,
    attendance_mode: str,
    venue: Venue | None,
) -> str:
    """ "Wed, Dec 16, 6-7 pm, Evening · brief, at Midtown/Hough office, and online": one
    session as the publish form lists it (times in Cleveland), the place in the words of
    the session pages (Session.where)."""
    starts_at, ends_at = starts_at.astimezone(local_zone()), ends_at.astimezone(local_zone())
    if attendance_mode == AttendanceMode.ONLINE or venue is None:
        where = _("online")
    else:
        # Unsaved: only to word the place as every session page does.
        place = Session(attendance_mode=attendance_mode, venue=venue).where
        where = _("at %(place)s") % {"place": place}
    # The year only when it isn't this one: "Wed, Jan 20, 2027" in December 2026.
    this_year = starts_at.year == timezone.localdate().year
    day = date_as(starts_at, "SHORT_WEEKDAY_DAY" if this_year else "SHORT_WEEKDAY_DATE")
    kind = slot_label(time_of_day, conversation_format)
    return f"{day}, {clock_range(starts_at, ends_at)}, {kind}, {where}"


def next_occurrences(
    series: Series, slots: Sequence[RotationSlot], *, after: date, count: int
) -> list[PlannedOccurrence]:
    """The next `count` dates on or after `after`, excluded ones included and flagged."""
    found: list[PlannedOccurrence] = []
    until = after + relativedelta(years=MAX_YEARS)
    for planned in plan_occurrences(series, slots, until=until):
        if planned.date < after:
            continue
        found.append(planned)
        if len(found) >= count:
            break
    return found
