"""Links into calendar apps: subscribe to a feed, add one session; and which app polled.

Google and Outlook take an event's times in UTC with a Z, which no time zone
setting on either side can misread.
"""

from datetime import UTC, datetime
from urllib.parse import urlencode, urlsplit, urlunsplit

from sessions_app.ical import description, location
from sessions_app.models import Session

GOOGLE_RENDER = "https://calendar.google.com/calendar/render"
OUTLOOK_HOSTS = {
    "outlook": "https://outlook.live.com",
    "office": "https://outlook.office.com",
}
# Calendar apps' own words for themselves in the User-Agent header, most specific first.
APP_SIGNATURES = (
    ("Google-Calendar-Importer", "Google Calendar"),
    ("Thunderbird", "Thunderbird"),
    ("dataaccessd", "Apple Calendar"),
    ("CalendarAgent", "Apple Calendar"),
    ("iCal", "Apple Calendar"),
    ("Outlook", "Outlook"),
    ("Microsoft", "Outlook"),
    ("Exchange", "Outlook"),
)


def webcal_url(url: str) -> str:
    """The same address with the webcal:// scheme, which opens the calendar app."""
    parts = urlsplit(url)
    return urlunsplit(("webcal", *parts[1:]))


def google_subscribe_url(url: str) -> str:
    """Google Calendar's "add by URL" page, with the feed filled in."""
    return f"{GOOGLE_RENDER}?{urlencode({'cid': webcal_url(url)})}"


def subscribe_links(url: str) -> dict[str, str]:
    """A feed's address in the forms people subscribe with: `url` to copy, `webcal` to
    open the calendar app, `google` for Google Calendar's "add by URL"."""
    return {"url": url, "webcal": webcal_url(url), "google": google_subscribe_url(url)}


def _utc(moment: datetime, pattern: str) -> str:
    return moment.astimezone(UTC).strftime(pattern)


def google_event_url(session: Session) -> str:
    """Google Calendar's new-event page, filled in (no meeting link: it's public)."""
    dates = "/".join(
        _utc(moment, "%Y%m%dT%H%M%SZ") for moment in (session.starts_at, session.ends_at)
    )
    query = {
        "action": "TEMPLATE",
        "text": session.headline,
        "dates": dates,
        "details": description(session, include_conference=False),
        "location": location(session),
    }
    return f"{GOOGLE_RENDER}?{urlencode(query)}"


def outlook_event_url(session: Session, *, service: str = "outlook") -> str:
    """Outlook on the web's new-event page: "outlook" for personal accounts (Outlook.com),
    "office" for work and school accounts (Microsoft 365)."""
    query = {
        "path": "/calendar/action/compose",
        "rru": "addevent",
        "subject": session.headline,
        "startdt": _utc(session.starts_at, "%Y-%m-%dT%H:%M:%SZ"),
        "enddt": _utc(session.ends_at, "%Y-%m-%dT%H:%M:%SZ"),
        "body": description(session, include_conference=False),
        "location": location(session),
    }
    return f"{OUTLOOK_HOSTS[service]}/calendar/0/deeplink/compose?{urlencode(query)}"


def calendar_app_name(user_agent: str) -> str:
    """ "Google Calendar", "Apple Calendar"…, or "" when the app doesn't say."""
    for signature, name in APP_SIGNATURES:
        if signature in user_agent:
            return name
    return ""
