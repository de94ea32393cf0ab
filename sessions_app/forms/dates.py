"""Checks shared by the organizer forms that take dates."""

from datetime import date

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from sessions_app.selectors import FIRST_YEAR, LAST_YEAR


def in_calendar_years(day: date) -> date:
    """`day`, when it falls in the calendar's years; else a ValidationError for the field.

    Far-off dates break more than the calendar: 9999-12-31 at 7 pm in Cleveland is already
    the year 10000 in UTC, and a series' schedule is worked out for years past its dates.
    """
    if not FIRST_YEAR <= day.year <= LAST_YEAR:
        raise ValidationError(
            _("Choose a date between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR}
        )
    return day
