"""Reads for the public session pages: grouping by month and the month grid.

Everything here works on sessions already fetched (one query, venue joined), so
building a page costs the same number of queries however many sessions it shows.
"""

import calendar
import unicodedata
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from functools import cached_property
from typing import Any

from allauth.account.models import EmailAddress
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.paginator import Page, Paginator
from django.db.models import Count, OuterRef, Q, Subquery
from django.utils import timezone

from cop_portal.lib.addresses import canonical_email
from sessions_app.models import AttendAs, Rsvp, RsvpStatus, Session, SessionQuerySet, WalkIn
from sessions_app.models.session import local_zone
from sessions_app.stats import HEADCOUNT_FIELDS, Headcount, stored_count, with_headcount

# Months the calendar can show; beyond them its pages answer 404.
FIRST_YEAR = 2000
LAST_YEAR = 2100

# US calendars start their weeks on Sunday.
WEEK = calendar.Calendar(firstweekday=calendar.SUNDAY)


def in_calendar_range(year: int, month: int) -> bool:
    return FIRST_YEAR <= year <= LAST_YEAR and 1 <= month <= 12


@dataclass(frozen=True)
class MonthGroup:
    month: date  # the first of the month
    sessions: list[Session]


def group_by_month(sessions: Iterable[Session]) -> list[MonthGroup]:
    """Consecutive sessions grouped by their local month, keeping the given order."""
    groups: list[MonthGroup] = []
    for session in sessions:
        month = session.local_starts_at.date().replace(day=1)
        if not groups or groups[-1].month != month:
            groups.append(MonthGroup(month=month, sessions=[]))
        groups[-1].sessions.append(session)
    return groups


class PageRows:
    """The full rows of one page of sessions, read in one query the first time any of
    them is needed: when every card of the page is kept, never."""

    def __init__(self, sessions: SessionQuerySet, pks: list[int]) -> None:
        self._sessions, self._pks = sessions, pks

    @cached_property
    def by_pk(self) -> dict[int, Session]:
        return {session.pk: session for session in self._sessions.filter(pk__in=self._pks)}


class KeptSession:
    """A session on a list whose cards are kept (cop_portal/lib/fragments.py): its key and
    start now (what the card's key and the month headings need), anything else read
    with the page's other sessions, in one query, when a card is rendered afresh."""

    def __init__(self, pk: int, starts_at: datetime, rows: PageRows) -> None:
        self.pk, self.starts_at, self._rows = pk, starts_at, rows

    @property
    def local_starts_at(self) -> datetime:
        return timezone.localtime(self.starts_at, local_zone())

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        row = self._rows.by_pk.get(self.pk)
        if row is None:  # deleted between the page's two reads: nothing to show
            raise AttributeError(name)
        return getattr(row, name)


def _kept(sessions: SessionQuerySet, keys: Iterable[tuple[int, datetime]]) -> list[KeptSession]:
    keys = list(keys)
    rows = PageRows(sessions, [pk for pk, _starts_at in keys])
    return [KeptSession(pk, starts_at, rows) for pk, starts_at in keys]


def kept_sessions_page(sessions: SessionQuerySet, number: object, *, per_page: int) -> Page:
    """A page of sessions for a list of kept cards: two small queries (the count, the
    page's keys and starts), and one more only if a card isn't kept."""
    page = Paginator(sessions.values_list("pk", "starts_at"), per_page).get_page(number)
    page.object_list = _kept(sessions, page.object_list)
    return page


def month_bounds(year: int, month: int) -> tuple[datetime, datetime]:
    """Local midnight on the first of the month and of the next month, as aware datetimes.

    Local, not UTC: a session at 11:30 PM on January 31 in Cleveland is already
    February in UTC, yet belongs to January.
    """
    first = datetime(year, month, 1, tzinfo=local_zone())
    return first, first + relativedelta(months=1)


# What the calendar's month table shows of a session (templatetags/calendar_month.py):
# its rows read with nothing else, not even its venue (a month is ~85 rows at scale 10).
CALENDAR_FIELDS = (
    "slug",
    "series_id",
    "status",
    "starts_at",
    "time_of_day",
    "format",
    "attendance_mode",
    "cancellation_reason",
    *(f"{field}_{code}" for field in ("title", "topic") for code, _name in settings.LANGUAGES),
)


