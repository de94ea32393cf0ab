"""VTIMEZONE blocks, read back by readers other than the one that wrote them.

Calendar apps never see our zoneinfo: they see the VTIMEZONE and compute offsets from
it. So each block is read by dateutil's `tzical` (which vobject and icalendar's default
zone provider use too) and by icalendar's own transition code (its pytz provider),
and the UTC offset they give is compared with the tz database for every hour around
every change. Both readers get the block by its content alone: the TZID is not looked
up in a zone database.
"""

import io
from datetime import UTC, date, datetime, timedelta, tzinfo
from zoneinfo import ZoneInfo

import pytest
import vobject
from dateutil import tz as dateutil_tz
from icalendar import Timezone
from icalendar.timezone.tzp import TZP

from sessions_app.vtimezone import changes_in_year, vtimezone

NEW_YORK = "America/New_York"


def block(tzid: str, first_year: int, last_year: int) -> str:
    return vtimezone(tzid, first_year, last_year).to_ical().decode()


def unfolded(text: str) -> list[str]:
    return text.replace("\r\n ", "").split("\r\n")


def read_with_tzical(text: str) -> tzinfo:
    """dateutil refuses X- properties (RFC 5545 allows them), so they are left out,
    as vobject does before it hands a VTIMEZONE to tzical."""
    lines = [line for line in unfolded(text) if not line.startswith("X-")]
    return dateutil_tz.tzical(io.StringIO("\r\n".join(lines))).get()


def read_with_icalendar(text: str) -> tzinfo:
    """icalendar's own reading of the observances (the pytz provider builds the zone
    from `Timezone.get_transitions`, not from dateutil's tzical)."""
    return Timezone.from_ical(text).to_tz(tzp=TZP("pytz"), lookup_tzid=False)


def read_with_vobject(text: str) -> tzinfo:
    calendar = vobject.readOne(f"BEGIN:VCALENDAR\r\nVERSION:2.0\r\n{text}END:VCALENDAR\r\n")
    return calendar.vtimezone.gettzinfo()


READERS = {
    "tzical": read_with_tzical,
    "icalendar": read_with_icalendar,
    "vobject": read_with_vobject,
}


def hours_around_changes(tzid: str, first_year: int, last_year: int) -> list[datetime]:
    """Every hour from a day before to a day after each change of offset, in UTC."""
    instants = []
    for year in range(first_year, last_year + 1):
        for change in changes_in_year(tzid, year):
            utc = (change.onset - change.offset_from).replace(tzinfo=UTC)
            start = utc.replace(minute=0, second=0) - timedelta(hours=24)
            instants.extend(start + timedelta(hours=n) for n in range(49))
    return instants


def wrong_offsets(reader, tzid: str, first_year: int, last_year: int) -> list[str]:
    zone = reader(block(tzid, first_year, last_year))
    expected = ZoneInfo(tzid)
    wrong = []
    for instant in hours_around_changes(tzid, first_year, last_year):
        got = instant.astimezone(zone).utcoffset()
        if got != instant.astimezone(expected).utcoffset():
            wrong.append(f"{instant:%Y-%m-%d %H:%M}Z: {got}")
    return wrong


def components(text: str) -> list[dict[str, str]]:
    """STANDARD and DAYLIGHT blocks as {"BEGIN": kind, property: value}; a property
    on several lines (RDATE) has its values joined with a space."""
    found, current = [], None
    for line in unfolded(text):
        name, _, value = line.partition(":")
        if line in ("BEGIN:STANDARD", "BEGIN:DAYLIGHT"):
            current = {"BEGIN": value}
        elif line in ("END:STANDARD", "END:DAYLIGHT"):
            found.append(current)
            current = None
        elif current is not None:
            current[name] = f"{current[name]} {value}" if name in current else value
    return found


def wall_clock(text: str, zone: tzinfo) -> datetime:
    """A local time in `zone`, the first occurrence if it happens twice. pytz zones
    need localize (is_dst picks the first, daylight, occurrence); others take tzinfo=."""
    naive = datetime.fromisoformat(text)
    localize = getattr(zone, "localize", None)
    return localize(naive, is_dst=True) if localize else naive.replace(tzinfo=zone)


