"""A new member's welcome page (/me/welcome/) and the account settings page (/me/account/)."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Profile
from tests.factories import make_session

pytestmark = pytest.mark.django_db

WELCOME = "/me/welcome/"
ACCOUNT = "/me/account/"


def test_welcome_and_account_urls():
    assert reverse("members:welcome") == WELCOME
    assert reverse("members:account") == ACCOUNT


@pytest.mark.parametrize("url", [WELCOME, ACCOUNT])
def test_visitors_are_sent_to_sign_in(client, url):
    response = client.get(url)

    assert response["Location"] == f"{reverse('account_login')}?next={url}"


def test_welcome_offers_the_directory_and_the_profile(member_client):
    body = unescape(member_client.get(WELCOME).content.decode())

    assert "<h1>Welcome to the CoP, Dana Member</h1>" in body
    assert '<label for="id_listed">List me in the member directory</label>' in body
    assert " checked" not in re.search(r'<input type="checkbox" name="listed"[^>]*>', body).group(0)
    assert '<button type="submit" name="then" value="profile"' in body
    assert '<button type="submit" name="then" value="home"' in body
    assert not Profile.objects.exists()  # looking changes nothing


def test_welcome_shows_the_next_session_by_its_headline(member_client):
    now = timezone.now()
    make_session(topic="Later topic", starts_at=now + timedelta(days=30))
    soon = make_session(topic="Sooner topic", starts_at=now + timedelta(days=2))

    body = unescape(member_client.get(WELCOME).content.decode())

    assert (
        f'<a class="session-summary__title" href="{soon.get_absolute_url()}">Sooner topic</a>'
    ) in body
    assert "Later topic" not in body


def test_opting_in_lists_the_member_and_opens_the_profile_form(member_client, member):
    response = member_client.post(WELCOME, {"listed": "on", "then": "profile"})

    assert response["Location"] == reverse("members:profile-edit")
    assert Profile.objects.get(user=member).listed is True
    directory = unescape(member_client.get(reverse("members:directory")).content.decode())
    assert "Dana Member" in directory


def test_saving_without_the_box_leaves_the_member_unlisted_and_goes_home(member_client, member):
    response = member_client.post(WELCOME, {"then": "home"})

    assert response["Location"] == reverse("members:dashboard")
    assert Profile.objects.get(user=member).listed is False


def test_welcome_can_unlist_a_listed_member(member_client, member):
    Profile.objects.create(user=member, listed=True)
    box = re.search(
        r'<input type="checkbox" name="listed"[^>]*>', member_client.get(WELCOME).content.decode()
    )
    assert " checked" in box.group(0)

    member_client.post(WELCOME, {})

    assert Profile.objects.get(user=member).listed is False


def test_account_settings_links_every_account_page_once(member_client, member):
    body = unescape(member_client.get(ACCOUNT).content.decode())

    main = body[body.index('<main id="main"') : body.index("</main>")]
    hrefs = re.findall(r'<a (?:class="[^"]+" )?href="([^"]+)"', main)
    assert hrefs == [
        reverse("members:dashboard"),
        reverse("account_email"),
        reverse("account_change_password"),
        reverse("members:preferences"),
        reverse("sessions:my-calendar"),
        reverse("members:profile-edit"),
        reverse("members:export"),
        reverse("members:delete"),
    ]
    assert member.email in main


def test_header_account_menu_is_short(member_client):
    body = unescape(member_client.get(ACCOUNT).content.decode())

    menu = body[body.index('<details class="menu menu--end">') :]
    menu = menu[: menu.index("</details>")]
    items = re.findall(r"<a href=\"[^\"]+\">([^<]+)</a>|<button[^>]*>([^<]+)</button>", menu)
    assert [link or button for link, button in items] == [
        "My page",
        "My sessions",
        "Profile",
        "Account settings",
        "Sign out",
    ]


@pytest.mark.parametrize("sessions", [1, 40])
@pytest.mark.parametrize("url", [WELCOME, ACCOUNT])
def test_welcome_and_account_query_counts_do_not_grow(
    member_client, django_assert_max_num_queries, url, sessions
):
    for n in range(sessions):
        make_session(starts_at=timezone.now() + timedelta(days=n + 1), slug=f"later-{n}")

    with django_assert_max_num_queries(6):
        response = member_client.get(url)

    assert response.status_code == 200