def sessions_in_month(year: int, month: int, filters: dict[str, str]) -> SessionQuerySet:
    """Published and cancelled sessions starting in that local month, in order, with the
    fields the calendar shows (CALENDAR_FIELDS); a query not yet run."""
    start, end = month_bounds(year, month)
    return (
        Session.objects.public()
        .starting_between(start, end)
        .matching(**filters)
        .only(*CALENDAR_FIELDS)
        .order_by("starts_at", "id")
    )


@dataclass
class CalendarDay:
    date: date
    in_month: bool
    is_today: bool
    sessions: list[Session] = field(default_factory=list)


class MonthGrid:
    """A month of the calendar: its first day, the months before and after it, and its
    weeks of days, Sunday first, each day holding the sessions that start on it locally.

    The weeks are laid out, and the sessions read, the first time they are needed: a
    kept month table (calendar.html) needs neither, so a page showing one reads none
    of the month's ~85 sessions (scale 10)."""

    def __init__(self, year: int, month: int, sessions: Iterable[Session], *, today: date):
        self.first = date(year, month, 1)
        self.today = today
        self._sessions = sessions
        previous = self.first - relativedelta(months=1)
        following = self.first + relativedelta(months=1)
        self.previous = previous if in_calendar_range(previous.year, previous.month) else None
        self.next = following if in_calendar_range(following.year, following.month) else None

    @cached_property
    def weeks(self) -> list[list[CalendarDay]]:
        month = self.first.month
        by_day: dict[date, list[Session]] = {}
        for session in self._sessions:
            by_day.setdefault(session.local_starts_at.date(), []).append(session)
        return [
            [
                CalendarDay(
                    date=day,
                    in_month=day.month == month,
                    is_today=day == self.today,
                    sessions=by_day.get(day, []) if day.month == month else [],
                )
                for day in week
            ]
            for week in WEEK.monthdatescalendar(self.first.year, month)
        ]

    @property
    def session_count(self) -> int:
        return sum(len(day.sessions) for week in self.weeks for day in week)


def month_grid(year: int, month: int, sessions: Iterable[Session], *, today: date) -> MonthGrid:
    """The month's grid (MonthGrid); `sessions`, which may be a query not yet run, is
    read only when its weeks are."""
    return MonthGrid(year, month, sessions, today=today)


@dataclass(frozen=True)
class PlaceCounts:
    """Going and waiting people per mode, read in one query (see rsvp_counts)."""

    in_person: int = 0
    online: int = 0
    waitlisted: int = 0


def rsvp_counts(session: Session) -> PlaceCounts:
    """Going in person, going online and waiting, in one query."""
    going = Q(status=RsvpStatus.GOING)
    totals = session.rsvps.aggregate(
        in_person=Count("pk", filter=going & Q(attend_as=AttendAs.IN_PERSON)),
        online=Count("pk", filter=going & Q(attend_as=AttendAs.ONLINE)),
        waitlisted=Count("pk", filter=Q(status=RsvpStatus.WAITLISTED)),
    )
    return PlaceCounts(**totals)


def places_left_from(session: Session, counts: PlaceCounts, attend_as: str) -> int | None:
    """Like services.rsvps.places_left, from counts already read."""
    limit = session.seats if attend_as == AttendAs.IN_PERSON else session.online_places
    if limit is None:
        return None
    going = counts.in_person if attend_as == AttendAs.IN_PERSON else counts.online
    return max(limit - going, 0)


def waitlist_position(rsvp: Rsvp) -> int | None:
    """1 for the first person waiting in the same mode; None when not waiting."""
    if not rsvp.is_waitlisted:
        return None
    ahead = (
        Rsvp.objects.filter(session_id=rsvp.session_id, attend_as=rsvp.attend_as)
        .waitlisted()
        .filter(Q(queued_at__lt=rsvp.queued_at) | Q(queued_at=rsvp.queued_at, pk__lt=rsvp.pk))
    )
    return ahead.count() + 1


def listed_members(session: Session, *, limit: int = 30) -> list[Rsvp]:
    """Members going who chose to show their name, in the order they answered."""
    return list(
        session.rsvps.going()
        .filter(user__isnull=False, listed=True)
        .select_related("user")
        .in_queue_order()[:limit]
    )


