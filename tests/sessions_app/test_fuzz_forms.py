"""Hostile input to every form of the sessions app: RSVPs, calendar feeds, the door,
and the organizers' sessions, series and venues (see tests/fuzzing.py)."""

import pytest
from django.utils import timezone

from cop_portal.mail.models import Dispatch, OutgoingEmail
from sessions_app.models import FeedToken, RotationSlot, Rsvp, Series, Session, Venue, WalkIn
from sessions_app.rotation import upcoming_occurrences
from sessions_app.services.series import publish_horizon, series_publish_plan
from tests.fuzzing import (
    NEXT,
    FormCase,
    World,
    checkbox,
    choice,
    clock,
    date,
    email,
    fixed,
    fuzz_form,
    integer,
    text,
    web_url,
    words,
)

pytestmark = pytest.mark.django_db

HOW = choice("in-person", "online", "in-person-waitlist", "online-waitlist")
TIME_OF_DAY = choice("evening", "daytime")
FORMAT = choice("brief", "in-depth")
MODE = choice("in-person", "online", "hybrid")


def _session(world: World) -> dict[str, str]:
    return {"slug": world.session.slug}


def _answered(world: World) -> dict[str, str]:
    """The session, with an RSVP: changing it emails someone."""
    return {"slug": world.guest_rsvp.session.slug}


# Who hears about a change, and the organizer's note (sessions_app/forms/notify.py).
NOTIFY = {
    "audience": choice("everyone", "going", "nobody"),
    "note": text(1000, min_size=0),
    "step": choice("preview", "save", "back", ""),
}


def _guest_token(world: World) -> dict[str, str]:
    return {"token": world.guest_rsvp.token}


def _session_fields(world: World) -> dict:
    return {
        "title": words("Keeping volunteers", "Budget night"),
        "topic": text(160, min_size=0),
        "summary": text(200, min_size=0),
        "agenda": text(200, min_size=0),
        "title_es": text(120, min_size=0),
        "topic_es": text(160, min_size=0),
        "summary_es": text(200, min_size=0),
        "agenda_es": text(200, min_size=0),
        "date": date(),
        "start_time": clock("18:00", "11:30", "00:00"),
        "end_time": clock("19:00", "13:30", "23:59"),
        "time_of_day": TIME_OF_DAY,
        "format": FORMAT,
        "attendance_mode": MODE,
        "venue": choice(str(world.venue.pk), ""),
        "capacity": integer(1, 10_000),
        "online_capacity": integer(1, 10_000),
        "meeting_url": web_url(),
        "joining_instructions": text(100, min_size=0),
    }


def _publish_fields(world: World) -> dict:
    """ "Publish through" one of the first dates offered (or one never offered), with the
    plan that date shows, another date's, or a made-up one."""
    series = world.series
    after = timezone.localdate()
    offered = [
        planned.date
        for planned in upcoming_occurrences(
            series, list(series.slots.all()), after=after, until=publish_horizon(6)
        )
        if not planned.excluded
    ][:4]
    plans = [series_publish_plan(series=series, until=day).fingerprint for day in offered]
    return {
        "until": choice(*(day.isoformat() for day in offered), "2020-01-01"),
        "plan": choice(*plans, "stale", ""),
    }


def _series_fields(world: World, series: Series | None = None) -> dict:
    """The series form and its rotation formset (prefix "slots"), with the saved slots."""
    slots = list(series.slots.order_by("position")) if series else []
    fields = {
        "title": words("Community of Practice", "Lunch club"),
        "title_es": text(120, min_size=0),
        "description": text(200, min_size=0),
        "description_es": text(200, min_size=0),
        "starts_on": date(days_ahead=(-30, 30)),
        "meeting_url": web_url(),
        "joining_instructions": text(100, min_size=0),
        "is_active": checkbox(),
        "frequency": choice("monthly", "weekly"),
        "interval": integer(1, 12),
        "week_of_month": choice("1", "2", "3", "4", "-1"),
        "weekday": choice(*map(str, range(7))),
        "ends_on": date(days_ahead=(60, 400)),
        "excluded_dates": date(days_ahead=(1, 90)),
        "extra_dates": date(days_ahead=(1, 90)),
        "slots-TOTAL_FORMS": fixed(str(len(slots) + 1)),
        "slots-INITIAL_FORMS": fixed(str(len(slots))),
        "slots-MIN_NUM_FORMS": fixed("1"),
        "slots-MAX_NUM_FORMS": fixed("8"),
    }
    for index in range(len(slots) + 1):
        prefix = f"slots-{index}-"
        fields |= {
            f"{prefix}time_of_day": TIME_OF_DAY,
            f"{prefix}start_time": clock(),
            f"{prefix}format": FORMAT,
            f"{prefix}duration_minutes": integer(15, 600),
            f"{prefix}attendance_mode": MODE,
            f"{prefix}venue": choice(str(world.venue.pk), ""),
            f"{prefix}ORDER": integer(1, 9),
        }
        if index < len(slots):
            fields[f"{prefix}id"] = fixed(str(slots[index].pk))
            fields[f"{prefix}DELETE"] = checkbox()
    return fields


