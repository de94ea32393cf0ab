"""allauth's pages in use render in the site's layout, with nothing the CSP would block."""

import re
from html import unescape

import pytest
from django.urls import reverse

from tests.factories import PASSWORD

pytestmark = pytest.mark.django_db

VISITOR_PAGES = [
    "account_login",
    "account_signup",
    "account_reset_password",
    "account_reset_password_done",
    "account_request_login_code",
    "account_email_verification_sent",
]
MEMBER_PAGES = ["account_email", "account_change_password", "account_logout"]


def _assert_csp_friendly(body: str) -> None:
    assert not re.search(r"\sstyle\s*=", body)
    assert not re.search(r"<script(?![^>]*\ssrc=)", body)
    assert '<main id="main"' in body


@pytest.mark.parametrize("name", VISITOR_PAGES)
def test_visitor_account_pages(client, name):
    response = client.get(reverse(name))

    assert response.status_code == 200
    _assert_csp_friendly(response.content.decode())


@pytest.mark.parametrize("name", MEMBER_PAGES)
def test_member_account_pages(member_client, name):
    member_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})
    response = member_client.get(reverse(name))

    assert response.status_code == 200
    _assert_csp_friendly(response.content.decode())


@pytest.mark.parametrize("name", ["account_email", "account_change_password"])
def test_account_settings_need_log_in(client, name):
    url = reverse(name)

    response = client.get(url)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={url}"


# The site's words and layout


def _main(body: str) -> str:
    return body[body.index('<main id="main"') : body.index("</main>")]


@pytest.mark.parametrize(
    ("name", "heading", "button"),
    [
        ("account_signup", "Sign up", "Sign up"),
        ("account_login", "Sign in", "Sign in"),
        ("account_request_login_code", "Sign in with a code", "Email me a code"),
        ("account_reset_password", "Forgot your password?", "Email me a link"),
    ],
)
def test_entrance_pages_speak_in_sentence_case_in_a_card(client, name, heading, button):
    body = unescape(client.get(reverse(name)).content.decode())

    main = _main(body)
    assert 'class="wrap site-main entrance"' in main
    assert f"<h1>{heading}</h1>" in main
    assert re.search(
        rf'<button type="submit" class="button[^"]*">{re.escape(button)}</button>', main
    )
    assert 'href="/static/css/account.css"' in body or "account.css" in body


@pytest.mark.parametrize("name", ["account_signup", "account_login", "account_reset_password"])
def test_entrance_labels_have_no_colons_and_no_title_case(client, name):
    main = _main(unescape(client.get(reverse(name)).content.decode()))

    labels = re.findall(r"<label[^>]*>([^<]+)</label>", main)
    assert labels
    for label in labels:
        assert not label.strip().endswith(":"), label
        assert not re.search(r"\s[A-Z][a-z]", label), label  # "Remember Me", "Sign Up"


def test_signup_says_the_password_rules_in_one_sentence(client):
    main = _main(unescape(client.get(reverse("account_signup")).content.decode()))

    assert (
        '<div class="helptext" id="id_password1_helptext">Use at least 8 characters, '
        "not only numbers, not a common password, and nothing like your name or email "
        "address.</div>"
    ) in main
    assert 'aria-describedby="id_password1_helptext"' in main
    assert "<ul>" not in main.split('id="id_password1_helptext"')[1].split("</div>")[0]


def test_signup_errors_use_the_sites_error_summary_and_field_errors(client):
    response = client.post(
        reverse("account_signup"),
        {"email": "not-an-address", "display_name": "", "password1": "a", "password2": "b"},
    )

    main = _main(unescape(response.content.decode()))
    assert '<div class="error-summary" tabindex="-1" data-error-summary>' in main
    assert '<a href="#id_email">' in main
    assert '<div class="field field--error">' in main
    assert '<ul class="errorlist" id="id_email_error">' in main
    assert 'aria-invalid="true"' in main


def test_wrong_password_is_said_in_the_error_summary(client, member):
    response = client.post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )

    main = _main(unescape(response.content.decode()))
    assert "There is a problem" in main
    assert "The email address and/or password you specified are not correct." in main


def test_check_your_email_page_offers_to_resend(client):
    main = _main(unescape(client.get(reverse("account_email_verification_sent")).content.decode()))

    assert "<h1>Check your email</h1>" in main
    assert f'action="{reverse("members:verification-resend")}"' in main
    assert "Resend the email</button>" in main


def test_password_change_page_is_part_of_account_settings(member_client):
    member_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    main = _main(unescape(member_client.get(reverse("account_change_password")).content.decode()))

    assert f'<a href="{reverse("members:account")}">Account settings</a>' in main
    assert "<h1>Change your password</h1>" in main
    assert "Use at least 8 characters" in main


def test_email_page_says_the_address_and_offers_to_change_it(member_client, member):
    member_client.post(reverse("account_reauthenticate"), {"password": PASSWORD})

    main = _main(unescape(member_client.get(reverse("account_email")).content.decode()))

    assert f"You sign in with <strong>{member.email}</strong>" in main
    assert '<label for="id_email">New email address</label>' in main
    assert "Change my address</button>" in main
