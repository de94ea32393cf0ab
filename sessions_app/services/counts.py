"""Stored attendance numbers, so the statistics read short rows instead of every RSVP:

- SessionCounts, one row per session: Headcount's counts;
- MonthPeople, one row per local month: the different people who came in it, and its
  sessions added up by slot and mode.

The services that write RSVPs, check-ins, walk-ins and sessions' times or status call
session_counts_refresh (and month_people_refresh for a month a session left) in their
transaction; counts_recount() recomputes everything set-based, after bulk loads that
bypass the services (seed_demo, the benchmarks' reference data) or to repair drift."""

from collections.abc import Iterable
from datetime import date, datetime, time

from dateutil.relativedelta import relativedelta
from django.db import connections, transaction
from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from sessions_app.models import MonthPeople, RsvpStatus, Session, SessionCounts
from sessions_app.models.session import local_today, local_zone
from sessions_app.stats import (
    HEADCOUNT_FIELDS,
    MonthSessions,
    People,
    attended_rsvps,
    counted_sessions,
    month_is_over,
    people_by_month,
    person_rows,
    session_rows,
    sessions_by_month,
    with_headcount,
)

# with_headcount's annotation -> SessionCounts' field
_FIELDS = {
    "ci_in_person": "checked_in_in_person",
    "ci_online": "checked_in_online",
    "going_in_person": "going_in_person",
    "going_online": "going_online",
    "walk_in_heads": "walk_ins",
    "qr_walk_in_heads": "qr_walk_ins",
    "waitlisted": "waitlisted",
}


def _store_session_counts(sessions: QuerySet[Session]) -> int:
    rows = (
        with_headcount(sessions.order_by())
        .annotate(waitlisted=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITLISTED)))
        .values("pk", *HEADCOUNT_FIELDS, "waitlisted")
    )
    counts = [
        SessionCounts(session_id=row["pk"], **{field: row[key] for key, field in _FIELDS.items()})
        for row in rows
    ]
    SessionCounts.objects.bulk_create(
        counts,
        batch_size=500,
        update_conflicts=True,
        unique_fields=["session"],
        update_fields=list(_FIELDS.values()),
    )
    return len(counts)


def _store_months(
    people: dict[date, People], sessions: dict[date, MonthSessions], months: list[date]
) -> None:
    """Upsert these months' People and sessions (an empty row for a month without any:
    a month without a row is one not stored yet, read live)."""
    rows = []
    for month in months:
        row = people.get(month, People()).store(month)
        row.sessions = sessions.get(month, MonthSessions()).stored()
        rows.append(row)
    MonthPeople.objects.bulk_create(
        rows,
        batch_size=100,
        update_conflicts=True,
        unique_fields=["month"],
        update_fields=["members", "guests", "sessions"],
    )


def _within(months: list[date], field: str = "session__starts_at") -> Q:
    """Instants (`field`) inside these local months."""
    zone = local_zone()
    within = Q()
    for first in months:
        within |= Q(
            **{
                f"{field}__gte": datetime.combine(first, time(), zone),
                f"{field}__lt": datetime.combine(first + relativedelta(months=1), time(), zone),
            }
        )
    return within


@transaction.atomic
def month_people_refresh(*, months: Iterable[date]) -> None:
    """Recompute the stored people and sessions of these local months (any day of a month
    will do) that are over, from their RSVPs and their sessions' stored counts: two
    queries over those months' rows. A month not over is never stored (the statistics
    read it live), so RSVPs for sessions to come, and check-ins at today's, cost nothing
    here.

    Call it for a month a session moved out of (session_counts_refresh does the month a
    session is in). Side effects: writes MonthPeople rows.
    """
    firsts = sorted({day.replace(day=1) for day in months if month_is_over(day.replace(day=1))})
    if firsts:
        people = people_by_month(person_rows(attended_rsvps(None).filter(_within(firsts))))
        sessions = sessions_by_month(
            session_rows(counted_sessions(None).filter(_within(firsts, "starts_at")))
        )
        _store_months(people, sessions, firsts)


def last_month_store() -> None:
    """Store the people and sessions of the month just over, if not yet stored (or
    stored before migration 0017, without its sessions): the worker runs this every
    round, so a month is read from MonthPeople from its first days on (until then the
    statistics read it live, correct but slower). One indexed lookup when it is stored
    already.

    Side effects: may write one MonthPeople row.
    """
    last_month = local_today().replace(day=1) - relativedelta(months=1)
    if not MonthPeople.objects.filter(month=last_month, sessions__isnull=False).exists():
        month_people_refresh(months=[last_month])


@transaction.atomic
def session_counts_refresh(*, session_ids: Iterable[int]) -> None:
    """Recount these sessions' stored counts, and the people of their months, from their
    RSVPs and walk-ins (indexed aggregates and upserts, so nothing can drift).

    Call it in the transaction that wrote the rows (RSVP, check-in and walk-in services,
    a session created, or its time or status changed). Side effects: writes
    SessionCounts and MonthPeople rows.
    """
    ids = sorted(set(session_ids))
    if not ids:
        return
    sessions = Session.objects.filter(pk__in=ids)
    _store_session_counts(sessions)
    month_people_refresh(
        months=[
            timezone.localtime(starts_at, local_zone()).date()
            for starts_at in sessions.values_list("starts_at", flat=True)
        ]
    )


def _refresh_counts_statistics() -> None:
    """On SQLite, tell the planner how many stored counts there are now: the statistics
    gathered by `migrate` on an empty database say one row, and then SQLite reads the
    people of every month by scanning every SessionCounts row for each RSVP (a recount
    after a bulk load: 2.8 s instead of 0.5 s at scale 1, minutes at scale 10)."""
    connection = connections[SessionCounts.objects.db]
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute(f'ANALYZE "{SessionCounts._meta.db_table}"')


@transaction.atomic
def counts_recount() -> int:
    """Recompute every stored count: each session's (one aggregate over all sessions),
    then the people and the sessions of every month that is over (one pass over the
    RSVPs of people who came, one over the sessions), upserted in batches; rows of
    months not over are deleted. Safe to re-run; also what stores the month just ended
    (the worker does it too, see last_month_store: until then that month is read live).
    Returns how many sessions were counted.

    Side effects: writes SessionCounts and MonthPeople rows; on SQLite, refreshes the
    planner's statistics of SessionCounts.
    """
    counted = _store_session_counts(Session.objects.all())
    _refresh_counts_statistics()
    this_month = local_today().replace(day=1)
    until = datetime.combine(this_month, time(), local_zone())
    rows = person_rows(attended_rsvps(None).filter(session__starts_at__lt=until))
    people = people_by_month(rows.iterator(chunk_size=5000))
    sessions = sessions_by_month(session_rows(counted_sessions(None).filter(starts_at__lt=until)))
    MonthPeople.objects.filter(month__gte=this_month).delete()
    first = Session.objects.order_by("starts_at").values_list("starts_at", flat=True).first()
    if first is not None:
        month = timezone.localtime(first, local_zone()).date().replace(day=1)
        months = []
        while month < this_month:
            months.append(month)
            month += relativedelta(months=1)
        _store_months(people, sessions, months)
    return counted
