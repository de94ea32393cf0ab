"""Calendar feeds: which sessions each feed holds, its state for polling clients, its bytes.

Calendar apps poll a feed every few hours for years. Each poll first asks "has it
changed?" (If-None-Match / If-Modified-Since); `public_feed_state` and
`personal_feed_state` answer that with one aggregate query, without loading any
session. Only a changed feed is built, and a public one is built once per state:
its bytes are cached under its ETag, which changes whenever the content can.

What changes a feed's content: a session's row (every edit saves it), a venue's row
(the address is the LOCATION), an RSVP (personal feeds), the feed's own settings,
and the passing of days (the window of past sessions moves at local midnight).
Each is in the state, so no stale feed can match.
"""

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.core.cache import caches
from django.db.models import (
    Count,
    DateTimeField,
    F,
    Field,
    Func,
    IntegerField,
    Max,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
)
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from icalendar import Calendar, vText

from cop_portal.lib.content_version import content_version
from cop_portal.lib.language import QUERY_PARAMETER, supported
from cop_portal.lib.urls import absolute_url
from sessions_app.ical import new_calendar, session_event, to_ical
from sessions_app.models import (
    AttendanceMode,
    ConversationFormat,
    FeedToken,
    Rsvp,
    Session,
    SessionQuerySet,
    SessionStatus,
    TimeOfDay,
)
from sessions_app.models.session import local_zone

# Past sessions stay this long, so last month's entries don't vanish from calendars.
PAST_DAYS = 92
# How often calendar apps should check (RFC 7986 REFRESH-INTERVAL, X-PUBLISHED-TTL).
REFRESH_HOURS = 6
# Bump when the bytes of a feed change for the same data (a new property, say).
FORMAT_VERSION = "1"
# Public feeds are the same for everyone, so they are cached; personal ones are small.
CACHE_ALIAS = "feeds"
CACHE_SECONDS = 24 * 60 * 60

PUBLIC_STATUSES = (SessionStatus.PUBLISHED, SessionStatus.CANCELLED)

FILTER_LABELS = {
    "time_of_day": TimeOfDay,
    "format": ConversationFormat,
    "attendance_mode": AttendanceMode,
}


@dataclass(frozen=True)
class FeedState:
    """What a polling client compares: an ETag and a Last-Modified, or nothing to serve."""

    etag: str
    last_modified: datetime


def window_start(now: datetime | None = None) -> datetime:
    """Local midnight PAST_DAYS ago: the earliest start a feed lists. It moves once a
    day, so a feed's content changes at most at midnight without a row changing."""
    today = timezone.localtime(now or timezone.now(), local_zone()).date()
    return datetime.combine(today - timedelta(days=PAST_DAYS), time(), tzinfo=local_zone())


def _state(*parts: object, changed: Iterable[datetime | None], since: datetime) -> FeedState:
    """The ETag hashes everything the content depends on; Last-Modified is the latest
    change, and never earlier than the day's window move."""
    text = "|".join(str(part) for part in (FORMAT_VERSION, settings.SITE_URL, since, *parts))
    etag = hashlib.sha256(text.encode()).hexdigest()[:32]
    moments = [moment for moment in changed if moment is not None]
    midnight = since + timedelta(days=PAST_DAYS)
    return FeedState(etag=f'"{etag}"', last_modified=max([*moments, midnight]))


# Public feed ---------------------------------------------------------------------


def public_feed_sessions(filters: Mapping[str, str], since: datetime) -> SessionQuerySet:
    """Published and cancelled sessions from `since` on, matching the list filters.
    Cancelled ones stay so subscribed calendars mark them cancelled."""
    return Session.objects.public().filter(starts_at__gte=since).matching(**filters)


