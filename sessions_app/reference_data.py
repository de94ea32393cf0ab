"""A large made-up history of sessions and RSVPs, for benchmarks.

Used by `seed_demo --scale` (through cop_portal/reference_data.py). Ten years of
sessions ending about a year ahead, most published, a few cancelled, a few upcoming
drafts; RSVPs from members (given as user ids: accounts belong to the members app)
and a few guests, in queue order, going until the seats in their mode are taken and
on the waitlist after that, as the RSVP service would have put them. Everything comes
from a fixed seed; only the random keys (calendar UIDs, manage-link tokens) differ
between runs.
"""

import itertools
import random
from collections.abc import Collection, Sequence
from datetime import date, datetime, time, timedelta

from sessions_app.demo import DEMO_TOPICS, session_texts
from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    ConversationFormat,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    TimeOfDay,
    Venue,
)
from sessions_app.models.session import local_zone

SEED = 2026
BATCH = 1000
YEARS_BACK = 9  # and one ahead: ten years in all
VENUE_SLUG_PREFIX = "reference-"
REFERENCE_VENUES = [
    ("Reference hall, Fairfax", "Fairfax", 24, "8200 Quincy Avenue", "44104"),
    ("Reference library room, Glenville", "Glenville", 30, "10600 Superior Avenue", "44106"),
    ("Reference church basement, Tremont", "Tremont", 45, "2300 Professor Avenue", "44113"),
    ("Reference recreation center, Collinwood", "Collinwood", 80, "15400 Waterloo Road", "44110"),
]
MODES = [AttendanceMode.IN_PERSON, AttendanceMode.ONLINE, AttendanceMode.HYBRID]
MODE_WEIGHTS = [3, 2, 5]
# The next two upcoming sessions draw this many times their share of RSVPs, so a
# session page with a long list (and a waitlist) is there to measure.
BUSY_SESSIONS = 2
BUSY_WEIGHT = 8.0
GUEST_SHARE = 0.08
# One session in ENGLISH_ONLY has its topic, summary and agenda in English alone
# (Spanish pages show them marked "(en inglés)"), one guest and one member in
# SPANISH_EVERY reads and RSVPs in Spanish: picked by position, not drawn, so the
# random streams stay the same.
ENGLISH_ONLY = 10
SPANISH_EVERY = 5


def reference_venues() -> list[Venue]:
    """The reference set's venues, made once."""
    venues = []
    for n, (name, neighborhood, capacity, street, postal_code) in enumerate(REFERENCE_VENUES):
        venue, _ = Venue.objects.get_or_create(
            slug=f"{VENUE_SLUG_PREFIX}{n + 1}",
            defaults={
                "name": name,
                "address": street,
                "postal_code": postal_code,
                # Each language by its column name, as for the sessions' texts.
                "transit_notes_en": "RTA buses stop at the corner." if n % 2 == 0 else "",
                "transit_notes_es": (
                    "Los autobuses de la RTA paran en la esquina." if n % 2 == 0 else ""
                ),
                "neighborhood": neighborhood,
                "accessibility_notes_en": "Step-free entrance." if n % 2 == 0 else "",
                "accessibility_notes_es": "Entrada sin escalones." if n % 2 == 0 else "",
                "capacity": capacity,
            },
        )
        venues.append(venue)
    return venues


def reference_sessions_exist() -> bool:
    return Venue.objects.filter(slug__startswith=VENUE_SLUG_PREFIX).exists()


def _session(n: int, day: date, rng: random.Random, venues: list[Venue], today: date) -> Session:
    evening = n % 2 == 0
    starts_at = datetime.combine(day, time(18, 0) if evening else time(11, 30), local_zone())
    mode = rng.choices(MODES, MODE_WEIGHTS)[0]
    topic, _summary = DEMO_TOPICS[n % len(DEMO_TOPICS)]  # the summary: session_texts
    status = SessionStatus.PUBLISHED
    roll = rng.random()
    if roll < 0.05:
        status = SessionStatus.CANCELLED
    elif roll < 0.10 and day > today:
        status = SessionStatus.DRAFT  # organizers plan ahead, not behind
    cancelled = status == SessionStatus.CANCELLED
    return Session(
        slug=f"{day:%Y-%m-%d}-cop-conversation-{n + 1}",
        # Each language by its column name: `title=` would fill only the active one's.
        title_en="CoP conversation",
        title_es="Conversación de la CoP",
        **session_texts(topic, spanish=n % ENGLISH_ONLY != ENGLISH_ONLY - 1),
        time_of_day=TimeOfDay.EVENING if evening else TimeOfDay.DAYTIME,
        format=ConversationFormat.BRIEF if evening else ConversationFormat.IN_DEPTH,
        attendance_mode=mode,
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=1 if evening else 2),
        venue=None if mode == AttendanceMode.ONLINE else rng.choice(venues),
        meeting_url="" if mode == AttendanceMode.IN_PERSON else "https://meet.example.org/cop",
        joining_instructions="Cameras are optional." if mode != AttendanceMode.IN_PERSON else "",
        status=status,
        cancellation_reason="The room is closed for a repair." if cancelled else "",
        sequence=1 if cancelled else 0,
    )


