"""iCalendar data for sessions: invitations in RSVP emails, feeds and single-event downloads.

Everything is built with the icalendar library, never by hand, so escaping and line
folding are right. The output depends only on the data: the UID comes from the
session, DTSTAMP is the session's last change (not "now"), so building the same
session twice gives the same bytes and calendars see a repeat, not an update.
"""

from email.utils import parseaddr
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from icalendar import Calendar, Event, vCalAddress, vUri

from cop_portal.lib.language import QUERY_PARAMETER
from cop_portal.lib.urls import absolute_url
from sessions_app.models import AttendanceMode, AttendAs, ConversationFormat, RsvpStatus, TimeOfDay
from sessions_app.vtimezone import vtimezone

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
        str(TimeOfDay(session.time_of_day).label),
        str(ConversationFormat(session.format).label),
        str(AttendanceMode(session.attendance_mode).short_label),
    ]


def location(session: "Session") -> str:
    if session.in_room and session.venue is not None:
        return f"{session.venue.name}, {session.venue.full_address}"
    return _("Online")


def page_url(session: "Session") -> str:
    """The session page's absolute address, in the active language: a Spanish calendar
    entry opens the Spanish page (?lang=es), whatever that browser would choose."""
    url = absolute_url(session.get_absolute_url())
    language = translation.get_language() or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        url = f"{url}?{QUERY_PARAMETER}={language}"
    return url


YOUR_ANSWER = {
    RsvpStatus.GOING: gettext_lazy("You're going"),
    RsvpStatus.WAITLISTED: gettext_lazy("You're on the waitlist"),
}


def _your_answer(rsvp: "Rsvp") -> str:
    answer = str(YOUR_ANSWER.get(RsvpStatus(rsvp.status), ""))
    if answer and rsvp.session.in_room and rsvp.session.online:
        answer = f"{answer} ({str(AttendAs(rsvp.attend_as).label).lower()})"
    if rsvp.is_guest:
        # A feed is shared by every calendar it is added to: a guest's private link stays
        # in their own inbox, so the feed points there instead of carrying it.
        return _(
            "%(answer)s. To change or cancel, use the private link in your confirmation email."
        ) % {"answer": answer}
    return _("%(answer)s. Change or cancel: %(url)s") % {
        "answer": answer,
        "url": absolute_url(reverse("sessions:my-rsvps")),
    }


def description(
    session: "Session",
    *,
    include_conference: bool,
    yours: "Rsvp | None" = None,
    url: str | None = None,
) -> str:
    """Plain text for the calendar entry. Joining details only when asked for: public
    feeds and downloads never have them; invitations and personal feeds do, for people
    with a place. `yours` adds the reader's own answer, for personal feeds; `url`, the
    session page's address, saves working it out again."""
    parts: list[str] = []
    if yours is not None:
        parts.append(_your_answer(yours))
    if session.is_cancelled:
        reason = session.cancellation_reason.strip()
        cancelled = _("This session is cancelled.")
        parts.append(f"{cancelled} {reason}".strip())
    # The headline is the SUMMARY; the series (or one-off title) is context.
    parts.extend(text for text in (session.context, session.summary) if text)
    venue = session.venue if session.in_room else None
    if venue is not None and venue.accessibility_notes:
        parts.append(_("Accessibility: %(notes)s") % {"notes": venue.accessibility_notes})
    if include_conference and session.online and session.meeting_url:
        joining = _("Join online: %(url)s") % {"url": session.meeting_url}
        if session.joining_instructions:
            joining = f"{joining}\n{session.joining_instructions}"
        parts.append(joining)
    parts.append(_("Session page: %(url)s") % {"url": url or page_url(session)})
    return "\n\n".join(parts)


def rsvp_email(rsvp: "Rsvp") -> str:
    """Where a person's emails go: the member's account address or the guest's."""
    return rsvp.address


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
    session: "Session",
    *,
    include_conference: bool,
    attendee: "Rsvp | None" = None,
    yours: "Rsvp | None" = None,
) -> Event:
    """The session as a VEVENT, times local to Cleveland with their TZID.

    `include_conference` adds the meeting link (CONFERENCE and in the description);
    leave it off for anything that people without a place can read. With an
    `attendee`, the event names the organizer and that one person, as an invitation
    (RFC 5546) must; the meeting link still depends on `include_conference` alone.
    Add the event to a calendar made by `new_calendar` and finish it with `to_ical`,
    which adds the VTIMEZONE. `yours`, for personal feeds, is the reader's own RSVP
    (its `session` must be this session): it goes in the description, and a waitlisted
    place makes the event TENTATIVE with a "Waitlist:" prefix.
    """
    status, prefix = "CONFIRMED", ""
    if session.is_cancelled:
        status, prefix = "CANCELLED", _("Cancelled: ")
    elif yours is not None and yours.is_waitlisted:
        status, prefix = "TENTATIVE", _("Waitlist: ")
    url = page_url(session)
    # Plain add() calls: Event.new goes through property setters that cost more than
    # the serialization itself on a feed of a thousand events.
    event = Event()
    event.add("UID", event_uid(session))
    event.add("DTSTAMP", session.updated)
    event.add("LAST-MODIFIED", session.updated)
    event.add("SEQUENCE", session.sequence)
    event.add("DTSTART", session.local_starts_at.replace(microsecond=0))
    event.add("DTEND", session.local_ends_at.replace(microsecond=0))
    event.add("STATUS", status)
    event.add("SUMMARY", f"{prefix}{session.headline}")
    event.add("LOCATION", location(session))
    event.add("URL", url)
    event.add(
        "DESCRIPTION",
        description(session, include_conference=include_conference, yours=yours, url=url),
    )
    event.add("CATEGORIES", categories(session))
    if include_conference and session.online and session.meeting_url:
        event.add(
            "CONFERENCE",
            vUri(session.meeting_url),
            parameters={"VALUE": "URI", "FEATURE": "VIDEO"},
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


def _zone_years(calendar: Calendar) -> dict[str, list[int]]:
    """The years each time zone is used in, from the events' start and end times."""
    years: dict[str, list[int]] = {}
    for event in calendar.walk("VEVENT"):
        for name in ("DTSTART", "DTEND"):
            value = event[name].dt if name in event else None
            key = getattr(getattr(value, "tzinfo", None), "key", None)
            if key is not None and key != "UTC":
                years.setdefault(key, []).append(value.year)
    return years


def to_ical(calendar: Calendar) -> bytes:
    """Add a VTIMEZONE for every time zone the events use, then serialize.

    The VTIMEZONE (see `vtimezone`) covers the years of the events, so it stays
    short and depends only on the events: the same events give the same bytes.
    """
    for tzid, years in sorted(_zone_years(calendar).items(), reverse=True):
        calendar.subcomponents.insert(0, vtimezone(tzid, min(years), max(years)))
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
