"""Attendance numbers: per-session counts for organizer pages, and the monthly statistics.

Everything here is counted by the database in a fixed number of queries, however many
sessions, RSVPs or walk-ins there are; Python only arranges the counted rows.
"""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import TypeVar

from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.utils import timezone

from sessions_app.models import (
    AttendAs,
    ConversationFormat,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    TimeOfDay,
    WalkIn,
)
from sessions_app.models.session import local_zone

MONTHS_SHOWN = 12

_QS = TypeVar("_QS", bound=QuerySet[Session])

_GOING = Q(rsvps__status=RsvpStatus.GOING)
_CHECKED_IN = Q(rsvps__checked_in_at__isnull=False) & ~Q(rsvps__status=RsvpStatus.CANCELLED)
_IN_PERSON = Q(rsvps__attend_as=AttendAs.IN_PERSON)
_ONLINE = Q(rsvps__attend_as=AttendAs.ONLINE)


def _walk_in_total() -> Coalesce:
    """Sum of walk-in counts as a subquery.

    A Sum over a join would multiply with the RSVP join of the Counts beside it
    (every walk-in row repeated once per RSVP), so the walk-ins are summed apart.
    """
    per_session = (
        WalkIn.objects.filter(session=OuterRef("pk"))
        .order_by()
        .values("session")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(per_session, output_field=IntegerField()), Value(0))


def with_attendance(queryset: _QS) -> _QS:
    """Annotate sessions with their attendance counts, read in the same single query.

    Adds, per session:
    - ``going_in_person_count`` and ``going_online_count``: RSVPs going in each mode;
    - ``waitlisted_count``: RSVPs waiting, both modes;
    - ``checked_in_count``: active RSVPs checked in at the door (either mode);
    - ``walk_in_count``: the sum of walk-in head counts (self check-ins included);
    - ``attendance_count``: checked in + walk-ins, the number of people who came.

    The RSVP counts join the ``rsvps`` table once; don't add other aggregates over
    reverse relations to the same queryset, or the join fan-out will inflate them.
    """
    return queryset.annotate(
        going_in_person_count=Count("rsvps", filter=_GOING & _IN_PERSON),
        going_online_count=Count("rsvps", filter=_GOING & _ONLINE),
        waitlisted_count=Count("rsvps", filter=Q(rsvps__status=RsvpStatus.WAITLISTED)),
        checked_in_count=Count("rsvps", filter=_CHECKED_IN),
        walk_in_count=_walk_in_total(),
    ).annotate(attendance_count=F("checked_in_count") + F("walk_in_count"))


# Monthly statistics ---------------------------------------------------------------


@dataclass
class SessionAttendance:
    """Who came to one session, with RSVPs counted as going when nobody was checked in."""

    session_id: int
    title: str
    starts_at: datetime
    time_of_day: str
    format: str
    in_person: int  # RSVPs in the room
    online: int
    walk_ins: int
    estimated: bool  # nobody checked in: going RSVPs stand in for check-ins
    new_people: int = 0
    topic: str = ""

    @property
    def rsvps(self) -> int:
        return self.in_person + self.online

    @property
    def total(self) -> int:
        return self.rsvps + self.walk_ins

    @property
    def returning_people(self) -> int:
        return max(self.rsvps - self.new_people, 0)

    @property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, local_zone())


@dataclass
class MonthAttendance:
    month: date  # the first of the month, local time
    sessions: list[SessionAttendance] = field(default_factory=list)

    def _sum(self, attribute: str, **match: str) -> int:
        return sum(
            getattr(s, attribute)
            for s in self.sessions
            if all(getattr(s, key) == value for key, value in match.items())
        )

    @property
    def total(self) -> int:
        return self._sum("total")

    @property
    def evening(self) -> int:
        return self._sum("total", time_of_day=TimeOfDay.EVENING)

    @property
    def daytime(self) -> int:
        return self._sum("total", time_of_day=TimeOfDay.DAYTIME)

    @property
    def brief(self) -> int:
        return self._sum("total", format=ConversationFormat.BRIEF)

    @property
    def in_depth(self) -> int:
        return self._sum("total", format=ConversationFormat.IN_DEPTH)

    @property
    def in_person(self) -> int:
        """Walk-ins are at the door, so they count as in person."""
        return self._sum("in_person") + self._sum("walk_ins")

    @property
    def online(self) -> int:
        return self._sum("online")

    @property
    def new_people(self) -> int:
        return self._sum("new_people")

    @property
    def returning_people(self) -> int:
        return self._sum("returning_people")

    @property
    def walk_ins(self) -> int:
        return self._sum("walk_ins")

    @property
    def estimated_sessions(self) -> list[SessionAttendance]:
        return [s for s in self.sessions if s.estimated]