def reference_sessions(
    *, count: int, venues: list[Venue], today: date, seed: int = SEED
) -> list[Session]:
    """`count` sessions evenly over ten years ending about a year after `today`,
    alternating evening (brief) and daytime (in depth), in all three modes."""
    if count <= 0:
        return []
    rng = random.Random(seed)  # noqa: S311 - made-up data, not secrets
    first = today - timedelta(days=YEARS_BACK * 365)
    span = (YEARS_BACK + 1) * 365
    # Each session in the middle of its share of the ten years.
    sessions = [
        _session(n, first + timedelta(days=(2 * n + 1) * span // (2 * count)), rng, venues, today)
        for n in range(count)
    ]
    return Session.objects.bulk_create(sessions, batch_size=BATCH)


def _shares(sessions: list[Session], total: int, rng: random.Random, now: datetime) -> list[int]:
    """How many RSVPs each session gets: `total` in all, none for drafts, random
    weights otherwise, the next BUSY_SESSIONS upcoming ones much busier."""
    weights = [0.0 if session.is_draft else rng.uniform(0.3, 1.7) for session in sessions]
    upcoming = [
        n for n, session in enumerate(sessions) if session.ends_at > now and not session.is_draft
    ]
    for n in upcoming[:BUSY_SESSIONS]:
        weights[n] *= BUSY_WEIGHT
    whole = sum(weights) or 1.0
    # Rounding the running total keeps the sum exact.
    bounds = [round(total * part / whole) for part in itertools.accumulate(weights)]
    return [b - a for a, b in zip([0, *bounds], bounds, strict=False)]


def _attend_as(session: Session, rng: random.Random) -> str:
    if session.attendance_mode == AttendanceMode.ONLINE:
        return AttendAs.ONLINE
    if session.attendance_mode == AttendanceMode.IN_PERSON:
        return AttendAs.IN_PERSON
    return AttendAs.IN_PERSON if rng.random() < 0.65 else AttendAs.ONLINE


def _session_rsvps(
    session: Session,
    how_many: int,
    members: Sequence[int],
    guests: itertools.count,
    rng: random.Random,
    now: datetime,
    spanish: Collection[int] = frozenset(),
) -> list[Rsvp]:
    """One session's RSVPs in queue order: at most one per member, guests with their
    own addresses, going while seats last in their mode, then waiting. Members in
    `spanish` (user ids) and every SPANISH_EVERY-th guest RSVP in Spanish."""
    member_count = min(len(members), round(how_many * (1 - GUEST_SHARE)))
    people: list[int | None] = [*rng.sample(members, member_count)]
    people += [None] * (how_many - member_count)
    rng.shuffle(people)
    limits = {AttendAs.IN_PERSON: session.seats, AttendAs.ONLINE: session.online_places}
    going = {AttendAs.IN_PERSON: 0, AttendAs.ONLINE: 0}
    over = session.ends_at <= now
    opened = session.starts_at - timedelta(days=21)
    rsvps = []
    for n, user_id in enumerate(people):
        attend_as = _attend_as(session, rng)
        if rng.random() < 0.06:
            status = RsvpStatus.CANCELLED
        elif limits[attend_as] is None or going[attend_as] < limits[attend_as]:
            status = RsvpStatus.GOING
            going[attend_as] += 1
        else:
            status = RsvpStatus.WAITLISTED
        rsvp = Rsvp(
            session=session,
            user_id=user_id,
            attend_as=attend_as,
            status=status,
            queued_at=opened + timedelta(days=20) * n / max(how_many, 1),
            listed=user_id is not None and rng.random() < 0.4,
            language="es" if user_id in spanish else "en",
        )
        if user_id is None:
            guest = next(guests)
            rsvp.name = f"Guest {guest}"
            rsvp.email = f"guest{guest:06d}@reference.example.org"
            rsvp.language = "es" if guest % SPANISH_EVERY == 0 else "en"
        if over and status == RsvpStatus.GOING and rng.random() < 0.8:
            rsvp.checked_in_at = session.starts_at + timedelta(minutes=rng.randint(-10, 20))
            # Every fifth scans the QR code; no extra draw, so the data set stays the same.
            rsvp.checked_in_by = CheckInBy.SELF if n % 5 == 0 else CheckInBy.DOOR
        rsvps.append(rsvp)
    return rsvps


def reference_rsvps(
    *,
    sessions: list[Session],
    members: Sequence[int],
    count: int,
    now: datetime,
    seed: int = SEED,
    spanish_members: Collection[int] = frozenset(),
) -> int:
    """About `count` RSVPs over `sessions` (none on drafts) from `members` (user ids)
    and guests, those of `spanish_members` (user ids) in Spanish; returns how many
    were written."""
    rng = random.Random(seed + 1)  # noqa: S311
    guests = itertools.count(1)
    spanish = frozenset(spanish_members)
    written = 0
    batch: list[Rsvp] = []
    for session, how_many in zip(sessions, _shares(sessions, count, rng, now), strict=True):
        batch += _session_rsvps(session, how_many, members, guests, rng, now, spanish)
        if len(batch) >= BATCH:
            written += len(Rsvp.objects.bulk_create(batch, batch_size=BATCH))
            batch = []
    written += len(Rsvp.objects.bulk_create(batch, batch_size=BATCH))
    return written
