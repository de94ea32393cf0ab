from datetime import timedelta
from xml.etree import ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import SessionStatus
from sessions_app.views.atom import ITEMS
from tests.factories import make_session, make_venue

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def _entries(response) -> list[ElementTree.Element]:
    # Our own server's output in a test, not untrusted XML.
    return ElementTree.fromstring(response.content).findall(f"{ATOM}entry")  # noqa: S314


def test_atom_feed_lists_upcoming_published_sessions_soonest_first(client):
    later = make_session(topic="Later", starts_at=timezone.now() + timedelta(days=20))
    sooner = make_session(topic="Sooner", starts_at=timezone.now() + timedelta(days=5))
    make_session(topic="Past", starts_at=timezone.now() - timedelta(days=5))
    make_session(topic="Draft", status=SessionStatus.DRAFT)
    make_session(topic="Called off", status=SessionStatus.CANCELLED)

    response = client.get(reverse("sessions:feed-atom"))

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    titles = [entry.findtext(f"{ATOM}title") for entry in _entries(response)]
    assert [title.split(" (")[0] for title in titles] == ["Sooner", "Later"]
    ids = [entry.findtext(f"{ATOM}id") for entry in _entries(response)]
    assert ids == [f"urn:uuid:{sooner.uid}", f"urn:uuid:{later.uid}"]


def test_atom_entry_links_to_the_session_page_and_never_to_the_meeting(client):
    session = make_session(
        title="Tenant organizing",
        topic="Repairs that never happen",
        meeting_url="https://meet.example.org/private-room",
        venue=make_venue(name="Midtown office"),
    )

    response = client.get(reverse("sessions:feed-atom"))

    (entry,) = _entries(response)
    link = entry.find(f"{ATOM}link").get("href")
    assert link.endswith(session.get_absolute_url())
    assert entry.findtext(f"{ATOM}title").startswith("Repairs that never happen (")
    summary = entry.findtext(f"{ATOM}summary")
    assert summary.startswith("Tenant organizing. What brings people back")
    assert "Where: Midtown office" in summary
    assert b"private-room" not in response.content
    assert b"passcode" not in response.content


def test_atom_feed_has_a_bounded_length_and_query_count(client, django_assert_max_num_queries):
    start = timezone.now() + timedelta(days=1)
    venue = make_venue()
    for day in range(ITEMS + 10):
        make_session(starts_at=start + timedelta(days=day), venue=venue)

    with django_assert_max_num_queries(2):
        response = client.get(reverse("sessions:feed-atom"))

    assert len(_entries(response)) == ITEMS


def test_atom_feed_is_announced_on_every_page(client):
    response = client.get(reverse("home"))

    html = response.content.decode()
    assert 'type="application/atom+xml"' in html
    assert f'href="{reverse("sessions:feed-atom")}"' in html
