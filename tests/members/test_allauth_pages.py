"""allauth's pages in use render in the site's layout, with nothing the CSP would block."""

import re

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
