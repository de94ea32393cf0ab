"""Attendance numbers: per-session counts for organizer pages, and the statistics.

Everything here is counted by the database in a fixed number of queries, however many
sessions, RSVPs or walk-ins there are; Python only arranges the counted rows.

Who came to a session follows one rule, in Headcount (and its query twin
_counted_rsvp for the people who came), used by the session page and the statistics
alike. In person and online are decided apart: a mode is counted from the door when any
RSVP of it was checked in (by an organizer, or by the person with the QR code);
otherwise its RSVPs going stand in for who came, an estimate. Walk-ins (named, head
counts or QR check-ins) always add to in person and never decide anything on their own:
one stranger scanning the code must not wipe out the 25 people who said they'd come.
"""

import json
import threading
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import cached_property, lru_cache
from typing import Any, Self, TypeVar

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import connections
from django.db.models import (
    Case,
    Count,
    F,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    TextField,
    Value,
    When,
)
from django.db.models.functions import Cast, Coalesce, Lower
from django.utils import dateformat, timezone
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from cop_portal.lib.dates import date_as
from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    ConversationFormat,
    MonthPeople,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    TimeOfDay,
    WalkIn,
)
from sessions_app.models.choices import slot_label
from sessions_app.models.session import local_today, local_zone

MONTHS_SHOWN = 12
# Longer ranges are drawn by quarter: 120 monthly bars don't fit a page.
MONTHLY_UP_TO = 24  # months

_QS = TypeVar("_QS", bound=QuerySet[Session])
_AnyQS = TypeVar("_AnyQS", bound=QuerySet[Any])  # sessions, or their .values() rows

_GOING = Q(rsvps__status=RsvpStatus.GOING)
_CHECKED_IN = Q(rsvps__checked_in_at__isnull=False) & ~Q(rsvps__status=RsvpStatus.CANCELLED)
_IN_PERSON = Q(rsvps__attend_as=AttendAs.IN_PERSON)
_ONLINE = Q(rsvps__attend_as=AttendAs.ONLINE)


def _walk_in_total(**filters: Any) -> Coalesce:
    """Sum of walk-in counts (those matching `filters`) as a subquery.

    A Sum over a join would multiply with the RSVP join of the Counts beside it
    (every walk-in row repeated once per RSVP), so the walk-ins are summed apart.
    """
    per_session = (
        WalkIn.objects.filter(session=OuterRef("pk"), **filters)
        .order_by()
        .values("session")
        .annotate(total=Sum("count"))
        .values("total")
    )
    return Coalesce(Subquery(per_session, output_field=IntegerField()), Value(0))


def _rsvp_count(condition: Q) -> Coalesce:
    """How many of the session's RSVPs meet `condition`, as a subquery along the RSVPs'
    session index: a Count over a join grouped the session's every column (its texts
    included) in a temporary B-tree, twice as slow for one session with 250 RSVPs."""
    per_session = (
        Rsvp.objects.filter(condition, session=OuterRef("pk"))
        .order_by()
        .annotate(n=Func(F("pk"), function="COUNT"))
        .values("n")
    )
    return Coalesce(Subquery(per_session, output_field=IntegerField()), Value(0))


def with_attendance(queryset: _QS) -> _QS:
    """Annotate sessions with their attendance counts, read in the same single query.

    Adds, per session:
    - ``going_in_person_count`` and ``going_online_count``: RSVPs going in each mode;
    - ``waitlisted_count``: RSVPs waiting, both modes;
    - ``checked_in_count``: active RSVPs checked in (at the door or by themselves);
    - ``walk_in_count``: the sum of walk-in head counts (self check-ins included);
    - ``attendance_count``: checked in + walk-ins, the number of people who came.

    Each is a subquery (no join, no GROUP BY), so other annotations may sit beside them.
    """
    going = Q(status=RsvpStatus.GOING)
    return queryset.annotate(
        going_in_person_count=_rsvp_count(going & Q(attend_as=AttendAs.IN_PERSON)),
        going_online_count=_rsvp_count(going & Q(attend_as=AttendAs.ONLINE)),
        waitlisted_count=_rsvp_count(Q(status=RsvpStatus.WAITLISTED)),
        checked_in_count=_rsvp_count(
            Q(checked_in_at__isnull=False) & ~Q(status=RsvpStatus.CANCELLED)
        ),
        walk_in_count=_walk_in_total(),
    ).annotate(attendance_count=F("checked_in_count") + F("walk_in_count"))


# Who came to one session ------------------------------------------------------------


