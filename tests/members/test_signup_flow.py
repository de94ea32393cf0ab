"""Sign-up, email verification and log-in through allauth's real views."""

import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from members.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db

LINK_RE = re.compile(r"https?://testserver(/accounts/[^\s]+)")


def _signup(client, **overrides):
    data = {
        "email": "newcomer@example.com",
        "display_name": "New Comer",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return client.post(reverse("account_signup"), data)


def _link_in(message) -> str:
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)


def test_signup_sends_verification_email_and_does_not_log_in(client):
    response = _signup(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="newcomer@example.com")
    assert user.display_name == "New Comer"
    assert EmailAddress.objects.get(user=user).verified is False
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == ["newcomer@example.com"]
    assert mail.outbox[0].subject == "[CoP Portal] Please Confirm Your Email Address"
    assert "Welcome to the CoP Portal, New Comer!" in mail.outbox[0].body
    assert "/accounts/confirm-email/" in mail.outbox[0].body
    assert "_auth_user_id" not in client.session


def test_signup_then_verify_link_logs_the_person_in(client):
    _signup(client)
    link = _link_in(mail.outbox[0])

    confirm_page = client.get(link)
    assert confirm_page.status_code == 200
    assert "newcomer@example.com" in confirm_page.content.decode()

    response = client.post(link)

    assert response.status_code == 302
    assert EmailAddress.objects.get(email="newcomer@example.com").verified is True
    home = client.get(reverse("home"))
    assert home.context["user"].email == "newcomer@example.com"
    assert "New Comer" in home.content.decode()


def test_login_before_verification_is_held_back(client):
    make_user(email="pending@example.com", verified=False)

    response = client.post(
        reverse("account_login"), {"login": "pending@example.com", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session
    assert len(mail.outbox) == 1  # a fresh verification link


def test_verified_member_logs_in_with_password_in_any_letter_case(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email.upper(), "password": PASSWORD}
    )

    assert response.status_code == 302
    assert int(client.session["_auth_user_id"]) == member.pk


def test_wrong_password_shows_a_message_and_stays_logged_out(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_logout_ends_the_session(member_client):
    response = member_client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert "_auth_user_id" not in member_client.session


def test_signup_with_malformed_email_shows_field_error(client):
    response = _signup(client, email="not-an-email")

    assert response.status_code == 200
    assert response.context["form"].errors["email"] == ["Enter a valid email address."]
    assert 'aria-invalid="true"' in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_signup_with_weak_password_is_refused(client):
    response = _signup(client, password1="password", password2="password")

    assert response.status_code == 200
    assert "This password is too common." in response.context["form"].errors["password1"]
    assert not User.objects.exists()


def test_signup_without_display_name_is_refused(client):
    response = _signup(client, display_name="   ")

    assert response.status_code == 200
    assert "display_name" in response.context["form"].errors
    assert not User.objects.exists()


def test_signup_with_taken_email_looks_the_same_and_warns_the_owner(client, member):
    response = _signup(client, email=member.email.upper())

    # Same answer as for a new address: nobody learns that the account exists.
    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email__iexact=member.email).count() == 1
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [member.email]
    assert "already" in mail.outbox[0].body.lower()


def test_tampered_verification_link_explains_and_does_not_verify(client):
    _signup(client)
    link = _link_in(mail.outbox[0]).rstrip("/") + "x/"

    response = client.get(link)

    assert response.status_code == 200
    body = response.content.decode()
    assert "expired or is invalid" in body
    assert EmailAddress.objects.get(email="newcomer@example.com").verified is False


def test_expired_verification_link_is_refused(client, settings):
    _signup(client)
    link = _link_in(mail.outbox[0])
    settings.ACCOUNT_EMAIL_CONFIRMATION_EXPIRE_DAYS = 0

    page = client.get(link)
    forced = client.post(link)

    assert page.status_code == 200
    assert "expired or is invalid" in page.content.decode()
    assert forced.status_code == 404
    assert EmailAddress.objects.get(email="newcomer@example.com").verified is False
