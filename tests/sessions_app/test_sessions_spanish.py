"""The public session pages, RSVPs and calendar feeds in Spanish: the page's words and
dates, a session's own texts in the reader's language (or marked as English), the
language an RSVP keeps, and feeds in the language they are asked for."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import translation
from icalendar import Calendar

from members.models import User
from sessions_app.models import Rsvp, Session
from sessions_app.services.feed_tokens import feed_token_for_member
from tests.clock import DASH, local
from tests.factories import make_rsvp, make_session, make_venue

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

LIST = reverse("sessions:session-list")
FEED = reverse("sessions:feed-ics")
ENGLISH_ONLY = "Keeping volunteers after the first meeting"


@pytest.fixture(autouse=True)
def _english_while_arranging():
    """Sessions are made in English (`topic=` writes the active language's column), and
    a request of an earlier test may have left Spanish active in this thread."""
    with translation.override("en"):
        yield


def _english_and_spanish_sessions() -> tuple[Session, Session]:
    english = make_session(topic=ENGLISH_ONLY, starts_at=local(2030, 12, 18, 18))
    spanish = make_session(
        topic="Budgets for block clubs",
        topic_es="Presupuestos para clubes de cuadra",
        starts_at=local(2030, 12, 19, 11, 30),
    )
    return english, spanish


def test_session_list_in_spanish(client):
    _english_and_spanish_sessions()

    response = client.get(LIST, {"lang": "es"})

    body = response.content.decode()
    assert response.status_code == 200
    assert response["Content-Language"] == "es"
    assert "<h1>Próximas sesiones</h1>" in body
    assert '<h2 id="month-2030-12">diciembre de 2030</h2>' in body
    assert ">miércoles, 18 de diciembre de 2030</time>" in body
    assert f"6:00 p. m. {DASH} 7:00 p. m. EST" in body
    # No Spanish topic: the English one, marked as such for readers and screen readers.
    assert (
        f'<span lang="en">{ENGLISH_ONLY}</span> <span class="translation-note">(en inglés)</span>'
        in body
    )
    assert ">Presupuestos para clubes de cuadra</a>" in body
    assert "Budgets for block clubs" not in body
    # The feed offered on a Spanish page is the Spanish feed.
    assert "/sessions/feed.ics?lang=es" in body


def test_session_page_in_spanish(client):
    english, spanish = _english_and_spanish_sessions()

    response = client.get(english.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
    translated = client.get(spanish.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")

    body = response.content.decode()
    assert response.status_code == 200
    assert f"<title>{ENGLISH_ONLY} (en inglés), 18 de diciembre de 2030" in body
    assert f'<h1><span lang="en">{ENGLISH_ONLY}</span>' in body
    assert "miércoles, 18 de diciembre de 2030" in body
    assert "¿Viene?" in body
    assert "Confirmar asistencia sin cuenta" in body
    assert "</svg>Noche</span>" in body
    assert "</svg>Breve</span>" in body
    assert "</svg>Híbrida</span>" in body
    assert "<h1>Presupuestos para clubes de cuadra</h1>" in translated.content.decode()


def test_session_page_in_spanish_shows_the_summary_and_venue_notes_in_spanish(client):
    venue = make_venue(
        transit_notes="The HealthLine stops at East 66th Street.",
        transit_notes_es="La HealthLine para en East 66th Street.",
        accessibility_notes="Step-free entrance.",
        accessibility_notes_es="Entrada sin escalones.",
    )
    session = make_session(
        venue=venue,
        summary="Who to call, what to ask for.",
        summary_es="A quién llamar y qué pedir.",
        title="Neighbors' night",
        title_es="Noche de vecinos",
        topic="Talking with the city about vacant lots",
        topic_es="Cómo hablar con la ciudad sobre los lotes baldíos",
        starts_at=local(2030, 12, 18, 18),
    )

    body = client.get(session.get_absolute_url(), {"lang": "es"}).content.decode()

    assert '<p class="lead session__summary">A quién llamar y qué pedir.</p>' in body
    assert "<h3>Cómo llegar</h3><p>La HealthLine para en East 66th Street.</p>" in body
    assert "<h3>Accesibilidad</h3><p>Entrada sin escalones.</p>" in body
    assert "Who to call" not in body
    assert "Step-free" not in body
    assert "(en inglés)" not in body


def test_session_page_in_spanish_marks_an_english_summary_and_venue_notes(client):
    venue = make_venue(
        parking_notes="Free parking behind the building.",
        directions="First door on the left.",
    )
    session = make_session(
        venue=venue,
        summary="Who to call, what to ask for.",
        starts_at=local(2030, 12, 18, 18),
    )
    english_page = client.get(session.get_absolute_url(), {"lang": "en"}).content.decode()

    body = client.get(session.get_absolute_url(), {"lang": "es"}).content.decode()

    note = '<span class="translation-note">(en inglés)</span>'
    assert (
        '<p class="lead session__summary"><span lang="en">Who to call, what to ask for.</span> '
        f"{note}</p>"
    ) in body
    assert (
        f'<h3>Estacionamiento {note}</h3><p lang="en">Free parking behind the building.</p>'
    ) in body
    assert f'<h3>Cómo encontrar el salón {note}</h3><p lang="en">First door on the left.</p>' in (
        body
    )
    # In English nothing is marked.
    assert '<p class="lead session__summary">Who to call, what to ask for.</p>' in english_page
    assert "<h3>Parking</h3><p>Free parking behind the building.</p>" in english_page
    assert "translation-note" not in english_page


def test_accessibility_page_in_spanish_gives_each_venues_notes_in_spanish_or_marked(client):
    make_venue(
        name="Midtown/Hough office",
        accessibility_notes="Step-free entrance.",
        accessibility_notes_es="Entrada sin escalones.",
        transit_notes="Bus 3 runs on Chester Avenue.",
    )

    body = client.get(reverse("sessions:accessibility"), {"lang": "es"}).content.decode()

    assert "<dt>Acceso</dt><dd>Entrada sin escalones.</dd>" in body
    assert (
        '<dt>Cómo llegar <span class="translation-note">(en inglés)</span></dt>'
        '<dd lang="en">Bus 3 runs on Chester Avenue.</dd>'
    ) in body


def test_a_guest_rsvp_keeps_the_language_it_was_made_in(client, mailoutbox):
    session = make_session(starts_at=local(2030, 12, 18, 18))

    response = client.post(
        reverse("sessions:rsvp-create", kwargs={"slug": session.slug}),
        {"name": "Rosa Rivera", "email": "rosa@example.org", "how": "in-person"},
        HTTP_ACCEPT_LANGUAGE="es",
    )

    assert response.status_code == 302
    rsvp = Rsvp.objects.get(session=session)
    assert rsvp.email == "rosa@example.org"
    assert rsvp.language == "es"


def test_a_guest_changing_their_rsvp_in_english_moves_it_to_english(client):
    session = make_session(starts_at=local(2030, 12, 18, 18))
    rsvp = make_rsvp(session, name="Rosa Rivera", email="rosa@example.org", language="es")

    client.post(
        reverse("sessions:rsvp-change", kwargs={"token": rsvp.token}),
        {"how": "online"},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    rsvp.refresh_from_db()
    assert (rsvp.attend_as, rsvp.language) == ("online", "en")


def _events(response) -> list:
    return Calendar.from_ical(response.content).walk("VEVENT")


def test_a_spanish_members_personal_feed_is_in_spanish(client, member):
    User.objects.filter(pk=member.pk).update(language="es")
    member.refresh_from_db()
    session = make_session(starts_at=local(2030, 12, 18, 18))
    make_rsvp(session, user=member, status="waitlisted")
    token = feed_token_for_member(user=member)

    # The calendar app asks in English: the feed follows its owner, not the app.
    response = client.get(token.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == 200
    [event] = _events(response)
    assert str(event["SUMMARY"]) == f"Lista de espera: {session.headline}"
    description = str(event["DESCRIPTION"])
    assert description.startswith("Está en la lista de espera (presencial). Cambiar o cancelar:")
    assert f"Página de la sesión: {session.get_absolute_url()}" not in description
    assert "?lang=es" in description
    assert event["CATEGORIES"].cats == ["Noche", "Conversación breve", "Híbrida"]


def test_the_public_feed_is_spanish_only_with_lang_es(client):
    make_session(topic=ENGLISH_ONLY, starts_at=local(2030, 12, 18, 18))

    english = client.get(FEED, HTTP_ACCEPT_LANGUAGE="es")
    spanish = client.get(FEED, {"lang": "es"})

    assert (english.status_code, spanish.status_code) == (200, 200)
    assert english["Content-Language"] == "en"
    assert spanish["Content-Language"] == "es"
    assert english["ETag"] != spanish["ETag"]
    assert "Sesiones de" not in english.content.decode()
    assert "NAME:Sesiones de" in spanish.content.decode()
    [event] = _events(spanish)
    assert event["CATEGORIES"].cats == ["Noche", "Conversación breve", "Híbrida"]
    # Asked again, each answers 304 to its own ETag only.
    again = client.get(FEED, {"lang": "es"}, HTTP_IF_NONE_MATCH=spanish["ETag"])
    other = client.get(FEED, {"lang": "es"}, HTTP_IF_NONE_MATCH=english["ETag"])
    assert (again.status_code, other.status_code) == (304, 200)


@pytest.mark.parametrize("count", [1, 200])
def test_spanish_list_query_count_does_not_grow(client, django_assert_max_num_queries, count):
    venue = make_venue()
    start = local(2030, 1, 1, 18)
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * timedelta(hours=6))
        for n in range(count)
    )

    # The same bounds as in English (test_public_pages.py).
    with django_assert_max_num_queries(3):  # count, the page's keys, its rows (cards not kept yet)
        response = client.get(LIST, {"lang": "es"})
    assert response.status_code == 200


def test_calendar_cells_name_their_day_in_each_language(client):
    url = reverse("sessions:calendar-month", kwargs={"year": 2027, "month": 12})

    spanish = client.get(url, HTTP_ACCEPT_LANGUAGE="es").content.decode()
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert (
        '<span class="calendar__long">miércoles, </span>15'
        '<span class="calendar__long"> de diciembre</span></time>'
    ) in spanish
    assert '<span class="calendar__long">Wednesday, December </span>15</time>' in english
