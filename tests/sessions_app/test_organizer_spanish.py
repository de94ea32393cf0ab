"""Organizers give a session's texts in English and Spanish (issue 18)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone, translation

from sessions_app.models import Session
from tests.factories import make_rsvp, make_session, make_venue
from tests.sessions_app.test_organize_sessions import _form_data, _session
from tests.statistics_pages import FIRST_HALF_2024, text


@pytest.fixture(autouse=True)
def _english_between_requests():
    """A request on a Spanish page leaves Spanish active in the thread (the language
    middleware activates, nothing deactivates), so `title=` in the factories would fill
    the Spanish column of the next test's sessions."""
    translation.activate("en")
    yield
    translation.activate("en")


def test_create_keeps_both_languages_and_each_reader_gets_theirs(organizer_client, client):
    data = _form_data(make_venue(), topic_es="Cómo formar una asociación de inquilinos")

    organizer_client.post(reverse("sessions:session-create"), data)

    session = Session.objects.get()
    assert (session.topic_en, session.topic_es) == (
        "Starting a tenant association",
        "Cómo formar una asociación de inquilinos",
    )
    spanish = client.get(session.get_absolute_url(), {"lang": "es"}).content.decode()
    english = client.get(session.get_absolute_url(), {"lang": "en"}).content.decode()
    assert "Cómo formar una asociación de inquilinos" in spanish
    assert "Starting a tenant association" in english
    assert "Cómo formar una asociación de inquilinos" not in english


def test_english_only_topic_is_marked_on_spanish_pages(organizer_client, client):
    organizer_client.post(reverse("sessions:session-create"), _form_data(make_venue()))

    session = Session.objects.get()
    spanish = client.get(session.get_absolute_url(), {"lang": "es"}).content.decode()
    assert "(en inglés)" in spanish


def test_a_name_in_neither_language_is_refused_and_nothing_saved(organizer_client):
    data = _form_data(make_venue(), title="", title_es="")

    response = organizer_client.post(reverse("sessions:session-create"), data)

    assert response.status_code == 400
    assert response.context["form"].errors["title"] == [
        "Give the name in English, in Spanish, or both."
    ]
    assert Session.objects.count() == 0


def test_a_spanish_name_alone_is_enough(organizer_client):
    data = _form_data(make_venue(), title="", title_es="Comunidad de Práctica")

    organizer_client.post(reverse("sessions:session-create"), data)

    session = Session.objects.get()
    assert not session.title_en
    assert session.title_es == "Comunidad de Práctica"


def test_editing_on_a_spanish_page_keeps_the_english_texts(organizer_client):
    session = _session(topic="Budget night", publish=False)
    data = _form_data(
        session.venue,
        title="Community of Practice",
        topic="Budget night",
        title_es="Comunidad de Práctica",
        topic_es="Noche de presupuesto",
    )

    organizer_client.post(reverse("sessions:session-edit", args=[session.slug]) + "?lang=es", data)

    session.refresh_from_db()
    assert (session.title_en, session.title_es) == (
        "Community of Practice",
        "Comunidad de Práctica",
    )
    assert (session.topic_en, session.topic_es) == ("Budget night", "Noche de presupuesto")


def test_session_list_flags_sessions_without_a_spanish_name(organizer_client):
    _session(topic="Budget night")
    _session(topic="Vivienda", topic_es="Vivienda", title_es="Comunidad de Práctica", days_ahead=12)

    body = organizer_client.get(reverse("sessions:organize-sessions")).content.decode()

    assert body.count("No Spanish title</span>") == 1


def test_spanish_session_form_labels_each_language(organizer_client):
    """Needs the merged catalogue."""
    response = organizer_client.get(reverse("sessions:session-create"), {"lang": "es"})

    body = response.content.decode()
    assert "Tema (inglés)" in body
    assert "Nombre de la serie o del evento (español)" in body


def test_changing_only_the_spanish_topic_is_news_for_calendars(organizer_client):
    session = _session(topic="Budget night", topic_es="Noche de presupuesto")
    before = session.sequence
    data = _form_data(
        session.venue,
        title="Community of Practice",
        topic="Budget night",
        topic_es="Presupuesto participativo",
        date=f"{session.local_starts_at:%Y-%m-%d}",
        start_time="18:00",
        end_time="19:00",
        capacity="",
        joining_instructions="",
        meeting_url=session.meeting_url,
        summary="",
        agenda="",
    )

    organizer_client.post(reverse("sessions:session-edit", args=[session.slug]), data)

    session.refresh_from_db()
    assert session.topic_es == "Presupuesto participativo"
    assert session.sequence == before + 1


def test_spanish_statistics_speak_spanish(organizer_client, first_half_2024):
    response = organizer_client.get(
        reverse("sessions:statistics"), {**FIRST_HALF_2024, "lang": "es"}
    )

    body = text(response.content.decode())
    assert (
        "Quién vino, y a qué horario: enero de 2024 a junio de 2024, en hora de Cleveland." in body
    )
    assert "Sesiones realizadas" in body
    assert "Cómo contamos" in body


def test_spanish_door_list_speaks_spanish(organizer_client):
    session = make_session(topic="Tenant organizing", starts_at=timezone.now() + timedelta(hours=1))
    make_rsvp(session, name="Ana Guest", email="ana@example.org")
    make_rsvp(session, name="Dee Door", checked_in_at=timezone.now(), checked_in_by="door")
    make_rsvp(session, name="Sal Self", checked_in_at=timezone.now(), checked_in_by="self")

    response = organizer_client.get(
        reverse("sessions:session-check-in", args=[session.slug]), {"lang": "es"}
    )

    body = response.content.decode()
    assert "Registro de llegada" in body
    assert "presentes hasta ahora" in body
    assert ">Registrar la llegada<" in body
    dee = body.split("Dee Door")[1].split("</li>")[0]
    sal = body.split("Sal Self")[1].split("</li>")[0]
    assert '<span class="muted">en la puerta</span>' in dee
    assert 'title="Registró su llegada con el código QR">' in sal


def test_csv_headers_follow_the_organizers_language(organizer, organizer_client):
    session = make_session(topic="Tenant organizing")
    organizer.language = "es"
    organizer.save(update_fields=["language"])

    response = organizer_client.get(reverse("sessions:session-attendees-csv", args=[session.slug]))

    header = response.content.decode("utf-8-sig").splitlines()[0]
    assert header.startswith("Nombre,Correo electrónico,Organización,Miembro o sin cuenta")