def public_feed_state(
    filters: Mapping[str, str], since: datetime, language: str = settings.LANGUAGE_CODE
) -> FeedState:
    """The public feed's state, worked out once per content version (a change to any
    session or venue makes a new one), so that a repeat poll costs no query.
    PAGE_CACHE_SECONDS=0 works it out for every request. The feed's `language` is part
    of it: the English and Spanish feeds have different ETags and cached bytes."""
    cache = caches[CACHE_ALIAS]
    query = urlencode(sorted(filters.items()))
    key = f"public-feed-state:{content_version()}:{since.timestamp():.0f}:{language}:{query}"
    state = cache.get(key)
    if state is None:
        state = _public_feed_state(filters, since, language)
        # As long as a kept page: a change made straight in the database shows as soon.
        cache.set(key, state, settings.PAGE_CACHE_SECONDS)
    return state


def _public_feed_state(filters: Mapping[str, str], since: datetime, language: str) -> FeedState:
    """One query: how many sessions, and the latest change to them or their venues.

    Last-Modified also counts the latest change to any session in the window: one that
    leaves a filtered feed (an edit made it daytime, say) changes no row the feed still
    lists, and a client that sends only If-Modified-Since must still get the new feed.
    The ETag needs no such help, as the count changes.
    """
    # As public_feed_sessions, in one Q: the filters are matching()'s field names.
    listed = Q(
        status__in=PUBLIC_STATUSES, **{name: value for name, value in filters.items() if value}
    )
    totals = Session.objects.filter(starts_at__gte=since).aggregate(
        count=Count("id", filter=listed),
        sessions=Max("updated", filter=listed),
        venues=Max("venue__updated", filter=listed),
        window=Max("updated"),
    )
    return _state(
        "public",
        language,
        sorted(filters.items()),
        totals["count"],
        totals["sessions"],
        totals["venues"],
        changed=(totals["sessions"], totals["venues"], totals["window"]),
        since=since,
    )


def filter_label(name: str, value: str) -> str:
    """A filter value in a word or two: "Evening", "In-depth", "Hybrid"."""
    choice = FILTER_LABELS[name](value)
    return choice.short_label if isinstance(choice, AttendanceMode) else str(choice.label)


def public_feed_name(filters: Mapping[str, str]) -> str:
    """ "CoP Portal sessions", or with its filters: "CoP Portal sessions: Evening, Online"."""
    labels = [filter_label(name, filters[name]) for name in FILTER_LABELS if filters.get(name)]
    name = _("%(site)s sessions") % {"site": settings.SITE_NAME}
    return f"{name}: {', '.join(labels)}" if labels else name


def public_feed_url(filters: Mapping[str, str], language: str | None = None) -> str:
    """The feed's absolute https address, filters in the list pages' order; for another
    language than English (the active one, unless given), with its ?lang=."""
    path = reverse("sessions:feed-ics")
    ordered = [(name, filters[name]) for name in FILTER_LABELS if filters.get(name)]
    language = supported(language or translation.get_language()) or settings.LANGUAGE_CODE
    if language != settings.LANGUAGE_CODE:
        ordered.append((QUERY_PARAMETER, language))
    return absolute_url(f"{path}?{urlencode(ordered)}" if ordered else path)


def public_feed(
    filters: Mapping[str, str],
    since: datetime,
    state: FeedState,
    language: str = settings.LANGUAGE_CODE,
) -> bytes:
    """The public feed's bytes in `language`, built once per state (no meeting links,
    no attendees). `state` must be this language's (its ETag names the cached bytes)."""
    cache = caches[CACHE_ALIAS]
    key = f"public-feed:{state.etag.strip(chr(34))}"
    body = cache.get(key)
    if body is None:
        sessions = public_feed_sessions(filters, since).for_listing().order_by("starts_at", "id")
        with translation.override(language):
            body = build_feed(
                sessions,
                name=public_feed_name(filters),
                description=_(
                    "Sessions of the Community of Practice for community builders in Cleveland."
                ),
                source=public_feed_url(filters, language),
            )
        cache.set(key, body, CACHE_SECONDS)
    return body


