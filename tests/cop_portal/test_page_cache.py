"""Public pages kept for visitors: served without queries, fresh after every change,
each visitor's forms with their own CSRF token, and never a member's page to a visitor."""

import io
import re
import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.middleware import SessionMiddleware
from django.core.cache import caches
from django.core.management import call_command
from django.db import connection
from django.http import HttpResponse
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cop_portal.lib import page_cache
from cop_portal.lib.content_version import content_version
from cop_portal.lib.page_cache import csrf_placeholder, shared_with_visitors
from sessions_app.models import Rsvp, Session
from tests.factories import PASSWORD, make_post, make_series, make_session

pytestmark = pytest.mark.django_db

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')


def _guest(email: str = "gia@example.org") -> dict[str, str]:
    return {"name": "Gia Guest", "email": email, "organization": "", "how": "in-person"}


def _csrf_client() -> Client:
    return Client(enforce_csrf_checks=True)


def _without_tokens(body: bytes) -> bytes:
    return re.sub(rb'name="csrfmiddlewaretoken" value="[^"]+"', b"", body)


def test_visitor_gets_a_kept_page_without_queries(client, django_assert_num_queries):
    make_session(title="Tenant rights clinic")
    first = client.get("/sessions/")

    with django_assert_num_queries(0):
        again = client.get("/sessions/")

    assert again.status_code == 200
    # The same page but for each visitor's own CSRF token (the language buttons).
    assert _without_tokens(again.content) == _without_tokens(first.content)
    assert "Tenant rights clinic" in again.content.decode()
    assert again["Vary"] == first["Vary"]
    assert "Cookie" in again["Vary"]


def test_every_shared_page_is_kept_for_visitors(client, django_assert_num_queries):
    session = make_session()
    post = make_post(title="Sign-in sheets that work")
    pages = [
        "/",
        "/about/",
        "/accessibility/",
        "/sessions/",
        "/sessions/past/",
        "/sessions/calendar/",
        session.get_absolute_url(),
        reverse("sessions:session-ics", args=[session.slug]),
        reverse("sessions:feed-atom"),
        "/library/",
        post.pattern.get_absolute_url(),
        "/library/tags/",
        "/library/search/?q=sheets",
    ]
    for url in pages:
        assert client.get(url).status_code == 200, url

    for url in pages:
        with django_assert_num_queries(0):
            assert client.get(url).status_code == 200, url


def test_query_strings_are_kept_apart(client):
    make_session(title="An evening one", time_of_day="evening")
    make_session(title="A daytime one", time_of_day="daytime")

    evening = client.get("/sessions/?time_of_day=evening").content.decode()
    daytime = client.get("/sessions/?time_of_day=daytime").content.decode()

    assert "An evening one" in evening
    assert "A daytime one" not in evening
    assert "A daytime one" in daytime
    assert "An evening one" not in daytime


def test_organizer_change_shows_to_visitors_at_once(client, organizer_client):
    session = make_session(title="Block club basics")
    assert "Block club basics" in client.get(session.get_absolute_url()).content.decode()

    organizer_client.post(
        reverse("sessions:session-cancel", args=[session.slug]),
        {"reason": "Snow emergency; see you next month."},
    )

    page = client.get(session.get_absolute_url()).content.decode()
    assert "Snow emergency; see you next month." in page


def test_a_saved_row_makes_kept_pages_stale(client):
    session = make_session(title="Before the edit")
    client.get("/sessions/")

    session.title = "After the edit"
    session.save()

    page = client.get("/sessions/").content.decode()
    assert "After the edit" in page
    assert "Before the edit" not in page


def test_a_write_without_signals_shows_with_the_next_content_change(client, organizer_client):
    """A bulk update sends no signal (services that write in bulk say so themselves);
    the next change to content makes the page fresh, with both changes."""
    session = make_session(title="Old title")
    url = session.get_absolute_url()
    client.get(url)
    Session.objects.filter(pk=session.pk).update(title="New title")
    assert "Old title" in client.get(url).content.decode()  # still kept

    organizer_client.post(
        reverse("sessions:session-cancel", args=[session.slug]), {"reason": "Snow emergency."}
    )

    page = client.get(url).content.decode()
    assert "New title" in page
    assert "Snow emergency." in page


