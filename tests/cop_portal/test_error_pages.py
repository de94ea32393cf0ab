import pytest
from django.test import Client
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_unknown_page_shows_friendly_404(client):
    response = client.get("/no-such-page/")

    body = response.content.decode()
    assert response.status_code == 404
    assert "We can't find that page" in body
    assert '<main id="main"' in body


def test_forbidden_page_shows_friendly_403(member_client):
    response = member_client.get(reverse("sessions:venue-list"))

    assert response.status_code == 403
    assert "This page isn't open to you" in response.content.decode()


def test_unknown_host_shows_friendly_400(client):
    response = client.get(reverse("home"), HTTP_HOST="evil.example")

    assert response.status_code == 400
    assert "We couldn't understand that request" in response.content.decode()


def test_missing_csrf_token_shows_friendly_403(member):
    client = Client(enforce_csrf_checks=True)

    response = client.post(reverse("account_login"), {"login": member.email, "password": "x"})

    assert response.status_code == 403
    assert "That form has expired" in response.content.decode()


@pytest.mark.urls("tests.cop_portal.urls_with_error")
def test_server_error_shows_friendly_500(client):
    client.raise_request_exception = False

    response = client.get("/boom/")

    assert response.status_code == 500
    body = response.content.decode()
    assert "Something went wrong on our side" in body
    assert "Traceback" not in body
