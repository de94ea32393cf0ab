"""Saving a series with its rotation, and publishing its occurrences as sessions."""

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime

from dateutil.relativedelta import relativedelta
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from cop_portal.lib.content_version import content_changed
from cop_portal.lib.slugs import unique_slug
from cop_portal.mail.kinds import MailKind
from sessions_app.announcements import announce
from sessions_app.models import RotationSlot, Series, Session, SessionStatus
from sessions_app.models.choices import ONLINE_MODES
from sessions_app.notifications import notify
from sessions_app.rotation import PlannedOccurrence, plan_occurrences
from sessions_app.services.rsvps import session_places_changed
from sessions_app.session_changes import Snapshot, snapshot

# Fields a session takes from its rotation slot (and follows while unedited).
SLOT_FIELDS = ("time_of_day", "format", "attendance_mode", "venue_id", "starts_at", "ends_at")


@dataclass
class PublishResult:
    created: list[Session] = field(default_factory=list)
    updated: list[Session] = field(default_factory=list)
    left_alone: int = 0  # edited or cancelled occurrences that keep their own details


@transaction.atomic
def series_save(
    *,
    series: Series,
    slots: Sequence[RotationSlot],
    removed: Sequence[RotationSlot] = (),
) -> Series:
    """Save a series and its rotation, slots numbered in the order given.

    Side effects: removed slots are deleted. Sessions already published keep
    their details until the series is published again.
    """
    if not series.slug:
        series.slug = unique_slug(Series, series.title, fallback="series", max_length=120)
    series.full_clean()
    series.save()
    for slot in removed:
        if slot.pk:
            slot.delete()
    for position, slot in enumerate(slots):
        slot.series = series
        slot.position = position
        slot.full_clean()
        slot.save()
    return series


def publish_horizon(months: int, *, today: date | None = None) -> date:
    """The last date covered by "publish the next N months"."""
    return (today or timezone.localdate()) + relativedelta(months=months)


def _follow_slot(session: Session, planned: PlannedOccurrence, meeting_url: str) -> bool:
    """Bring an unedited session in line with its slot; True when anything moved."""
    slot = planned.slot
    wanted = {
        "time_of_day": slot.time_of_day,
        "format": slot.format,
        "attendance_mode": slot.attendance_mode,
        "venue_id": slot.venue_id,
        "starts_at": planned.starts_at,
        "ends_at": planned.ends_at,
    }
    changed = [name for name, value in wanted.items() if getattr(session, name) != value]
    for name in changed:
        setattr(session, name, wanted[name])
    if slot.attendance_mode in ONLINE_MODES and not session.meeting_url and meeting_url:
        # A slot that went online: its sessions need the series' link to be joinable.
        session.meeting_url = meeting_url
        changed.append("meeting_url")
    return bool(changed)


def _new_session(series: Series, planned: PlannedOccurrence) -> Session:
    slot = planned.slot
    return Session(
        series=series,
        occurrence_date=planned.date,
        title=series.title,
        summary=series.description[:1000],
        time_of_day=slot.time_of_day,
        format=slot.format,
        attendance_mode=slot.attendance_mode,
        venue_id=slot.venue_id,
        starts_at=planned.starts_at,
        ends_at=planned.ends_at,
        meeting_url=series.meeting_url if slot.attendance_mode in ONLINE_MODES else "",
        joining_instructions=series.joining_instructions,
        status=SessionStatus.PUBLISHED,
    )


def _assign_slugs(sessions: list[Session], series: Series) -> None:
    """Slugs like 2026-12-16-community-of-practice, in one query for the batch."""
    wanted = {
        id(session): f"{planned_day:%Y-%m-%d}-{slugify(series.title)[:60].strip('-')}"
        for session in sessions
        if (planned_day := session.occurrence_date)
    }
    taken = set(Session.objects.filter(slug__in=wanted.values()).values_list("slug", flat=True))
    for session in sessions:
        slug = wanted[id(session)]
        if slug in taken:
            slug = unique_slug(Session, slug, fallback="session", reserved=taken)
        taken.add(slug)
        session.slug = slug


@transaction.atomic
def series_publish(
    *, series: Series, until: date, since: date | None = None, now: datetime | None = None
) -> PublishResult:
    """Publish every occurrence of the series from `since` (default today) to `until`.

    Idempotent: occurrences that already have a session are not created again.
    Upcoming sessions nobody edited follow the current rotation (their sequence
    grows when their time or place moves); edited and cancelled sessions, and
    past ones, are left exactly as they are. Excluded dates get no session.

    Side effects: creates and updates Session rows. Two runs for the same series
    wait for each other (the series row is locked), so cron and an organizer
    pressing "Publish" at once cannot create duplicates. New sessions are announced
    after the commit to members who asked for announcements; people with an RSVP for
    a session the rotation moved get a "session changed" email saying what moved.
    """
    now = now or timezone.now()
    since = since or timezone.localdate(now)
    result = PublishResult()
    Series.objects.select_for_update().filter(pk=series.pk).first()
    slots = list(series.slots.all())
    existing = {
        session.occurrence_date: session
        for session in series.sessions.filter(occurrence_date__gte=since).select_related("venue")
    }
    # How each session that follows the rotation was, for its "session changed" email.
    was: dict[int, Snapshot] = {}
    for planned in plan_occurrences(series, slots, until=until):
        if planned.date < since or planned.excluded:
            continue
        session = existing.get(planned.date)
        if session is None:
            result.created.append(_new_session(series, planned))
        elif session.edited or session.status != SessionStatus.PUBLISHED:
            result.left_alone += 1
        elif session.starts_at > now:
            before = snapshot(session)
            if _follow_slot(session, planned, series.meeting_url):
                session.sequence += 1
                session.updated = now  # bulk_update skips auto_now
                result.updated.append(session)
                was[session.pk] = before
    _assign_slugs(result.created, series)
    Session.objects.bulk_create(result.created)
    announce(result.created)
    Session.objects.bulk_update(
        result.updated, [*_slot_model_fields(), "meeting_url", "sequence", "updated"]
    )
    for session in result.updated:
        # Moved by the rotation: people who answered hear about it, as for an edit.
        notify(MailKind.SESSION_CHANGED, list(session.rsvps.active()), before=was[session.pk])
        session_places_changed(session=session)
    content_changed()  # bulk_create and bulk_update send no signals
    return result


def _slot_model_fields() -> list[str]:
    return [name.removesuffix("_id") for name in SLOT_FIELDS]
