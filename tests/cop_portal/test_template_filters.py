from datetime import UTC, date, datetime

from cop_portal.templatetags.text import iso_filter


def test_iso_drops_microseconds_and_shows_local_offset(settings):
    settings.TIME_ZONE = "America/New_York"
    moment = datetime(2026, 11, 27, 5, 6, 30, 240737, tzinfo=UTC)

    assert iso_filter(moment) == "2026-11-27T00:06:30-05:00"


def test_iso_of_a_summer_moment_has_the_daylight_offset(settings):
    settings.TIME_ZONE = "America/New_York"

    assert iso_filter(datetime(2026, 7, 1, 16, 0, tzinfo=UTC)) == "2026-07-01T12:00:00-04:00"


def test_iso_of_a_date_and_of_nothing():
    assert iso_filter(date(2026, 12, 16)) == "2026-12-16"
    assert iso_filter(None) == ""
