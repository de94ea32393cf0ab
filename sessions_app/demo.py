"""Demo data for sessions_app, used by the seed_demo command."""

from datetime import date, time, timedelta

import recurrence
from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.utils import timezone, translation

from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    ConversationFormat,
    RotationSlot,
    Rsvp,
    RsvpStatus,
    Series,
    Session,
    TimeOfDay,
    Venue,
    WalkIn,
)
from sessions_app.services.series import series_publish, series_save
from sessions_app.services.sessions import session_cancel

# Venue notes in both languages by their column names: `directions=` and the like would
# fill only the active language's column.
MIDTOWN_HOUGH_OFFICE = {
    "slug": "midtown-hough-office",
    "name": "Midtown/Hough office",
    "address": "6555 Euclid Avenue",
    "city": "Cleveland",
    "state": "OH",
    "postal_code": "44103",
    "neighborhood": "Midtown/Hough",
    "directions_en": (
        "Enter from the parking lot side; the meeting room is the first door on the left, "
        "and a sign on the front door points the way on session days."
    ),
    "directions_es": (
        "Entre por el lado del estacionamiento; el salón de reuniones es la primera puerta a "
        "la izquierda, y los días de sesión un letrero en la puerta principal indica el camino."
    ),
    "accessibility_notes_en": (
        "Step-free entrance and an accessible restroom on the same floor. "
        "The room has a hearing loop; ask at the door for a loop receiver."
    ),
    "accessibility_notes_es": (
        "Entrada sin escalones y un baño accesible en el mismo piso. "
        "El salón tiene un aro magnético para audífonos; pida un receptor en la puerta."
    ),
    "transit_notes_en": (
        "The HealthLine stops at East 66th Street, a two-minute walk east along Euclid "
        "Avenue. Bus 3 runs on Chester Avenue, one block north. "
        "There is a bike rack by the front door."
    ),
    "transit_notes_es": (
        "La HealthLine para en East 66th Street, a dos minutos a pie hacia el este por Euclid "
        "Avenue. El autobús 3 pasa por Chester Avenue, una cuadra al norte. "
        "Hay un soporte para bicicletas junto a la puerta principal."
    ),
    "parking_notes_en": (
        "Free parking in the lot behind the building, entered from East 65th Street."
    ),
    "parking_notes_es": (
        "Estacionamiento gratis en el lote detrás del edificio, con entrada por East 65th Street."
    ),
    "capacity": 24,
    "is_active": True,
}

AGORA_BUILDING = {
    "slug": "agora-building",
    "name": "Agora building",
    "address": "5000 Euclid Avenue",
    "city": "Cleveland",
    "state": "OH",
    "postal_code": "44103",
    "neighborhood": "Midtown",
    "directions_en": (
        "Where the CoP first met face to face. Kept for the history of past sessions."
    ),
    "directions_es": (
        "Donde la CoP se reunió de forma presencial por primera vez. Se conserva para el "
        "historial de las sesiones pasadas."
    ),
    "accessibility_notes_en": "",
    "accessibility_notes_es": "",
    "transit_notes_en": "The HealthLine stops at East 55th Street, in front of the building.",
    "transit_notes_es": "La HealthLine para en East 55th Street, frente al edificio.",
    "parking_notes_en": "",
    "parking_notes_es": "",
    "capacity": 30,
    "is_active": False,
}


def seed_venues() -> list[Venue]:
    """Create the two demo venues unless they exist; never overwrite edits."""
    venues = []
    for data in (MIDTOWN_HOUGH_OFFICE, AGORA_BUILDING):
        fields = dict(data)
        slug = fields.pop("slug")
        venue, _ = Venue.objects.get_or_create(slug=slug, defaults=fields)
        venues.append(venue)
    return venues


DEMO_SERIES_SLUG = "monthly-community-of-practice"


def demo_recurrence() -> recurrence.Recurrence:
    """Monthly on the third Wednesday."""
    rule = recurrence.Rule(recurrence.MONTHLY, byday=[recurrence.Weekday(2, 3)])
    return recurrence.Recurrence(rrules=[rule], include_dtstart=False)


def demo_rotation(venue: Venue) -> list[RotationSlot]:
    """Slot A: evening 6 to 7 pm, brief, hybrid; slot B: daytime 11:30 am to 1:30 pm, in depth,
    hybrid."""
    return [
        RotationSlot(
            time_of_day=TimeOfDay.EVENING,
            start_time=time(18, 0),
            format=ConversationFormat.BRIEF,
            duration_minutes=60,
            attendance_mode=AttendanceMode.HYBRID,
            venue=venue,
        ),
        RotationSlot(
            time_of_day=TimeOfDay.DAYTIME,
            start_time=time(11, 30),
            format=ConversationFormat.IN_DEPTH,
            duration_minutes=120,
            attendance_mode=AttendanceMode.HYBRID,
            venue=venue,
        ),
    ]