# Personal feeds ------------------------------------------------------------------


def _in_subquery(queryset: QuerySet, function: str, field: str, output: Field) -> Subquery:
    """An aggregate over a correlated queryset as a scalar subquery. A plain Func (not
    an Aggregate) keeps Django from adding GROUP BY, so it is one row per outer row."""
    expression = Func(F(field), function=function, output_field=output)
    if hasattr(queryset, "rewrite"):
        # modeltranslation's values() with only an expression would select every field.
        queryset = queryset.rewrite(False)
    return Subquery(queryset.order_by().values(value=expression)[:1])


def _owner_rsvps() -> QuerySet:
    """RSVPs of the token in the outer query: the member's, or the guest address's."""
    # Guest addresses are stored in canonical form on both sides.
    return Rsvp.objects.filter(
        Q(user_id=OuterRef("user_id")) | Q(user__isnull=True, email=OuterRef("guest_email"))
    )


def personal_feed_state(key: str, since: datetime) -> tuple[FeedToken, FeedState] | None:
    """The token and its feed's state in one query; None for an unknown key (a wrong,
    old or replaced address).

    The state covers all the owner's RSVPs (an answer changed), the sessions they
    answered and those sessions' venues, the token's own settings and, for a feed of
    every session, the public feed's state as well.
    """
    rsvps = _owner_rsvps()
    # A guest's language is the one of their latest answer.
    guest_language = Rsvp.objects.filter(user__isnull=True, email=OuterRef("guest_email")).order_by(
        "-updated", "-id"
    )
    if hasattr(guest_language, "rewrite"):
        guest_language = guest_language.rewrite(False)
    public = Session.objects.public().filter(starts_at__gte=since)
    # The answered sessions through the RSVPs' own joins: a Session subquery around
    # the RSVPs would make their OuterRef point at the session, not at the token.
    token = (
        FeedToken.objects.filter(key=key)
        .annotate(
            rsvp_count=_in_subquery(rsvps, "COUNT", "pk", IntegerField()),
            rsvp_changed=_in_subquery(rsvps, "MAX", "updated", DateTimeField()),
            session_changed=_in_subquery(rsvps, "MAX", "session__updated", DateTimeField()),
            venue_changed=_in_subquery(rsvps, "MAX", "session__venue__updated", DateTimeField()),
            public_count=_in_subquery(public, "COUNT", "pk", IntegerField()),
            public_changed=_in_subquery(public, "MAX", "updated", DateTimeField()),
            public_venue_changed=_in_subquery(public, "MAX", "venue__updated", DateTimeField()),
            member_language=F("user__language"),
            guest_language=Subquery(guest_language.values("language")[:1]),
        )
        .first()
    )
    if token is None:
        return None
    token.language = (
        supported(token.member_language or token.guest_language) or settings.LANGUAGE_CODE
    )
    changed = [token.updated, token.rsvp_changed, token.session_changed, token.venue_changed]
    # A member who chooses another language changes no row here but their own: the
    # language is in the ETag, so the next poll gets the feed in it.
    parts: list[object] = [token.key, token.language, token.include_all, token.rsvp_count]
    parts.extend(changed)
    if token.include_all:
        public_changes = [token.public_changed, token.public_venue_changed]
        parts.extend([token.public_count, *public_changes])
        changed.extend(public_changes)
    return token, _state("personal", *parts, changed=changed, since=since)


def personal_feed_rsvps(token: FeedToken, since: datetime) -> dict[int, Rsvp]:
    """The owner's current answers (going or waitlisted) to sessions in the window,
    by session id."""
    rsvps = Rsvp.objects.active().filter(
        session__starts_at__gte=since, session__status__in=PUBLIC_STATUSES
    )
    if token.user_id is not None:
        rsvps = rsvps.filter(user_id=token.user_id)
    else:
        rsvps = rsvps.filter(user__isnull=True, email=token.guest_email)
    return {rsvp.session_id: rsvp for rsvp in rsvps}


