"""Saving a series with its rotation, and publishing its occurrences as sessions."""

import hashlib
from collections.abc import Container, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

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
from sessions_app.models.session import local_today
from sessions_app.notifications import keep_to_what_was_told, notify
from sessions_app.notify_choice import (
    NOBODY_TOLD,
    NotifyAudience,
    Told,
    audience_rsvps,
    told_by_session,
)
from sessions_app.rotation import PlannedOccurrence, plan_occurrences, upcoming_occurrences
from sessions_app.services.rsvps import session_places_changed
from sessions_app.session_changes import Snapshot, told_snapshot

# Fields a session takes from its rotation slot (and follows while unedited).
SLOT_FIELDS = ("time_of_day", "format", "attendance_mode", "venue_id", "starts_at", "ends_at")

# "Publish the next N months": at least this many by default, at most MAX_PUBLISH_MONTHS.
DEFAULT_PUBLISH_MONTHS = 3
MAX_PUBLISH_MONTHS = 24
# How many dates not yet published the default horizon always reaches.
DEFAULT_NEW_DATES = 2


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
    return (today or local_today()) + relativedelta(months=months)


def default_publish_months(
    upcoming: Iterable[PlannedOccurrence], published: Container[date], *, today: date
) -> int:
    """The smallest whole number of months, at least DEFAULT_PUBLISH_MONTHS, that
    reaches the next two dates not yet published (so "publish" always has something to
    do while the schedule has dates), at most MAX_PUBLISH_MONTHS."""
    new_dates = [
        planned.date
        for planned in upcoming
        if planned.date >= today and not planned.excluded and planned.date not in published
    ][:DEFAULT_NEW_DATES]
    months = DEFAULT_PUBLISH_MONTHS
    while (
        new_dates
        and months < MAX_PUBLISH_MONTHS
        and publish_horizon(months, today=today) < new_dates[-1]
    ):
        months += 1
    return months


def _slot_changes(session: Session, planned: PlannedOccurrence, meeting_url: str) -> dict[str, Any]:
    """What an unedited session must change to follow its slot (empty when nothing)."""
    slot = planned.slot
    wanted = {
        "time_of_day": slot.time_of_day,
        "format": slot.format,
        "attendance_mode": slot.attendance_mode,
        "venue_id": slot.venue_id,
        "starts_at": planned.starts_at,
        "ends_at": planned.ends_at,
    }
    changes = {name: value for name, value in wanted.items() if getattr(session, name) != value}
    if slot.attendance_mode in ONLINE_MODES and not session.meeting_url and meeting_url:
        # A slot that went online: its sessions need the series' link to be joinable.
        changes["meeting_url"] = meeting_url
    return changes


@dataclass(frozen=True)
class PlannedMove:
    """An upcoming session nobody edited, and where its slot now puts it."""

    session: Session
    planned: PlannedOccurrence
    changes: dict[str, Any]


@dataclass
class PublishPlan:
    """What publishing the series through `until` would do, computed without saving."""

    until: date
    create: list[PlannedOccurrence] = field(default_factory=list)
    move: list[PlannedMove] = field(default_factory=list)
    # Edited, cancelled or draft sessions on the dates covered: kept exactly as they are.
    leave: list[Session] = field(default_factory=list)
    title: str = ""
    # Who would hear about each move (sessions_app.notify_choice), by session id; moved
    # sessions nobody answered are left out.
    told: dict[int, Told] = field(default_factory=dict)

    @property
    def does_something(self) -> bool:
        return bool(self.create or self.move)

    def told_about(self, session: Session) -> Told:
        return self.told.get(session.pk, NOBODY_TOLD)

    @property
    def told_in_all(self) -> Told:
        """Everyone the moves would email, added up over the moved sessions (someone
        with an RSVP for two of them gets two emails)."""
        return Told(
            going=sum(told.going for told in self.told.values()),
            waitlisted=sum(told.waitlisted for told in self.told.values()),
        )

    @property
    def fingerprint(self) -> str:
        """A digest of what would be created and moved, and of how many people each move
        would email, carried by the publish form, so a publish does exactly what the
        organizer was shown (the dates, and the numbers next to their choice of who is
        told) or nothing."""
        parts: list[str] = [self.title]
        for planned in self.create:
            slot = planned.slot
            parts.append(
                f"new {planned.starts_at.isoformat()} {planned.ends_at.isoformat()} "
                f"{slot.time_of_day} {slot.format} {slot.attendance_mode} {slot.venue_id}"
            )
        for move in self.move:
            changes = sorted((name, str(value)) for name, value in move.changes.items())
            told = self.told_about(move.session)
            parts.append(f"move {move.session.pk} {changes} told {told.going} {told.waitlisted}")
        return hashlib.sha256("\n".join(parts).encode()).hexdigest()[:20]


