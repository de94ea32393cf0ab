"""Unsubscribe links: keyed tokens (and the older signed ones), the page, the mail
client's one-click POST."""

import base64
import time
import zlib

import pytest
from django.core import signing
from django.test import Client
from django.urls import reverse

from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import DEFAULTS, EmailPreference, Preference
from sessions_app.notifications import RSVP_KINDS, build_email
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.factories import make_session, make_user

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]

ADDRESS = "dana@example.org"


def url_for(address: str = ADDRESS, kind: str = "reminders") -> str:
    return reverse("unsubscribe", kwargs={"token": email_prefs.unsubscribe_token(address, kind)})


def preference(address: str = ADDRESS) -> dict[str, bool]:
    return email_prefs.preferences_for(address)


UNCHANGED = {kind.value: DEFAULTS[kind] for kind in Preference}


def signed_token(address: str = ADDRESS, kind: str = "reminders") -> str:
    """The form of link in emails sent before the keys: a signed (address, kind)."""
    return signing.Signer(salt=email_prefs.SALT).sign_object([address, kind], compress=True)


def csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def post_form(client: Client, url: str, action: str):
    """Post the page's own form, with the CSRF token from the page."""
    page = client.get(url)
    token = page.context["csrf_token"]
    return client.post(url, {"csrfmiddlewaretoken": str(token), "action": action})


# Tokens


@pytest.mark.parametrize("kind", list(Preference))
def test_unsubscribe_token_round_trips(kind):
    token = email_prefs.unsubscribe_token("Dana@Example.org", kind)

    assert email_prefs.read_unsubscribe_token(token) == ("dana@example.org", kind)


def test_unsubscribe_token_does_not_expire(monkeypatch):
    token = email_prefs.unsubscribe_token(ADDRESS, "replies")
    ten_years = 10 * 365 * 24 * 3600
    now = time.time()
    monkeypatch.setattr(time, "time", lambda: now + ten_years)

    assert email_prefs.read_unsubscribe_token(token) == (ADDRESS, Preference.REPLIES)


@pytest.mark.parametrize("kind", ["", "everything", "REMINDERS"])
def test_unsubscribe_token_for_an_unknown_kind_is_refused(kind):
    with pytest.raises(ValueError, match="is not a valid Preference"):
        email_prefs.unsubscribe_token(ADDRESS, kind)


def test_unsubscribe_token_keeps_the_address_out_of_the_url():
    token = email_prefs.unsubscribe_token("Dana@Example.org", "reminders")

    assert token == f"{EmailPreference.objects.get(email=ADDRESS).key}.reminders"
    assert ADDRESS not in token
    assert "dana" not in token.lower()
    assert base64.urlsafe_b64encode(ADDRESS.encode()).decode()[:8] not in token
    assert base64.urlsafe_b64encode(zlib.compress(ADDRESS.encode())).decode()[:8] not in token


def test_unsubscribe_token_is_the_same_for_every_email_to_an_address():
    first = email_prefs.unsubscribe_token(ADDRESS, "replies")
    second = email_prefs.unsubscribe_token("DANA@example.org", "replies")

    assert first == second
    assert EmailPreference.objects.count() == 1


def test_unsubscribe_keys_for_a_batch_take_two_queries(django_assert_num_queries):
    addresses = [f"person{i}@example.org" for i in range(20)]
    email_prefs.set_preference(addresses[0], "reminders", False)

    with django_assert_num_queries(2), email_prefs.unsubscribe_keys_for(addresses):
        tokens = [email_prefs.unsubscribe_token(address, "reminders") for address in addresses]

    assert len(set(tokens)) == 20
    assert [email_prefs.read_unsubscribe_token(token)[0] for token in tokens] == addresses
    assert preference(addresses[0])["reminders"] is False


def test_older_signed_links_still_work(client):
    response = client.post(
        f"/unsubscribe/{signed_token(kind='replies')}/", {"List-Unsubscribe": "One-Click"}
    )

    assert response.status_code == 200
    assert preference()["replies"] is False


def test_link_follows_the_address_to_its_new_one():
    token = email_prefs.unsubscribe_token(ADDRESS, "reminders")

    email_prefs.email_preferences_move(old=ADDRESS, new="dana.new@example.org")

    assert email_prefs.read_unsubscribe_token(token) == ("dana.new@example.org", "reminders")


def test_unsubscribe_url_and_headers_are_absolute_and_one_click():
    token = email_prefs.unsubscribe_token(ADDRESS, "announcements")
    url = f"https://cop.example.org/unsubscribe/{token}/"

    headers = email_prefs.unsubscribe_headers(ADDRESS, "announcements")

    assert email_prefs.unsubscribe_url(ADDRESS, "announcements") == url
    assert headers == {
        "List-Unsubscribe": f"<{url}>",
        "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
    }


# Preferences storage


def test_wants_email_without_a_row_uses_the_defaults(django_assert_num_queries):
    with django_assert_num_queries(1):
        wants = email_prefs.wants_email(ADDRESS, "announcements")

    assert wants is False
    assert email_prefs.wants_email(ADDRESS, "reminders") is True
    assert email_prefs.wants_email(ADDRESS, "replies") is True


def test_set_preference_is_keyed_by_the_lowercased_address():
    email_prefs.set_preference("Dana@Example.ORG", "reminders", False)
    email_prefs.set_preference(ADDRESS, "announcements", True)

    row = EmailPreference.objects.get()
    assert (row.email, row.announcements, row.reminders, row.replies) == (
        ADDRESS,
        True,
        False,
        True,
    )
    assert email_prefs.wants_email("DANA@example.org", "reminders") is False


# The page