def test_vtimezone_new_york_has_the_us_yearly_rules_at_2_am():
    text = block(NEW_YORK, 2026, 2028)

    assert components(text) == [
        {
            "BEGIN": "DAYLIGHT",
            "DTSTART": "20250309T020000",
            "RRULE": "FREQ=YEARLY;BYDAY=2SU;BYMONTH=3",
            "TZNAME": "EDT",
            "TZOFFSETFROM": "-0500",
            "TZOFFSETTO": "-0400",
        },
        {
            "BEGIN": "STANDARD",
            "DTSTART": "20251102T020000",
            "RRULE": "FREQ=YEARLY;BYDAY=1SU;BYMONTH=11",
            "TZNAME": "EST",
            "TZOFFSETFROM": "-0400",
            "TZOFFSETTO": "-0500",
        },
    ]
    assert unfolded(text)[:3] == [
        "BEGIN:VTIMEZONE",
        f"TZID:{NEW_YORK}",
        f"X-LIC-LOCATION:{NEW_YORK}",
    ]
    assert "RDATE" not in text


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_new_york_rules_match_the_tz_database_2008_to_2037(reader):
    assert wrong_offsets(reader, NEW_YORK, 2008, 2037) == []


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_new_york_wall_clock_times_near_the_changes(reader):
    zone = reader(block(NEW_YORK, 2026, 2026))

    # Before and after 2 am on the change days; 01:30 in November is read as its
    # first occurrence (EDT), as RFC 5545 §3.3.5 says.
    offsets = {
        when: wall_clock(when, zone).utcoffset()
        for when in (
            "2026-03-08T01:59:00",
            "2026-03-08T03:00:00",
            "2026-11-01T00:30:00",
            "2026-11-01T01:30:00",
            "2026-11-01T02:00:00",
        )
    }

    assert offsets == {
        "2026-03-08T01:59:00": timedelta(hours=-5),
        "2026-03-08T03:00:00": timedelta(hours=-4),
        "2026-11-01T00:30:00": timedelta(hours=-4),
        "2026-11-01T01:30:00": timedelta(hours=-4),
        "2026-11-01T02:00:00": timedelta(hours=-5),
    }


def test_vtimezone_across_the_2007_us_rule_change_lists_each_change():
    text = block(NEW_YORK, 2006, 2008)

    daylight, standard = components(text)
    assert "RRULE" not in text
    assert (daylight["BEGIN"], daylight["DTSTART"]) == ("DAYLIGHT", "20050403T020000")
    # 2006: first Sunday of April; from 2007: second Sunday of March, all at 02:00.
    # One date per RDATE line: vobject reads only the first of a comma-separated list.
    # DTSTART is listed again: ical.js (Thunderbird) ignores it once there are RDATEs.
    assert daylight["RDATE"].split() == [
        "20050403T020000",
        "20060402T020000",
        "20070311T020000",
        "20080309T020000",
        "20090308T020000",
    ]
    assert (standard["BEGIN"], standard["DTSTART"]) == ("STANDARD", "20051030T020000")
    assert standard["RDATE"].split() == [
        "20051030T020000",
        "20061029T020000",
        "20071104T020000",
        "20081102T020000",
        "20091101T020000",
    ]


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_across_the_2007_us_rule_change_matches_the_tz_database(reader):
    assert wrong_offsets(reader, NEW_YORK, 2005, 2009) == []


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_without_daylight_saving_is_one_standard_offset(reader):
    text = block("America/Phoenix", 2026, 2030)

    zone = reader(text)

    assert components(text) == [
        {
            "BEGIN": "STANDARD",
            "DTSTART": "19700101T000000",
            "TZNAME": "MST",
            "TZOFFSETFROM": "-0700",
            "TZOFFSETTO": "-0700",
        }
    ]
    for month in (1, 4, 7, 11):
        instant = datetime(2028, month, 15, 12, tzinfo=UTC)
        assert instant.astimezone(zone).utcoffset() == timedelta(hours=-7)


def test_vtimezone_sydney_has_southern_hemisphere_rules():
    text = block("Australia/Sydney", 2026, 2028)

    assert [
        (part["BEGIN"], part["RRULE"], part["DTSTART"], part["TZOFFSETTO"])
        for part in components(text)
    ] == [
        # April: back to standard at 03:00 daylight time; October: daylight at 02:00.
        ("STANDARD", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=4", "20250406T030000", "+1000"),
        ("DAYLIGHT", "FREQ=YEARLY;BYDAY=1SU;BYMONTH=10", "20251005T020000", "+1100"),
    ]


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_sydney_rules_match_the_tz_database(reader):
    # From 2009: Australia moved its rules in 2008, so 2008 itself needs the listing.
    assert wrong_offsets(reader, "Australia/Sydney", 2009, 2037) == []


@pytest.mark.parametrize("reader", READERS.values(), ids=READERS.keys())
def test_vtimezone_last_sunday_rules_match_the_tz_database(reader):
    text = block("Europe/Berlin", 2026, 2030)

    assert [part["RRULE"] for part in components(text)] == [
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=3",
        "FREQ=YEARLY;BYDAY=-1SU;BYMONTH=10",
    ]
    assert wrong_offsets(reader, "Europe/Berlin", 2026, 2030) == []


def test_vtimezone_is_the_same_text_every_time():
    vtimezone.cache_clear()
    first = block(NEW_YORK, 2026, 2027)
    vtimezone.cache_clear()

    assert block(NEW_YORK, 2026, 2027) == first


def test_changes_in_year_new_york_2026():
    changes = changes_in_year(NEW_YORK, 2026)

    assert [(change.onset, change.name, change.is_dst) for change in changes] == [
        (datetime(2026, 3, 8, 2), "EDT", True),
        (datetime(2026, 11, 1, 2), "EST", False),
    ]
    assert [change.onset.date().weekday() for change in changes] == [6, 6]
    assert changes[0].onset.date() == date(2026, 3, 8)
