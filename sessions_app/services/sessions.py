"""Creating, changing, publishing and cancelling single sessions."""

from typing import Any

from django.db import transaction
from django.utils import timezone

from cop_portal.lib.slugs import unique_slug
from cop_portal.mail.kinds import MailKind
from sessions_app.announcements import announce
from sessions_app.models import Session, SessionStatus
from sessions_app.models.session import local_zone
from sessions_app.notifications import keep_to_what_was_told, notify
from sessions_app.notify_choice import NotifyAudience, audience_rsvps
from sessions_app.services.counts import month_people_refresh, session_counts_refresh
from sessions_app.services.rsvps import session_places_changed
from sessions_app.session_changes import CALENDAR_FIELDS, edit_news, edited, told_snapshot

__all__ = [
    "CALENDAR_FIELDS",
    "session_cancel",
    "session_create",
    "session_publish",
    "session_slug_text",
    "session_update",
]


def session_slug_text(session: Session) -> str:
    """A new session's slug: the date and what it's about (made once, never changed)."""
    return f"{timezone.localtime(session.starts_at):%Y-%m-%d} {session.topic or session.title}"


@transaction.atomic
def session_create(*, fields: dict[str, Any], publish: bool) -> Session:
    """Create a one-off session, as a draft or published straight away.

    Side effects: the session's stored counts (all zero, and its month, for the
    statistics); a published session is announced after the commit to members who
    asked for announcements.
    """
    session = Session(**fields)
    session.status = SessionStatus.PUBLISHED if publish else SessionStatus.DRAFT
    session.edited = True
    session.slug = unique_slug(Session, session_slug_text(session), fallback="session")
    session.full_clean()
    session.save()
    session_counts_refresh(session_ids=[session.pk])
    announce([session])  # drafts are left out
    return session


@transaction.atomic
def session_update(
    *,
    session: Session,
    fields: dict[str, Any],
    audience: NotifyAudience = NotifyAudience.EVERYONE,
    note: str = "",
) -> bool:
    """Apply an organizer's edit. Returns True when time, place or mode changed.

    Side effects: the session is marked as edited, so regenerating its series
    never overwrites it; `sequence` grows when calendars must update (time, place, mode,
    the topic, which is the session's title in calendars, or a new meeting link), and
    then the `audience` the organizer chose (everyone with an RSVP by default, only
    people going, or nobody) gets a "session changed" email after the commit, saying
    what changed (the session as it was is kept with the email) with the organizer's
    `note`, and the emails still waiting for the people left out keep to the change they
    were queued for (notifications.keep_to_what_was_told); a new meeting link alone
    goes only to the people with a place who may join online; new places (more seats,
    a new mode) go to the waitlist in order, whoever hears about the change.
    """
    news = edit_news(session, edited(session, fields))
    was = told_snapshot(session)
    places_before = (session.capacity, session.online_capacity)
    starts_before = session.starts_at
    counted_before = _counted_by(session)
    for name, value in fields.items():
        setattr(session, name, value)
    if news.for_calendars:
        session.sequence += 1
    session.edited = True
    session.full_clean()
    session.save()
    if _counted_by(session) != counted_before:
        # Statistics: who came, and the sessions, in its month (if over), and in the
        # month it left.
        session_counts_refresh(session_ids=[session.pk])
        if session.starts_at != starts_before:
            month_people_refresh(months=[timezone.localtime(starts_before, local_zone()).date()])
    if session.status == SessionStatus.PUBLISHED and news.for_calendars:
        rsvps = list(audience_rsvps(session, audience, link_only=news.link_only))
        notify(MailKind.SESSION_CHANGED, rsvps, before=was, note=note)
        keep_to_what_was_told(session=session, told=rsvps, was=was)
    if news.moved or (session.capacity, session.online_capacity) != places_before:
        session_places_changed(session=session)
    return news.moved


def _counted_by(session: Session) -> tuple[Any, ...]:
    """What the statistics' stored months count a session by: its start (its month),
    slot and attendance mode."""
    return (session.starts_at, session.time_of_day, session.format, session.attendance_mode)


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
    session_counts_refresh(session_ids=[session.pk])  # its month's people, if over
    announce([session])


@transaction.atomic
def session_cancel(
    *,
    session: Session,
    reason: str,
    audience: NotifyAudience = NotifyAudience.EVERYONE,
    note: str = "",
) -> None:
    """Call a session off, keeping its page up with the reason.

    Side effects: `sequence` grows; the session leaves upcoming lists and stays
    in calendars marked as cancelled; series regeneration leaves it alone; the
    `audience` the organizer chose (everyone with an RSVP by default, only people
    going, or nobody) gets a cancellation email (METHOD:CANCEL) with the reason and the
    organizer's `note` after the commit.
    """
    if session.status == SessionStatus.CANCELLED:
        return
    session.status = SessionStatus.CANCELLED
    session.cancellation_reason = reason
    session.sequence += 1
    session.edited = True
    session.save(update_fields=["status", "cancellation_reason", "sequence", "edited", "updated"])
    session_counts_refresh(session_ids=[session.pk])  # its month's people, if over
    notify(MailKind.SESSION_CANCELLED, list(audience_rsvps(session, audience)), note=note)