def seed_series(*, today: date | None = None) -> Series | None:
    """The demo series with a year of sessions around today, one of them cancelled.

    Returns None when the series already exists, leaving it and its sessions alone.
    """
    if Series.objects.filter(slug=DEMO_SERIES_SLUG).exists():
        return None
    today = today or timezone.localdate()
    office = Venue.objects.get(slug=MIDTOWN_HOUGH_OFFICE["slug"])
    series = Series(
        slug=DEMO_SERIES_SLUG,
        # Both languages by name: `title=` would fill only the active language's column.
        title_en="Community of Practice",
        title_es="Comunidad de Práctica",
        description_en=(
            "Community builders from across Cleveland compare notes: bring a question, "
            "a worry or something that worked. Drop in when you can."
        ),
        description_es=(
            "Líderes comunitarios de todo Cleveland comparten experiencias: traiga una "
            "pregunta, una preocupación o algo que le haya funcionado. Venga cuando pueda."
        ),
        starts_on=(today - relativedelta(months=6)).replace(day=1),
        recurrence=demo_recurrence(),
        meeting_url="https://meet.example.org/cop-cleveland",
        joining_instructions=(
            "Join from a browser, or by phone at 216-555-0100 with passcode 4242. "
            "Cameras are optional."
        ),
    )
    slots = demo_rotation(office)
    series_save(series=series, slots=slots)
    result = series_publish(
        series=series, since=series.starts_on, until=today + relativedelta(months=6)
    )
    _dress_up(result.created, today)
    seed_attendance(series)
    return series


DEMO_TOPICS = [
    ("Keeping volunteers after the first meeting", "What brings people back a second time?"),
    ("Small grants for block clubs", "Who funds what, and how to write a short application."),
    ("Running a meeting people want to attend", "Agendas, timekeeping and food."),
    ("Talking with the city about vacant lots", "Who to call, what to ask for."),
    ("Tenant rights basics", "What renters can do when repairs don't happen."),
    ("Celebrating small wins", "Telling the story of what your group got done."),
]
# Each topic as the organizers wrote it in Spanish.
DEMO_TOPICS_ES = {
    "Keeping volunteers after the first meeting": (
        "Cómo lograr que los voluntarios vuelvan después de la primera reunión"
    ),
    "Small grants for block clubs": "Subvenciones pequeñas para los clubes de cuadra",
    "Running a meeting people want to attend": (
        "Cómo llevar una reunión a la que la gente quiera ir"
    ),
    "Talking with the city about vacant lots": "Cómo hablar con la ciudad sobre los lotes baldíos",
    "Tenant rights basics": "Lo básico sobre los derechos de los inquilinos",
    "Celebrating small wins": "Celebrar los pequeños logros",
}
# Each summary as the organizers wrote it in Spanish.
DEMO_SUMMARIES_ES = {
    "What brings people back a second time?": "¿Qué hace que la gente vuelva una segunda vez?",
    "Who funds what, and how to write a short application.": (
        "Quién financia qué y cómo escribir una solicitud corta."
    ),
    "Agendas, timekeeping and food.": "La agenda, el manejo del tiempo y la comida.",
    "Who to call, what to ask for.": "A quién llamar y qué pedir.",
    "What renters can do when repairs don't happen.": (
        "Qué pueden hacer los inquilinos cuando no les hacen las reparaciones."
    ),
    "Telling the story of what your group got done.": "Cómo contar lo que logró su grupo.",
}
AGENDA_EN = (
    "1. Introductions: your name, your group, one thing on your mind\n"
    "2. Main conversation: **{topic}**\n"
    "3. Requests and offers: who needs what, who can help\n"
    "4. Wrap-up and what to try before next time\n"
)
AGENDA_ES = (
    "1. Presentaciones: su nombre, su grupo y algo que le preocupe o le entusiasme\n"
    "2. Conversación principal: **{topic}**\n"
    "3. Pedidos y ofrecimientos: quién necesita qué y quién puede ayudar\n"
    "4. Cierre: qué vamos a probar antes de la próxima sesión\n"
)


