"""Every page meant for one person tells caches not to keep it: each URL of the project,
opened as a member and as an organizer, and each address with a secret in it, opened by
anyone (cop_portal.lib.private_pages). A new page can't forget it: these tests open
every URL there is (tests/fuzzing.url_routes) with real rows."""

import re

import pytest
from django.http import HttpResponse
from django.test import Client
from django.urls import reverse

from tests.cop_portal.test_fuzz_paths import URL_KWARGS
from tests.factories import make_session
from tests.fuzzing import World, log_in, rolled_back, url_routes

pytestmark = pytest.mark.django_db

# Routes with a secret in the address: <slug:token>, <slug:key>, allauth's (?P<key>...).
SECRET = re.compile(r"<(?:\w+:)?(?:token|key)>|\(\?P<(?:token|key)>")
SECRET_ROUTES = sorted(name for name, route in url_routes().items() if SECRET.search(route))


def _directives(response: HttpResponse) -> set[str]:
    header = response.get("Cache-Control", "")
    return {part.split("=", 1)[0].strip().lower() for part in header.split(",") if part.strip()}


def _kept_by_nobody(response: HttpResponse) -> bool:
    """private, and either no-store or (a personal feed) validators for 304s."""
    directives = _directives(response)
    validators = response.has_header("ETag") or response.has_header("Last-Modified")
    return "private" in directives and ("no-store" in directives or validators)


def _open_every_url(persona: str, world: World) -> dict[str, HttpResponse]:
    answers = {}
    for name in sorted(url_routes()):
        url = reverse(name, kwargs=URL_KWARGS[name](world))
        with rolled_back():
            answers[name] = log_in(Client(), persona, world).get(url)
    return answers


@pytest.mark.parametrize("persona", ["member", "organizer"])
def test_every_page_for_a_signed_in_person_is_kept_by_no_cache(
    persona, member, other_member, organizer
):
    world = World(member=member, other_member=other_member, organizer=organizer)

    answers = _open_every_url(persona, world)

    cacheable = {
        name: (response.status_code, response.get("Cache-Control"))
        for name, response in answers.items()
        if not _kept_by_nobody(response)
    }
    assert cacheable == {}
    opened = {name for name, response in answers.items() if response.status_code == 200}
    # The check means something only if the pages really opened.
    assert {
        "home",
        "sessions:session-list",
        "sessions:session-detail",
        "sessions:feed-ics",
        "sessions:my-rsvps",
        "sessions:my-calendar",
        "sessions:personal-feed",
        "library:post-detail",
        "members:dashboard",
        "members:directory",
    } <= opened
    assert len(opened) > 40


def test_organizers_pages_open_for_the_organizer(member, other_member, organizer):
    world = World(member=member, other_member=other_member, organizer=organizer)

    answers = _open_every_url("organizer", world)

    assert {
        name
        for name in ("sessions:organize-sessions", "sessions:session-attendees", "library:reports")
        if answers[name].status_code == 200 and _kept_by_nobody(answers[name])
    } == {"sessions:organize-sessions", "sessions:session-attendees", "library:reports"}


def test_addresses_with_a_secret_are_kept_by_no_cache_whoever_opens_them(
    member, other_member, organizer
):
    world = World(member=member, other_member=other_member, organizer=organizer)
    answers = {}
    for name in SECRET_ROUTES:
        url = reverse(name, kwargs=URL_KWARGS[name](world))  # rows made outside the rollback
        with rolled_back():
            answers[name] = Client().get(url)

    assert {
        "sessions:rsvp-manage",
        "sessions:guest-calendar",
        "sessions:personal-feed",
        "unsubscribe",
        "account_confirm_email",
        "account_reset_password_from_key",
    } <= set(SECRET_ROUTES)
    assert {name for name, response in answers.items() if not _kept_by_nobody(response)} == set()
    for name in ("sessions:rsvp-manage", "sessions:guest-calendar", "sessions:personal-feed"):
        assert answers[name].status_code == 200, name
    assert "no-store" in _directives(answers["sessions:rsvp-manage"])


def test_personal_feeds_stay_private_with_validators_for_calendar_apps(
    member, other_member, organizer
):
    world = World(member=member, other_member=other_member, organizer=organizer)
    url = reverse("sessions:personal-feed", kwargs={"key": world.feed_key})
    calendar_app = Client()

    first = calendar_app.get(url)
    again = calendar_app.get(url, headers={"If-None-Match": first["ETag"]})

    assert first["Cache-Control"] == "private, max-age=900"
    assert first.has_header("Last-Modified")
    assert again.status_code == 304


def test_public_pages_for_visitors_keep_their_headers(client, member_client):
    session = make_session()
    feed = reverse("sessions:feed-ics")

    page = client.get(session.get_absolute_url())
    visitor_feed = client.get(feed)
    member_feed = member_client.get(feed)

    assert "private" not in _directives(page)
    assert visitor_feed["Cache-Control"] == "public, max-age=900"
    assert _directives(member_feed) >= {"private", "no-store"}
    assert "public" not in _directives(member_feed)


def test_a_members_page_is_never_kept_for_visitors(client, member_client, member):
    session = make_session()

    member_page = member_client.get(session.get_absolute_url())
    visitor_page = client.get(session.get_absolute_url())

    assert _directives(member_page) >= {"private", "no-store"}
    assert member.display_name not in visitor_page.content.decode()
    assert "private" not in _directives(visitor_page)
