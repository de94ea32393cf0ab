"""Organizers give a session's texts in English and Spanish (issue 18)."""

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import Session
from tests.factories import make_venue
from tests.sessions_app.test_organize_sessions import _form_data, _session


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