def test_unsubscribe_get_shows_the_masked_address_and_changes_nothing(client):
    response = client.get(url_for(kind="reminders"))

    html = response.content.decode()
    assert response.status_code == 200
    assert "Reminders the day before a session" in html
    assert "d•••@example.org" in html
    assert ADDRESS not in html
    assert 'name="action" value="unsubscribe"' in html
    assert preference() == UNCHANGED


def test_unsubscribe_post_from_the_form_unsubscribes():
    client = csrf_client()

    response = post_form(client, url_for(kind="replies"), "unsubscribe")

    html = response.content.decode()
    assert response.status_code == 200
    assert "You're unsubscribed" in html
    assert 'name="action" value="resubscribe"' in html
    assert preference()["replies"] is False
    assert preference()["reminders"] is True


def test_unsubscribe_one_click_post_without_csrf_or_cookies_unsubscribes():
    client = csrf_client()

    response = client.post(
        url_for(kind="reminders"),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )

    assert response.status_code == 200
    assert response.cookies.get("sessionid") is None
    assert preference()["reminders"] is False


def test_unsubscribe_one_click_post_as_multipart_also_works():
    client = csrf_client()

    client.post(url_for(kind="replies"), {"List-Unsubscribe": "One-Click"})

    assert preference()["replies"] is False


@pytest.mark.parametrize(
    "data",
    [
        {"action": "unsubscribe"},
        {"List-Unsubscribe": "One-Click", "action": "resubscribe"},
        {"List-Unsubscribe": "Something-Else"},
        {},
    ],
)
def test_unsubscribe_post_without_csrf_and_not_one_click_is_403(data):
    client = csrf_client()

    response = client.post(url_for(kind="reminders"), data)

    assert response.status_code == 403
    assert preference() == UNCHANGED


def test_unsubscribe_then_resubscribe():
    client = csrf_client()
    url = url_for(kind="announcements")
    email_prefs.set_preference(ADDRESS, "announcements", True)
    post_form(client, url, "unsubscribe")
    assert preference()["announcements"] is False

    response = post_form(client, url, "resubscribe")

    assert "You're subscribed again" in response.content.decode()
    assert preference()["announcements"] is True


def test_unsubscribe_get_when_already_unsubscribed_offers_to_resubscribe(client):
    email_prefs.set_preference(ADDRESS, "reminders", False)

    response = client.get(url_for(kind="reminders"))

    html = response.content.decode()
    assert "You're already unsubscribed" in html
    assert 'name="action" value="resubscribe"' in html


def test_unsubscribe_with_a_bad_action_is_400(client):
    response = client.post(url_for(), {"action": "delete-everything"})

    assert response.status_code == 400
    assert "We couldn't understand that request" in response.content.decode()
    assert preference() == UNCHANGED


def tampered(token: str) -> str:
    value, signature = token.rsplit(":", 1)
    return f"{value}:{'A' if signature[0] != 'A' else 'B'}{signature[1:]}"


@pytest.mark.parametrize(
    "token",
    [
        "garbage",
        tampered(signing.Signer(salt=email_prefs.SALT).sign_object([ADDRESS, "reminders"])),
        # Signed by us, but for another purpose or with a payload of the wrong shape.
        signing.Signer(salt="another.salt").sign_object([ADDRESS, "reminders"]),
        signing.Signer(salt=email_prefs.SALT).sign_object({"email": ADDRESS}),
        signing.Signer(salt=email_prefs.SALT).sign_object([ADDRESS]),
        # A key that no address has, a key with no kind, a kind with no key.
        f"{'k' * 43}.reminders",
        "k" * 43,
        ".reminders",
    ],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_unsubscribe_bad_token_is_a_400_page(client, token, method):
    url = f"/unsubscribe/{token}/"

    response = getattr(client, method)(url, {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 400
    assert "This unsubscribe link doesn't work" in response.content.decode()
    assert EmailPreference.objects.count() == 0


@pytest.mark.parametrize("form", ["signed", "keyed"])
def test_unsubscribe_token_for_an_unknown_kind_is_a_400_page(client, form):
    if form == "signed":
        token = signed_token(kind="newsletter")
    else:
        token = email_prefs.unsubscribe_token(ADDRESS, "replies").replace("replies", "newsletter")

    response = client.post(f"/unsubscribe/{token}/", {"List-Unsubscribe": "One-Click"})

    assert response.status_code == 400
    assert "This unsubscribe link doesn't work" in response.content.decode()
    assert preference() == UNCHANGED


# The link in every RSVP email (reply and announcement emails: see their own tests)


@pytest.mark.parametrize("kind", RSVP_KINDS)
@pytest.mark.parametrize("as_member", [True, False])
def test_every_rsvp_email_carries_the_reminders_link_and_headers(kind, as_member):
    session = make_session()
    if as_member:
        who = {"user": make_user(email="Dana@example.org")}
    else:
        who = {"guest": Guest("Dana", "Dana@example.org")}
    rsvp, _ = rsvp_create(session=session, attend_as="online", **who)

    email = build_email(kind, rsvp)

    url = email_prefs.unsubscribe_url(ADDRESS, "reminders")
    message = email.message()
    html = next(alt.content for alt in email.alternatives if alt.mimetype == "text/html")
    assert message["List-Unsubscribe"] == f"<{url}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    assert url in email.body
    assert url in html
    if kind == MailKind.SESSION_REMINDER:
        assert "Don't want reminders the day before a session?" in email.body
    else:
        assert "This email always goes, whatever your preferences." in email.body
    preferences = "https://cop.example.org/me/emails/"
    assert (preferences in email.body) is as_member
    assert (preferences in html) is as_member