class PublishPlanChanged(Exception):
    """The series or its sessions changed since the organizer saw the plan."""

    def __init__(self, plan: PublishPlan) -> None:
        super().__init__("The publish plan changed.")
        self.plan = plan


def series_publish_plan(
    *,
    series: Series,
    until: date,
    since: date | None = None,
    now: datetime | None = None,
    slots: Sequence[RotationSlot] | None = None,
    sessions: Iterable[Session] | None = None,
) -> PublishPlan:
    """What `series_publish` would do from `since` (default today) to `until`.

    Reads only (two queries, none when `slots` and `sessions` are given: the series'
    slots, and its sessions from `since` on; one more counting who would hear about the
    sessions it moves, when it moves some). Excluded dates get no session; past
    sessions, and sessions an organizer edited, cancelled or kept as a draft, stay.
    """
    now = now or timezone.now()
    since = since or local_today(now)
    if slots is None:
        slots = list(series.slots.all())
    if sessions is None:
        sessions = series.sessions.filter(occurrence_date__gte=since).select_related("venue")
    existing = {s.occurrence_date: s for s in sessions if s.occurrence_date >= since}
    # Both languages' titles, whichever the organizer reads the page in: a change to
    # either is a change to the plan, and switching language between the two steps isn't.
    plan = PublishPlan(until=until, title=f"{series.title_en or ''}\n{series.title_es or ''}")
    for planned in plan_occurrences(series, slots, until=until):
        if planned.date < since or planned.excluded:
            continue
        session = existing.get(planned.date)
        if session is None:
            plan.create.append(planned)
        elif session.edited or session.status != SessionStatus.PUBLISHED:
            plan.leave.append(session)
        elif session.starts_at > now and (
            changes := _slot_changes(session, planned, series.meeting_url)
        ):
            plan.move.append(PlannedMove(session=session, planned=planned, changes=changes))
    if plan.move:
        plan.told = told_by_session(move.session for move in plan.move)
    return plan


