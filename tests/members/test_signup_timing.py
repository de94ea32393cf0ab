"""Signing up takes as long whether or not the address has an account: both answers do
the same expensive work (one password hash), so the time tells nothing. Checked by
counting the hasher's calls, not with a clock."""

import pytest
from django.contrib.auth.hashers import get_hasher
from django.core import mail
from django.test import Client
from django.urls import reverse

from members.models import User
from tests.factories import PASSWORD, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def hashes(monkeypatch) -> list[str]:
    """The passwords the configured hasher is asked to hash."""
    hasher = type(get_hasher())
    encode = hasher.encode
    seen: list[str] = []

    def counting(self, password, *args, **kwargs):
        seen.append(password)
        return encode(self, password, *args, **kwargs)

    monkeypatch.setattr(hasher, "encode", counting)
    return seen


def _signup(email: str) -> object:
    data = {
        "email": email,
        "display_name": "New Comer",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    return Client().post(reverse("account_signup"), data)


def test_signing_up_with_a_new_address_hashes_the_password_once(hashes):
    response = _signup("newcomer@example.com")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="newcomer@example.com").exists()
    assert hashes == [PASSWORD]


def test_signing_up_with_a_taken_address_hashes_the_password_once_too(hashes):
    make_user(email="dana@example.org")
    hashes.clear()  # the factory's own

    response = _signup("dana@example.org")

    assert response["Location"] == reverse("account_email_verification_sent")
    assert User.objects.filter(email="dana@example.org").count() == 1
    assert mail.outbox[-1].to == ["dana@example.org"]  # "you already have an account"
    assert hashes == [PASSWORD]


def test_both_answers_look_the_same(hashes):
    make_user(email="dana@example.org")

    taken = _signup("dana@example.org")
    new = _signup("newcomer@example.com")

    assert (taken.status_code, taken["Location"]) == (new.status_code, new["Location"])
