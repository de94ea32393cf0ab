"""Guessing passwords or probing for accounts gets nowhere."""

import re

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client
from django.urls import reverse

from sessions_app.models import Rsvp
from tests.factories import PASSWORD, make_session, make_user

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


# The same answer for an address with an account and one without


def _visible(response, address: str) -> tuple[int, str, str]:
    """What the person sees: the status, where they are sent, and the page's text, with
    the address they typed and the per-request secrets (CSRF tokens, an RSVP's link)
    masked."""
    body = response.content.decode().replace(address, "ADDRESS")
    body = re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", body)
    body = re.sub(r"/rsvp/[\w-]+/", "/rsvp/TOKEN/", body)
    location = re.sub(r"/rsvp/[\w-]+/", "/rsvp/TOKEN/", response.get("Location", ""))
    return response.status_code, location, body


def _followed(client, url, data, address: str) -> tuple[int, str, str, list[str]]:
    """The page a POST ends on, and the addresses it went through, as the person sees them."""
    response = client.post(url, data, follow=True)
    token = re.compile(r"/rsvp/[\w-]{40,}/")
    chain = [token.sub("/rsvp/TOKEN/", hop) for hop, _ in response.redirect_chain]
    return (*_visible(response, address), chain)


KNOWN_OR_NOT = ["member@example.com", "nobody@example.com"]


@pytest.fixture
def known(db):
    return make_user(email=KNOWN_OR_NOT[0])


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("account_login", {"password": "a-wrong-guess"}),
        ("account_reset_password", {}),
        ("account_request_login_code", {}),
        (
            "account_signup",
            {
                "display_name": "Someone",
                "password1": "another-long-passphrase-77",
                "password2": "another-long-passphrase-77",
            },
        ),
    ],
)
def test_visitor_forms_answer_the_same_for_known_and_unknown_addresses(known, name, data):
    field = "login" if name == "account_login" else "email"
    url = reverse(name)

    answers = [
        _followed(Client(), url, {field: address, **data}, address) for address in KNOWN_OR_NOT
    ]

    assert answers[0] == answers[1]


def test_failed_logins_are_limited_the_same_for_unknown_addresses(known):
    """The per-address limit on failed log-ins holds for addresses without an account
    too, so the limit itself tells nobody which addresses exist."""
    answers = []
    for n, address in enumerate(KNOWN_OR_NOT):
        client = Client(REMOTE_ADDR=f"10.0.0.{n + 1}")
        for _ in range(5):
            client.post(reverse("account_login"), {"login": address, "password": "guess"})
        response = client.post(reverse("account_login"), {"login": address, "password": "guess"})
        answers.append(_visible(response, address))

    assert answers[0] == answers[1]
    assert "Too many failed login attempts" in answers[0][2]


def test_login_codes_are_limited_the_same_for_unknown_addresses(known):
    answers = []
    for address in KNOWN_OR_NOT:
        for _ in range(3):
            Client().post(reverse("account_request_login_code"), {"email": address})
        response = Client().post(reverse("account_request_login_code"), {"email": address})
        answers.append(_visible(response, address))

    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert "Too many failed login attempts" in answers[0][2]


def test_password_resets_are_limited_the_same_for_unknown_addresses(known):
    answers = []
    for address in KNOWN_OR_NOT:
        for _ in range(5):
            Client().post(reverse("account_reset_password"), {"email": address})
        response = Client().post(reverse("account_reset_password"), {"email": address})
        answers.append(_visible(response, address))

    assert answers[0] == answers[1]
    assert answers[0][0] == 429


def test_adding_an_address_someone_else_has_looks_like_adding_a_free_one(member, known):
    """Changing one's email to another member's address gets the same page as changing
    it to a free one."""
    answers = []
    for address in KNOWN_OR_NOT:
        client = Client()
        client.force_login(member)
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
        data = {"action_add": "", "email": address}
        answers.append(_followed(client, reverse("account_email"), data, address))

    assert answers[0] == answers[1]
    assert answers[0][0] == 200


def test_guest_rsvp_with_a_members_address_looks_like_any_guest_rsvp(known):
    """A visitor who RSVPs with a member's email address learns nothing about the account:
    the same "check your email" page, the same messages."""
    session = make_session()
    url = reverse("sessions:rsvp-create", kwargs={"slug": session.slug})
    answers = []
    for n, address in enumerate(KNOWN_OR_NOT):
        client = Client(REMOTE_ADDR=f"10.0.1.{n + 1}")
        data = {"name": "Gia", "email": address, "organization": "", "how": "in-person"}
        answers.append(_followed(client, url, data, address))

    assert answers[0] == answers[1]
    assert answers[0][0] == 200
    assert answers[0][3] == [f"{url}sent/"]
    assert Rsvp.objects.filter(user=None).count() == 2


# Rate limits: a clear 429, never a server error or a blank page

LIMITED = [
    ("account_login", "visitor", "login", {"login": "nobody@example.com", "password": "x"}),
    ("account_signup", "visitor", "signup", {"email": "not-an-address", "password1": "x"}),
    ("account_reset_password", "visitor", "reset_password", {}),
    ("account_email", "member", "manage_email", {"action_add": "", "email": "not-an-address"}),
    ("account_change_password", "member", "change_password", {"oldpassword": "wrong"}),
    ("account_reauthenticate", "member", "reauthenticate", {"password": "wrong"}),
]


def _first_limit(action: str) -> int:
    """The allowed count of the action's first (per IP or per user) rate, e.g. 30 in "30/m/ip"."""
    return int(settings.ACCOUNT_RATE_LIMITS[action].split(",")[0].split("/")[0])


@pytest.mark.parametrize(
    ("name", "persona", "action", "data"), LIMITED, ids=[case[0] for case in LIMITED]
)
def test_account_actions_past_their_rate_limit_get_a_clear_429(member, name, persona, action, data):
    client = Client()
    if persona == "member":
        client.force_login(member)
    if name in ("account_email", "account_change_password"):
        client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    url = reverse(name)
    limit = _first_limit(action)

    # A different address each time, so only the per-IP or per-user limit applies.
    answers = [
        client.post(url, {"email": f"someone{n}@example.com", **data}).status_code
        for n in range(limit)
    ]
    limited = client.post(url, {"email": "someone.else@example.com", **data})

    assert 429 not in answers
    assert limited.status_code == 429
    assert "Too Many Requests" in limited.content.decode()
    assert "try again later" in limited.content.decode()
    assert "Go to the home page" in limited.content.decode()  # in the site's layout
    assert "unsafe-inline" not in limited["Content-Security-Policy"]


def test_guest_rsvp_limit_per_address_ignores_letter_case_and_spaces(settings):
    """One address written three ways is still one address to the limit."""
    settings.RSVP_GUEST_RATE_PER_EMAIL = "2/h"
    sessions = [make_session() for _ in range(3)]
    spellings = ["gia@example.org", " GIA@example.org", "Gia@Example.org "]

    answers = [
        Client(REMOTE_ADDR=f"10.0.2.{n}").post(
            reverse("sessions:rsvp-create", kwargs={"slug": session.slug}),
            {"name": "Gia", "email": email, "organization": "", "how": "in-person"},
        )
        for n, (session, email) in enumerate(zip(sessions, spellings, strict=True))
    ]

    assert [answer.status_code for answer in answers] == [302, 302, 429]
    assert "Too many RSVPs from here in a short time." in answers[2].content.decode()
    assert answers[2].context["rsvp_form"]["email"].value() == "Gia@Example.org "
