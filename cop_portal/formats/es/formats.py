"""How the portal writes dates, times and numbers in Spanish.

The portal speaks to Cleveland's Spanish speakers, most of them from Puerto Rico and
Mexico: a 12-hour clock ("6:00 p. m.", with the space the style guides ask for, from the
catalogue's "p.m."), a period for decimals and a comma for thousands, as in the United
States. Dates put the day first ("miércoles, 16 de diciembre de 2026"), and short ones
use "b" (Django's "M" capitalizes: "Dic"; Spanish writes "16 dic 2026"). The names match
cop_portal/formats/en/formats.py.
"""

LONG_DATE_FORMAT = r"l, j \d\e F \d\e Y"
LONG_DATETIME_FORMAT = r"l, j \d\e F \d\e Y, g:i a"
LONG_DATETIME_ZONE_FORMAT = r"l, j \d\e F \d\e Y, g:i a T"
DAY_DATE_FORMAT = r"j \d\e F \d\e Y"
WEEKDAY_DAY_FORMAT = r"l, j \d\e F"
WEEKDAY_DAY_TIME_FORMAT = r"l, j \d\e F, g:i a"
DAY_MONTH_FORMAT = r"j \d\e F"
MONTH_YEAR_FORMAT = r"F \d\e Y"
SHORT_DAY_DATE_FORMAT = "j b Y"
SHORT_DAY_FORMAT = "j b"
SHORT_DAY_TIME_FORMAT = "j b, g:i a"
SHORT_DAY_DATETIME_FORMAT = "j b Y, g:i a"
SHORT_WEEKDAY_DATE_FORMAT = "D j b Y"
# A choice's label, "Thu Dec 3, 2026" (the post form's related sessions).
SHORT_WEEKDAY_DATE_LABEL_FORMAT = "D j b Y"
SHORT_WEEKDAY_DAY_FORMAT = "D j b"
# A calendar cell shows the day's number; the words around it are for screen readers
# ("Wednesday, December 16" / "miércoles, 16 de diciembre").
CALENDAR_BEFORE_DAY_FORMAT = "l, "
CALENDAR_AFTER_DAY_FORMAT = r" \d\e F"
CLOCK_FORMAT = "g:i a"
CLOCK_ZONE_FORMAT = "g:i a T"

# Django's own names, used by {{ value|date }} and {{ value|time }} without a format.
DATE_FORMAT = DAY_DATE_FORMAT
TIME_FORMAT = CLOCK_FORMAT
DATETIME_FORMAT = LONG_DATETIME_FORMAT
YEAR_MONTH_FORMAT = MONTH_YEAR_FORMAT
MONTH_DAY_FORMAT = DAY_MONTH_FORMAT
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y g:i a"
FIRST_DAY_OF_WEEK = 0  # Sunday, as on calendars in the United States
# Forms read and write ISO dates first: <input type="date"> and type="time" speak only
# ISO, whatever the page's language.
DATE_INPUT_FORMATS = ["%Y-%m-%d", "%d/%m/%Y", "%d/%m/%y"]
TIME_INPUT_FORMATS = ["%H:%M", "%H:%M:%S", "%H:%M:%S.%f"]
DATETIME_INPUT_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M",
]
DECIMAL_SEPARATOR = "."
THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
