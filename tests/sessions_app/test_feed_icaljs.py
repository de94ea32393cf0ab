"""The feeds read by ical.js, the parser inside Thunderbird, with only their own VTIMEZONE.

Desktop clients are where machine-made VTIMEZONE blocks go wrong (ical.js, for one,
ignores DTSTART in a component that has RDATEs). `make install` and CI install ical.js
with npm into tests/js; without Node.js these tests are skipped and say why.
"""

import json
import shutil
import subprocess
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from django.urls import reverse

from sessions_app.feeds import build_feed
from sessions_app.ical import event_uid
from sessions_app.models import Session, Venue
from tests.clock import CLEVELAND
from tests.factories import make_session, make_venue

pytestmark = pytest.mark.django_db

READER = Path(__file__).resolve().parent.parent / "js"
NODE = shutil.which("node")
if NODE is None or not (READER / "node_modules" / "ical.js").is_dir():
    pytest.skip(
        "ical.js is not installed: run `make install` with Node.js and npm present",
        allow_module_level=True,
    )

# Around both changes of each year, and times near 2 am on the change days.
MOMENTS = [
    (1, 14, 18, 0),
    (3, 7, 18, 0),
    (3, 8, 3, 0),
    (3, 14, 11, 30),
    (7, 15, 18, 0),
    (10, 31, 18, 0),
    (11, 1, 0, 30),
    (11, 2, 11, 30),
    (12, 16, 18, 0),
]


def read_with_icaljs(body: bytes) -> dict[str, dict]:
    done = subprocess.run(  # noqa: S603 - a fixed script, our own feed on stdin
        [NODE, str(READER / "read_times.mjs")],
        input=body,
        capture_output=True,
        check=True,
        timeout=60,
    )
    return json.loads(done.stdout)


def unsaved_sessions(years: list[int]) -> list[Session]:
    venue = Venue(name="Midtown office", address="1 Euclid Avenue, Cleveland, OH", capacity=20)
    sessions = []
    for year in years:
        for number, (month, day, hour, minute) in enumerate(MOMENTS):
            starts_at = datetime(year, month, day, hour, minute, tzinfo=CLEVELAND)
            sessions.append(
                Session(
                    title="Community of Practice",
                    slug=f"s-{year}-{number}",
                    time_of_day="evening",
                    format="brief",
                    attendance_mode="in-person",
                    starts_at=starts_at,
                    ends_at=starts_at + timedelta(minutes=90),
                    venue=venue,
                    status="published",
                    updated=datetime(2026, 11, 1, tzinfo=CLEVELAND),
                )
            )
    return sessions


def expected_times(sessions: list[Session]) -> dict[str, dict]:
    return {
        event_uid(session): {
            "start": int(session.starts_at.timestamp()),
            "end": int(session.ends_at.timestamp()),
            "zone": "America/New_York",
        }
        for session in sessions
    }


@pytest.mark.parametrize(
    "years",
    [[2026, 2027], [2030, 2035, 2037], [2005, 2006, 2007, 2008]],
    ids=["now", "years-ahead", "across-the-2007-rule-change"],
)
def test_icaljs_reads_every_time_right(years):
    sessions = unsaved_sessions(years)

    body = build_feed(sessions, name="CoP Portal sessions", description="Test", source="x")

    assert read_with_icaljs(body) == expected_times(sessions)


def test_icaljs_reads_the_public_feed_right(client):
    venue = make_venue()
    sessions = [
        make_session(venue=venue, starts_at=datetime(2027, month, 17, 18, tzinfo=CLEVELAND))
        for month in (1, 3, 4, 11)
    ]

    response = client.get(reverse("sessions:feed-ics"))

    assert read_with_icaljs(response.content) == expected_times(sessions)
