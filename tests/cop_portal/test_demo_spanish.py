"""The demo data in Spanish: what `make run` shows a Spanish reader. seed_demo takes a
while, so one run serves every assertion."""

import pytest
from django.core.management import call_command
from django.utils import timezone

from members.models import User
from practice_library.models import Post
from sessions_app.demo import DEMO_SERIES_SLUG
from sessions_app.models import Rsvp, Session, SessionStatus

pytestmark = pytest.mark.django_db


def test_seed_demo_speaks_spanish_to_spanish_readers(client):
    call_command("seed_demo", force=True)
    upcoming = list(
        Session.objects.filter(
            series__slug=DEMO_SERIES_SLUG,
            status=SessionStatus.PUBLISHED,
            ends_at__gt=timezone.now(),
        ).order_by("starts_at")
    )
    in_spanish = [session for session in upcoming if session.topic_es]
    english_only = [session for session in upcoming if not session.topic_es]

    spanish_page = client.get("/sessions/", {"lang": "es"}).content.decode()
    session_page = client.get(in_spanish[0].get_absolute_url(), {"lang": "es"}).content.decode()
    english_only_page = client.get(
        english_only[0].get_absolute_url(), {"lang": "es"}
    ).content.decode()
    english_page = client.get("/sessions/", {"lang": "en"}).content.decode()

    assert len(english_only) == 1
    assert len(in_spanish) >= 3
    assert all(session.agenda_es and session.title_es for session in in_spanish)
    assert [s.topic_es in spanish_page for s in in_spanish] == [True] * len(in_spanish)
    # A session's summary and its venue's notes, as the organizers wrote them in Spanish.
    assert all(session.summary_es for session in in_spanish)
    assert f'<p class="lead session__summary">{in_spanish[0].summary_es}</p>' in session_page
    assert "<p>Entrada sin escalones y un baño accesible en el mismo piso." in session_page
    assert (
        f'<p class="lead session__summary"><span lang="en">{english_only[0].summary_en}</span> '
        '<span class="translation-note">(en inglés)</span></p>'
    ) in english_only_page
    assert "Comunidad de Práctica" in spanish_page
    assert f'<span lang="en">{english_only[0].topic_en}</span>' in spanish_page
    assert "(en inglés)" in spanish_page
    assert [s.topic_en in english_page for s in upcoming] == [True] * len(upcoming)
    assert "(in English)" not in english_page
    assert User.objects.get(email="lucia.vega@example.org").language == "es"
    assert set(Rsvp.objects.filter(name="Alicia Romero").values_list("language", flat=True)) == {
        "es"
    }
    assert Rsvp.objects.filter(language="en").exists()
    lucia_asks = Post.objects.get(pattern__slug="requests-for-information")
    assert lucia_asks.title == "¿A quién llamamos ahora para que poden un árbol de la calle?"
    assert lucia_asks.replies.filter(body__startswith="¡Gracias, Dwayne!").exists()
