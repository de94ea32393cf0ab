"""Account emails (allauth: sign-up, log-in code, password reset) under the mail limits.

allauth's own ACCOUNT_RATE_LIMITS answer plain repeats with a 429; the adapter's atomic
counters (members.adapter.AccountAdapter.send_mail) hold the emails to each address and
from each sender, also when the requests come all at once. Either way the page looks
the same, so nobody learns whether an address has an account.
"""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.concurrency import at_once
from tests.factories import make_user

pytestmark = pytest.mark.django_db

THREADS = 40


def reset(address: str, ip: str = "203.0.113.1") -> int:
    response = Client(REMOTE_ADDR=ip).post(reverse("account_reset_password"), {"email": address})
    return response.status_code


def test_password_reset_asked_for_again_and_again_sends_at_most_the_limit(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "3/h"
    settings.ACCOUNT_RATE_LIMITS = False  # only the mail limits, for this test
    member = make_user(email="kate@example.org")

    answers = [
        reset(spelling, ip=f"203.0.113.{n}")
        for n, spelling in enumerate(
            ["kate@example.org", "KATE@example.org", "Kate@Example.org "] * 2
        )
    ]

    assert answers == [302] * 6  # the same page each time
    assert [email.to for email in mail.outbox] == [[member.email]] * 3


def test_password_reset_emails_to_unknown_addresses_are_limited_the_same(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    settings.ACCOUNT_RATE_LIMITS = False
    make_user(email="kate@example.org")

    for address in ["kate@example.org", "nobody@example.org"]:
        for n in range(4):
            reset(address, ip=f"203.0.113.{n}")

    assert sorted(email.to[0] for email in mail.outbox) == [
        "kate@example.org",
        "kate@example.org",
        "nobody@example.org",
        "nobody@example.org",
    ]


def test_account_emails_from_one_ip_are_limited(settings):
    settings.MAIL_RATE_PER_SENDER_ACCOUNT = "3/h"
    settings.ACCOUNT_RATE_LIMITS = False

    answers = [reset(f"someone{n}@example.org") for n in range(5)]
    reset("someone.else@example.org", ip="203.0.113.99")

    assert answers == [302] * 5
    assert [email.to[0] for email in mail.outbox] == [
        "someone0@example.org",
        "someone1@example.org",
        "someone2@example.org",
        "someone.else@example.org",
    ]


def test_login_codes_share_the_address_budget(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "2/h"
    settings.ACCOUNT_RATE_LIMITS = False
    member = make_user(email="kate@example.org")

    for n in range(2):
        reset(member.email, ip=f"203.0.113.{n}")
    Client(REMOTE_ADDR="203.0.113.50").post(
        reverse("account_request_login_code"), {"email": member.email}
    )

    assert len(mail.outbox) == 2
    assert all("password" in email.subject.lower() for email in mail.outbox)


def test_signup_confirmation_counts_against_the_address(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "1/h"
    settings.ACCOUNT_RATE_LIMITS = False
    reset("new@example.org")  # "no account with this address" email

    response = Client(REMOTE_ADDR="203.0.113.7").post(
        reverse("account_signup"),
        {
            "email": "new@example.org",
            "display_name": "New Person",
            "password1": "another-long-passphrase-77",
            "password2": "another-long-passphrase-77",
        },
    )

    assert response.status_code == 302
    assert len(mail.outbox) == 1


@pytest.mark.django_db(transaction=True)
def test_forty_password_resets_at_once_send_exactly_the_limit(settings):
    settings.MAIL_RATE_PER_RECIPIENT = "3/h"
    # allauth's counters (5 per minute per address) would also refuse most of these;
    # switched off, only the atomic mail counters stand between forty requests and
    # forty emails.
    settings.ACCOUNT_RATE_LIMITS = False
    member = make_user(email="kate@example.org")

    results, errors = at_once(
        [lambda n=n: reset("Kate@example.org", ip=f"10.1.{n}.1") for n in range(THREADS)]
    )

    assert errors == []
    assert results == [302] * THREADS
    assert [email.to for email in mail.outbox] == [[member.email]] * 3


@pytest.mark.django_db(transaction=True)
def test_forty_password_resets_at_once_from_one_ip_send_exactly_its_limit(settings):
    settings.MAIL_RATE_PER_SENDER_ACCOUNT = "4/h"
    settings.ACCOUNT_RATE_LIMITS = False

    results, errors = at_once(
        [lambda n=n: reset(f"someone{n}@example.org") for n in range(THREADS)]
    )

    assert errors == []
    assert results == [302] * THREADS
    assert len(mail.outbox) == 4
