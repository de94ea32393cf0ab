"""Dates and times as the active language writes them.

Django's `date` filter knows a fixed list of format names (DATE_FORMAT, ...); the portal
needs more ("Wednesday, December 16", "6:00 PM EST"), so each language's format module
(cop_portal/formats/<lang>/formats.py) gives them as `<NAME>_FORMAT` and `date_as` reads
them there, as Django reads its own.
"""

from datetime import date, datetime
from functools import cache, lru_cache

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext_noop

# Django's Spanish writes "p.m."; Latin-American style guides (and the RAE) write
# "p. m.". Naming Django's messages here puts them in the portal's catalogue, which
# comes before Django's own.
MERIDIEMS = (gettext_noop("a.m."), gettext_noop("p.m."), gettext_noop("AM"), gettext_noop("PM"))
# django-recurrence's Spanish capitalizes the names of days and months ("Miércoles"),
# and its catalogue comes before Django's; Spanish writes them in lower case.
WEEKDAY_NAMES = (
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
)
MONTH_NAMES = (
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    gettext_noop("jan"),
    gettext_noop("feb"),
    gettext_noop("mar"),
    gettext_noop("apr"),
    gettext_noop("may"),
    gettext_noop("jun"),
    gettext_noop("jul"),
    gettext_noop("aug"),
    gettext_noop("sep"),
    gettext_noop("oct"),
    gettext_noop("nov"),
    gettext_noop("dec"),
)


@cache
def format_of(name: str, language: str) -> str:
    """The format string `name` (e.g. "CLOCK") has in `language`'s format module."""
    for module in formats.get_format_modules(lang=language):
        found = getattr(module, f"{name}_FORMAT", None)
        if found is not None:
            return found
    raise ValueError(f"No {name}_FORMAT is defined for {language!r} in FORMAT_MODULE_PATH.")


def date_as(value: datetime | date | None, name: str, *, language: str | None = None) -> str:
    """`value` written with the format `name` of `language` (the active one by default);
    an aware date-time in the site's current time zone. "" for None."""
    if value is None or value == "":
        return ""
    language = language or translation.get_language() or "en"
    return _written(value, name, language, timezone.get_current_timezone_name())


@lru_cache(maxsize=4096)
def _written(value: datetime | date, name: str, language: str, zone: str) -> str:
    """What date_as returns, remembered: a page writes the same few moments many times
    (a calendar, a list of session cards), and formatting one costs ~0.1 ms. The zone
    is part of the key in case one is ever activated per request."""
    if isinstance(value, datetime) and timezone.is_aware(value):
        value = timezone.localtime(value)
    with translation.override(language):
        return dateformat.format(value, format_of(name, translation.get_language()))
