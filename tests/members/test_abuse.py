"""Guessing passwords or probing for accounts gets nowhere."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db


def test_failed_logins_are_rate_limited_per_address(client, member):
    for _ in range(5):
        client.post(reverse("account_login"), {"login": member.email, "password": "guess"})

    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_wrong_password_and_unknown_email_get_the_same_answer(client, member):
    known = client.post(reverse("account_login"), {"login": member.email, "password": "guess"})
    unknown = client.post(
        reverse("account_login"), {"login": "nobody@example.com", "password": "guess"}
    )

    assert known.status_code == unknown.status_code == 200
    assert known.context["form"].errors == unknown.context["form"].errors


def test_login_codes_cannot_be_requested_endlessly(member):
    for _ in range(3):
        Client().post(reverse("account_request_login_code"), {"email": member.email})

    response = Client().post(reverse("account_request_login_code"), {"email": member.email})

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == [
        "Too many failed login attempts. Try again later."
    ]
    assert len(mail.outbox) == 3
