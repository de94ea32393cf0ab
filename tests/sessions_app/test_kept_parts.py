"""Kept parts of the sessions pages (cop_portal/lib/fragments.py): two members and a
visitor view the same pages around a change; each sees it at once, and nobody ever sees
another member's bits (their RSVP, their name at the top of the page)."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import Session
from sessions_app.services.sessions import session_cancel, session_update
from tests.factories import make_rsvp, make_session, make_user
from tests.sessions_app.conftest import pages_for

pytestmark = pytest.mark.django_db


def _retitle(session: Session, topic: str) -> None:
    session_update(session=Session.objects.get(pk=session.pk), fields={"topic": topic})


@pytest.mark.parametrize(
    "url",
    ["/", "/sessions/", "calendar", "session"],
)
def test_kept_sessions_parts_show_a_new_topic_to_everyone_at_once(viewers, url):
    session = make_session(topic="Before the change")
    if url == "calendar":
        local = timezone.localtime(session.starts_at)
        url = reverse("sessions:calendar-month", args=[local.year, local.month])
    elif url == "session":
        url = session.get_absolute_url()
    assert all("Before the change" in page for page in pages_for(viewers, url).values())

    _retitle(session, "After the change")

    for who, page in pages_for(viewers, url).items():
        assert "After the change" in page, who
        assert "Before the change" not in page, who


def test_kept_past_sessions_show_a_new_topic_to_everyone_at_once(viewers):
    session = make_session(topic="Before the change", starts_at=timezone.now() - timedelta(days=3))
    pages_for(viewers, "/sessions/past/")

    _retitle(session, "After the change")

    for who, page in pages_for(viewers, "/sessions/past/").items():
        assert "After the change" in page, who
        assert "Before the change" not in page, who


def test_kept_cards_show_a_cancellation_to_everyone_at_once(viewers):
    session = make_session(topic="Soon cancelled")
    make_session(topic="Still on", starts_at=session.starts_at + timedelta(days=1))
    assert not any("badge--cancelled" in page for page in pages_for(viewers, "/sessions/").values())

    session_cancel(session=Session.objects.get(pk=session.pk), reason="The room flooded.")

    for who, page in pages_for(viewers, "/sessions/").items():
        assert "The room flooded." in page, who
    page = pages_for(viewers, session.get_absolute_url())
    assert all("This session is cancelled." in text for text in page.values())


def test_session_page_keeps_the_shared_parts_but_each_viewer_sees_their_own_rsvp(
    viewers, member, other_member
):
    session = make_session(capacity=20)
    make_rsvp(session, user=member, listed=True)
    first = pages_for(viewers, session.get_absolute_url())
    assert "Your RSVP" in first["member"]
    assert "Coming?" not in first["member"]
    assert "Coming?" in first["other"]
    assert "Your RSVP" not in first["other"]
    assert 'class="attendees"' in first["other"]
    assert "Dana Member" in first["other"]  # listed, shown to signed-in members
    assert 'class="attendees"' not in first["visitor"]
    assert "Dana Member" not in first["visitor"]

    response = viewers["other"].post(
        reverse("sessions:rsvp-create", args=[session.slug]),
        {"how": "in-person", "listed": "on"},
    )
    assert response.status_code == 302

    after = pages_for(viewers, session.get_absolute_url())
    for who in ("member", "other"):
        assert "Your RSVP" in after[who], who
        assert "Other Member" in after[who], who
        assert "Dana Member" in after[who], who
        assert "2 going in person" in after[who], who
    assert "2 going in person" in after["visitor"]
    assert "Coming?" in after["visitor"]
    assert "Your RSVP" not in after["visitor"]
    assert "Other Member" not in after["visitor"]
    # Each page names its own viewer only (the navigation's account link).
    assert after["member"].count("Other Member") == after["other"].count("Other Member") - 1


def test_session_page_kept_parts_follow_the_language(viewers):
    session = make_session(topic="Only in English", topic_es="Solo en español")
    pages_for(viewers, session.get_absolute_url())

    for who, client in viewers.items():
        page = client.get(session.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="es")
        if who != "visitor":
            page = client.get(session.get_absolute_url() + "?lang=es")
        text = page.content.decode()
        assert "Solo en español" in text, who


def _members(viewers: dict[str, Client]) -> dict[str, Client]:
    """Time alone makes visitors' kept pages stale only after PAGE_CACHE_SECONDS
    (cop_portal/lib/page_cache.py); members' kept parts follow it at once."""
    return {who: client for who, client in viewers.items() if who != "visitor"}


def test_session_page_kept_parts_change_when_the_session_is_over(viewers, monkeypatch):
    session = make_session(starts_at=timezone.now() + timedelta(hours=1))
    before = pages_for(viewers, session.get_absolute_url())
    assert all("took place on" not in page for page in before.values())

    later = timezone.now() + timedelta(hours=3)
    monkeypatch.setattr(timezone, "now", lambda: later)

    for who, page in pages_for(_members(viewers), session.get_absolute_url()).items():
        assert "This session took place on" in page, who
        assert 'class="attendees"' not in page, who
        assert "Who came" in page, who


def test_calendar_kept_month_moves_today_with_the_day(viewers, monkeypatch):
    session = make_session()
    local = timezone.localtime(session.starts_at)
    url = reverse("sessions:calendar-month", args=[local.year, local.month])
    pages_for(viewers, url)

    tomorrow = timezone.now() + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: tomorrow)
    today = timezone.localtime(tomorrow).date().isoformat()

    today_cell = re.compile(
        rf'aria-current="date">\s*<time class="calendar__date" datetime="{today}"'
    )
    for who, page in pages_for(_members(viewers), url).items():
        if timezone.localtime(tomorrow).month == local.month:
            assert today_cell.search(page), who


def test_session_list_cards_for_many_members_read_no_more_queries(
    django_assert_max_num_queries, member_client
):
    start = timezone.now() + timedelta(days=1)
    for day in range(25):
        make_session(starts_at=start + timedelta(days=day))
    member_client.get("/sessions/")  # keeps the cards

    with django_assert_max_num_queries(6):
        response = member_client.get("/sessions/")
    assert response.content.decode().count('<article class="session-card') == 25


def test_a_member_never_sees_another_members_rsvp_on_keptpages_for(viewers, member, other_member):
    session = make_session()
    make_rsvp(session, user=member, attend_as="online")
    guest = make_user(display_name="Third Person")
    make_rsvp(session, user=guest)
    pages = pages_for(viewers, session.get_absolute_url())
    assert "coming online" in pages["member"]
    assert "rsvp__status" not in pages["other"]
    assert "rsvp__status" not in pages["visitor"]
    assert "meet.example.org/secret-room" in pages["member"]
    assert "meet.example.org/secret-room" not in pages["other"]
    assert "meet.example.org/secret-room" not in pages["visitor"]
