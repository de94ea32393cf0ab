"""The members' and account pages in Spanish: signing up, the language choice on the
account, account emails in the recipient's language, the directory."""

import pytest
from django.core import mail
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import User
from tests.factories import PASSWORD, make_profile, make_user
from tests.outbox import work

pytestmark = pytest.mark.django_db

SPANISH = {"HTTP_ACCEPT_LANGUAGE": "es"}
ENGLISH = {"HTTP_ACCEPT_LANGUAGE": "en"}


def test_signup_from_a_spanish_browser_is_in_spanish_and_keeps_the_language(client):
    page = client.get(reverse("account_signup"), **SPANISH)
    assert "<h1>Crear una cuenta</h1>" in page.content.decode()

    response = client.post(
        reverse("account_signup"),
        {
            "email": "nueva@example.com",
            "display_name": "Rosa Nueva",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **SPANISH,
    )
    work()

    assert response["Location"] == reverse("account_email_verification_sent")
    sent = client.get(response["Location"], **SPANISH)
    assert "<h1>Revise su correo</h1>" in sent.content.decode()
    assert User.objects.get(email="nueva@example.com").language == "es"
    [email] = mail.outbox
    assert email.to == ["nueva@example.com"]
    assert "¡Le damos la bienvenida al CoP Portal, Rosa Nueva!" in email.body
    assert "Un saludo de CoP Portal:" in email.body


def test_signup_from_an_english_browser_keeps_english(client):
    client.post(
        reverse("account_signup"),
        {
            "email": "new@example.com",
            "display_name": "New Comer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
        **ENGLISH,
    )
    work()

    assert User.objects.get(email="new@example.com").language == "en"
    assert "Welcome to the CoP Portal, New Comer!" in mail.outbox[0].body


def test_member_chooses_spanish_in_account_settings_and_my_page_follows(member_client, member):
    settings_page = member_client.get(reverse("members:account"), **ENGLISH)
    assert "Language / Idioma" in settings_page.content.decode()

    response = member_client.post(
        reverse("set_language"),
        {"language": "es", "next": reverse("members:account")},
        **ENGLISH,
    )

    assert response["Location"] == reverse("members:account")
    member.refresh_from_db()
    assert member.language == "es"
    # Another browser (no language cookie), in English: the account's choice wins.
    other_browser = Client()
    other_browser.force_login(member)
    page = other_browser.get(reverse("members:dashboard"), **ENGLISH)
    body = page.content.decode()
    assert "<h1>Hola, Dana Member</h1>" in body
    assert "Mi cuenta" in body


def test_password_reset_asked_in_english_for_a_spanish_member_is_in_spanish(client):
    member = make_user(email="lucia@example.com", display_name="Lucía", language="es")

    response = client.post(
        reverse("account_reset_password"), {"email": member.email}, follow=True, **ENGLISH
    )
    work()

    # The page is the one anybody asking sees, in their own language.
    assert "<h1>Check your email</h1>" in response.content.decode()
    [email] = mail.outbox
    assert email.to == ["lucia@example.com"]
    assert "Un saludo de CoP Portal:" in email.body
    assert "restablecer su contraseña" in email.body


def test_password_reset_for_an_unknown_address_is_in_the_asking_language(client):
    client.post(reverse("account_reset_password"), {"email": "nadie@example.com"}, **SPANISH)
    work()

    [email] = mail.outbox
    assert "Un saludo de CoP Portal:" in email.body


def _directory(client):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("members:directory"), **ENGLISH)
    return response, len(queries)


def test_directory_in_spanish_with_the_same_queries(member_client, member):
    make_profile(display_name="Ana Listed", expertise=["vivienda"])
    english, english_queries = _directory(member_client)
    # A signed-in member's own language comes before the browser's.
    member.language = "es"
    member.save(update_fields=["language"])

    spanish, spanish_queries = _directory(member_client)

    body = spanish.content.decode()
    assert "<h1>Directorio de miembros</h1>" in body
    assert "<strong>1</strong> miembro." in body
    assert "Ana Listed" in body
    assert "<strong>1</strong> member." in english.content.decode()
    assert spanish_queries == english_queries


def test_my_page_in_spanish_with_the_same_queries(member_client, member):
    with CaptureQueriesContext(connection) as english:
        member_client.get(reverse("members:dashboard"), **ENGLISH)
    member.language = "es"
    member.save(update_fields=["language"])

    with CaptureQueriesContext(connection) as spanish:
        response = member_client.get(reverse("members:dashboard"), **ENGLISH)

    assert "<h1>Hola, Dana Member</h1>" in response.content.decode()
    assert len(spanish) == len(english)


def test_export_includes_the_language(member_client, member):
    member.language = "es"
    member.save(update_fields=["language"])

    response = member_client.get(reverse("members:export"))

    assert response.json()["account"]["language"] == "es"


def test_member_chooses_spanish_on_the_profile_form_and_the_next_page_follows(
    member_client, member
):
    edit = reverse("members:profile-edit")
    form = member_client.get(edit, **ENGLISH)
    assert "Language / Idioma" in form.content.decode()

    response = member_client.post(
        edit, {"display_name": "Dana Member", "language": "es"}, follow=True, **ENGLISH
    )

    member.refresh_from_db()
    assert member.language == "es"
    assert '<html lang="es"' in response.content.decode()


def test_the_profile_form_refuses_a_language_it_does_not_offer(member_client, member):
    response = member_client.post(
        reverse("members:profile-edit"), {"display_name": "Dana Member", "language": "fr"}
    )

    member.refresh_from_db()
    assert response.status_code == 400
    assert "Choose English or Spanish." in response.content.decode()
    assert member.language == "en"
