"""Sign-up, email verification and log-in through allauth's real views."""

import re
from html import unescape
from urllib.parse import quote

import pytest
from allauth.account.models import EmailAddress, EmailConfirmationHMAC
from django.core import mail
from django.core.cache import cache
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from members.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


def cache_clear() -> None:
    """Forget allauth's rate-limit counters (one confirmation per address in 3 minutes)."""
    cache.clear()


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


# After verifying: the welcome page, once


def test_verifying_in_the_same_browser_lands_on_the_welcome_page(client):
    _signup(client)

    response = client.post(_link_in(mail.outbox[0]))

    assert response["Location"] == reverse("members:welcome")
    welcome = client.get(response["Location"])
    assert welcome.status_code == 200
    assert "<h1>Welcome to the CoP, New Comer</h1>" in welcome.content.decode()


def test_verifying_in_another_browser_signs_in_then_welcomes(client):
    _signup(client)
    link = _link_in(mail.outbox[0])
    other_browser = Client()

    response = other_browser.post(link)

    welcome = reverse("members:welcome")
    assert response["Location"] == f"{reverse('account_login')}?next={quote(welcome, safe='')}"
    signed_in = other_browser.post(
        response["Location"], {"login": "newcomer@example.com", "password": PASSWORD}
    )
    assert signed_in["Location"] == welcome


def test_returning_members_are_not_sent_to_the_welcome_page(client, member):
    response = client.post(reverse("account_login"), {"login": member.email, "password": PASSWORD})

    assert response["Location"] == reverse("home")


def test_a_member_confirming_a_new_address_elsewhere_is_not_welcomed_again(client, member):
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])
    address = EmailAddress.objects.create(user=member, email="new@example.com")
    link = reverse("account_confirm_email", args=[EmailConfirmationHMAC(address).key])

    response = client.post(link)

    assert reverse("members:welcome") not in response["Location"]


def test_the_signed_in_message_does_not_double_the_full_stop_after_initials(client):
    make_user(email="robin@example.com", display_name="Robin T.")

    response = client.post(
        reverse("account_login"),
        {"login": "robin@example.com", "password": PASSWORD},
        follow=True,
    )

    body = unescape(response.content.decode())
    assert "You're signed in as Robin T." in body
    assert "Robin T.." not in body


# "Resend the email"


def test_resend_sends_the_confirmation_again_once_the_wait_is_over(client, settings):
    _signup(client)
    cache_clear()

    response = client.post(reverse("members:verification-resend"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert [message.to for message in mail.outbox] == [["newcomer@example.com"]] * 2
    assert _link_in(mail.outbox[1]).startswith("/accounts/confirm-email/")
    assert "We've sent an email to newcomer@example.com" in unescape(response.content.decode())


def test_resend_right_away_sends_nothing_more_and_says_so(client):
    _signup(client)

    response = client.post(reverse("members:verification-resend"), follow=True)

    assert len(mail.outbox) == 1
    assert "We sent you one a moment ago." in unescape(response.content.decode())


def test_resend_for_an_address_that_has_an_account_looks_the_same(client, member):
    """Enumeration: signing up with a taken address shows the same pages, and resending
    emails the owner again (the "account already exists" email), never a link."""
    _signup(client, email=member.email)
    cache_clear()

    response = client.post(reverse("members:verification-resend"), follow=True)

    assert response.redirect_chain[-1][0] == reverse("account_email_verification_sent")
    assert [message.to for message in mail.outbox] == [[member.email]] * 2
    assert "/accounts/confirm-email/" not in mail.outbox[1].body


def test_resend_without_a_sign_up_waiting_sends_to_sign_up(client):
    response = client.post(reverse("members:verification-resend"))

    assert response["Location"] == reverse("account_signup")
    assert len(mail.outbox) == 0


def test_resend_is_post_only(client):
    assert client.get(reverse("members:verification-resend")).status_code == 405
