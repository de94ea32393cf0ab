"""Which language a page is in (cop_portal.lib.language), the language buttons
(members/views/language.py) and the hreflang alternates of every page."""

import re
from html import unescape

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from members.models import User
from tests.factories import make_session

pytestmark = pytest.mark.django_db

COOKIE = settings.LANGUAGE_COOKIE_NAME


def _html_lang(response) -> str:
    return re.search(r'<html lang="([^"]+)">', response.content.decode()).group(1)


def _alternates(response) -> dict[str, str]:
    links = re.findall(
        r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', response.content.decode()
    )
    return {hreflang: unescape(href) for hreflang, href in links}


def _hidden_next(response) -> set[str]:
    return set(
        re.findall(r'<input type="hidden" name="next" value="([^"]*)">', response.content.decode())
    )


def test_accept_language_spanish_gives_a_spanish_page(client):
    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es-MX,es;q=0.9,en;q=0.5")

    assert _html_lang(response) == "es"
    assert response["Content-Language"] == "es"


def test_a_page_is_english_without_a_choice(client):
    response = client.get(reverse("home"))

    assert _html_lang(response) == "en"
    assert response["Content-Language"] == "en"


def test_cookie_beats_accept_language(client):
    client.cookies[COOKIE] = "en"

    response = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")

    assert _html_lang(response) == "en"


def test_lang_parameter_beats_the_cookie(client):
    client.cookies[COOKIE] = "en"

    response = client.get(reverse("home"), {"lang": "es"}, HTTP_ACCEPT_LANGUAGE="en")

    assert _html_lang(response) == "es"


def test_a_members_own_language_beats_the_cookie(member, member_client):
    member.language = "es"
    member.save(update_fields=["language"])
    member_client.cookies[COOKIE] = "en"

    response = member_client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert _html_lang(response) == "es"


def test_visitor_choosing_spanish_gets_the_cookie_and_goes_back(client):
    response = client.post(reverse("set_language"), {"language": "es", "next": "/sessions/?page=2"})

    assert response.status_code == 302
    assert response["Location"] == "/sessions/?page=2"
    assert client.cookies[COOKIE].value == "es"
    assert _html_lang(client.get("/sessions/")) == "es"


def test_member_choosing_spanish_keeps_it_on_their_account(member, member_client):
    response = member_client.post(reverse("set_language"), {"language": "es", "next": "/"})

    member.refresh_from_db()
    assert response["Location"] == "/"
    assert member.language == "es"
    assert member_client.cookies[COOKIE].value == "es"


def test_unknown_language_is_refused_on_a_page_and_nothing_is_saved(member, member_client):
    response = member_client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    member.refresh_from_db()
    body = response.content.decode()
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert "Choose English or Spanish." in body
    assert "We couldn't understand that request" in body
    assert member.language == User._meta.get_field("language").default
    assert COOKIE not in member_client.cookies


def test_language_buttons_never_send_people_off_the_site(client):
    response = client.post(
        reverse("set_language"), {"language": "es", "next": "https://evil.example/"}
    )

    assert response["Location"] == "/"


def test_home_page_names_its_alternates_with_absolute_addresses(client, site_url):
    response = client.get(reverse("home"))

    assert _alternates(response) == {
        "en": f"{site_url}/?lang=en",
        "es": f"{site_url}/?lang=es",
        "x-default": f"{site_url}/",
    }


def test_session_page_alternates_keep_its_other_parameters(client, site_url):
    session = make_session(title="Tenant rights")
    path = session.get_absolute_url()

    response = client.get(path, {"lang": "es", "utm_source": "flyer"})

    assert response.status_code == 200
    assert _alternates(response) == {
        "en": f"{site_url}{path}?utm_source=flyer&lang=en",
        "es": f"{site_url}{path}?utm_source=flyer&lang=es",
        "x-default": f"{site_url}{path}?utm_source=flyer",
    }


def test_language_buttons_return_to_the_page_without_its_lang(client):
    response = client.get(reverse("sessions:session-list"), {"lang": "es", "page": "1"})

    assert _hidden_next(response) == {"/sessions/?page=1"}
    # The header's button offers the other language, the footer's both.
    body = response.content.decode()
    assert body.count('name="language" value="en" lang="en"') == 2
    assert body.count('name="language" value="es" lang="es" aria-current="true"') == 1


def test_kept_page_answers_each_visitor_in_their_own_language():
    english = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")
    spanish = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es")
    english_again = Client().get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en")

    assert (_html_lang(english), _html_lang(spanish), _html_lang(english_again)) == (
        "en",
        "es",
        "en",
    )
    vary = {part.strip() for part in spanish["Vary"].split(",")}
    assert {"Accept-Language", "Cookie"} <= vary


def test_not_found_page_follows_the_language(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 404
    assert _html_lang(response) == "es"