@dataclass(frozen=True)
class Headcount:
    """Who came to one session: the rule the session page and the statistics share.

    Each mode is counted from the door when any RSVP of that mode was checked in (at the
    door or with the QR code), else estimated from its RSVPs going; a mode nobody was
    going in, with nobody checked in, is simply nobody. Walk-ins add to in person.
    Read from with_headcount's annotations with from_row.
    """

    checked_in_in_person: int
    checked_in_online: int
    going_in_person: int
    going_online: int
    walk_ins: int  # heads, QR check-ins without an RSVP included
    qr_walk_ins: int  # of those, people who checked themselves in with the QR code

    @classmethod
    def from_row(cls, row: dict[str, Any], **more: Any) -> Self:
        """From a with_headcount row read with .values(*HEADCOUNT_FIELDS, …); `more`
        fills a subclass's own fields."""
        return cls(
            checked_in_in_person=row["ci_in_person"],
            checked_in_online=row["ci_online"],
            going_in_person=row["going_in_person"],
            going_online=row["going_online"],
            walk_ins=row["walk_in_heads"],
            qr_walk_ins=row["qr_walk_in_heads"],
            **more,
        )

    # Plain properties: a few comparisons each, cheaper than cached_property's lock on
    # the statistics' thousands of sessions.
    @property
    def in_person_estimated(self) -> bool:
        return not self.checked_in_in_person and self.going_in_person > 0

    @property
    def online_estimated(self) -> bool:
        return not self.checked_in_online and self.going_online > 0

    @property
    def estimated(self) -> bool:
        return self.in_person_estimated or self.online_estimated

    @property
    def in_person(self) -> int:
        """People with an RSVP in the room (walk-ins apart)."""
        return self.going_in_person if self.in_person_estimated else self.checked_in_in_person

    @property
    def online(self) -> int:
        return self.going_online if self.online_estimated else self.checked_in_online

    @property
    def rsvps(self) -> int:
        return self.in_person + self.online

    @property
    def total(self) -> int:
        """Everyone who came: RSVPs (checked in or standing in) and walk-ins."""
        return self.rsvps + self.walk_ins

    @property
    def people(self) -> str:
        """ "26 people", "1 person": everyone who came, in words."""
        return _people(self.total)

    @property
    def estimate(self) -> str:
        """What stands in for the door: "in person from 10 RSVPs; online from 15 RSVPs";
        "" when the door counted everything."""
        parts = []
        if self.in_person_estimated:
            parts.append(
                ngettext(
                    "in person from %(count)s RSVP",
                    "in person from %(count)s RSVPs",
                    self.going_in_person,
                )
                % {"count": intcomma(self.going_in_person)}
            )
        if self.online_estimated:
            parts.append(
                ngettext(
                    "online from %(count)s RSVP", "online from %(count)s RSVPs", self.going_online
                )
                % {"count": intcomma(self.going_online)}
            )
        return "; ".join(parts)

    @property
    def door_record(self) -> str:
        """What the door recorded, for an estimated session: "No RSVP was checked in; 2
        people checked in with the QR code as walk-ins", "No online RSVP was checked in",
        "The door recorded nobody"."""
        checked_in = self.checked_in_in_person + self.checked_in_online
        if not (checked_in or self.walk_ins):
            return _("The door recorded nobody")
        if not checked_in:
            door = _("No RSVP was checked in")
        elif self.in_person_estimated:
            door = _("No in-person RSVP was checked in")
        elif self.online_estimated:
            door = _("No online RSVP was checked in")
        else:
            door = ""
        walk_ins = self._walk_in_words()
        return "; ".join(part for part in (door, walk_ins) if part)

    def _walk_in_words(self) -> str:
        qr, noted = self.qr_walk_ins, self.walk_ins - self.qr_walk_ins
        if qr and noted:
            return ngettext(
                "%(count)s walk-in came: %(noted)s noted at the door, %(qr)s with the QR code",
                "%(count)s walk-ins came: %(noted)s noted at the door, %(qr)s with the QR code",
                self.walk_ins,
            ) % {"count": intcomma(self.walk_ins), "noted": noted, "qr": qr}
        if qr:
            return ngettext(
                "%(count)s person checked in with the QR code as a walk-in",
                "%(count)s people checked in with the QR code as walk-ins",
                qr,
            ) % {"count": intcomma(qr)}
        if noted:
            return ngettext(
                "%(count)s walk-in was noted at the door",
                "%(count)s walk-ins were noted at the door",
                noted,
            ) % {"count": intcomma(noted)}
        return ""


def _people(count: int) -> str:
    return ngettext("%(count)s person", "%(count)s people", count) % {"count": intcomma(count)}


def with_headcount(queryset: _AnyQS) -> _AnyQS:
    """The counts Headcount needs, per session, in the same query (Headcount.from_row
    reads them; walk-ins summed apart, see _walk_in_total)."""
    return queryset.annotate(
        ci_in_person=Count("rsvps", filter=_CHECKED_IN & _IN_PERSON),
        ci_online=Count("rsvps", filter=_CHECKED_IN & _ONLINE),
        going_in_person=Count("rsvps", filter=_GOING & _IN_PERSON),
        going_online=Count("rsvps", filter=_GOING & _ONLINE),
        walk_in_heads=_walk_in_total(),
        qr_walk_in_heads=_walk_in_total(self_check_in=True),
    )


# The annotations with_headcount adds, to read with .values() for Headcount.from_row.
HEADCOUNT_FIELDS = (
    "ci_in_person",
    "ci_online",
    "going_in_person",
    "going_online",
    "walk_in_heads",
    "qr_walk_in_heads",
)


def _counted_rsvp() -> Q:
    """Headcount's rule on RSVP rows: an RSVP stands for someone who came when it was
    checked in, or when it is going and nobody of its session and mode was checked in
    (read from the session's stored counts: a join, not a subquery per RSVP; a session
    without a counts row has nobody checked in)."""
    nobody_in_person = Q(session__counts__checked_in_in_person=0) | Q(session__counts__isnull=True)
    nobody_online = Q(session__counts__checked_in_online=0) | Q(session__counts__isnull=True)
    return Q(checked_in_at__isnull=False) | (
        Q(status=RsvpStatus.GOING)
        & (
            (Q(attend_as=AttendAs.IN_PERSON) & nobody_in_person)
            | (Q(attend_as=AttendAs.ONLINE) & nobody_online)
        )
    )


# Ranges -----------------------------------------------------------------------------


def _month(day: date) -> str:
    """The month's short name: "Mar", "mar" in Spanish."""
    return dateformat.format(day, "M")


