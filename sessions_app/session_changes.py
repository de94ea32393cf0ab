"""What a "session changed" email says changed: the time, date or place people act on,
old → new.

The services take a `snapshot` of the session before an edit and queue it with each
email (in the outbox row's params, which commit with the change); the email is rendered
later, by the worker, comparing that snapshot with the session as it is then
(`differences`). Two edits before the email goes are one email (see
sessions_app.notifications.notify): the oldest "before" against the current "after".

The meeting link itself is never stored or shown in a difference: only a digest of it,
to say that it changed.

Before an edit is saved, `edited` and `edit_news` say what it would mean for people:
whether calendars must update and who would get an email (the organizer sees that, and
chooses, first: sessions_app.notify_choice).
"""

import copy
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cop_portal.lib.dates import date_as
from sessions_app.models import Session, Venue
from sessions_app.models.session import local_zone

Snapshot = dict[str, Any]

# A change to any of these moves the event in people's calendars, so the
# iCalendar SEQUENCE must grow (RFC 5545 §3.8.7.4).
CALENDAR_FIELDS = ("starts_at", "ends_at", "venue_id", "attendance_mode", "status")

# The lines of a difference, in the reader's language. title_for compares them with these
# same lazy texts, so it works whichever language is active.
TOPIC = gettext_lazy("Topic")
DATE = gettext_lazy("Date")
TIME = gettext_lazy("Time")
PLACE = gettext_lazy("Place")
MEETING_LINK = gettext_lazy("Meeting link")


@dataclass(frozen=True)
class Change:
    """One line of the difference: "Time: Wed, Dec 16, 6:00 PM → 6:30 PM". A change
    with no `before` only says that something changed (the meeting link)."""

    label: str
    before: str
    after: str

    def __str__(self) -> str:
        if not self.before:
            return f"{self.label}: {self.after}"
        return f"{self.label}: {self.before} → {self.after}"


def subject_name(session: Session) -> str:
    """How a subject line names a session: its headline, or the series' name while the
    topic is still to be announced ("You're in: Topic to be announced" says nothing)."""
    return session.headline if session.has_topic else session.title


def link_digest(url: str) -> str:
    return hashlib.sha256(url.encode()).hexdigest()[:16] if url else ""


def in_language_key(name: str, language: str) -> str:
    """Where a snapshot keeps a text in a language ("headline", "where" for English, as
    snapshots queued before Spanish did; "headline_es", "where_es")."""
    return name if language == settings.LANGUAGE_CODE else f"{name}_{language}"


def headline_key(language: str) -> str:
    return in_language_key("headline", language)


def _in_each_language(name: str, text: Callable[[], str]) -> dict[str, str]:
    found = {}
    for language, _name in settings.LANGUAGES:
        with translation.override(language):
            found[in_language_key(name, language)] = text()
    return found


def headlines(session: Session) -> dict[str, str]:
    """The session's headline in each language, keyed as a snapshot keeps them."""
    return _in_each_language("headline", lambda: session.headline)


def snapshot(session: Session) -> Snapshot:
    """The fields people act on, as JSON, to compare with later; the headline in each
    language, since the email is written in each reader's."""
    return {
        "starts_at": session.starts_at.isoformat(),
        "ends_at": session.ends_at.isoformat(),
        "attendance_mode": str(session.attendance_mode),
        "venue": session.venue_id,
        # Where it was, in each reader's language ("…, and online" / "…, y en línea").
        **_in_each_language("where", lambda: place(session)),
        "link": link_digest(session.meeting_url) if session.online else "",
        **headlines(session),
    }


def told_snapshot(session: Session) -> Snapshot:
    """The session as people were last told about it, kept with a "session changed" email
    still waiting when a later change leaves its reader out (the organizer told only people
    going, or nobody): the email then says only what it was queued for (`as_told`). The
    calendar `sequence` goes with it, for the invitation."""
    return {**snapshot(session), "sequence": session.sequence}


def as_told(session: Session, told: Snapshot) -> Session:
    """The session as a `told_snapshot` has it (when, where, mode, the calendar sequence),
    unsaved, for the email and invitation of someone left out of the changes since; the
    rest is as it is now. Reads the venue only when it has changed since."""
    fields: dict[str, Any] = {
        "starts_at": datetime.fromisoformat(told["starts_at"]),
        "ends_at": datetime.fromisoformat(told["ends_at"]),
        "attendance_mode": told["attendance_mode"],
        "sequence": told.get("sequence", session.sequence),
    }
    if told.get("venue") != session.venue_id:
        fields["venue"] = Venue.objects.filter(pk=told.get("venue")).first()
    return edited(session, fields)


