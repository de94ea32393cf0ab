"""schema.org Event data for a session page, so search engines and calendars read it right.

The meeting link never appears here: the virtual location is the session page
itself, where people RSVP to receive the link.
"""

import json
from typing import Any

from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

from cop_portal.lib.urls import absolute_url
from sessions_app.models import AttendanceMode, Session

SCHEMA = "https://schema.org/"

ATTENDANCE_MODES = {
    AttendanceMode.IN_PERSON: "OfflineEventAttendanceMode",
    AttendanceMode.ONLINE: "OnlineEventAttendanceMode",
    AttendanceMode.HYBRID: "MixedEventAttendanceMode",
}

# Inside <script>, "</script>" or "<!--" in a title would end the block early.
_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def _place(session: Session) -> dict[str, Any]:
    venue = session.venue
    address = {
        "@type": "PostalAddress",
        "streetAddress": venue.address,
        "addressLocality": venue.city,
        "addressRegion": venue.state,
        "postalCode": venue.postal_code,
        "addressCountry": "US",
    }
    place: dict[str, Any] = {
        "@type": "Place",
        "name": venue.name,
        "address": {key: value for key, value in address.items() if value},
    }
    if venue.accessibility_notes:
        place["description"] = _("Accessibility: %(notes)s") % {"notes": venue.accessibility_notes}
    return place


def session_event(session: Session) -> dict[str, Any]:
    """The session as a schema.org Event, times in Cleveland with their UTC offset."""
    url = absolute_url(session.get_absolute_url())
    locations: list[dict[str, Any]] = []
    if session.in_room and session.venue is not None:
        locations.append(_place(session))
    if session.online:
        locations.append({"@type": "VirtualLocation", "url": url})
    event: dict[str, Any] = {
        "@context": "https://schema.org",
        "@type": "Event",
        "name": session.headline,
        "description": session.summary or session.headline,
        "startDate": session.local_starts_at.isoformat(timespec="seconds"),
        "endDate": session.local_ends_at.isoformat(timespec="seconds"),
        "eventStatus": SCHEMA + ("EventCancelled" if session.is_cancelled else "EventScheduled"),
        "eventAttendanceMode": SCHEMA + ATTENDANCE_MODES[AttendanceMode(session.attendance_mode)],
        "location": locations[0] if len(locations) == 1 else locations,
        "organizer": {
            "@type": "Organization",
            "name": settings.SITE_NAME,
            "url": settings.SITE_URL,
        },
        "url": url,
        "isAccessibleForFree": True,
    }
    return event


def jsonld_script(data: dict[str, Any]) -> SafeString:
    """A <script type="application/ld+json"> block; browsers never run it (so the CSP
    allows it), and the escapes keep the text from closing the block early."""
    text = json.dumps(data, ensure_ascii=False).translate(_SCRIPT_ESCAPES)
    return format_html(
        '<script type="application/ld+json">{}</script>',
        mark_safe(text),  # noqa: S308 - <, > and & are escaped just above
    )