def _new_session(series: Series, planned: PlannedOccurrence) -> Session:
    slot = planned.slot
    return Session(
        series=series,
        occurrence_date=planned.date,
        # Both languages' names and summaries, whichever language the organizer's page
        # is in (the bare names would read and write the active language's only).
        title_en=series.title_en,
        title_es=series.title_es,
        summary_en=(series.description_en or "")[:1000],
        summary_es=(series.description_es or "")[:1000],
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
        id(
            session
        ): f"{planned_day:%Y-%m-%d}-{slugify(series.title_en or series.title)[:60].strip('-')}"
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
    *,
    series: Series,
    until: date,
    since: date | None = None,
    now: datetime | None = None,
    expected: str | None = None,
    audience: NotifyAudience = NotifyAudience.EVERYONE,
    note: str = "",
) -> PublishResult:
    """Publish every occurrence of the series from `since` (default today) to `until`.

    Idempotent: occurrences that already have a session are not created again.
    Upcoming sessions nobody edited follow the current rotation (their sequence
    grows when their time or place moves); edited and cancelled sessions, and
    past ones, are left exactly as they are. Excluded dates get no session.

    Side effects: creates and updates Session rows. Two runs for the same series
    wait for each other (the series row is locked), so cron and an organizer
    pressing "Publish" at once cannot create duplicates. New sessions are announced
    after the commit to members who asked for announcements; for a session the
    rotation moved, the `audience` the organizer chose (everyone with an RSVP by
    default, only people going, or nobody) gets a "session changed" email saying what
    moved, with the organizer's `note`, and the emails still waiting for the people
    left out keep to what they were queued for (notifications.keep_to_what_was_told).

    With `expected` (a PublishPlan's fingerprint, as shown to the organizer), raises
    PublishPlanChanged, saving nothing, when the plan is no longer what was shown.
    """
    now = now or timezone.now()
    since = since or local_today(now)
    Series.objects.select_for_update().filter(pk=series.pk).first()
    plan = series_publish_plan(series=series, until=until, since=since, now=now)
    if expected is not None and expected != plan.fingerprint:
        raise PublishPlanChanged(plan)
    result = PublishResult(left_alone=len(plan.leave))
    result.created = [_new_session(series, planned) for planned in plan.create]
    # How each session that follows the rotation was, for its "session changed" email.
    was: dict[int, Snapshot] = {}
    for move in plan.move:
        session = move.session
        was[session.pk] = told_snapshot(session)
        for name, value in move.changes.items():
            setattr(session, name, value)
        session.sequence += 1
        session.updated = now  # bulk_update skips auto_now
        result.updated.append(session)
    _assign_slugs(result.created, series)
    Session.objects.bulk_create(result.created)
    announce(result.created)
    Session.objects.bulk_update(
        result.updated, [*_slot_model_fields(), "meeting_url", "sequence", "updated"]
    )
    for session in result.updated:
        # Moved by the rotation: the people the organizer chose hear about it, as for an edit.
        rsvps = list(audience_rsvps(session, audience))
        notify(MailKind.SESSION_CHANGED, rsvps, before=was[session.pk], note=note)
        keep_to_what_was_told(session=session, told=rsvps, was=was[session.pk])
        session_places_changed(session=session)
    content_changed()  # bulk_create and bulk_update send no signals
    return result


def _slot_model_fields() -> list[str]:
    return [name.removesuffix("_id") for name in SLOT_FIELDS]


@dataclass(frozen=True)
class PublishChoices:
    """What the series preview offers: the coming dates (two years of them) to publish
    through, the default among them, and the sessions already published from today on."""

    today: date
    slots: list[RotationSlot]
    sessions: list[Session]
    window: list[PlannedOccurrence]
    dates: list[date]
    default_until: date | None

    @property
    def published(self) -> dict[date, Session]:
        return {session.occurrence_date: session for session in self.sessions}


def series_publish_choices(*, series: Series, today: date | None = None) -> PublishChoices:
    """The series' coming dates and the sessions already published (two queries: the
    slots with their venues, the sessions from `today`, default today in Cleveland)."""
    today = today or local_today()
    slots = list(series.slots.select_related("venue"))
    sessions = list(series.sessions.filter(occurrence_date__gte=today).select_related("venue"))
    published = {session.occurrence_date for session in sessions}
    window = upcoming_occurrences(
        series, slots, after=today, until=publish_horizon(MAX_PUBLISH_MONTHS, today=today)
    )
    dates = [planned.date for planned in window if not planned.excluded]
    return PublishChoices(
        today=today,
        slots=slots,
        sessions=sessions,
        window=window,
        dates=dates,
        default_until=_default_until(window, published, today=today, dates=dates),
    )


def _default_until(
    window: list[PlannedOccurrence],
    published: Container[date],
    *,
    today: date,
    dates: list[date],
) -> date | None:
    """The last coming date within the default number of months (see
    default_publish_months), or the first coming date when none is that close."""
    horizon = publish_horizon(default_publish_months(window, published, today=today), today=today)
    within = [day for day in dates if day <= horizon]
    if within:
        return within[-1]
    return dates[0] if dates else None
