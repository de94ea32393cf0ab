"""A session's summary, a series' description and a venue's notes, given in English and
Spanish (issue 18): each form saves both columns, whichever language its page is in."""

import re
from datetime import date

import pytest
from django.urls import reverse
from django.utils import translation

from sessions_app.models import Series, Session, Venue
from sessions_app.services.series import series_publish
from tests.factories import make_series, make_venue
from tests.sessions_app.test_organize_series import _series_data, _slot
from tests.sessions_app.test_organize_sessions import _form_data, _session
from tests.sessions_app.test_series_publish import YEAR_2026
from tests.sessions_app.test_venue_views import VALID

pytestmark = pytest.mark.django_db

NOTES = ("transit_notes", "parking_notes", "directions", "accessibility_notes")
SPANISH_NOTES = {
    "transit_notes_es": "El autobús 38 para en la esquina de Hough Avenue.",
    "parking_notes_es": "Estacionamiento en la calle.",
    "directions_es": "Segundo piso.",
    "accessibility_notes_es": "Ascensor junto a la recepción.",
}


@pytest.fixture(autouse=True)
def _english_between_requests():
    """A request on a Spanish page leaves Spanish active in the thread, so the factories'
    bare names would fill the Spanish columns of the next test's rows."""
    translation.activate("en")
    yield
    translation.activate("en")


def _spanish(url: str) -> str:
    return f"{url}?lang=es"


# Sessions


def test_session_form_saves_the_summary_in_each_language(organizer_client):
    data = _form_data(make_venue(), summary_es="Cómo se organizaron tres edificios de Hough.")

    organizer_client.post(reverse("sessions:session-create"), data)

    session = Session.objects.get()
    assert (session.summary_en, session.summary_es) == (
        "How three buildings on Hough Avenue got organized.",
        "Cómo se organizaron tres edificios de Hough.",
    )


def test_editing_a_session_on_a_spanish_page_keeps_the_english_summary(organizer_client):
    session = _session(topic="Budget night", summary="What the city spends on parks.")
    edit = reverse("sessions:session-edit", args=[session.slug])
    form = organizer_client.get(_spanish(edit)).context["form"]
    assert form["summary"].value() == "What the city spends on parks."
    assert form["summary_es"].value() == ""
    data = _form_data(
        session.venue,
        title="Community of Practice",
        topic="Budget night",
        summary="What the city spends on parks.",
        summary_es="Lo que la ciudad gasta en parques.",
    )

    organizer_client.post(_spanish(edit), data)

    session.refresh_from_db()
    assert (session.summary_en, session.summary_es) == (
        "What the city spends on parks.",
        "Lo que la ciudad gasta en parques.",
    )


def test_a_blank_spanish_summary_stays_blank(organizer_client):
    """Never the English copied into the Spanish column: Spanish pages mark the
    English one as English instead."""
    session = _session(topic="Budget night", summary="What the city spends on parks.")
    data = _form_data(session.venue, summary="What the city spends on parks.", summary_es="")

    organizer_client.post(_spanish(reverse("sessions:session-edit", args=[session.slug])), data)

    session.refresh_from_db()
    assert session.summary_en == "What the city spends on parks."
    assert not session.summary_es


# Series


def test_series_form_saves_the_description_in_each_language(organizer_client):
    data = _series_data(
        make_venue(), description_es="Líderes comunitarios comparan lo que aprenden."
    )

    organizer_client.post(_spanish(reverse("sessions:series-create")), data)

    series = Series.objects.get()
    assert (series.description_en, series.description_es) == (
        "Community builders compare notes.",
        "Líderes comunitarios comparan lo que aprenden.",
    )


