"""Hostile input to allauth's forms as the portal uses them: log-in (by password and by
emailed code), sign-up, password reset and change, re-authentication, email addresses
(see tests/fuzzing.py)."""

import pytest
from allauth.account.forms import default_token_generator
from allauth.account.models import EmailAddress
from allauth.account.utils import user_pk_to_url_str
from django.test import Client
from django.urls import reverse
from hypothesis import strategies as st

from members.models import User
from tests.factories import PASSWORD
from tests.fuzzing import (
    HOSTILE,
    HOSTILE_EMAIL,
    NEXT,
    Field,
    FormCase,
    World,
    button,
    checkbox,
    email,
    fuzz_form,
    reauthenticated,
    text,
    words,
)

pytestmark = pytest.mark.django_db

NEW_PASSWORD = words("another-long-passphrase-77", "correct horse battery staple")


def _known_or_not(world: World) -> Field:
    """The member's address, in any letter case, or someone else's."""
    address = world.member.email
    return Field(
        st.sampled_from([address, address.upper(), f" {address} ", "nobody@example.org"]),
        st.one_of(HOSTILE_EMAIL, HOSTILE),
    )


def _password() -> Field:
    return Field(st.sampled_from([PASSWORD, "a-wrong-guess", ""]), HOSTILE)


def _code() -> Field:
    return Field(st.sampled_from(["ABCD-EFGH", "abcdefgh", "0000 0000"]), HOSTILE)


def _login_code_sent(client: Client, world: World) -> None:
    response = client.post(reverse("account_request_login_code"), {"email": world.member.email})
    assert response.status_code == 302


def _signed_up(client: Client, world: World) -> None:
    """A sign-up waiting for its confirmation, in this browser's session."""
    response = client.post(
        reverse("account_signup"),
        {
            "email": "new-comer@example.org",
            "display_name": "New Comer",
            "password1": "another-long-passphrase-77",
            "password2": "another-long-passphrase-77",
        },
    )
    assert response["Location"] == reverse("account_email_verification_sent")


def _reauthentication_code_sent(client: Client, world: World) -> None:
    response = client.post(
        reverse("account_request_reauthentication_code"), {"recipient": world.member.email}
    )
    assert response.status_code == 302


def _reset_form(client: Client, world: World) -> str:
    """The emailed link's page: allauth keeps the key in the session and sends the
    browser on to a neutral address, where the form posts."""
    key = default_token_generator.make_token(world.member)
    link = reverse(
        "account_reset_password_from_key",
        kwargs={"uidb36": user_pk_to_url_str(world.member), "key": key},
    )
    response = client.get(link)
    assert response.status_code == 302
    return response["Location"]


FORMS = [
    FormCase(
        "account_login",
        "visitor",
        lambda world: {
            "login": _known_or_not(world),
            "password": _password(),
            "remember": checkbox(),
            "next": NEXT,
        },
        watch=(User,),
    ),
    FormCase(
        "account_signup",
        "visitor",
        lambda world: {
            "email": Field(st.one_of(email().valid, _known_or_not(world).valid), HOSTILE),
            "display_name": words("Dana R.", "  "),
            "password1": NEW_PASSWORD,
            "password2": NEW_PASSWORD,
        },
        watch=(User, EmailAddress),
    ),
    FormCase(
        "account_reset_password",
        "visitor",
        lambda world: {"email": _known_or_not(world)},
        watch=(User,),
    ),
    FormCase(
        "account_request_login_code",
        "visitor",
        lambda world: {"email": _known_or_not(world)},
        watch=(User,),
    ),
    FormCase(
        "account_confirm_login_code",
        "visitor",
        {"code": _code()},
        watch=(User,),
        prepare=_login_code_sent,
    ),
    FormCase(
        "account_reset_password_from_key",
        "visitor",
        {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        kwargs=lambda world: {"uidb36": "1", "key": "set-password"},
        watch=(User,),
        prepare=_reset_form,
    ),
    FormCase(
        "account_confirm_email",
        "visitor",
        {"key": text(64)},
        kwargs=lambda world: {"key": "not-a-real-key"},
        watch=(EmailAddress,),
    ),
    FormCase(
        "account_email",
        "member",
        lambda world: {
            "email": Field(st.one_of(email().valid, st.just(world.other_member.email)), HOSTILE),
            "action_add": button(),
            "action_send": button(),
            "action_remove": button(),
            "action_primary": button(),
        },
        watch=(EmailAddress, User),
        prepare=lambda client, world: reauthenticated(client),
    ),
    FormCase(
        "account_change_password",
        "member",
        {"oldpassword": _password(), "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
        watch=(User,),
        prepare=lambda client, world: reauthenticated(client),
    ),
    FormCase("account_reauthenticate", "member", {"password": _password()}),
    FormCase(
        "account_request_reauthentication_code",
        "member",
        lambda world: {"recipient": _known_or_not(world)},
    ),
    FormCase(
        "account_confirm_reauthentication_code",
        "member",
        {"code": _code()},
        prepare=_reauthentication_code_sent,
    ),
    FormCase("account_logout", "member", {}),
    # The portal's own account forms (members/views/account.py).
    FormCase("members:verification-resend", "visitor", {}, watch=(User, EmailAddress)),
    FormCase(
        "members:verification-resend",
        "visitor",
        {},
        watch=(User, EmailAddress),
        prepare=_signed_up,
        label="signing up",
    ),
    FormCase(
        "members:welcome",
        "member",
        {"listed": checkbox(), "then": words("profile", "home")},
        watch=(User,),
    ),
]


@pytest.mark.parametrize("case", FORMS, ids=str)
def test_form_survives_hostile_input(case, member, other_member, organizer):
    fuzz_form(case, World(member=member, other_member=other_member, organizer=organizer))