def session_turnout(session: Session) -> Headcount:
    """How many came to a session that is over, counted as the organizers' statistics
    count it (stats.Headcount: in person and online each from the door when any RSVP of
    that mode was checked in, else from its RSVPs going, an estimate the page words;
    walk-ins added to in person), in one query."""
    row = with_headcount(Session.objects.filter(pk=session.pk)).values(*HEADCOUNT_FIELDS).get()
    return Headcount.from_row(row)


@dataclass(frozen=True)
class HomeSessions:
    next: Session | None  # the next session people can come to
    following: list[Session]  # the others coming up, cancelled ones included, in order


def home_sessions(now: datetime, *, count: int) -> HomeSessions:
    """The next published session and up to count - 1 others, cancelled ones included
    (marked on the page) so that a month is never silently missing.

    One query, unless more than `count` cancelled sessions come first: then a second
    one finds the next session that is on.
    """
    upcoming = Session.objects.public().upcoming(now).for_listing().order_by("starts_at", "id")
    sessions = list(upcoming[: count + 1])
    next_session = next((s for s in sessions if not s.is_cancelled), None)
    if next_session is None and len(sessions) > count:
        next_session = upcoming.published().first()
    following = [s for s in sessions if s is not next_session][: count - 1]
    return HomeSessions(next=next_session, following=following)


def next_session(now: datetime) -> Session | None:
    """The next published session people can come to, or None."""
    return (
        Session.objects.published().upcoming(now).for_listing().order_by("starts_at", "id").first()
    )


def with_stored_attendance(sessions: SessionQuerySet) -> SessionQuerySet:
    """The counts stats.with_attendance annotates (going in person and online, waiting,
    checked in, walk-ins, came), read from each session's stored counts (SessionCounts,
    kept by the services that write RSVPs, check-ins and walk-ins, in the same
    transaction) with one join, instead of five subqueries over its RSVPs and walk-ins."""
    checked_in = stored_count("checked_in_in_person") + stored_count("checked_in_online")
    return sessions.annotate(
        going_in_person_count=stored_count("going_in_person"),
        going_online_count=stored_count("going_online"),
        waitlisted_count=stored_count("waitlisted"),
        checked_in_count=checked_in,
        walk_in_count=stored_count("walk_ins"),
        attendance_count=checked_in + stored_count("walk_ins"),
    )


def organizer_sessions_page(number: object, *, per_page: int) -> Page:
    """One page of upcoming sessions, drafts included, with their attendance counts.

    The page is cut from the sessions alone, then only its sessions' stored counts are
    read: counting every upcoming session's RSVPs before cutting read the whole RSVP
    table (1 s with 10,000 sessions), and counting the page's 50 sessions' RSVPs grew
    with them. Three queries: the count, the page's ids, the page's rows.
    """
    upcoming = Session.objects.upcoming().order_by("starts_at", "id")
    page = Paginator(upcoming.values_list("pk", flat=True), per_page).get_page(number)
    page.object_list = list(
        with_stored_attendance(
            Session.objects.filter(pk__in=list(page.object_list))
            .select_related("venue")
            .only(*_ORGANIZER_ROW_FIELDS)
        ).order_by("starts_at", "id")
    )
    return page


# What a row of the organizers' list shows (templatetags/organizer_rows.py): not the
# summaries and agendas, the longest texts of a session, in two languages.
_ORGANIZER_ROW_FIELDS = (
    "slug",
    "series_id",
    "title_en",
    "title_es",
    "topic_en",
    "topic_es",
    "starts_at",
    "ends_at",
    "status",
    "edited",
    "time_of_day",
    "format",
    "attendance_mode",
    "capacity",
    "venue__capacity",
)


# Who answered one session: the RSVP list, its downloads and the door list ----------------


@dataclass(frozen=True, slots=True)
class RsvpRow:
    """One active RSVP as the organizers' lists show it (the attendees page, the door
    list, the downloads): plain values, the member's name and address already in place.

    Read with values_list rather than as Rsvp and User instances: with 500 people at a
    session, building two model instances a row cost more than the query."""

    pk: int
    user_id: int | None
    display_name: str
    address: str
    organization: str
    attend_as: str
    status: str
    queued_at: datetime
    checked_in_at: datetime | None
    checked_in_by: str

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RsvpStatus.WAITLISTED


@dataclass(frozen=True, slots=True)
class Attendee:
    rsvp: RsvpRow
    waitlist_position: int | None

    @property
    def email(self) -> str:
        return self.rsvp.address


