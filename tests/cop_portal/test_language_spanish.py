"""The layout, the error pages and the language buttons in Spanish (the portal's
catalogue, locale/es)."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_layout_in_spanish_for_a_spanish_browser(client):
    body = client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()

    assert '<a class="skip-link" href="#main">Saltar al contenido principal</a>' in body
    assert ">Sesiones</a></li>" in body
    assert "<h1>Piense en voz alta con los líderes comunitarios de Cleveland</h1>" in body
    assert '<span class="language-switch__label">Idioma</span>' in body


def test_not_found_page_in_spanish(client):
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE="es")

    body = response.content.decode()
    assert response.status_code == 404
    assert "<h1>No encontramos esa página</h1>" in body
    assert ">Ir a la página de inicio</a>" in body


@pytest.mark.urls("tests.cop_portal.urls_with_error")
def test_server_error_page_in_spanish(client):
    client.raise_request_exception = False

    response = client.get("/boom/", HTTP_ACCEPT_LANGUAGE="es")

    assert response.status_code == 500
    assert "<h1>Algo salió mal de nuestro lado</h1>" in response.content.decode()


def test_refused_language_explained_in_spanish(client):
    client.cookies["django_language"] = "es"

    response = client.post(reverse("set_language"), {"language": "fr", "next": "/"})

    assert response.status_code == 400
    assert "Elija inglés o español." in response.content.decode()