def _counted_sessions(now: datetime) -> QuerySet[Session]:
    """Sessions that took place (or are under way): published and started."""
    return Session.objects.filter(status=SessionStatus.PUBLISHED, starts_at__lte=now)


def _window_start(now: datetime) -> datetime | None:
    """Local midnight on the first of the earliest of the last MONTHS_SHOWN months
    with sessions; None when no session has taken place yet."""
    months = list(
        _counted_sessions(now)
        .annotate(month=TruncMonth("starts_at", tzinfo=local_zone()))
        .order_by("-month")
        .values_list("month", flat=True)
        .distinct()[:MONTHS_SHOWN]
    )
    return min(months) if months else None


def _session_rows(now: datetime, start: datetime) -> list[SessionAttendance]:
    checked_in_in_person = Count("rsvps", filter=_CHECKED_IN & _IN_PERSON)
    checked_in_online = Count("rsvps", filter=_CHECKED_IN & _ONLINE)
    rows = (
        _counted_sessions(now)
        .filter(starts_at__gte=start)
        .order_by("starts_at", "id")
        .values("id", "title", "topic", "starts_at", "time_of_day", "format")
        .annotate(
            ci_in_person=checked_in_in_person,
            ci_online=checked_in_online,
            going_in_person=Count("rsvps", filter=_GOING & _IN_PERSON),
            going_online=Count("rsvps", filter=_GOING & _ONLINE),
            walk_ins=_walk_in_total(),
        )
    )
    sessions = []
    for row in rows:
        estimated = row["ci_in_person"] + row["ci_online"] == 0
        sessions.append(
            SessionAttendance(
                session_id=row["id"],
                title=row["title"],
                topic=row["topic"],
                starts_at=row["starts_at"],
                time_of_day=row["time_of_day"],
                format=row["format"],
                in_person=row["going_in_person"] if estimated else row["ci_in_person"],
                online=row["going_online"] if estimated else row["ci_online"],
                walk_ins=row["walk_ins"],
                estimated=estimated,
            )
        )
    return sessions


def attended_rsvps(now: datetime) -> QuerySet[Rsvp]:
    """RSVPs of people who came: checked in, or going to a session where nobody was
    checked in (then the RSVPs are the best record there is)."""
    session_has_check_ins = Exists(
        Rsvp.objects.filter(session=OuterRef("session"), checked_in_at__isnull=False).exclude(
            status=RsvpStatus.CANCELLED
        )
    )
    return (
        Rsvp.objects.filter(
            session__status=SessionStatus.PUBLISHED,
            session__starts_at__lte=now,
        )
        .exclude(status=RsvpStatus.CANCELLED)
        .filter(
            Q(checked_in_at__isnull=False) | (Q(status=RsvpStatus.GOING) & ~session_has_check_ins)
        )
    )


def _first_visits(now: datetime) -> Counter[datetime]:
    """How many people first came at each session start time, over all history.

    A person is a member (user id) or a guest (email, in any letter case). The database
    groups by person; only one row per person comes back.
    """
    firsts = (
        attended_rsvps(now)
        .annotate(guest_email=Case(When(user__isnull=True, then=Lower("email")), default=Value("")))
        .order_by()
        .values("user_id", "guest_email")
        .annotate(first=Min("session__starts_at"))
        .values_list("user_id", "guest_email", "first")
    )
    # Members are (user_id, ""), even for RSVPs they made as a guest and later claimed.
    return Counter(first for _user, _email, first in firsts)


def monthly_attendance(now: datetime | None = None) -> list[MonthAttendance]:
    """The last MONTHS_SHOWN months with sessions, oldest first, in three queries."""
    now = now or timezone.now()
    start = _window_start(now)
    if start is None:
        return []
    sessions = _session_rows(now, start)
    firsts = _first_visits(now)
    # Sessions starting at the same minute share their new people with the first of them.
    for session in sessions:
        session.new_people = min(firsts.pop(session.starts_at, 0), session.rsvps)
    months: list[MonthAttendance] = []
    for session in sessions:
        month = session.local_starts_at.date().replace(day=1)
        if not months or months[-1].month != month:
            months.append(MonthAttendance(month=month))
        months[-1].sessions.append(session)
    return months
