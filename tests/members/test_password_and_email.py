import re

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

RESET_RE = re.compile(r"https?://testserver(/accounts/password/reset/key/[^\s]+)")
CONFIRM_RE = re.compile(r"https?://testserver(/accounts/confirm-email/[^\s]+)")
NEW_PASSWORD = "another-long-passphrase-77"


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
    assert "Bad Token" in response.content.decode()
    member.refresh_from_db()
    assert member.check_password(PASSWORD)


def test_password_reset_for_unknown_email_looks_the_same(client, member):
    known = client.post(reverse("account_reset_password"), {"email": member.email})
    unknown = client.post(reverse("account_reset_password"), {"email": "nobody@example.com"})

    assert known.status_code == unknown.status_code == 302
    assert known["Location"] == unknown["Location"]
    assert RESET_RE.search(mail.outbox[1].body) is None


def test_email_change_needs_verification_of_the_new_address(member_client, member):
    response = member_client.post(
        reverse("account_email"), {"action_add": "", "email": "dana.new@example.com"}
    )

    assert response.status_code == 302
    assert mail.outbox[-1].to == ["dana.new@example.com"]
    new_address = EmailAddress.objects.get(email="dana.new@example.com")
    assert new_address.verified is False
    member.refresh_from_db()
    assert member.email != "dana.new@example.com"  # not until it is verified


def test_verifying_the_new_address_completes_the_change(member_client, member):
    old_email = member.email
    member_client.post(
        reverse("account_email"), {"action_add": "", "email": "dana.new@example.com"}
    )
    link = CONFIRM_RE.search(mail.outbox[-1].body).group(1)

    response = member_client.post(link)

    assert response.status_code == 302
    member.refresh_from_db()
    assert member.email == "dana.new@example.com"
    assert list(EmailAddress.objects.filter(user=member).values_list("email", "verified")) == [
        ("dana.new@example.com", True)
    ]
    assert not EmailAddress.objects.filter(email=old_email).exists()


def test_email_change_page_renders_without_inline_styles(member_client):
    member_client.post(reverse("account_email"), {"action_add": "", "email": "dana@example.net"})

    response = member_client.get(reverse("account_email"))

    body = response.content.decode()
    assert response.status_code == 200
    assert "dana@example.net" in body
    assert "style=" not in body


def test_password_change_requires_the_current_password(member_client, member):
    response = member_client.post(
        reverse("account_change_password"),
        {"oldpassword": "wrong", "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )

    assert response.status_code == 200
    assert response.context["form"].errors["oldpassword"] == ["Please type your current password."]
    member.refresh_from_db()
    assert member.check_password(PASSWORD)