def test_publishing_a_series_from_cron_shows_its_sessions(client):
    series = make_series(title="Second Tuesdays")
    client.get("/sessions/")
    before = content_version()

    call_command("generate_sessions", stdout=io.StringIO())

    assert content_version() != before
    assert Session.objects.filter(series=series).exists()
    assert "Second Tuesdays" in client.get("/sessions/").content.decode()


def test_each_visitor_gets_their_own_working_csrf_token(django_assert_num_queries):
    session = make_session(capacity=10)
    url = session.get_absolute_url()
    first, second = _csrf_client(), _csrf_client()
    first_page = first.get(url).content.decode()
    with django_assert_num_queries(0):
        second_page = second.get(url).content.decode()

    assert csrf_placeholder() not in first_page + second_page
    assert first.cookies[settings.CSRF_COOKIE_NAME].value
    assert second.cookies[settings.CSRF_COOKIE_NAME].value
    first_token = TOKEN.search(first_page).group(1)
    second_token = TOKEN.search(second_page).group(1)
    assert first_token != second_token

    rsvp_url = reverse("sessions:rsvp-create", args=[session.slug])
    swapped = first.post(rsvp_url, {**_guest(), "csrfmiddlewaretoken": second_token})
    own = second.post(rsvp_url, {**_guest("sam@example.org"), "csrfmiddlewaretoken": second_token})

    assert swapped.status_code == 403
    assert own.status_code == 302
    assert list(Rsvp.objects.values_list("email", flat=True)) == ["sam@example.org"]


def test_kept_page_forms_get_the_visitors_own_token(client):
    # Every page has a form (the language buttons): a kept copy gets each visitor's token.
    client.get("/about/")
    response = client.get("/about/")

    assert response.cookies[settings.CSRF_COOKIE_NAME].value
    assert csrf_placeholder() not in response.content.decode()
    assert re.findall(r'name="csrfmiddlewaretoken" value="([^"]+)"', response.content.decode())


def test_members_never_get_a_visitors_page(client, member_client, member):
    session = make_session()
    url = session.get_absolute_url()
    visitor_page = client.get(url).content.decode()

    member_page = member_client.get(url).content.decode()

    assert 'name="email"' in visitor_page  # a guest gives their email
    assert 'name="email"' not in member_page
    assert member.display_name in member_page


def test_visitors_do_not_get_a_members_page(client, member_client, member):
    session = make_session()
    member_client.get(session.get_absolute_url())

    visitor_page = client.get(session.get_absolute_url()).content.decode()

    assert member.display_name not in visitor_page


def test_a_waiting_message_is_shown_not_a_kept_page(client):
    session = make_session()
    client.get(session.get_absolute_url())

    response = client.post(
        reverse("sessions:rsvp-create", args=[session.slug]), _guest(), follow=True
    )

    shown = [message.message for message in response.context["messages"]]
    assert len(shown) == 1
    assert shown[0] in response.content.decode()


def test_error_pages_are_not_kept(client):
    client.get("/sessions/no-such-session/")
    make_session(slug="no-such-session", title="Now it exists")

    response = client.get("/sessions/no-such-session/")

    assert response.status_code == 200
    assert "Now it exists" in response.content.decode()