@dataclass(frozen=True)
class AttendeeGroups:
    """Active RSVPs of one session: going in person, going online (both in the order they
    answered), and the waitlist in queue order with each person's place in their own line
    (in person and online wait apart)."""

    in_person: list[Attendee]
    online: list[Attendee]
    waitlist: list[Attendee]

    def __iter__(self) -> Iterator[Attendee]:
        yield from self.in_person
        yield from self.online
        yield from self.waitlist


_RSVP_ROW_FIELDS = (
    "pk",
    "user_id",
    "name",
    "email",
    "member_name",
    "member_email",
    "organization",
    "attend_as",
    "status",
    "queued_at",
    "checked_in_at",
    "checked_in_by",
)


def rsvp_rows(session: Session) -> list[RsvpRow]:
    """The session's active RSVPs in queue order, with only the columns the organizers'
    lists show, in one query."""
    # The member's name and address looked up per row, not joined: for a join PostgreSQL
    # hashed every account (50,000 at scale 10: 13 ms of the door list's 14) to match
    # the session's few hundred RSVPs.
    members = Rsvp._meta.get_field("user").related_model.objects.filter(pk=OuterRef("user_id"))
    rows = (
        session.rsvps.active()
        .in_queue_order()
        .annotate(
            member_name=Subquery(members.values("display_name")[:1]),
            member_email=Subquery(members.values("email")[:1]),
        )
        .values_list(*_RSVP_ROW_FIELDS)
    )
    # Positional: a frozen dataclass's keyword __init__ costs twice as much, and the
    # busiest session has ~540 rows (scale 10).
    return [
        RsvpRow(
            pk,
            user_id,
            member_name if user_id else name,
            member_email if user_id else email,
            organization,
            attend_as,
            status,
            queued_at,
            checked_in_at,
            checked_in_by,
        )
        for (
            pk,
            user_id,
            name,
            email,
            member_name,
            member_email,
            organization,
            attend_as,
            status,
            queued_at,
            checked_in_at,
            checked_in_by,
        ) in rows
    ]


def attendee_groups(session: Session) -> AttendeeGroups:
    """The session's active RSVPs with their members' names, in one query, grouped."""
    groups = AttendeeGroups(in_person=[], online=[], waitlist=[])
    in_person, online = groups.in_person.append, groups.online.append
    waitlist = groups.waitlist.append
    waiting: dict[str, int] = {}
    for rsvp in rsvp_rows(session):
        if rsvp.status == RsvpStatus.WAITLISTED:
            place = waiting[rsvp.attend_as] = waiting.get(rsvp.attend_as, 0) + 1
            waitlist(Attendee(rsvp, place))
        elif rsvp.attend_as == AttendAs.IN_PERSON:
            in_person(Attendee(rsvp, None))
        else:
            online(Attendee(rsvp, None))
    return groups


def folded(text: str) -> str:
    """Text compared as people type it: letter case and spaces don't matter ("Zoë  Lee"
    is "zoëlee"), for the door list's search and for names typed at self check-in."""
    return "".join(unicodedata.normalize("NFKC", text).casefold().split())


@dataclass(frozen=True)
class DoorList:
    """The door list of a session: in person first (going, by name, then the in-person
    waitlist in queue order), online apart; walk-ins; each narrowed by a search. `totals`
    are the sections' sizes before the search."""

    going: list[RsvpRow]
    waiting: list[RsvpRow]
    online: list[RsvpRow]
    walk_ins: list[WalkIn]
    totals: dict[str, int]
    query: str

    @property
    def matches(self) -> int:
        return len(self.going) + len(self.waiting) + len(self.online) + len(self.walk_ins)


def _rsvp_matches(rsvp: RsvpRow, key: str) -> bool:
    return any(key in folded(text) for text in (rsvp.display_name, rsvp.organization, rsvp.address))


