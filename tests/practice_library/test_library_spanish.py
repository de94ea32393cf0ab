"""The practice library in Spanish: the pages' own words, the activity guides in the
reader's language (the English marked where the Spanish is missing), Spanish messages
and form errors, and a search that finds a guide by its Spanish words."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from practice_library.models import ActivityPattern, PatternStep
from tests.factories import make_post

pytestmark = pytest.mark.django_db

HOME = reverse("library:home")
ASK = reverse("library:ask")
SEARCH = reverse("library:search")


@pytest.fixture(autouse=True)
def _english_while_arranging():
    """Guides are arranged with explicit `_en`/`_es` columns; a request of an earlier
    test may have left Spanish active in this thread."""
    with translation.override("en"):
        yield


@pytest.fixture
def guide() -> ActivityPattern:
    """Problem solving, its Spanish written out here (the guides migration may or may
    not have run), with "when to use it" left in English only."""
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    pattern.name_es = "Resolver problemas"
    pattern.purpose_en = "Bring a stuck problem to the group and leave with next steps."
    pattern.purpose_es = "Traer un problema atascado al grupo y salir con próximos pasos."
    pattern.invitation_es = "¿Qué problema le quita el sueño esta semana?"
    pattern.when_to_use_en = "When someone is stuck."
    pattern.when_to_use_es = ""
    pattern.tips_and_traps_es = "- No resuelva el problema por la otra persona."
    pattern.post_template_es = "## La situación\n\n## Lo que ya intentó"
    pattern.save()
    pattern.steps.all().delete()
    PatternStep.objects.create(
        pattern=pattern,
        format="brief",
        position=1,
        minutes=10,
        text_en="The asker tells the story.",
        text_es="Quien pregunta cuenta la historia.",
    )
    return pattern


@pytest.fixture
def spanish_member(member):
    member.language = "es"
    member.save(update_fields=["language"])
    return member


def test_home_in_spanish_shows_guides_in_spanish_and_marks_the_english(client, guide):
    visits = ActivityPattern.objects.get(slug="visits")
    visits.name_es = ""
    visits.save()

    response = client.get(HOME, {"lang": "es"})

    body = response.content.decode()
    assert response.status_code == 200
    assert '<h2 id="activities-title">Las once actividades</h2>' in body
    assert '<a href="/library/activities/problem-solving/">Resolver problemas</a>' in body
    assert "Traer un problema atascado al grupo" in body
    assert f'<span lang="en">{visits.name_en}</span>' in body
    assert "0 publicaciones" in body


def test_activity_page_in_spanish(client, guide):
    response = client.get(guide.get_absolute_url(), {"lang": "es"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Resolver problemas</h1>" in body
    assert '<h2 id="steps-title">Cómo hacerla</h2>' in body
    assert "Sesión breve" in body
    assert "10 min" in body
    assert "Quien pregunta cuenta la historia." in body
    assert '<h2 id="tips-title">Consejos y errores comunes</h2>' in body
    assert "No resuelva el problema por la otra persona." in body
    assert "¿Qué problema le quita el sueño esta semana?" in body
    # "When to use it" has no Spanish: the English, in its language, marked as such.
    assert '<h2 id="when-title">Cuándo usarla</h2>' in body
    assert '<div class="prose" lang="en"><p>When someone is stuck.</p></div>' in body
    assert 'class="translation-note"' in body


def test_activity_page_in_english_is_unchanged(client, guide):
    response = client.get(guide.get_absolute_url())

    body = response.content.decode()
    assert "<h1>Problem solving</h1>" in body
    assert '<div class="prose"><p>When someone is stuck.</p></div>' in body
    assert "The asker tells the story." in body
    assert "translation-note" not in body


def test_new_post_in_spanish_is_guided_by_the_spanish_template(
    spanish_member, member_client, guide
):
    response = member_client.get(reverse("library:post-create", kwargs={"slug": guide.slug}))

    form = response.context["form"]
    assert form.fields["body"].widget.attrs["placeholder"] == guide.post_template_es
    assert str(form.fields["body"].help_text).startswith(
        "Una estructura que ayuda: La situación · Lo que ya intentó."
    )
    assert "<h1>Compartir algo: Resolver problemas</h1>" in response.content.decode()


def test_ask_in_spanish_says_so_in_spanish(spanish_member, member_client, guide):
    response = member_client.post(
        ASK, {"title": "¿Dónde se pide un permiso?", "need": "problem-solving"}, follow=True
    )

    assert "Su pregunta ya está publicada." in response.content.decode()


def test_ask_in_spanish_errors_are_spanish_next_to_the_field(spanish_member, member_client):
    response = member_client.post(ASK, {"title": "", "need": "problem-solving"})

    assert response.status_code == 400
    assert "Escriba su pregunta." in response.content.decode()


def test_reply_in_spanish_success_and_error(spanish_member, member_client):
    post = make_post(title="Permisos para cerrar la calle")
    url = reverse("library:reply-create", kwargs={"code": post.code})

    empty = member_client.post(url, {"body": ""})
    posted = member_client.post(url, {"body": "En la oficina del concejal."}, follow=True)

    assert empty.status_code == 400
    # (The form's errors are lazy: read as the page showed them.)
    assert "Escriba algo antes de enviar la respuesta." in empty.content.decode()
    assert "Su respuesta está publicada." in posted.content.decode()


def test_search_finds_a_guide_by_its_spanish_words(client, guide):
    spanish = client.get(SEARCH, {"q": "atascado", "lang": "es"}).content.decode()
    english = client.get(SEARCH, {"q": "stuck"}).content.decode()
    accentless = client.get(SEARCH, {"q": "proximos pasos", "lang": "es"}).content.decode()
    nothing = client.get(SEARCH, {"q": "zzzyzx", "lang": "es"}).content.decode()

    link = f'<a href="{guide.get_absolute_url()}">'
    assert "Guías de las actividades" in spanish
    assert f"{link}Resolver problemas</a>" in spanish
    assert f"{link}Problem solving</a>" in english
    assert f"{link}Resolver problemas</a>" in accentless
    assert "search-guides" not in nothing


def _queries(client, url: str, params: dict[str, str]) -> int:
    with CaptureQueriesContext(connection) as captured:
        client.get(url, params)
    return len(captured)


@pytest.mark.parametrize(
    ("url", "params"),
    [
        (HOME, {}),
        (reverse("library:pattern-detail", kwargs={"slug": "problem-solving"}), {}),
        (SEARCH, {"q": "permiso"}),
    ],
)
def test_spanish_pages_cost_no_more_queries(
    member_client, django_assert_max_num_queries, guide, url, params
):
    for number in range(3):
        make_post(pattern=guide, title=f"Permiso {number}")
    english = _queries(member_client, url, {**params, "lang": "en"})

    with django_assert_max_num_queries(english):
        response = member_client.get(url, {**params, "lang": "es"})

    assert response.status_code == 200


def test_editing_a_guide_in_spanish_keeps_the_english(organizer, organizer_client, guide):
    organizer.language = "es"
    organizer.save(update_fields=["language"])
    url = reverse("library:pattern-edit", kwargs={"slug": guide.slug})
    step = guide.steps.get()
    form = organizer_client.get(url).context["form"]
    data = {
        "purpose": "Un propósito nuevo.",
        "invitation": guide.invitation_es,
        "related": [],
        "brief-TOTAL_FORMS": "1",
        "brief-INITIAL_FORMS": "1",
        "brief-0-id": str(step.pk),
        "brief-0-minutes": "12",
        "brief-0-text": "Quien pregunta cuenta la historia, sin prisa.",
        "brief-0-ORDER": "1",
        "in_depth-TOTAL_FORMS": "0",
        "in_depth-INITIAL_FORMS": "0",
    }

    organizer_client.post(url, data)

    guide.refresh_from_db()
    step = guide.steps.get()
    # The form shows the Spanish only: "when to use it" has none, the English is a hint.
    assert form.initial["when_to_use"] == ""
    assert form.fields["when_to_use"].widget.attrs["placeholder"] == "When someone is stuck."
    assert (guide.purpose_es, guide.purpose_en) == (
        "Un propósito nuevo.",
        "Bring a stuck problem to the group and leave with next steps.",
    )
    assert guide.when_to_use_en == "When someone is stuck."
    assert not guide.when_to_use_es
    assert (step.minutes, step.text_es, step.text_en) == (
        12,
        "Quien pregunta cuenta la historia, sin prisa.",
        "The asker tells the story.",
    )
