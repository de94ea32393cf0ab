"""How the portal writes dates and times in English (Django's own formats otherwise).

Each `<NAME>_FORMAT` here is one the portal names in `{{ value|date_as:"NAME" }}` and
`cop_portal.lib.dates.date_as()`; every language's module gives the same names.
"""

LONG_DATE_FORMAT = "l, F j, Y"
LONG_DATETIME_FORMAT = "l, F j, Y, g:i A"
LONG_DATETIME_ZONE_FORMAT = "l, F j, Y, g:i A T"
DAY_DATE_FORMAT = "F j, Y"
WEEKDAY_DAY_FORMAT = "l, F j"
WEEKDAY_DAY_TIME_FORMAT = "l, F j, g:i A"
DAY_MONTH_FORMAT = "F j"
MONTH_YEAR_FORMAT = "F Y"
SHORT_DAY_DATE_FORMAT = "M j, Y"
SHORT_DAY_FORMAT = "M j"
SHORT_DAY_TIME_FORMAT = "M j, g:i A"
SHORT_DAY_DATETIME_FORMAT = "M j, Y, g:i A"
SHORT_WEEKDAY_DATE_FORMAT = "D, M j, Y"
# A choice's label, "Thu Dec 3, 2026" (the post form's related sessions).
SHORT_WEEKDAY_DATE_LABEL_FORMAT = "D M j, Y"
SHORT_WEEKDAY_DAY_FORMAT = "D, M j"
# A calendar cell shows the day's number; the words around it are for screen readers
# ("Wednesday, December 16" / "miércoles, 16 de diciembre").
CALENDAR_BEFORE_DAY_FORMAT = "l, F "
CALENDAR_AFTER_DAY_FORMAT = ""
CLOCK_FORMAT = "g:i A"
CLOCK_ZONE_FORMAT = "g:i A T"
