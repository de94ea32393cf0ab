"""Behind the portal's own proxies, rate limits count per client, not per proxy: one
attacker can't use up everyone's allowance, nor escape their own by writing a
X-Forwarded-For entry of their choosing (cop_portal.lib.client_ip). allauth and
django-ratelimit read the client's address the same way."""

import pytest
from allauth.account.adapter import get_adapter
from django.test import Client
from django.urls import reverse

from cop_portal.lib.client_ip import client_ip
from sessions_app.models import Rsvp
from tests.factories import make_session

PROXY = "10.0.0.1"


@pytest.fixture
def one_proxy(settings):
    """What TRUSTED_PROXY_COUNT=1 sets (tests/cop_portal/test_settings.py checks that)."""
    settings.TRUSTED_PROXY_COUNT = 1
    settings.TRUSTED_CLIENT_IP_HEADER = ""
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = None


@pytest.fixture
def real_ip_header(settings):
    """What TRUSTED_CLIENT_IP_HEADER=X-Real-IP sets."""
    settings.TRUSTED_PROXY_COUNT = 0
    settings.TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    settings.ALLAUTH_TRUSTED_CLIENT_IP_HEADER = "X-Real-IP"


def _behind_proxy(forwarded_for: str) -> Client:
    """A client whose requests come through our proxy, which appended the address it
    was reached from to whatever X-Forwarded-For the client sent."""
    return Client(REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)


def _request(rf, **meta):
    return rf.get("/", REMOTE_ADDR=PROXY, **meta)


# Reading the address


def test_without_proxies_the_address_is_the_peers_whatever_headers_say(rf):
    request = _request(rf, HTTP_X_FORWARDED_FOR="203.0.113.7", HTTP_X_REAL_IP="203.0.113.8")

    assert client_ip(request) == PROXY
    assert get_adapter().get_client_ip(request) == PROXY


@pytest.mark.parametrize(
    ("forwarded_for", "client"),
    [
        ("203.0.113.7", "203.0.113.7"),
        ("198.51.100.1, 203.0.113.7", "203.0.113.7"),  # the left one is the client's own
        ("spoofed, also-spoofed,203.0.113.7", "203.0.113.7"),
        ("2001:db8::1", "2001:db8::1"),
    ],
)
def test_one_proxy_the_right_most_forwarded_entry_is_the_client(
    rf, one_proxy, forwarded_for, client
):
    request = _request(rf, HTTP_X_FORWARDED_FOR=forwarded_for)

    assert client_ip(request) == client
    assert get_adapter().get_client_ip(request) == client


def test_two_proxies_count_from_the_right(rf, settings):
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    request = _request(rf, HTTP_X_FORWARDED_FOR="198.51.100.1, 203.0.113.7, 10.0.0.2")

    assert client_ip(request) == "203.0.113.7"
    assert get_adapter().get_client_ip(request) == "203.0.113.7"


@pytest.mark.parametrize("forwarded_for", ["", "not-an-address", "999.1.1.1"])
def test_a_missing_or_unreadable_entry_falls_back_to_the_peer(rf, one_proxy, forwarded_for):
    assert client_ip(_request(rf, HTTP_X_FORWARDED_FOR=forwarded_for)) == PROXY


def test_a_header_set_by_the_proxy_names_the_client(rf, real_ip_header):
    request = _request(rf, HTTP_X_REAL_IP="203.0.113.9", HTTP_X_FORWARDED_FOR="198.51.100.1")

    assert client_ip(request) == "203.0.113.9"
    assert get_adapter().get_client_ip(request) == "203.0.113.9"
    assert client_ip(_request(rf)) == PROXY


# Rate limits behind the proxy


def _rsvp(client: Client, session, n: int):
    data = {"name": "Gia", "email": f"g{n}@example.org", "organization": "", "how": "in-person"}
    return client.post(reverse("sessions:rsvp-create", args=[session.slug]), data)


@pytest.mark.django_db
def test_two_clients_behind_the_proxy_are_limited_apart(one_proxy, settings):
    settings.RSVP_GUEST_RATE_PER_IP = "2/h"
    session = make_session()
    first, second = _behind_proxy("203.0.113.1"), _behind_proxy("203.0.113.2")

    firsts = [_rsvp(first, session, n).status_code for n in range(3)]
    seconds = [_rsvp(second, session, n + 10).status_code for n in range(2)]

    assert firsts == [302, 302, 429]
    assert seconds == [302, 302]
    assert Rsvp.objects.count() == 4


@pytest.mark.django_db
def test_a_spoofed_forwarded_entry_doesnt_escape_the_limit(one_proxy, settings):
    settings.RSVP_GUEST_RATE_PER_IP = "2/h"
    session = make_session()

    statuses = [
        _rsvp(_behind_proxy(f"198.51.100.{n}, 203.0.113.66"), session, n).status_code
        for n in range(4)
    ]

    assert statuses == [302, 302, 429, 429]
    assert Rsvp.objects.count() == 2


@pytest.mark.django_db
def test_allauth_limits_log_ins_per_client_behind_the_proxy(one_proxy, settings):
    settings.ACCOUNT_RATE_LIMITS = {**settings.ACCOUNT_RATE_LIMITS, "login": "2/m/ip"}

    def log_in(forwarded_for: str, n: int) -> int:
        data = {"login": f"nobody{n}@example.org", "password": "wrong"}
        return _behind_proxy(forwarded_for).post(reverse("account_login"), data).status_code

    attacker = [log_in(f"198.51.100.{n}, 203.0.113.66", n) for n in range(4)]
    someone_else = log_in("203.0.113.5", 99)

    assert attacker == [200, 200, 429, 429]
    assert someone_else == 200


@pytest.mark.django_db
def test_a_request_that_skipped_an_outer_proxy_is_no_server_error(settings):
    """allauth alone answers an X-Forwarded-For shorter than the proxy count with a 500."""
    settings.TRUSTED_PROXY_COUNT = settings.ALLAUTH_TRUSTED_PROXY_COUNT = 2
    data = {"login": "nobody@example.org", "password": "wrong"}

    response = _behind_proxy("203.0.113.7").post(reverse("account_login"), data)

    assert response.status_code == 200
    assert "The email address and/or password you specified are not correct." in (
        response.content.decode()
    )
