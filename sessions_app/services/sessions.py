"""Creating, changing, publishing and cancelling single sessions."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from cop_portal.lib.slugs import unique_slug
from cop_portal.mail.kinds import MailKind
from sessions_app.announcements import announce
from sessions_app.models import Session, SessionStatus
from sessions_app.notifications import notify
from sessions_app.services.rsvps import session_places_changed
from sessions_app.session_changes import snapshot

# A change to any of these moves the event in people's calendars, so the
# iCalendar SEQUENCE must grow (RFC 5545 §3.8.7.4).
CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_id", "attendance_mode", "status")


def session_slug_text(session: Session) -> str:
    """A new session's slug: the date and what it's about (made once, never changed)."""
    return f"{timezone.localtime(session.starts_at):%Y-%m-%d} {session.topic or session.title}"


def _calendar_state(session: Session) -> tuple[Any, ...]:
    return tuple(getattr(session, field) for field in CALENDAR_FIELDS)


@transaction.atomic
def session_create(*, fields: dict[str, Any], publish: bool) -> Session:
    """Create a one-off session, as a draft or published straight away.

    Side effects: a published session is announced after the commit to members who
    asked for announcements.
    """
    session = Session(**fields)
    session.status = SessionStatus.PUBLISHED if publish else SessionStatus.DRAFT
    session.edited = True
    session.slug = unique_slug(Session, session_slug_text(session), fallback="session")
    session.full_clean()
    session.save()
    announce([session])  # drafts are left out
    return session


@transaction.atomic
def session_update(*, session: Session, fields: dict[str, Any]) -> bool:
    """Apply an organizer's edit. Returns True when time, place or mode changed.

    Side effects: the session is marked as edited, so regenerating its series
    never overwrites it; `sequence` grows when calendars must update, and then
    everyone with an RSVP gets a "session changed" email after the commit (also when
    the topic, the session's title in calendars, changes), saying what changed (the
    session as it was is kept with the email); a new meeting link alone goes to the
    people with a place who may join online; new places (more seats, a new mode) go to
    the waitlist in order.
    """
    before = _calendar_state(session)
    was = snapshot(session)
    places_before = (session.capacity, session.online_capacity)
    link_before = session.meeting_url
    headline_before = session.headline
    for name, value in fields.items():
        setattr(session, name, value)
    moved = _calendar_state(session) != before
    # The link is in the calendar event too (CONFERENCE): a new one updates it.
    new_link = bool(link_before) and session.online and session.meeting_url != link_before
    # The headline is the event's SUMMARY: a topic added later must reach the invitations
    # already sent ("Topic to be announced"), so it updates them like a move does.
    renamed = session.headline != headline_before
    if moved or new_link or renamed:
        session.sequence += 1
    session.edited = True
    session.full_clean()
    session.save()
    if session.status == SessionStatus.PUBLISHED and (moved or new_link or renamed):
        rsvps = list(session.rsvps.active())
        if not (moved or renamed):
            rsvps = [rsvp for rsvp in rsvps if rsvp.may_join_online]
        notify(MailKind.SESSION_CHANGED, rsvps, before=was)
    if moved or (session.capacity, session.online_capacity) != places_before:
        session_places_changed(session=session)
    return moved


@transaction.atomic
def session_publish(*, session: Session) -> None:
    """Make a draft visible to everyone.

    Side effects: `sequence` grows (status changed); the session is announced after
    the commit to members who asked for announcements.
    """
    if session.status != SessionStatus.DRAFT:
        return
    session.status = SessionStatus.PUBLISHED
    session.sequence += 1
    session.save(update_fields=["status", "sequence", "updated"])
    announce([session])


@transaction.atomic
def session_cancel(*, session: Session, reason: str) -> None:
    """Call a session off, keeping its page up with the reason.

    Side effects: `sequence` grows; the session leaves upcoming lists and stays
    in calendars marked as cancelled; series regeneration leaves it alone; everyone
    with an RSVP gets a cancellation email (METHOD:CANCEL) after the commit.
    """
    if session.status == SessionStatus.CANCELLED:
        return
    session.status = SessionStatus.CANCELLED
    session.cancellation_reason = reason
    session.sequence += 1
    session.edited = True
    session.save(update_fields=["status", "cancellation_reason", "sequence", "edited", "updated"])
    notify(MailKind.SESSION_CANCELLED, list(session.rsvps.active()))