def session_texts(topic: str, *, spanish: bool = True) -> dict[str, str | None]:
    """A session's topic, summary and agenda (`topic` is one of DEMO_TOPICS) in English
    and, unless `spanish` is False (the organizers wrote that one in English only), in
    Spanish: the fields by their column names, since `topic=` would fill only the active
    language's column."""
    summary = dict(DEMO_TOPICS)[topic]
    topic_es = DEMO_TOPICS_ES[topic] if spanish else None
    return {
        "topic_en": topic,
        "topic_es": topic_es,
        "summary_en": summary,
        "summary_es": DEMO_SUMMARIES_ES[summary] if spanish else None,
        "agenda_en": AGENDA_EN.format(topic=topic.lower()),
        "agenda_es": AGENDA_ES.format(topic=topic_es.lower()) if topic_es else None,
    }


def _dress_up(sessions: list[Session], today: date) -> None:
    """Give the demo sessions topics, summaries and agendas in both languages (but for
    two, in English only, so the demo shows how a Spanish page marks English text), and
    cancel one upcoming session."""
    upcoming = [s for s in sessions if timezone.localdate(s.starts_at) > today]
    english_only = {id(sessions[0]), *(id(s) for s in upcoming[1:2])}
    for n, session in enumerate(sessions):
        topic, _summary = DEMO_TOPICS[n % len(DEMO_TOPICS)]
        session.title_en = "Community of Practice"
        session.title_es = "Comunidad de Práctica"
        for name, value in session_texts(topic, spanish=id(session) not in english_only).items():
            setattr(session, name, value)
    # The plain columns hold the default language's text, as the series service writes them.
    with translation.override(settings.LANGUAGE_CODE):
        Session.objects.bulk_update(
            sessions,
            [
                *("title", "title_en", "title_es", "topic", "topic_en", "topic_es"),
                *("agenda", "agenda_en", "agenda_es", "summary", "summary_en", "summary_es"),
            ],
        )
    if len(upcoming) > 2:
        session_cancel(
            session=upcoming[2],
            reason="The office is closed for a building repair; we will meet again next month.",
        )


DEMO_PEOPLE = [
    ("Alicia Romero", "Hough Block Club"),
    ("Marcus Bell", "Midtown Tenants Union"),
    ("Denise Carter", "Fairfax Garden Group"),
    ("Tomasz Nowak", "Slavic Village Walkers"),
    ("Keisha Moore", "Glenville Youth Circle"),
    ("Rafael Ortiz", "Clark-Fulton Neighbors"),
    ("Grace Kim", "AsiaTown Cleanup Crew"),
    ("Ben Adeyemi", "Buckeye Porch Talks"),
]
# Guests who RSVP on the Spanish pages, so their emails come in Spanish.
DEMO_PEOPLE_IN_SPANISH = {"Alicia Romero", "Rafael Ortiz"}


def seed_attendance(series: Series) -> None:
    """Guest RSVPs, check-ins and walk-ins, so the organizer pages and statistics have
    something to show: some people come back month after month, others drop in once."""
    now = timezone.now()
    rsvps, walk_ins = [], []
    sessions = list(series.sessions.filter(status="published").order_by("starts_at"))
    for n, session in enumerate(sessions):
        regulars = DEMO_PEOPLE[: 3 + n % 3]
        newcomers = DEMO_PEOPLE[3 + n % 3 : 4 + n % 3 + n % 2]
        came = session.ends_at <= now
        for k, (name, organization) in enumerate([*regulars, *newcomers]):
            email = f"{name.split()[0].lower()}@example.org"
            if (n + k) % 4 == 3 and session.ends_at <= now:
                email = f"{name.split()[0].lower()}.{n}@example.org"  # a first-timer
            rsvps.append(
                Rsvp(
                    session=session,
                    name=name,
                    email=email,
                    organization=organization,
                    language="es" if name in DEMO_PEOPLE_IN_SPANISH else "en",
                    attend_as=AttendAs.ONLINE if k % 3 == 2 else AttendAs.IN_PERSON,
                    status=RsvpStatus.GOING,
                    queued_at=session.starts_at - timedelta(days=7 - k),
                    checked_in_at=session.starts_at if came else None,
                    # One regular per session scans the QR code; the rest are ticked off.
                    checked_in_by=(CheckInBy.SELF if k == 0 else CheckInBy.DOOR) if came else "",
                )
            )
        if session.ends_at <= now:
            walk_ins.append(WalkIn(session=session, count=1 + n % 3))
    Rsvp.objects.bulk_create(rsvps)
    WalkIn.objects.bulk_create(walk_ins)
