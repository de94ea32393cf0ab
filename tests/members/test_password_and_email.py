import re
import time

import pytest
from allauth.account.internal.flows.login import AUTHENTICATION_METHODS_SESSION_KEY
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET_RE = re.compile(r"https?://testserver(/accounts/password/reset/key/[^\s]+)")
CONFIRM_RE = re.compile(r"https?://testserver(/accounts/confirm-email/[^\s]+)")
NEW_PASSWORD = "another-long-passphrase-77"
EMAIL = reverse("account_email")
CHANGE_PASSWORD = reverse("account_change_password")
REAUTHENTICATE = reverse("account_reauthenticate")


@pytest.fixture
def reauthenticated_client(member) -> Client:
    """The member, signed in, who just typed their password again."""
    client = Client()
    client.force_login(member)
    response = client.post(REAUTHENTICATE, {"password": PASSWORD})
    assert response.status_code == 302
    return client


def _authenticated_long_ago(client: Client) -> None:
    """Move every log-in and re-authentication of the client's session an hour back."""
    session = client.session
    for record in session[AUTHENTICATION_METHODS_SESSION_KEY]:
        record["at"] = time.time() - 3600
    session.save()


def test_password_reset_by_email_link(client, member):
    response = client.post(reverse("account_reset_password"), {"email": member.email})
    assert response.status_code == 302
    link = RESET_RE.search(mail.outbox[0].body).group(1)

    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200
    response = client.post(
        form_page.redirect_chain[-1][0],
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_tampered_reset_link_is_refused(client, member):
    client.post(reverse("account_reset_password"), {"email": member.email})
    link = RESET_RE.search(mail.outbox[0].body).group(1)
    tampered = link[:-3] + "zz/"

    response = client.get(tampered, follow=True)

    assert response.status_code == 200
    assert "This link has run out" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_reset_for_unknown_email_looks_the_same(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert RESET_RE.search(mail.outbox[1].body) is None


def test_email_change_needs_verification_of_the_new_address(reauthenticated_client, member):
    response = reauthenticated_client.post(
        EMAIL, {"action_add": "", "email": "dana.new@example.com"}
    )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["dana.new@example.com"]
    new_address = EmailAddress.objects.get(email="dana.new@example.com")
    assert new_address.verified is False
    member.refresh_from_db()
    assert member.email != "dana.new@example.com"  # not until it is verified


def test_verifying_the_new_address_completes_the_change(reauthenticated_client, member):
    old_email = member.email
    reauthenticated_client.post(EMAIL, {"action_add": "", "email": "dana.new@example.com"})
    link = CONFIRM_RE.search(mail.outbox[-1].body).group(1)

    response = reauthenticated_client.post(link)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "dana.new@example.com"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("dana.new@example.com", True)
    ]
    assert not EmailAddress.objects.filter(email=old_email).exists()


def test_email_change_page_renders_without_inline_styles(reauthenticated_client):
    reauthenticated_client.post(EMAIL, {"action_add": "", "email": "dana@example.net"})

    response = reauthenticated_client.get(EMAIL)

    body = response.content.decode()
    assert response.status_code == 200
    assert "dana@example.net" in body
    assert "style=" not in body


def test_password_change_requires_the_current_password(reauthenticated_client, member):
    response = reauthenticated_client.post(
        CHANGE_PASSWORD,
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"] == ["Please type your current password."]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


# Re-authentication: an unattended signed-in browser can't change how the account logs in


@pytest.mark.parametrize("url", [EMAIL, CHANGE_PASSWORD])
def test_opening_a_credentials_page_asks_for_the_password_again(member_client, url):
    response = member_client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{REAUTHENTICATE}?next={url.replace('/', '%2F')}"


@pytest.mark.parametrize("url", [EMAIL, CHANGE_PASSWORD])
def test_a_reauthentication_long_ago_is_asked_again(reauthenticated_client, url):
    assert reauthenticated_client.get(url).status_code == 200
    _authenticated_long_ago(reauthenticated_client)

    response = reauthenticated_client.get(url)

    assert response.status_code == 302
    assert response["Location"].startswith(REAUTHENTICATE)


def test_reauthentication_lasts_the_configured_time():
    assert settings.ACCOUNT_REAUTHENTICATION_REQUIRED is True
    assert settings.ACCOUNT_REAUTHENTICATION_TIMEOUT == 300


def test_after_typing_the_password_again_the_email_can_change(reauthenticated_client, member):
    client = reauthenticated_client
    _authenticated_long_ago(client)
    asked = client.get(EMAIL)

    back = client.post(asked["Location"], {"password": PASSWORD})
    page = client.get(back["Location"])
    changed = client.post(EMAIL, {"action_add": "", "email": "dana.new@example.com"})

    assert back["Location"] == EMAIL
    assert page.status_code == 200
    assert changed.status_code == 302
    assert mail.outbox[-1].to == ["dana.new@example.com"]
    assert EmailAddress.objects.filter(user=member, email="dana.new@example.com").exists()


def test_an_email_change_sent_before_reauthenticating_goes_through_after_it(member_client, member):
    asked = member_client.post(EMAIL, {"action_add": "", "email": "dana.new@example.com"})
    assert asked["Location"].startswith(REAUTHENTICATE)
    assert not EmailAddress.objects.filter(email="dana.new@example.com").exists()

    member_client.post(asked["Location"], {"password": PASSWORD})

    assert EmailAddress.objects.filter(user=member, email="dana.new@example.com").exists()


def test_after_typing_the_password_again_the_password_can_change(reauthenticated_client, member):
    client = reauthenticated_client
    _authenticated_long_ago(client)
    asked = client.get(CHANGE_PASSWORD)

    back = client.post(asked["Location"], {"password": PASSWORD})
    changed = client.post(
        back["Location"],
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert back["Location"] == CHANGE_PASSWORD
    assert changed.status_code == 302
    member.refresh_from_db()
    assert member.check_password(NEW_PASSWORD)


def test_a_password_change_without_reauthentication_changes_nothing(member_client, member):
    response = member_client.post(
        CHANGE_PASSWORD,
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response["Location"].startswith(REAUTHENTICATE)
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_a_wrong_password_on_the_reauthentication_page_changes_nothing(member_client, member):
    asked = member_client.get(CHANGE_PASSWORD)

    response = member_client.post(asked["Location"], {"password": "not-my-password"})

    assert response.status_code == 200
    assert member_client.get(CHANGE_PASSWORD)["Location"].startswith(REAUTHENTICATE)


def test_visitors_are_sent_to_log_in_not_to_reauthenticate(client):
    response = client.get(CHANGE_PASSWORD)

    assert response["Location"] == f"{reverse('account_login')}?next={CHANGE_PASSWORD}"