def personal_feed(token: FeedToken, since: datetime) -> bytes:
    """The personal feed's bytes: the sessions the owner answered for, with their
    answer and, where they may join online, the meeting link; with `include_all`,
    every other session too, as in the public feed."""
    yours = personal_feed_rsvps(token, since)
    sessions = Session.objects.filter(pk__in=list(yours))
    if token.include_all:
        sessions = sessions | Session.objects.public().filter(starts_at__gte=since)
    # In the owner's language, whatever the calendar app asks for: it polls on its own,
    # often with its server's Accept-Language, not the person's.
    with translation.override(feed_language(token)):
        return build_feed(
            sessions.for_listing().order_by("starts_at", "id"),
            name=_("%(site)s: my sessions") % {"site": settings.SITE_NAME},
            description=_(
                "The CoP sessions you RSVP'd to, with their joining details. Keep private."
            ),
            source=absolute_url(token.get_absolute_url()),
            yours=yours,
        )


def feed_language(token: FeedToken) -> str:
    """The language of a personal feed: the member's own choice; for a guest, the
    language of their latest answer. Worked out by personal_feed_state already, else
    from the data here."""
    found = getattr(token, "language", None)
    if found:
        return found
    if token.user_id is not None:
        return supported(token.user.language) or settings.LANGUAGE_CODE
    latest = (
        Rsvp.objects.filter(user__isnull=True, email=token.guest_email)
        .order_by("-updated", "-id")
        .values_list("language", flat=True)
        .first()
    )
    return supported(latest) or settings.LANGUAGE_CODE


def build_feed(
    sessions: Iterable[Session],
    *,
    name: str,
    description: str,
    source: str,
    yours: Mapping[int, Rsvp] | None = None,
) -> bytes:
    """A VCALENDAR (METHOD:PUBLISH) with one VEVENT per session.

    `yours` maps session ids to the reader's RSVPs (personal feeds): those events say
    how they answered, and carry the meeting link where they may join online.
    """
    calendar = _feed_calendar(name=name, description=description, source=source)
    yours = yours or {}
    for session in sessions:
        rsvp = yours.get(session.pk)
        if rsvp is not None:
            rsvp.session = session
        calendar.add_component(
            session_event(
                session,
                include_conference=rsvp is not None and rsvp.may_join_online,
                yours=rsvp,
            )
        )
    return to_ical(calendar)


def _feed_calendar(*, name: str, description: str, source: str) -> Calendar:
    """RFC 7986 names and refresh hints, plus the X-WR- and X-PUBLISHED-TTL forms that
    Apple, Google and Outlook read. Properties are added by name: `Calendar.new` would
    invent a random UID, and icalendar writes a timedelta X-PUBLISHED-TTL as 6:00:00.
    icalendar 7 does not know NAME and the X-WR- names as text and would write their
    commas and semicolons unescaped ("Evening, Online"), so they are given as vText."""
    calendar = new_calendar(method="PUBLISH")
    calendar.add("NAME", vText(name))
    calendar.add("X-WR-CALNAME", vText(name))
    calendar.add("DESCRIPTION", description)
    calendar.add("X-WR-CALDESC", vText(description))
    calendar.add("SOURCE", source, parameters={"VALUE": "URI"})
    calendar.add("URL", absolute_url(reverse("sessions:session-list")))
    calendar.add(
        "REFRESH-INTERVAL", timedelta(hours=REFRESH_HOURS), parameters={"VALUE": "DURATION"}
    )
    calendar.add("X-PUBLISHED-TTL", f"PT{REFRESH_HOURS}H")
    return calendar


__all__ = [
    "FeedState",
    "build_feed",
    "feed_language",
    "personal_feed",
    "personal_feed_rsvps",
    "personal_feed_state",
    "public_feed",
    "public_feed_name",
    "public_feed_state",
    "public_feed_url",
    "window_start",
]