def _venue_fields(world: World) -> dict:
    return {
        "name": words("Hough Library", "The Annex"),
        "address": words("1 Euclid Avenue"),
        "city": words("Cleveland", "Cleveland Heights"),
        "state": words("OH", "oh"),
        "postal_code": words("44103", "44106-1234"),
        "transit_notes": text(100, min_size=0),
        "neighborhood": words("Midtown/Hough", "Slavic Village"),
        "capacity": integer(1, 10_000),
        "directions": text(100, min_size=0),
        "accessibility_notes": text(100, min_size=0),
        "parking_notes": text(100, min_size=0),
        "transit_notes_es": text(100, min_size=0),
        "directions_es": text(100, min_size=0),
        "accessibility_notes_es": text(100, min_size=0),
        "parking_notes_es": text(100, min_size=0),
        "is_active": checkbox(),
    }


FORMS = [
    # Everyone
    FormCase(
        "sessions:rsvp-create",
        "visitor",
        {"name": text(120), "email": email(), "organization": text(120, min_size=0), "how": HOW},
        kwargs=_session,
        watch=(Rsvp, FeedToken),
        label="guest",
    ),
    FormCase(
        "sessions:rsvp-create",
        "member",
        {"how": HOW, "listed": checkbox()},
        kwargs=_session,
        watch=(Rsvp,),
    ),
    FormCase(
        "sessions:rsvp-change",
        "visitor",
        {"how": HOW, "next": NEXT},
        kwargs=_guest_token,
        watch=(Rsvp,),
    ),
    FormCase(
        "sessions:rsvp-cancel",
        "visitor",
        {"next": NEXT},
        kwargs=_guest_token,
        watch=(Rsvp,),
    ),
    FormCase(
        "sessions:guest-calendar-renew",
        "visitor",
        {},
        kwargs=_guest_token,
        watch=(FeedToken,),
    ),
    FormCase(
        "sessions:self-check-in",
        "visitor",
        {"name": text(120), "email": email()},
        kwargs=lambda world: {"slug": world.session.slug, "code": world.check_in_code},
        watch=(WalkIn, Rsvp),
    ),
    FormCase(
        "sessions:self-check-in",
        "member",
        {},
        kwargs=lambda world: {"slug": world.session.slug, "code": world.check_in_code},
        watch=(WalkIn, Rsvp),
    ),
    # Members
    FormCase(
        "sessions:my-calendar-options",
        "member",
        {"include_all": checkbox()},
        watch=(FeedToken,),
    ),
    FormCase("sessions:my-calendar-renew", "member", {}, watch=(FeedToken,)),
    # Organizers: the door
    FormCase(
        "sessions:session-check-in",
        "organizer",
        {"name": text(120, min_size=0), "count": integer(1, 500)},
        kwargs=_session,
        watch=(WalkIn,),
    ),
    FormCase(
        "sessions:rsvp-check-in",
        "organizer",
        {"action": choice("check-in", "undo")},
        kwargs=lambda world: {"slug": world.session.slug, "rsvp_id": world.guest_rsvp.pk},
    ),
    FormCase(
        "sessions:walk-in-delete",
        "organizer",
        {},
        kwargs=lambda world: {"slug": world.session.slug, "walk_in_id": world.walk_in.pk},
    ),
    # Organizers: sessions, series, venues
    FormCase(
        "sessions:session-create",
        "organizer",
        lambda world: {**_session_fields(world), "action": choice("publish", "save")},
        watch=(Session,),
    ),
    FormCase(
        "sessions:session-edit", "organizer", _session_fields, kwargs=_session, watch=(Session,)
    ),
    # The review step of a change people would hear about: the form in hidden fields,
    # who gets an email, a note, and the button pressed (left out: the first Save).
    FormCase(
        "sessions:session-edit",
        "organizer",
        lambda world: {**_session_fields(world), **NOTIFY},
        kwargs=_answered,
        watch=(Session, OutgoingEmail),
        label="review",
    ),
    FormCase(
        "sessions:session-publish",
        "organizer",
        {},
        kwargs=lambda world: {"slug": world.draft_session.slug},
    ),
    FormCase(
        "sessions:session-cancel",
        "organizer",
        {"reason": text(1000), **NOTIFY},
        kwargs=_answered,
        watch=(Session, OutgoingEmail),
    ),
    FormCase(
        "sessions:session-message",
        "organizer",
        {
            "audience": choice("going", "waitlist", "both"),
            "attend_as": choice("all", "in-person", "online"),
            "subject": text(150),
            "body": text(300),
            "action": choice("send", "preview"),
        },
        # With a guest going, so that sending has someone to send to.
        kwargs=lambda world: {"slug": world.guest_rsvp.session.slug},
        watch=(Dispatch, OutgoingEmail),
    ),
    FormCase(
        "sessions:series-create",
        "organizer",
        _series_fields,
        watch=(Series, RotationSlot, Session),
    ),
    FormCase(
        "sessions:series-edit",
        "organizer",
        lambda world: _series_fields(world, world.series),
        kwargs=lambda world: {"slug": world.series.slug},
        watch=(Series, RotationSlot, Session),
    ),
    FormCase(
        "sessions:series-preview",
        "organizer",
        _publish_fields,
        kwargs=lambda world: {"slug": world.series.slug},
        watch=(Session,),
    ),
    FormCase("sessions:venue-create", "organizer", _venue_fields, watch=(Venue,)),
    FormCase(
        "sessions:venue-edit",
        "organizer",
        _venue_fields,
        kwargs=lambda world: {"slug": world.venue.slug},
        watch=(Venue,),
    ),
]


@pytest.mark.parametrize("case", FORMS, ids=str)
def test_form_survives_hostile_input(case, member, other_member, organizer):
    fuzz_form(case, World(member=member, other_member=other_member, organizer=organizer))