def test_time_alone_expires_kept_pages(client, monkeypatch):
    """What counts as upcoming moves with the clock, which changes no row."""
    soon = make_session(title="Starting soon", starts_at=timezone.now() + timedelta(minutes=5))
    assert "Starting soon" in client.get("/sessions/").content.decode()
    Session.objects.filter(pk=soon.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    assert "Starting soon" in client.get("/sessions/").content.decode()  # kept a while

    later = time.time() + settings.PAGE_CACHE_SECONDS + 1
    monkeypatch.setattr(time, "time", lambda: later)

    assert "Starting soon" not in client.get("/sessions/").content.decode()


def test_page_cache_can_be_turned_off(client, settings, django_assert_max_num_queries):
    settings.PAGE_CACHE_SECONDS = 0
    make_session()
    client.get("/sessions/")

    with django_assert_max_num_queries(12) as queries:
        client.get("/sessions/")

    assert len(queries) > 0


def test_head_is_answered_from_the_kept_page(client, django_assert_num_queries):
    client.get("/about/")

    with django_assert_num_queries(0):
        response = client.head("/about/")

    assert response.status_code == 200


def test_logging_in_from_a_kept_login_page_works(member, django_assert_num_queries):
    _csrf_client().get("/accounts/login/")
    visitor = _csrf_client()
    with django_assert_num_queries(0):
        page = visitor.get("/accounts/login/").content.decode()

    response = visitor.post(
        "/accounts/login/",
        {
            "login": member.email,
            "password": PASSWORD,
            "csrfmiddlewaretoken": TOKEN.search(page).group(1),
        },
    )

    assert response.status_code == 302
    assert visitor.get(reverse("members:dashboard")).status_code == 200


def test_a_page_that_writes_to_the_session_is_not_kept(rf):
    calls = []

    @shared_with_visitors
    def remembers(request):
        calls.append(request)
        request.session["seen"] = True
        return HttpResponse("remembered")

    for _ in range(2):
        request = rf.get("/remembers/")
        SessionMiddleware(lambda request: HttpResponse()).process_request(request)
        assert remembers(request).content == b"remembered"

    assert len(calls) == 2


# What is kept is bounded by what the site has


def _queries(client, url: str) -> int:
    """How many queries answering a GET of `url` took (0: it was a kept page)."""
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("query", ["?utm_source=newsletter", "?x=1", "?page=2&fbclid=abc"])
def test_pages_with_unknown_query_parameters_are_not_kept(client, query):
    make_session(title="Tenant rights clinic")
    client.get(f"/sessions/{query}")

    assert _queries(client, f"/sessions/{query}") > 0
    assert "Tenant rights clinic" in client.get(f"/sessions/{query}").content.decode()


def test_query_parameters_the_page_reads_are_kept_in_any_order(client):
    make_session(title="An evening one", time_of_day="evening")
    client.get("/sessions/?time_of_day=evening&page=1")

    assert _queries(client, "/sessions/?page=1&time_of_day=evening") == 0
    assert _queries(client, "/sessions/?page=%31&time_of_day=evening") == 0


def test_pages_with_a_query_string_are_kept_only_so_many_at_a_time(client, monkeypatch):
    monkeypatch.setattr(page_cache, "QUERY_PAGES_PER_WINDOW", 2)
    make_session()
    for page in (1, 2, 3):
        client.get(f"/sessions/?page={page}")

    assert _queries(client, "/sessions/?page=1") == 0
    assert _queries(client, "/sessions/?page=2") == 0
    assert _queries(client, "/sessions/?page=3") > 0
    client.get("/sessions/")
    assert _queries(client, "/sessions/") == 0  # the page without a query has its room


def test_made_up_query_strings_cant_push_kept_pages_out(client, monkeypatch):
    """However many addresses an attacker makes up, the site's own pages stay kept: the
    cache (500 entries, 100 pages with a query string a minute in production; 20 and 4
    here) never fills with made-up ones."""
    monkeypatch.setattr(caches["pages"], "_max_entries", 20)
    monkeypatch.setattr(page_cache, "QUERY_PAGES_PER_WINDOW", 4)
    make_session()
    client.get("/sessions/")
    client.get("/about/")

    attacker = Client()
    for n in range(40):
        attacker.get(f"/sessions/?x={n}")
        attacker.get(f"/sessions/?page={n}")
        attacker.get(f"/about/?utm={n}")

    assert _queries(client, "/sessions/") == 0
    assert _queries(client, "/about/") == 0