def door_list(*, session: Session, query: str = "") -> DoorList:
    """The people at the door, in two queries (attendee_groups, walk-ins) however many
    there are. Online people on the waitlist are left out: they aren't coming through
    the door.

    The search (a name, organization or email, or part of one) runs here rather than in
    SQL: the list is one session's, and Python's case folding knows "Zoë" is "ZOË", which
    SQLite's LIKE does not.
    """
    groups = attendee_groups(session)
    by_name = sorted(groups.in_person, key=lambda attendee: folded(attendee.rsvp.display_name))
    going = [attendee.rsvp for attendee in by_name]
    waiting = [a.rsvp for a in groups.waitlist if a.rsvp.attend_as == AttendAs.IN_PERSON]
    online = sorted(
        (attendee.rsvp for attendee in groups.online), key=lambda rsvp: folded(rsvp.display_name)
    )
    walk_ins = list(session.walk_ins.all())
    totals = {
        "going": len(going),
        "waiting": len(waiting),
        "online": len(online),
        "walk_ins": len(walk_ins),
    }
    key = folded(query)
    if key:
        going, waiting, online = (
            [rsvp for rsvp in group if _rsvp_matches(rsvp, key)]
            for group in (going, waiting, online)
        )
        walk_ins = [walk_in for walk_in in walk_ins if key in folded(walk_in.name)]
    return DoorList(
        going, waiting, online, walk_ins, totals, query=" ".join(query.split()) if key else ""
    )


# Who holds the phone at self check-in --------------------------------------------------

# How many private links one browser remembers for self check-in (a person rarely has
# more than a couple of RSVPs on the same day).
REMEMBERED_TOKENS = 5
REMEMBERED_TOKENS_KEY = "sessions_app.rsvp_tokens"


def remembered_tokens(saved: object) -> list[str]:
    """The private links' tokens a browser remembers for self check-in (see rsvp_manage),
    from the Django session's value; anything else stored there is ignored."""
    if not isinstance(saved, list):
        return []
    return [token for token in saved if isinstance(token, str)][:REMEMBERED_TOKENS]


def remember_token(saved: object, token: str) -> list[str]:
    """The list to store after a private link was opened on the day: this one first, a
    few at most."""
    others = [kept for kept in remembered_tokens(saved) if kept != token]
    return [token, *others][:REMEMBERED_TOKENS]


def forget_token(saved: object, token: str) -> list[str]:
    """The list to store once that RSVP is checked in: the phone no longer greets them."""
    return [kept for kept in remembered_tokens(saved) if kept != token]


def member_guest_rsvp(*, session: Session, user: object) -> Rsvp | None:
    """An active guest RSVP for this session made with one of the member's verified
    addresses (they answered before signing up, or without signing in), or None.
    Unverified addresses don't count: typing someone's address proves nothing."""
    addresses = EmailAddress.objects.filter(user=user, verified=True).values_list(
        "email", flat=True
    )
    guests = session.rsvps.active().none()
    for address in addresses:
        guests |= session.rsvps.active().of_guest(address)
    return guests.in_queue_order().first()


def rsvp_of_visitor(*, session: Session, user: object | None, tokens: Iterable[str]) -> Rsvp | None:
    """The active RSVP for this session of whoever holds the phone, or None: the signed-in
    member's own, else a guest RSVP made with one of their verified addresses; for
    visitors who aren't signed in, a guest's whose private link was opened in this browser
    on the day and isn't checked in yet (so a shared tablet never greets the last guest)."""
    rsvps = session.rsvps.active().select_related("user")
    if user is not None and getattr(user, "is_authenticated", False):
        return rsvps.filter(user=user).first() or member_guest_rsvp(session=session, user=user)
    tokens = list(tokens)
    if not tokens:
        return None
    return rsvps.filter(token__in=tokens, checked_in_at__isnull=True).first()


def rsvp_matching(*, session: Session, name: str, email: str = "") -> Rsvp | None:
    """The active RSVP for this session that a name (and perhaps an address) typed on the
    anonymous self check-in form stands for, or None.

    An address matches a guest's address or a member's account address (compared in
    canonical form). Else a name matches when exactly one active RSVP has it: two people
    called "Sam Lee" are a walk-in rather than a guess. One query.
    """
    rsvps = list(session.rsvps.active().select_related("user"))
    if email:
        address = canonical_email(email)
        for rsvp in rsvps:
            if canonical_email(rsvp.address) == address:
                return rsvp
    key = folded(name)
    named = [rsvp for rsvp in rsvps if key and folded(rsvp.display_name) == key]
    return named[0] if len(named) == 1 else None


def rsvp_of_token(*, session: Session, token: str) -> Rsvp | None:
    """The active RSVP for this session whose private link has this token, or None (the
    manage page's "Check in" button sends it)."""
    if not token:
        return None
    return session.rsvps.active().select_related("user").filter(token=token).first()
