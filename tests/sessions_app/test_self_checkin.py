"""Drop-in self check-in: the public page behind the QR code at the door."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import SessionStatus, WalkIn
from sessions_app.services.attendance import self_check_in_code
from tests.factories import make_session

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    """Starts in an hour: check-in is open."""
    return make_session(title="Tenant organizing", starts_at=timezone.now() + timedelta(hours=1))


def here_url(session, code: str | None = None) -> str:
    code = code or self_check_in_code(session)
    return reverse("sessions:self-check-in", kwargs={"slug": session.slug, "code": code})


def test_self_check_in_page_opens_for_visitors_with_the_code(client, session):
    response = client.get(here_url(session))

    assert response.status_code == 200
    body = response.content.decode()
    assert "Tenant organizing" in body
    assert '<label for="id_name">Your name' in body
    assert "Check me in" in body


def test_self_check_in_creates_a_walk_in_and_thanks(client, session):
    url = here_url(session)

    response = client.post(url, {"name": "  Rosa Parks-Hough  "})

    thanks = reverse(
        "sessions:self-check-in-thanks",
        kwargs={"slug": session.slug, "code": self_check_in_code(session)},
    )
    assert response.status_code == 302
    assert response.url == thanks
    assert list(WalkIn.objects.values_list("session", "name", "count", "self_check_in")) == [
        (session.pk, "Rosa Parks-Hough", 1, True)
    ]
    page = client.get(thanks)
    assert page.status_code == 200
    assert "Thanks, you're checked in" in page.content.decode()


def test_self_check_in_shows_on_the_organizers_total(client, organizer_client, session):
    client.post(here_url(session), {"name": "Rosa"})

    response = organizer_client.get(
        reverse("sessions:session-check-in", kwargs={"slug": session.slug})
    )

    assert response.context["session"].attendance_count == 1
    assert "checked in with the QR code" in response.content.decode()


@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("", "Enter your name, so we know you came."),
        ("   ", "Enter your name, so we know you came."),
        ("x" * 121, "Keep your name under 120 characters."),
    ],
)
def test_self_check_in_needs_a_name(client, session, name, error):
    response = client.post(here_url(session), {"name": name})

    assert response.status_code == 400
    assert response.context["form"].errors == {"name": [error]}
    assert error in response.content.decode()
    assert not WalkIn.objects.exists()


def test_self_check_in_with_a_tampered_code_is_404(client, session):
    code = self_check_in_code(session)
    tampered = code[:-1] + ("A" if code[-1] != "A" else "B")

    assert client.get(here_url(session, tampered)).status_code == 404
    assert client.post(here_url(session, tampered), {"name": "Rosa"}).status_code == 404
    assert not WalkIn.objects.exists()


def test_self_check_in_code_of_another_session_is_404(client, session):
    other = make_session(starts_at=session.starts_at)

    response = client.post(here_url(session, self_check_in_code(other)), {"name": "Rosa"})

    assert response.status_code == 404
    assert not WalkIn.objects.exists()


def test_self_check_in_of_a_draft_is_404(client):
    draft = make_session(status=SessionStatus.DRAFT, starts_at=timezone.now())

    assert client.get(here_url(draft)).status_code == 404


@pytest.mark.parametrize(
    "starts_in",
    [timedelta(days=7), timedelta(hours=2, minutes=5), -timedelta(hours=3, minutes=5)],
    ids=["next-week", "too-early", "too-late"],  # the session lasts an hour
)
def test_self_check_in_on_the_wrong_day_says_so(client, starts_in):
    session = make_session(starts_at=timezone.now() + starts_in)

    page = client.get(here_url(session))
    posted = client.post(here_url(session), {"name": "Rosa"})

    assert page.status_code == 200
    assert "Self check-in isn't open right now." in page.content.decode()
    assert "Check me in" not in page.content.decode()
    assert posted.status_code == 400
    assert "Self check-in isn't open right now." in posted.content.decode()
    assert not WalkIn.objects.exists()


@pytest.mark.parametrize(
    "starts_in",
    [timedelta(hours=1, minutes=55), -timedelta(hours=2, minutes=55)],
    ids=["two-hours-before", "two-hours-after-the-end"],
)
def test_self_check_in_is_open_around_the_session(client, starts_in):
    session = make_session(starts_at=timezone.now() + starts_in)

    response = client.post(here_url(session), {"name": "Rosa"})

    assert response.status_code == 302
    assert WalkIn.objects.count() == 1


def test_self_check_in_of_a_cancelled_session_says_so(client):
    cancelled = make_session(status=SessionStatus.CANCELLED, starts_at=timezone.now())

    response = client.post(here_url(cancelled), {"name": "Rosa"})

    assert response.status_code == 400
    assert "This session is cancelled" in response.content.decode()
    assert not WalkIn.objects.exists()


def test_self_check_in_is_rate_limited_per_address(client, session, settings):
    settings.SELF_CHECK_IN_RATE = "3/h"
    url = here_url(session)

    answers = [client.post(url, {"name": f"Person {n}"}).status_code for n in range(4)]

    assert answers == [302, 302, 302, 429]
    assert WalkIn.objects.count() == 3
    limited = client.post(url, {"name": "Again"}, REMOTE_ADDR="127.0.0.1")
    assert limited.status_code == 429
    assert "Too many check-ins from here" in limited.content.decode()
    other_address = client.post(url, {"name": "Elsewhere"}, REMOTE_ADDR="203.0.113.7")
    assert other_address.status_code == 302


def test_self_check_in_qr_code_leads_to_the_page(organizer_client, client, session, settings):
    settings.SITE_URL = "https://cop.example.org"
    check_in = organizer_client.get(
        reverse("sessions:session-check-in", kwargs={"slug": session.slug})
    )
    url = check_in.context["self_check_in_url"]

    response = client.get(url.removeprefix("https://cop.example.org"))

    assert response.status_code == 200
    assert response.context["session"] == session


def test_self_check_in_code_is_the_same_every_time(session, monkeypatch):
    """A printed poster must keep working: the code carries no timestamp."""
    first = self_check_in_code(session)
    later = timezone.now() + timedelta(days=3)
    monkeypatch.setattr("django.core.signing.time.time", lambda: later.timestamp())

    assert self_check_in_code(session) == first