def test_editing_a_series_on_a_spanish_page_keeps_the_english_description(organizer_client):
    venue = make_venue()
    series = make_series(venue=venue, description="Community builders compare notes.")
    edit = _spanish(reverse("sessions:series-edit", args=[series.slug]))
    assert organizer_client.get(edit).context["form"]["description"].value() == (
        "Community builders compare notes."
    )
    slots = [
        _slot(n, id=str(slot.pk), venue=str(venue.pk), start_time=f"{slot.start_time:%H:%M}")
        for n, slot in enumerate(series.slots.order_by("position"))
    ]
    data = _series_data(
        venue,
        *slots,
        initial_forms=len(slots),
        description_es="Líderes comunitarios comparan lo que aprenden.",
    )

    response = organizer_client.post(edit, data)

    assert response.status_code == 302
    series.refresh_from_db()
    assert (series.description_en, series.description_es) == (
        "Community builders compare notes.",
        "Líderes comunitarios comparan lo que aprenden.",
    )


def test_publishing_copies_both_descriptions_into_the_sessions():
    series = make_series(
        description_en="Community builders compare notes.",
        description_es="Líderes comunitarios comparan lo que aprenden.",
    )

    with translation.override("es"):
        series_publish(series=series, **YEAR_2026)

    session = series.sessions.get(occurrence_date=date(2026, 1, 21))
    assert (session.summary_en, session.summary_es) == (
        "Community builders compare notes.",
        "Líderes comunitarios comparan lo que aprenden.",
    )


def test_publishing_an_english_only_description_leaves_the_spanish_summary_blank():
    series = make_series(description_en="Community builders compare notes.")

    with translation.override("es"):
        series_publish(series=series, **YEAR_2026)

    session = series.sessions.get(occurrence_date=date(2026, 1, 21))
    assert session.summary_en == "Community builders compare notes."
    assert not session.summary_es


# Venues


def test_venue_form_saves_the_notes_in_each_language(organizer_client):
    organizer_client.post(reverse("sessions:venue-create"), {**VALID, **SPANISH_NOTES})

    venue = Venue.objects.get()
    for name in NOTES:
        assert getattr(venue, f"{name}_en") == VALID[name]
        assert getattr(venue, f"{name}_es") == SPANISH_NOTES[f"{name}_es"]


def test_adding_a_venue_on_a_spanish_page_saves_the_english_as_english(organizer_client):
    organizer_client.post(_spanish(reverse("sessions:venue-create")), VALID)

    venue = Venue.objects.get()
    assert venue.directions_en == "Second floor."
    assert not venue.directions_es


def test_editing_a_venue_on_a_spanish_page_keeps_the_english_notes(organizer_client):
    venue = make_venue(**{name: VALID[name] for name in NOTES})
    edit = _spanish(reverse("sessions:venue-edit", args=[venue.slug]))
    form = organizer_client.get(edit).context["form"]
    assert form["directions"].value() == "Second floor."
    assert form["directions_es"].value() == ""

    response = organizer_client.post(edit, {**VALID, **SPANISH_NOTES})

    assert response.status_code == 302
    venue.refresh_from_db()
    for name in NOTES:
        assert getattr(venue, f"{name}_en") == VALID[name]
        assert getattr(venue, f"{name}_es") == SPANISH_NOTES[f"{name}_es"]


def test_spanish_venue_form_groups_the_notes_by_language(organizer_client):
    """Needs the merged catalogue."""
    body = organizer_client.get(_spanish(reverse("sessions:venue-create"))).content.decode()

    assert "Cómo llegar (inglés)" in body
    assert "Cómo llegar (español)" in body


def test_each_box_is_in_its_language_and_the_labels_in_the_page(organizer_client):
    page = organizer_client.get(reverse("sessions:session-create")).content.decode()

    def box(name: str) -> str:
        return re.search(rf'<(?:input|textarea)[^>]*name="{name}"[^>]*>', page).group(0)

    assert 'lang="en"' in box("topic")
    assert 'lang="es"' in box("topic_es")
    assert 'lang="es"' in box("agenda_es")
    # The legends and labels are in the page's language, not the box's.
    assert '<fieldset class="language-group">' in page
