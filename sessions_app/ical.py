"""iCalendar data for sessions: the invitations in RSVP emails (and, later, the feeds).

Everything is built with the icalendar library, never by hand, so escaping and line
folding are right. The output depends only on the data: the UID comes from the
session, DTSTAMP is the session's last change (not "now"), so building the same
session twice gives the same bytes and calendars see a repeat, not an update.
"""

from datetime import date
from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from icalendar import Calendar, Conference, Event, vCalAddress

from sessions_app.jsonld import absolute_url
from sessions_app.models import AttendanceMode, ConversationFormat, RsvpStatus, TimeOfDay

if TYPE_CHECKING:
    from sessions_app.models import Rsvp, Session

PRODID = "-//CoP Portal//Sessions//EN"
REQUEST = "REQUEST"
CANCEL = "CANCEL"
METHODS = (REQUEST, CANCEL)

PARTSTATS = {
    RsvpStatus.GOING: "ACCEPTED",
    RsvpStatus.WAITLISTED: "TENTATIVE",
    RsvpStatus.CANCELLED: "DECLINED",
}


def event_uid(session: "Session") -> str:
    """The session's calendar UID. Never changes, whatever is edited, so calendars
    update the event they already hold instead of adding a second one."""
    host = urlsplit(settings.SITE_URL).hostname or "localhost"
    return f"{session.uid}@{host}"


def categories(session: "Session") -> list[str]:
    return [
        TimeOfDay(session.time_of_day).label,
        ConversationFormat(session.format).label,
        AttendanceMode(session.attendance_mode).short_label,
    ]


def location(session: "Session") -> str:
    if session.in_room and session.venue is not None:
        return f"{session.venue.name}, {session.venue.address}"
    return "Online"


def description(session: "Session", *, include_conference: bool) -> str:
    """Plain text for the calendar entry. Joining details only when asked for: feeds are
    public, invitations go to people with a place."""
    parts: list[str] = []
    if session.is_cancelled:
        reason = session.cancellation_reason.strip()
        parts.append(f"This session is cancelled. {reason}".strip())
    parts.extend(text for text in (session.topic, session.summary) if text)
    venue = session.venue if session.in_room else None
    if venue is not None and venue.accessibility_notes:
        parts.append(f"Accessibility: {venue.accessibility_notes}")
    if include_conference and session.online and session.meeting_url:
        joining = f"Join online: {session.meeting_url}"
        if session.joining_instructions:
            joining = f"{joining}\n{session.joining_instructions}"
        parts.append(joining)
    parts.append(f"Session page: {absolute_url(session.get_absolute_url())}")
    return "\n\n".join(parts)


def rsvp_email(rsvp: "Rsvp") -> str:
    """Where a person's emails go: the member's account address or the guest's."""
    return rsvp.user.email if rsvp.user_id else rsvp.email


def _organizer() -> vCalAddress:
    _name, address = parseaddr(settings.DEFAULT_FROM_EMAIL)
    return vCalAddress.new(address or settings.DEFAULT_FROM_EMAIL, cn=settings.SITE_NAME)


def _attendee(rsvp: "Rsvp") -> vCalAddress:
    return vCalAddress.new(
        rsvp_email(rsvp),
        cn=rsvp.display_name,
        partstat=PARTSTATS[RsvpStatus(rsvp.status)],
        role="REQ-PARTICIPANT",
        # Answers happen on the site, not by replying to the calendar invitation.
        rsvp=False,
    )


def session_event(
    session: "Session", *, include_conference: bool, attendee: "Rsvp | None" = None
) -> Event:
    """The session as a VEVENT, times local to Cleveland with their TZID.

    `include_conference` adds the meeting link (CONFERENCE and in the description);
    leave it off for anything that people without a place can read. With an
    `attendee`, the event names the organizer and that one person, as an invitation
    (RFC 5546) must; the meeting link still depends on `include_conference` alone.
    Add the event to a calendar made by `new_calendar` and finish it with `to_ical`,
    which adds the VTIMEZONE.
    """
    prefix = "Cancelled: " if session.is_cancelled else ""
    event = Event.new(
        uid=event_uid(session),
        stamp=session.updated,
        last_modified=session.updated,
        sequence=session.sequence,
        start=session.local_starts_at.replace(microsecond=0),
        end=session.local_ends_at.replace(microsecond=0),
        status="CANCELLED" if session.is_cancelled else "CONFIRMED",
        summary=f"{prefix}{session.title}",
        location=location(session),
        url=absolute_url(session.get_absolute_url()),
        description=description(session, include_conference=include_conference),
        categories=categories(session),
        conferences=(
            [Conference(session.meeting_url, feature="VIDEO")]
            if include_conference and session.online and session.meeting_url
            else None
        ),
    )
    if attendee is not None:
        event.organizer = _organizer()
        event.attendees = [_attendee(attendee)]
    return event


def new_calendar(*, method: str | None = None) -> Calendar:
    """An empty VCALENDAR with the portal's PRODID. `Calendar.new` would add a random
    calendar UID, which breaks byte-identical output, so the fields are added by name."""
    calendar = Calendar()
    calendar.add("PRODID", PRODID)
    calendar.add("VERSION", "2.0")
    calendar.add("CALSCALE", "GREGORIAN")
    if method is not None:
        calendar.add("METHOD", method)
    return calendar


def to_ical(calendar: Calendar) -> bytes:
    """Add a VTIMEZONE for every TZID the events use, then serialize.

    The time zone rules cover the calendar years of its events (plus one), so the
    block stays short and depends only on the events.
    """
    years = [
        value.year
        for event in calendar.walk("VEVENT")
        for value in (event.start, event.end)
        if isinstance(value, date)
    ]
    if years:
        calendar.add_missing_timezones(
            first_date=date(min(years), 1, 1), last_date=date(max(years) + 2, 1, 1)
        )
    return calendar.to_ical()


def invitation(session: "Session", rsvp: "Rsvp", method: str) -> bytes:
    """A one-event calendar for one person: METHOD:REQUEST adds or updates the event in
    their calendar, METHOD:CANCEL takes it out (same UID, the session's SEQUENCE).

    The meeting link is in it only when the person may join online and it's a REQUEST.
    """
    if method not in METHODS:
        raise ValueError(f"Unknown iTIP method {method!r}.")
    include_conference = method == REQUEST and rsvp.may_join_online
    event = session_event(session, include_conference=include_conference, attendee=rsvp)
    if method == CANCEL:
        event.status = "CANCELLED"
    calendar = new_calendar(method=method)
    calendar.add_component(event)
    return to_ical(calendar)


__all__ = [
    "CANCEL",
    "PRODID",
    "REQUEST",
    "event_uid",
    "invitation",
    "new_calendar",
    "rsvp_email",
    "session_event",
    "to_ical",
]