def long_date(day: date) -> str:
    """ "March 5, 2025"."""
    return date_as(day, "DAY_DATE")


@dataclass(frozen=True)
class DateRange:
    """Local days, both ends included."""

    first: date
    last: date

    @property
    def start(self) -> datetime:
        """Local midnight at the start of the first day."""
        return datetime.combine(self.first, time(), tzinfo=local_zone())

    @property
    def end(self) -> datetime:
        """Local midnight after the last day."""
        return datetime.combine(self.last + timedelta(days=1), time(), tzinfo=local_zone())

    @property
    def whole_months(self) -> bool:
        return self.first.day == 1 and (self.last + timedelta(days=1)).day == 1

    @property
    def months(self) -> int:
        """Calendar months the range touches."""
        return (self.last.year - self.first.year) * 12 + self.last.month - self.first.month + 1

    @property
    def label(self) -> str:
        """ "March 2025 to February 2026", or with the days when it isn't whole months."""
        if self.whole_months:
            first, last = date_as(self.first, "MONTH_YEAR"), date_as(self.last, "MONTH_YEAR")
            if first == last:
                return first
            return _("%(first)s to %(last)s") % {"first": first, "last": last}
        return _("%(first)s to %(last)s") % {
            "first": long_date(self.first),
            "last": long_date(self.last),
        }

    def params(self) -> dict[str, str]:
        """The range in a query string (?from=…&to=…): months when it is whole months
        ("2025-03"), else days ("2025-03-05")."""
        if self.whole_months:
            return {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}"}
        return {"from": self.first.isoformat(), "to": self.last.isoformat()}

    def clip(self, first: date, last: date) -> "DateRange":
        return DateRange(max(first, self.first), min(last, self.last))


def month_end(day: date) -> date:
    """The last day of the day's month."""
    return day.replace(day=1) + relativedelta(months=1, days=-1)


def default_range(now: datetime | None = None) -> DateRange | None:
    """From the first of the earliest of the last MONTHS_SHOWN months with sessions to
    the end of this month; None when no session has taken place yet."""
    now = now or timezone.now()
    # Newest first, along the starts_at index, until MONTHS_SHOWN different months: the
    # rows of a year, where truncating every session's time in the database (a Python
    # function per row on SQLite) read them all. Read with the plain cursor, and each
    # start compared as read with the start of the month found last (in the same form:
    # UTC text on SQLite), so only a start before it is converted, once per month: at
    # scale 10, converting a thousand starts cost more than the query.
    months: list[date] = []
    connection = connections[Session.objects.db]
    starts = counted_sessions(now).order_by("-starts_at")
    if connection.vendor == "postgresql":
        # As UTC text too (the connection's zone): psycopg made each start a datetime,
        # 1,200 of them for a year at scale 10, 7 ms; text compares as SQLite's does.
        starts = starts.annotate(start_text=Cast("starts_at", TextField()))
        query = starts.values_list("start_text", flat=True).query
    else:
        query = starts.values_list("starts_at", flat=True).query
    sql, params = query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        month_begins: Any = None
        while len(months) < MONTHS_SHOWN and (chunk := cursor.fetchmany(100)):
            for (starts_at,) in chunk:
                if month_begins is not None and starts_at >= month_begins:
                    continue
                months.append(local_month(_aware(starts_at)))
                if len(months) == MONTHS_SHOWN:
                    break
                month_begins = _as_read(_month_start(months[-1]), starts_at)
    if not months:
        return None
    return DateRange(months[-1], month_end(local_today(now)))


# Sessions and people ------------------------------------------------------------------

TIME_ORDER = list(TimeOfDay.values)
FORMAT_ORDER = list(ConversationFormat.values)


@dataclass(frozen=True)
class SessionAttendance(Headcount):
    """Who came to one session of the statistics (Headcount), and which session it was."""

    session_id: int
    starts_at: datetime
    time_of_day: str
    format: str
    title: str = ""
    topic: str = ""
    attendance_mode: str = AttendanceMode.HYBRID

    @cached_property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, local_zone())


def stored_count(field: str) -> Coalesce:
    """A session's stored count (SessionCounts' `field`; a session without a row has
    none: zero)."""
    return Coalesce(F(f"counts__{field}"), Value(0))


# Headcount's fields read from the stored counts (SessionCounts; none stored is zero).
_STORED_HEADCOUNT = {
    name: stored_count(field)
    for name, field in (
        ("ci_in_person", "checked_in_in_person"),
        ("ci_online", "checked_in_online"),
        ("going_in_person", "going_in_person"),
        ("going_online", "going_online"),
        ("walk_in_heads", "walk_ins"),
        ("qr_walk_in_heads", "qr_walk_ins"),
    )
}


def _spanish_first() -> bool:
    """modeltranslation's rule for a field, for the two languages sessions are written
    in: the reader's language, else English, else Spanish
    (MODELTRANSLATION_FALLBACK_LANGUAGES), an empty text counting as none."""
    return (get_language() or settings.LANGUAGE_CODE).split("-")[0] == "es"


def _aware(moment: datetime | str) -> datetime:
    """A start as read by a plain cursor: aware (PostgreSQL), or naive or text in UTC
    (SQLite, which stores UTC with USE_TZ)."""
    if isinstance(moment, str):
        moment = datetime.fromisoformat(moment)
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def _as_read(moment: datetime, like: datetime | str) -> datetime | str:
    """An instant in the form a plain cursor gave `like` (see _aware), to compare them
    without converting what was read: UTC text (SQLite, and PostgreSQL's `::text` in a
    UTC session, which adds "+00"; the same width, so that the text's order is the
    instants' order, fractions of a second and the offset sorting after), naive UTC, or
    aware."""
    if isinstance(like, str):
        return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S")
    if like.tzinfo is None:
        return moment.astimezone(UTC).replace(tzinfo=None)
    return moment


