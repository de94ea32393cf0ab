"""Data the statistics tests share: a known half year of sessions, and many sessions for
query counts. The statistics page, the funder summary and the session page read them."""

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.test import Client

from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    ConversationFormat,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    TimeOfDay,
    WalkIn,
)
from sessions_app.services.counts import counts_recount
from tests.clock import CLEVELAND, local
from tests.factories import make_rsvp, make_session, make_user, make_venue

EVENING_BRIEF = {"time_of_day": TimeOfDay.EVENING, "format": ConversationFormat.BRIEF}
DAYTIME_IN_DEPTH = {"time_of_day": TimeOfDay.DAYTIME, "format": ConversationFormat.IN_DEPTH}


def _held(title: str, starts_at: datetime, slot: dict[str, str]) -> Session:
    return make_session(title=title, topic="", starts_at=starts_at, **slot)


def _rsvp(session: Session, **fields) -> Rsvp:
    """Going in person, answered three days before, as make_rsvp leaves it otherwise."""
    return make_rsvp(session, queued_at=session.starts_at - timedelta(days=3), **fields)


@pytest.fixture
def first_half_2024(db) -> dict[str, Session]:
    """Four sessions from January to April 2024, and one in December 2023 before them.

    - December: Dana (member) checked in, her first session.
    - January, evening brief: Dana checked in at the door, Gale (guest, online) by
      herself; Nora said yes and stayed home; 2 walk-ins. Both modes were counted: 4 came.
    - February, daytime in depth: nobody checked in, no walk-ins: the 4 going stand in
      (Dana, Pat, Nora in person; Gale online); Wes waited, Cal cancelled.
    - March, evening brief: Pat and Quinn checked themselves in with the QR code, Rhea
      going never came. 2 came: the door counted the room, so it is no estimate.
    - April, daytime in depth: Ada, Bo and Cy said they'd come in person and nobody
      checked them in; Selma, a stranger, checked herself in with the QR code. Her
      walk-in doesn't turn three RSVPs into nobody: 3 estimated, plus Selma, 4 came.
    """
    dana = make_user(display_name="Dana")
    december = _held("December", local(2023, 12, 20, 18), EVENING_BRIEF)
    _rsvp(december, user=dana, checked_in_at=december.starts_at)

    january = _held("January", local(2024, 1, 31, 20), EVENING_BRIEF)  # Feb 1 in UTC
    _rsvp(january, user=dana, checked_in_at=january.starts_at)
    _rsvp(
        january,
        name="Gale",
        email="gale@example.org",
        attend_as=AttendAs.ONLINE,
        checked_in_at=january.starts_at,
        checked_in_by=CheckInBy.SELF,
    )
    _rsvp(january, name="Nora", email="nora@example.org")
    WalkIn.objects.create(session=january, count=2)

    february = _held("February", local(2024, 2, 21, 11, 30), DAYTIME_IN_DEPTH)
    _rsvp(february, user=dana)
    _rsvp(february, name="Gale", email="gale@example.org", attend_as=AttendAs.ONLINE)
    _rsvp(february, name="Pat", email="pat@example.org")
    _rsvp(february, name="Nora", email="nora@example.org")
    _rsvp(february, name="Wes", email="wes@example.org", status=RsvpStatus.WAITLISTED)
    _rsvp(february, name="Cal", email="cal@example.org", status=RsvpStatus.CANCELLED)

    march = _held("March", local(2024, 3, 20, 18), EVENING_BRIEF)
    for name in ("Pat", "Quinn"):
        _rsvp(
            march,
            name=name,
            email=f"{name.lower()}@example.org",
            checked_in_at=march.starts_at,
            checked_in_by=CheckInBy.SELF,
        )
    _rsvp(march, name="Rhea", email="rhea@example.org")

    april = _held("April", local(2024, 4, 17, 11, 30), DAYTIME_IN_DEPTH)
    for name in ("Ada", "Bo", "Cy"):
        _rsvp(april, name=name, email=f"{name.lower()}@example.org")
    WalkIn.objects.create(session=april, name="Selma", count=1, self_check_in=True)

    # Not counted: a draft, a cancelled session, one still to come.
    for status, starts_at in [
        (SessionStatus.DRAFT, local(2024, 2, 1, 18)),
        (SessionStatus.CANCELLED, local(2024, 2, 7, 18)),
        (SessionStatus.PUBLISHED, datetime.now(tz=CLEVELAND) + timedelta(days=3)),
    ]:
        ignored = make_session(status=status, starts_at=starts_at)
        _rsvp(ignored, user=dana, checked_in_at=starts_at)
        WalkIn.objects.create(session=ignored, count=9)
    counts_recount()  # the rows above were written without the services
    return {"january": january, "february": february, "march": march, "april": april}


@pytest.fixture
def bulk_sessions(db) -> Callable[[int], list[Session]]:
    """make(count): that many hybrid sessions nine days apart from January 10, 2023, each
    with a guest in person (checked in at two sessions in three), a member online and,
    at four sessions in five, two walk-ins: for query counts that must not grow."""

    def make(count: int) -> list[Session]:
        venue = make_venue()
        first = local(2023, 1, 10, 18)
        sessions = Session.objects.bulk_create(
            make_session(
                save=False,
                venue=venue,
                attendance_mode=AttendanceMode.HYBRID,
                starts_at=first + timedelta(days=9 * n),
                time_of_day=TimeOfDay.EVENING if n % 2 else TimeOfDay.DAYTIME,
            )
            for n in range(count)
        )
        members = [make_user(display_name=f"Member {n}") for n in range(3)]
        Rsvp.objects.bulk_create(
            Rsvp(
                session=session,
                name=f"Guest {n % 7}",
                email=f"guest{n % 7}@example.org",
                attend_as=AttendAs.IN_PERSON,
                status=RsvpStatus.GOING,
                queued_at=session.starts_at,
                checked_in_at=session.starts_at if n % 3 else None,
                checked_in_by=CheckInBy.DOOR if n % 3 else "",
            )
            for n, session in enumerate(sessions)
        )
        Rsvp.objects.bulk_create(
            Rsvp(
                session=session,
                user=members[n % 3],
                attend_as=AttendAs.ONLINE,
                status=RsvpStatus.GOING,
                queued_at=session.starts_at,
            )
            for n, session in enumerate(sessions)
        )
        WalkIn.objects.bulk_create(
            WalkIn(session=session, count=2) for n, session in enumerate(sessions) if n % 5
        )
        counts_recount()  # bulk-created rows bypass the services
        return sessions

    return make


@pytest.fixture
def viewers(member, other_member) -> dict[str, Client]:
    """Two signed-in members and a visitor, each with their own client: what a kept part
    shows one of them must never show another."""
    clients = {"member": Client(), "other": Client(), "visitor": Client()}
    clients["member"].force_login(member)
    clients["other"].force_login(other_member)
    return clients


def pages_for(viewers: dict[str, Client], url: str) -> dict[str, str]:
    """The page at `url` as each viewer gets it (a 200 for each)."""
    pages = {}
    for who, client in viewers.items():
        response = client.get(url)
        assert response.status_code == 200
        pages[who] = response.content.decode()
    return pages