def place(session: Session) -> str:
    """ "Hough office, 8 Main St, and online", "Online": where, in a few words."""
    if not session.in_room or session.venue is None:
        return _("Online")
    where = session.venue.name
    if session.venue.address:
        where = f"{where}, {session.venue.address}"
    return _("%(where)s, and online") % {"where": where} if session.online else where


def _day(moment: datetime) -> str:
    return date_as(moment, "SHORT_WEEKDAY_DAY")


def _time(moment: datetime) -> str:
    return date_as(moment, "CLOCK")


def _span(starts: datetime, ends: datetime) -> str:
    return f"{_time(starts)} \N{EN DASH} {_time(ends)}"


def differences(before: Snapshot, session: Session, *, show_link: bool) -> list[Change]:
    """What changed between the snapshot and the session now, in the order people read
    it: what it's about, when, then where, then the meeting link (only for those who get
    the link: `show_link`). Empty when it changed back meanwhile."""
    changes: list[Change] = []
    # Snapshots queued before topics were compared have no headline: nothing to say.
    key = headline_key(translation.get_language() or settings.LANGUAGE_CODE)
    old_headline = before.get(key, before.get("headline", session.headline))
    if old_headline != session.headline:
        changes.append(Change(TOPIC, old_headline, session.headline))
    zone = local_zone()
    try:
        old_start = timezone.localtime(datetime.fromisoformat(before["starts_at"]), zone)
        old_end = timezone.localtime(datetime.fromisoformat(before["ends_at"]), zone)
    except (KeyError, TypeError, ValueError):
        return changes
    new_start, new_end = session.local_starts_at, session.local_ends_at
    if old_start.date() != new_start.date():
        changes.append(
            Change(
                DATE,
                f"{_day(old_start)}, {_span(old_start, old_end)}",
                f"{_day(new_start)}, {_span(new_start, new_end)}",
            )
        )
    elif (old_start, old_end) != (new_start, new_end):
        changes.append(
            Change(
                TIME,
                f"{_day(old_start)}, {_span(old_start, old_end)}",
                _span(new_start, new_end),
            )
        )
    moved = (before.get("venue"), before.get("attendance_mode")) != (
        session.venue_id,
        str(session.attendance_mode),
    )
    where_key = in_language_key("where", translation.get_language() or settings.LANGUAGE_CODE)
    old_where = str(before.get(where_key, before.get("where", "")))
    if moved and old_where != place(session):
        changes.append(Change(PLACE, old_where, place(session)))
    old_link = before.get("link", "")
    if show_link and old_link and session.online and old_link != link_digest(session.meeting_url):
        changes.append(Change(MEETING_LINK, "", _("changed, the new one is below")))
    return changes


def title_for(changes: list[Change]) -> str:
    """The email's heading and the start of its subject: "New time", "New place"…"""
    labels = {str(change.label) for change in changes}
    when = bool(labels & {str(DATE), str(TIME)})
    where = str(PLACE) in labels
    if when and where:
        return _("New time and place")
    if str(DATE) in labels:
        return _("New date")
    if when:
        return _("New time")
    if where:
        return _("New place")
    if labels == {str(MEETING_LINK)}:
        return _("New meeting link")
    if labels == {str(TOPIC)}:
        return _("New topic")
    return _("Session changed")


def edited(session: Session, fields: dict[str, Any]) -> Session:
    """The session as it would be with these fields, unsaved (the session itself is left
    as it is: a model's copy has its own cache of related rows)."""
    after = copy.copy(session)
    for name, value in fields.items():
        setattr(after, name, value)
    return after


@dataclass(frozen=True)
class EditNews:
    """What an edit means for people with an RSVP, known before it is saved."""

    moved: bool  # time, place, mode or status: calendars must update
    new_link: bool  # a new meeting link, in the event too (CONFERENCE)
    renamed: bool  # the headline is the event's SUMMARY

    @property
    def for_calendars(self) -> bool:
        """Whether the event's SEQUENCE grows, and people with an RSVP hear about it."""
        return self.moved or self.new_link or self.renamed

    @property
    def link_only(self) -> bool:
        """A new meeting link and nothing else: news only for people who get the link."""
        return self.new_link and not (self.moved or self.renamed)


def _calendar_state(session: Session) -> tuple[Any, ...]:
    return tuple(getattr(session, field) for field in CALENDAR_FIELDS)


def edit_news(before: Session, after: Session) -> EditNews:
    """What changes between the session now and as edited (see `edited`)."""
    return EditNews(
        moved=_calendar_state(after) != _calendar_state(before),
        new_link=bool(before.meeting_url)
        and after.online
        and after.meeting_url != before.meeting_url,
        # A topic added later must reach the invitations already sent ("Topic to be
        # announced"), so it updates them like a move does.
        # In either language: each reader's calendar shows the headline in theirs.
        renamed=headlines(after) != headlines(before),
    )