def counted_sessions(now: datetime | None) -> QuerySet[Session]:
    """Sessions that count: published, and started by `now` (every published one with
    None: a stored month that is over has no session to come). A plain QuerySet:
    modeltranslation's per-row work is not needed here."""
    sessions = QuerySet(Session).filter(status=SessionStatus.PUBLISHED)
    return sessions if now is None else sessions.filter(starts_at__lte=now)


def session_rows(sessions: QuerySet[Session]) -> list[SessionAttendance]:
    """These sessions with their stored counts, in order of their start, in one query. A
    plain QuerySet reads the translated columns as they are and picks the language here,
    once per row: modeltranslation's own per-row work cost more than the rest."""
    query = (
        sessions.order_by("starts_at", "id")
        .annotate(**_STORED_HEADCOUNT)
        .values_list(
            "id",
            "starts_at",
            "time_of_day",
            "format",
            "attendance_mode",
            *HEADCOUNT_FIELDS,
            "title_en",
            "title_es",
            "topic_en",
            "topic_es",
        )
    )
    # The plain cursor, without Django's per-value converters: only the start needs one
    # (made aware below, see _aware); over thousands of sessions (counts_recount) the
    # converters cost as much as the query.
    sql, params = query.query.sql_with_params()
    with connections[query.db].cursor() as cursor:
        cursor.execute(sql, params)
        rows = cursor.fetchall()
    spanish = _spanish_first()
    return [
        SessionAttendance(
            session_id=id,
            starts_at=_aware(starts_at),
            time_of_day=time_of_day,
            format=format,
            attendance_mode=mode,
            checked_in_in_person=ci_in_person,
            checked_in_online=ci_online,
            going_in_person=going_in_person,
            going_online=going_online,
            walk_ins=walk_ins,
            qr_walk_ins=qr_walk_ins,
            title=((title_es or title_en) if spanish else (title_en or title_es)) or "",
            topic=((topic_es or topic_en) if spanish else (topic_en or topic_es)) or "",
        )
        for (
            id,
            starts_at,
            time_of_day,
            format,
            mode,
            ci_in_person,
            ci_online,
            going_in_person,
            going_online,
            walk_ins,
            qr_walk_ins,
            title_en,
            title_es,
            topic_en,
            topic_es,
        ) in rows
    ]


@dataclass
class SessionGroup:
    """Sessions of one local month, slot and attendance mode, added up: how many, how
    many estimated, and who came to them (Headcount's rule)."""

    month: date
    time_of_day: str
    format: str
    attendance_mode: str
    sessions: int = 0
    estimated: int = 0  # of those, sessions with a mode estimated from its RSVPs going
    in_person: int = 0  # RSVPs in the room (checked in, or standing in); walk-ins apart
    online: int = 0
    walk_ins: int = 0


@dataclass
class MonthSessions:
    """One local month's sessions added up by slot and mode, and the ids of the
    estimated ones (which the pages list by name): what MonthPeople.sessions stores."""

    groups: list[SessionGroup] = field(default_factory=list)
    estimated_ids: list[int] = field(default_factory=list)

    def stored(self) -> dict[str, list[Any]]:
        """As MonthPeople.sessions holds it: short lists, not objects with names."""
        return {
            "groups": [
                [
                    g.time_of_day,
                    g.format,
                    g.attendance_mode,
                    g.sessions,
                    g.estimated,
                    g.in_person,
                    g.online,
                    g.walk_ins,
                ]
                for g in self.groups
            ],
            "estimated": self.estimated_ids,
        }

    @classmethod
    def from_stored(cls, month: date, data: dict[str, list[Any]]) -> "MonthSessions":
        return cls(
            groups=[SessionGroup(month, *values) for values in data["groups"]],
            estimated_ids=list(data["estimated"]),
        )


def sessions_by_month(sessions: Iterable[SessionAttendance]) -> dict[date, MonthSessions]:
    """Sessions added up per local month, slot and mode (the months they are in only)."""
    months: dict[date, MonthSessions] = {}
    groups: dict[tuple[date, str, str, str], SessionGroup] = {}
    for s in sessions:
        month = local_month(s.starts_at)
        key = (month, s.time_of_day, s.format, s.attendance_mode)
        group = groups.get(key)
        if group is None:
            group = groups[key] = SessionGroup(*key)
            months.setdefault(month, MonthSessions()).groups.append(group)
        group.sessions += 1
        group.in_person += s.in_person
        group.online += s.online
        group.walk_ins += s.walk_ins
        if s.estimated:
            group.estimated += 1
            months[month].estimated_ids.append(s.session_id)
    return months


def attended_rsvps(now: datetime | None) -> QuerySet[Rsvp]:
    """RSVPs of people who came (Headcount's rule): checked in, or going in a mode
    nobody of their session was checked in in (then the RSVPs are the best record).
    Sessions that started by `now`; every published session with None (the stored
    months count sessions to come too, to be right once the month is over)."""
    rsvps = Rsvp.objects.filter(session__status=SessionStatus.PUBLISHED)
    if now is not None:
        rsvps = rsvps.filter(session__starts_at__lte=now)
    return rsvps.exclude(status=RsvpStatus.CANCELLED).filter(_counted_rsvp())


