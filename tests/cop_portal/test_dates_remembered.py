"""date_as remembers what it wrote, per moment, format, language and time zone."""

from datetime import datetime
from zoneinfo import ZoneInfo

from django.utils import timezone

from cop_portal.lib.dates import date_as

MOMENT = datetime(2026, 12, 16, 23, 0, tzinfo=ZoneInfo("UTC"))


def test_date_as_same_moment_in_english_then_spanish_differs():
    english = date_as(MOMENT, "WEEKDAY_DAY", language="en")
    spanish = date_as(MOMENT, "WEEKDAY_DAY", language="es")

    assert english == "Wednesday, December 16"
    assert spanish != english
    assert "miércoles" in spanish
    assert date_as(MOMENT, "WEEKDAY_DAY", language="en") == english


def test_date_as_follows_the_active_time_zone():
    cleveland = date_as(MOMENT, "WEEKDAY_DAY", language="en")
    with timezone.override(ZoneInfo("Asia/Tokyo")):
        tokyo = date_as(MOMENT, "WEEKDAY_DAY", language="en")

    assert cleveland == "Wednesday, December 16"
    assert tokyo == "Thursday, December 17"