def _by_person(rsvps: QuerySet[Rsvp]) -> QuerySet[Rsvp]:
    guest_email = Case(When(user__isnull=True, then=Lower("email")), default=Value(""))
    return rsvps.annotate(guest_email=guest_email).order_by()


class _GuestNumbers:
    """Guest addresses numbered in this process, in the order first met, so that a set of
    guests is a bitmap like the members' (bit n for the address numbered n): a range's
    unions and differences are then a few integer operations, however many guests came,
    where sets of thousands of addresses were merged and compared on every request (the
    largest cost of the statistics at 20,000 guest addresses).

    The numbers never leave the process (People.store writes the addresses back), so a
    number only has to mean the same address for as long as the process lives. Append
    only, under a lock: one address, one number, whichever thread meets it first."""

    def __init__(self) -> None:
        self._numbers: dict[str, int] = {}
        self._addresses: list[str] = []
        self._lock = threading.Lock()

    def bitmap(self, addresses: Iterable[str]) -> int:
        """These addresses' bits (numbering those met for the first time)."""
        numbers = self._numbers
        found, missing = [], []
        for address in addresses:
            number = numbers.get(address)
            if number is None:
                missing.append(address)
            else:
                found.append(number)
        if missing:
            with self._lock:
                for address in missing:
                    number = numbers.get(address)
                    if number is None:
                        number = numbers[address] = len(self._addresses)
                        self._addresses.append(address)
                    found.append(number)
        return _bitmap(found)

    def addresses(self, bits: int) -> list[str]:
        """The addresses of these bits."""
        addresses = self._addresses
        return [
            addresses[(index << 3) + bit]
            for index, byte in enumerate(bits.to_bytes((bits.bit_length() + 7) // 8, "little"))
            if byte
            for bit in range(8)
            if byte >> bit & 1
        ]


def _bitmap(numbers: list[int]) -> int:
    """An integer with these bits set."""
    bits = bytearray((max(numbers, default=0) >> 3) + 1)
    for number in numbers:
        bits[number >> 3] |= 1 << (number & 7)
    return int.from_bytes(bits, "little")


_GUESTS = _GuestNumbers()


@dataclass(frozen=True)
class People:
    """Different people: members as a bitmap of their user ids (bit n for user n), guests
    as a bitmap of their lower-case addresses' numbers in this process (_GuestNumbers).
    Members are counted by user even for RSVPs they made as a guest and later claimed.
    Unions and differences of a range's months cost a few microseconds each, however
    many people came."""

    members: int = 0
    guests: int = 0

    def __or__(self, other: "People") -> "People":
        return People(self.members | other.members, self.guests | other.guests)

    def __sub__(self, other: "People") -> "People":
        return People(self.members & ~other.members, self.guests & ~other.guests)

    def __len__(self) -> int:
        return self.members.bit_count() + self.guests.bit_count()

    @classmethod
    def union(cls, groups: Iterable["People"]) -> "People":
        """Everyone in any of the groups."""
        members = guests = 0
        for group in groups:
            members |= group.members
            guests |= group.guests
        return cls(members, guests)

    @property
    def member_count(self) -> int:
        return self.members.bit_count()

    @property
    def guest_count(self) -> int:
        return self.guests.bit_count()

    @property
    def guest_addresses(self) -> list[str]:
        """The guests' lower-case addresses, sorted."""
        return sorted(_GUESTS.addresses(self.guests))

    @classmethod
    def of(cls, user_ids: Iterable[int], guests: Iterable[str]) -> "People":
        return cls(_bitmap(list(user_ids)), _GUESTS.bitmap(guests))

    def store(self, month: date) -> "MonthPeople":
        size = (self.members.bit_length() + 7) // 8
        return MonthPeople(
            month=month,
            members=self.members.to_bytes(size, "little"),
            guests="\n".join(self.guest_addresses),
        )


@lru_cache(maxsize=512)
def _guest_bits(text: str) -> int:
    """A stored month's guests as a bitmap, read once per process for the same text (a
    range's hundred months, each a few hundred addresses, were parsed on every request)."""
    return _GUESTS.bitmap(text.split("\n")) if text else 0


def local_month(moment: datetime) -> date:
    """The first day of the instant's local month."""
    return timezone.localtime(moment, local_zone()).date().replace(day=1)


def _month_start(month: date) -> datetime:
    return datetime.combine(month, time(), tzinfo=local_zone())


def people_by_month(rows: Iterable[tuple[int | None, str, datetime]]) -> dict[date, People]:
    """(user id, guest address, session start) rows grouped into each local month's People."""
    members: dict[date, list[int]] = defaultdict(list)
    guests: dict[date, set[str]] = defaultdict(set)
    for user, email, starts_at in rows:
        month = local_month(starts_at)
        if user is None:
            guests[month].add(email)
        else:
            members[month].append(user)
    return {month: People.of(members[month], guests[month]) for month in members | guests}


def person_rows(rsvps: QuerySet[Rsvp]) -> QuerySet[Rsvp]:
    """(user id, guest address, session start) of each RSVP, for people_by_month."""
    return _by_person(rsvps).values_list("user_id", "guest_email", "session__starts_at")


def month_is_over(month: date, now: datetime | None = None) -> bool:
    """Whether a local month (its first day) is over: only those are stored."""
    return month < local_today(now).replace(day=1)


@dataclass
class _RangeData:
    """What the report adds up: the people of each month of the range and of everything
    before it, and the range's sessions, added up and the estimated ones by name."""

    people: dict[date, People]
    came_before: People
    groups: list[SessionGroup]
    estimated: list[SessionAttendance]


def _range_data(now: datetime, date_range: DateRange) -> _RangeData:
    """The range's people and sessions, in three queries: the stored months that can be
    used (over, and wholly inside the range, or before it for the people), then what
    they leave out, read live: the RSVPs up to the range's end, and the sessions of the
    range (a partial month at either end, this month, and any month over but not stored
    yet: correct without them, only slower) with the estimated sessions of the stored
    months, by id, to list them by name."""
    this_month = local_today(now).replace(day=1)
    start_month = date_range.first.replace(day=1)
    first_whole = start_month if date_range.first.day == 1 else _next_month(start_month)
    after_last = date_range.last + timedelta(days=1)
    whole_end = min(after_last if after_last.day == 1 else after_last.replace(day=1), this_month)
    usable = Q(month__lt=min(start_month, this_month)) | Q(
        month__gte=first_whole, month__lt=whole_end
    )
    # The sessions as text, decoded below for the range's months only: the months before
    # it are read for their people alone (a hundred JSON documents on a default range).
    stored_rows = list(
        MonthPeople.objects.filter(usable).values_list(
            "month", "members", "guests", Cast("sessions", TextField())
        )
    )
    stored = {
        month: People(int.from_bytes(bytes(members), "little"), _guest_bits(guests))
        for month, members, guests, _sessions in stored_rows
    }
    rows = list(
        person_rows(
            attended_rsvps(None).filter(
                _not_in(stored, "session__starts_at", now=now, before=date_range.end)
            )
        )
    )
    range_start = date_range.start
    early = [row for row in rows if row[2] < range_start]
    before = People.union(
        [
            *(people for month, people in stored.items() if month < start_month),
            *people_by_month(early).values(),
        ]
    )
    months = {month: people for month, people in stored.items() if month >= start_month}
    for month, people in people_by_month(row for row in rows if row[2] >= range_start).items():
        months[month] = months[month] | people if month in months else people

    stored_sessions = {
        month: MonthSessions.from_stored(month, json.loads(sessions))
        for month, _members, _guests, sessions in stored_rows
        if month >= start_month and sessions is not None
    }
    # The live stretches' sessions and, in the same query, the stored months' estimated
    # ones by id (to list them by name; their numbers are in the stored months already).
    listed = {pk for month in stored_sessions.values() for pk in month.estimated_ids}
    outside = _not_in(
        stored_sessions, "starts_at", now=now, before=date_range.end, since=range_start
    )
    rows = session_rows(
        counted_sessions(None).filter(
            outside | Q(pk__in=sorted(listed), starts_at__lte=now) if listed else outside
        )
    )
    live = [s for s in rows if s.session_id not in listed]
    estimated = [s for s in rows if s.estimated or s.session_id in listed]
    # In order of their months, and in a month of its sessions' starts (as stored): the
    # order the report meets slots and modes in, which breaks ties in its lists.
    by_month = sorted([*stored_sessions.items(), *sessions_by_month(live).items()])
    groups = [group for _month, month in by_month for group in month.groups]
    return _RangeData(months, before, groups, estimated)


def _not_in(
    months: Iterable[date],
    field: str,
    *,
    now: datetime,
    before: datetime,
    since: datetime | None = None,
) -> Q:
    """Instants (`field`) outside these local months, up to `now` and `before` (and from
    `since`): the stretches between the months, each one interval whose tightest bounds
    are worked out here (an empty one left out, but for the last). SQLite then reads
    each stretch along the index (MULTI-INDEX OR) instead of every start before `before`
    (~4 -> ~1.4 ms at scale 10); PostgreSQL ORs bitmap index scans, where the same
    bounds repeated in every stretch had it scan the index from its start and expect
    thousands of rows (then a parallel worker and a hash of every stored count:
    ~20 -> ~5 ms for the RSVPs at scale 10)."""
    stretches, after = [], None
    for month in sorted(months):
        if after is None or after < month:
            stretches.append((after, month))
        after = _next_month(month)
    stretches.append((after, None))
    outside = Q()
    for index, (first, until) in enumerate(stretches):
        low = None if first is None else _month_start(first)
        if since is not None and (low is None or since > low):
            low = since
        high = before if until is None else min(before, _month_start(until))
        last = index == len(stretches) - 1
        if low is not None and (low >= high or low > now) and not last:
            continue  # nothing can start in it
        # Below `high` and by `now`: whichever comes first says both.
        stretch = Q(**{f"{field}__lte": now} if now < high else {f"{field}__lt": high})
        if low is not None:
            stretch &= Q(**{f"{field}__gte": low})
        outside |= stretch
    return outside


def _next_month(month: date) -> date:
    return _months_after(month, 1)


def _months_after(first: date, months: int) -> date:
    """The first of the month `months` after a month's first day (relativedelta's answer,
    a hundred times cheaper: the report steps through every month of ten years)."""
    index = first.year * 12 + first.month - 1 + months
    return date(index // 12, index % 12 + 1, 1)


# Periods: months or quarters ---------------------------------------------------------


def _quarter_of(day: date) -> date:
    return date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)


@dataclass
class Period:
    """A month or a quarter of the range (only the part inside it): its sessions (added
    up by month, slot and mode) and the different people who came, new (their first
    session ever) or returning."""

    unit: str  # "month" or "quarter"
    begins: date  # the first of the month or quarter
    span: DateRange  # the days of it inside the range
    groups: list[SessionGroup] = field(default_factory=list)
    new_people: int = 0
    returning_people: int = 0

    @cached_property
    def label(self) -> tuple[str, str]:
        """Two short lines for a chart: ("Jan", "2026") or ("Q1", "2026")."""
        if self.unit == "month":
            return _month(self.begins), f"{self.begins:%Y}"
        quarter = (self.begins.month - 1) // 3 + 1
        return _("Q%(number)s") % {"number": quarter}, f"{self.begins:%Y}"

    @cached_property
    def name(self) -> str:
        """For a table: "January 2026", "Q1 2026 (Jan to Mar)"; the days when partial."""
        first, last = self.span.first, self.span.last
        if self.partial:
            if last.month != first.month:
                days = f"{date_as(first, 'SHORT_DAY')}\N{EN DASH}{date_as(last, 'SHORT_DAY')}"
            else:
                # "Mar 1-15" (with an en dash); Spanish puts the month last.
                days = _("%(month)s %(days)s") % {
                    "month": _month(first),
                    "days": f"{first.day}\N{EN DASH}{last.day}",
                }
        elif self.unit == "quarter":
            days = f"{_month(first)}\N{EN DASH}{_month(last)}"
        else:
            return date_as(self.begins, "MONTH_YEAR")
        if self.unit == "month":
            return f"{date_as(self.begins, 'MONTH_YEAR')} ({days})"
        return f"{self.label[0]} {self.begins:%Y} ({days})"

    @cached_property
    def partial(self) -> bool:
        months = 1 if self.unit == "month" else 3
        ends = _months_after(self.begins, months) - timedelta(days=1)
        return (self.span.first, self.span.last) != (self.begins, ends)

    @cached_property
    def _tally(self) -> "_Tally":
        return _Tally.of(self.groups)

    @property
    def session_count(self) -> int:
        return self._tally.sessions

    @property
    def total(self) -> int:
        return self._tally.total

    def slot_total(self, **match: str) -> int:
        """People who came to sessions with these fields (time_of_day, format)."""
        wanted = (match.get("time_of_day"), match.get("format"))
        return sum(
            slot.people
            for key, slot in self._tally.slots.items()
            if all(want is None or want == have for want, have in zip(wanted, key, strict=True))
        )

    @property
    def in_person_rsvps(self) -> int:
        return self._tally.in_person_rsvps

    @property
    def in_person(self) -> int:
        """Walk-ins are at the door, so they count as in person."""
        return self._tally.in_person_rsvps + self._tally.walk_ins

    @property
    def online(self) -> int:
        return self._tally.online

    @property
    def walk_ins(self) -> int:
        return self._tally.walk_ins

    @cached_property
    def people(self) -> int:
        """Different people with an RSVP who came (walk-ins can't be told apart)."""
        return self.new_people + self.returning_people

    @cached_property
    def returning_percent(self) -> int | None:
        return round(100 * self.returning_people / self.people) if self.people else None

    @property
    def estimated_count(self) -> int:
        """Sessions of the period with a mode estimated from its RSVPs going."""
        return self._tally.estimated


@dataclass
class _SlotSums:
    sessions: int = 0
    people: int = 0
    in_person: int = 0  # walk-ins included
    online: int = 0


@dataclass
class _Tally:
    """The sums a report or a period shows, from one pass over its groups of sessions."""

    sessions: int = 0
    estimated: int = 0
    total: int = 0
    in_person_rsvps: int = 0
    online: int = 0
    walk_ins: int = 0
    slots: dict[tuple[str, str], _SlotSums] = field(default_factory=dict)
    modes: dict[str, int] = field(default_factory=dict)

    @classmethod
    def of(cls, groups: Iterable[SessionGroup]) -> "_Tally":
        tally = cls()
        slots, modes = tally.slots, tally.modes
        for g in groups:
            tally.sessions += g.sessions
            tally.estimated += g.estimated
            tally.in_person_rsvps += g.in_person
            tally.online += g.online
            tally.walk_ins += g.walk_ins
            slot = slots.get((g.time_of_day, g.format))
            if slot is None:
                slot = slots[g.time_of_day, g.format] = _SlotSums()
            slot.sessions += g.sessions
            slot.people += g.in_person + g.online + g.walk_ins
            slot.in_person += g.in_person + g.walk_ins
            slot.online += g.online
            modes[g.attendance_mode] = modes.get(g.attendance_mode, 0) + g.sessions
        tally.total = tally.in_person_rsvps + tally.online + tally.walk_ins
        return tally


def _periods(
    unit: str,
    date_range: DateRange,
    groups: list[SessionGroup],
    months: dict[date, People],
    came_before: People,
) -> list[Period]:
    """Every month (or quarter) of the range up to the last one with a session, empty
    ones included, so that a gap shows as a gap.

    A person is new in the period of their first session ever, and returning after it:
    returning throughout when they had come before the range, else new in their first
    period of it.
    """
    if not groups:
        return []
    begin_of = (lambda day: day.replace(day=1)) if unit == "month" else _quarter_of
    step = 1 if unit == "month" else 3
    periods: dict[date, Period] = {}
    begins = begin_of(date_range.first)
    last = begin_of(max(g.month for g in groups))
    while begins <= last:
        after = _months_after(begins, step)
        span = date_range.clip(begins, after - timedelta(days=1))
        periods[begins] = Period(unit=unit, begins=begins, span=span)
        begins = after
    for group in groups:
        periods[begin_of(group.month)].groups.append(group)
    grouped: dict[date, list[People]] = defaultdict(list)
    for month, month_people in months.items():
        grouped[begin_of(month)].append(month_people)
    seen = came_before
    for key, period in periods.items():
        people = People.union(grouped[key])
        new = people - seen
        period.new_people = len(new)
        period.returning_people = len(people) - period.new_people
        seen |= new
    return list(periods.values())


# The report -------------------------------------------------------------------------


@dataclass(frozen=True)
class SlotNumbers:
    """Sessions of one slot (time of day and format) and the people who came to them."""

    time_of_day: str
    format: str
    sessions: int
    people: int
    in_person: int
    online: int

    @property
    def label(self) -> str:
        return slot_label(self.time_of_day, self.format)

    @property
    def average(self) -> float:
        return self.people / self.sessions


@dataclass
class AttendanceReport:
    """Everything the statistics page and the funder summary show for one range."""

    range: DateRange
    groups: list[SessionGroup]  # the range's sessions, added up by month, slot and mode
    estimated_sessions: list[SessionAttendance]  # by name, for the pages to list
    members: int  # different member accounts who came
    guests: int  # different guest addresses who came
    new_people: int  # of those, people whose first session ever was in the range
    now: datetime
    people_by_month: dict[date, People]  # the range's months' people
    came_before: People  # everyone who came before the range

    # Months and quarters as each page asks (the statistics page wants one of them, the
    # funder summary the quarters): each is a pass over the range's months and groups.
    @cached_property
    def months(self) -> list[Period]:
        return _periods("month", self.range, self.groups, self.people_by_month, self.came_before)

    @cached_property
    def quarters(self) -> list[Period]:
        return _periods("quarter", self.range, self.groups, self.people_by_month, self.came_before)

    @cached_property
    def by_month(self) -> bool:
        """Charts go by month for ranges up to MONTHLY_UP_TO months, by quarter beyond."""
        return self.range.months <= MONTHLY_UP_TO

    @cached_property
    def periods(self) -> list[Period]:
        return self.months if self.by_month else self.quarters

    @cached_property
    def known_people(self) -> int:
        return self.members + self.guests

    @cached_property
    def returning_people(self) -> int:
        return self.known_people - self.new_people

    @cached_property
    def _tally(self) -> _Tally:
        return _Tally.of(self.groups)

    @property
    def session_count(self) -> int:
        """Sessions that took place in the range."""
        return self._tally.sessions

    @property
    def walk_ins(self) -> int:
        return self._tally.walk_ins

    @cached_property
    def people_reached(self) -> int:
        """Different people with an RSVP, plus walk-ins counted at each visit."""
        return self.known_people + self.walk_ins

    @property
    def attendance(self) -> int:
        """Visits: everyone who came to each session, added up."""
        return self._tally.total

    @property
    def in_person(self) -> int:
        return self._tally.in_person_rsvps + self._tally.walk_ins

    @property
    def online(self) -> int:
        return self._tally.online

    @cached_property
    def average(self) -> float:
        return self.attendance / self.session_count if self.session_count else 0.0

    @cached_property
    def returning_percent(self) -> int | None:
        if not self.known_people:
            return None
        return round(100 * self.returning_people / self.known_people)

    @cached_property
    def counted_sessions(self) -> int:
        """Sessions counted at the door in both modes."""
        return self._tally.sessions - self._tally.estimated

    @cached_property
    def slots(self) -> list[SlotNumbers]:
        """Each slot held in the range, evening before daytime, brief before in depth."""
        grouped = self._tally.slots
        order = sorted(grouped, key=lambda k: (TIME_ORDER.index(k[0]), FORMAT_ORDER.index(k[1])))
        return [
            SlotNumbers(
                time_of_day=time_of_day,
                format=format,
                sessions=grouped[time_of_day, format].sessions,
                people=grouped[time_of_day, format].people,
                in_person=grouped[time_of_day, format].in_person,
                online=grouped[time_of_day, format].online,
            )
            for time_of_day, format in order
        ]

    @cached_property
    def slots_coincide(self) -> bool:
        """Time of day and format always go together (every evening is brief and every
        daytime in depth, say), so one of them names the slot and one chart shows both."""
        pairs = set(self._tally.slots)
        return len(pairs) == len({t for t, _f in pairs}) == len({f for _t, f in pairs})

    @cached_property
    def times_of_day(self) -> list[str]:
        present = {time_of_day for time_of_day, _format in self._tally.slots}
        return [value for value in TIME_ORDER if value in present]

    @cached_property
    def formats(self) -> list[str]:
        present = {format for _time_of_day, format in self._tally.slots}
        return [value for value in FORMAT_ORDER if value in present]

    @cached_property
    def modes(self) -> list[tuple[str, int]]:
        """How many sessions were in person, online or hybrid: (label, count), most first."""
        counts = self._tally.modes
        return [
            (AttendanceMode(mode).short_label.lower(), count)
            for mode, count in sorted(counts.items(), key=lambda item: -item[1])
        ]

    @cached_property
    def ends_after_today(self) -> bool:
        return self.range.last >= local_today(self.now)


def attendance_report(date_range: DateRange, now: datetime | None = None) -> AttendanceReport:
    """The sessions of the range that took place, and the people who came, in three
    queries whatever the range (see _range_data): a row per month that is over, and the
    rest live."""
    now = now or timezone.now()
    data = _range_data(now, date_range)
    people = People.union(data.people.values())
    return AttendanceReport(
        range=date_range,
        groups=data.groups,
        estimated_sessions=data.estimated,
        members=people.member_count,
        guests=people.guest_count,
        new_people=len(people - data.came_before),
        now=now,
        people_by_month=data.people,
        came_before=data.came_before,
    )
