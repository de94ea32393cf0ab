"""Drop-in self check-in: the public page behind the QR code at the door."""

from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import (
    AttendAs,
    CheckInBy,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    WalkIn,
)
from sessions_app.selectors import REMEMBERED_TOKENS_KEY
from sessions_app.services.attendance import self_check_in_code
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user
from tests.outbox import work

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
    assert 'with the QR code <span class="badge badge--self"' in response.content.decode()


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
    ("starts_in", "says"),
    [
        (timedelta(days=7), "Self check-in opens at "),
        (timedelta(hours=3, minutes=5), "Self check-in opens at "),
        (-timedelta(hours=3, minutes=5), "Self check-in closed at "),
    ],
    ids=["next-week", "too-early", "too-late"],  # the session lasts an hour
)
def test_self_check_in_on_the_wrong_day_says_so(client, starts_in, says):
    session = make_session(starts_at=timezone.now() + starts_in)

    page = client.get(here_url(session))
    posted = client.post(here_url(session), {"name": "Rosa"})

    assert page.status_code == 200
    assert says in page.content.decode()
    assert "Check me in" not in page.content.decode()
    assert posted.status_code == 400
    assert says in posted.content.decode()
    assert not WalkIn.objects.exists()


def test_self_check_in_says_when_it_opens_in_cleveland_time(client, settings, monkeypatch):
    settings.CHECK_IN_OPENS_BEFORE_HOURS = 3
    session = make_session(starts_at=local(2026, 12, 16, 18))
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 12, 16, 14, 59))

    page = client.get(here_url(session))
    posted = client.post(here_url(session), {"name": "Rosa"})

    assert "Self check-in opens at 3:00 pm on Wednesday, December 16." in page.content.decode()
    assert posted.status_code == 400
    assert not WalkIn.objects.exists()


@pytest.mark.parametrize(
    "starts_in",
    [timedelta(hours=2, minutes=55), -timedelta(hours=2, minutes=55)],
    ids=["three-hours-before", "two-hours-after-the-end"],
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


# Each person counted once: the page recognizes people with an RSVP


def thanks_url(session) -> str:
    code = self_check_in_code(session)
    return reverse("sessions:self-check-in-thanks", kwargs={"slug": session.slug, "code": code})


def test_member_with_an_rsvp_is_welcomed_and_get_changes_nothing(member_client, member, session):
    mine = make_rsvp(session, user=member)

    response = member_client.get(here_url(session))

    body = response.content.decode()
    assert response.status_code == 200
    assert "Welcome, Dana Member" in body
    assert "You're on the list." in body
    assert body.count(">Check me in</button>") == 1
    assert 'name="name"' not in body
    mine.refresh_from_db()
    assert (mine.checked_in_at, mine.checked_in_by) == (None, "")


def test_member_with_an_rsvp_checks_it_in_and_is_not_a_walk_in(
    member_client, member, organizer_client, session
):
    mine = make_rsvp(session, user=member)

    response = member_client.post(here_url(session), {})

    assert response.status_code == 302
    assert response.url == thanks_url(session)
    mine.refresh_from_db()
    assert mine.checked_in_at is not None
    assert mine.checked_in_by == CheckInBy.SELF
    assert not WalkIn.objects.exists()
    door = organizer_client.get(reverse("sessions:session-check-in", args=[session.slug]))
    assert door.context["session"].attendance_count == 1
    row = door.content.decode().split(f'id="rsvp-{mine.pk}"')[1].split("</li>")[0]
    assert "Checked in at" in row
    assert '<span class="badge badge--self" title="Checked in with the QR code">Self</span>' in row
    assert ">Undo<span" in row


def test_member_already_checked_in_sees_the_time(member_client, member, session):
    make_rsvp(session, user=member, checked_in_at=local(2026, 12, 16, 18, 2), checked_in_by="self")

    body = member_client.get(here_url(session)).content.decode()

    assert "You're checked in (6:02 pm)." in body
    assert "Check me in" not in body


def test_waitlisted_member_is_checked_in_and_stays_waitlisted(member_client, member, session):
    mine = make_rsvp(session, user=member, status=RsvpStatus.WAITLISTED)

    member_client.post(here_url(session), {})

    mine.refresh_from_db()
    assert (mine.status, mine.checked_in_by) == (RsvpStatus.WAITLISTED, CheckInBy.SELF)
    assert mine.checked_in_at is not None


def test_member_without_an_rsvp_is_recorded_once_without_email(member_client, member, session):
    page = member_client.get(here_url(session)).content.decode()
    assert "Welcome, Dana Member" in page
    assert "You didn't RSVP, and that's fine" in page

    first = member_client.post(here_url(session), {})
    second = member_client.post(here_url(session), {})
    work()

    assert (first.status_code, second.status_code) == (302, 302)
    made = Rsvp.objects.get()
    assert (made.session, made.user, made.status, made.attend_as, made.checked_in_by) == (
        session,
        member,
        RsvpStatus.GOING,
        AttendAs.IN_PERSON,
        CheckInBy.SELF,
    )
    assert made.checked_in_at is not None
    assert not WalkIn.objects.exists()
    assert mail.outbox == []


def test_member_who_cancelled_comes_back_checked_in_without_email(member_client, member, session):
    gone = make_rsvp(session, user=member, status=RsvpStatus.CANCELLED, attend_as=AttendAs.ONLINE)

    member_client.post(here_url(session), {})
    work()

    gone.refresh_from_db()
    assert (gone.status, gone.attend_as, gone.checked_in_by) == (
        RsvpStatus.GOING,
        AttendAs.IN_PERSON,
        CheckInBy.SELF,
    )
    assert Rsvp.objects.count() == 1
    assert mail.outbox == []


def test_member_before_check_in_opens_is_refused(member_client, member, settings):
    settings.CHECK_IN_OPENS_BEFORE_HOURS = 3
    later = make_session(starts_at=timezone.now() + timedelta(hours=3, minutes=5))
    mine = make_rsvp(later, user=member)
    other = make_session(starts_at=later.starts_at)

    refused = member_client.post(here_url(later), {})
    refused_new = member_client.post(here_url(other), {})

    assert (refused.status_code, refused_new.status_code) == (400, 400)
    assert "Self check-in opens at " in refused.content.decode()
    mine.refresh_from_db()
    assert mine.checked_in_at is None
    assert Rsvp.objects.count() == 1


def test_guest_who_opened_their_link_is_recognized(client, session):
    guest = make_rsvp(session, name="Gia Guest", email="gia@example.org")
    client.get(guest.get_absolute_url())

    page = client.get(here_url(session)).content.decode()
    response = client.post(here_url(session), {})

    assert "Welcome, Gia Guest" in page
    assert "You're on the list." in page
    assert response.status_code == 302
    guest.refresh_from_db()
    assert guest.checked_in_by == CheckInBy.SELF
    assert not WalkIn.objects.exists()


def test_guest_link_for_another_session_is_not_recognized(client, session):
    elsewhere = make_rsvp(make_session(), name="Gia Guest", email="gia@example.org")
    client.get(elsewhere.get_absolute_url())

    page = client.get(here_url(session)).content.decode()
    client.post(here_url(session), {"name": "Someone Else"})

    assert "Welcome, Gia Guest" not in page
    assert 'name="name"' in page
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None
    assert WalkIn.objects.get().name == "Someone Else"


def test_manage_page_offers_check_in_on_the_day(client, session):
    guest = make_rsvp(session, name="Gia Guest", email="gia@example.org")

    page = client.get(guest.get_absolute_url()).content.decode()
    client.post(here_url(session), {"step": "me", "token": guest.token})
    after = client.get(guest.get_absolute_url()).content.decode()

    assert f'<form method="post" action="{here_url(session)}">' in page
    assert f'<input type="hidden" name="token" value="{guest.token}">' in page
    assert ">Check in</button>" in page
    guest.refresh_from_db()
    assert guest.checked_in_by == CheckInBy.SELF
    assert "You're checked in (" in after
    assert ">Check in</button>" not in after


def test_manage_page_offers_no_check_in_before_the_day(client):
    guest = make_rsvp(make_session(), name="Gia Guest", email="gia@example.org")

    page = client.get(guest.get_absolute_url()).content.decode()

    assert ">Check in</button>" not in page
    assert "/here/" not in page


# The anonymous form: a typed address or a unique name finds the RSVP


@pytest.mark.parametrize(
    "typed", ["gia@example.org", "  GIA@Example.ORG ", "\uff47\uff49\uff41@example.org"]
)
def test_typed_guest_address_checks_that_rsvp_in(client, session, typed):
    guest = make_rsvp(session, name="Gia Guest", email="gia@example.org")

    response = client.post(here_url(session), {"name": "G.", "email": typed})

    assert response.status_code == 302
    assert response.url == thanks_url(session)
    guest.refresh_from_db()
    assert guest.checked_in_by == CheckInBy.SELF
    assert not WalkIn.objects.exists()


def test_typed_member_address_checks_their_rsvp_in(client, member, session):
    mine = make_rsvp(session, user=member)

    client.post(here_url(session), {"name": "D", "email": member.email.upper()})

    mine.refresh_from_db()
    assert mine.checked_in_by == CheckInBy.SELF
    assert not WalkIn.objects.exists()


def test_unique_name_checks_that_rsvp_in(client, member, session):
    mine = make_rsvp(session, user=member)
    make_rsvp(session, name="Gia Guest", email="gia@example.org")

    client.post(here_url(session), {"name": "  dana   MEMBER "})

    mine.refresh_from_db()
    assert mine.checked_in_by == CheckInBy.SELF
    assert not WalkIn.objects.exists()


def test_ambiguous_name_is_a_walk_in(client, session):
    first = make_rsvp(session, name="Sam Lee", email="sam1@example.org")
    second = make_rsvp(session, name="sam lee", email="sam2@example.org")

    client.post(here_url(session), {"name": "Sam Lee"})

    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.checked_in_at, second.checked_in_at) == (None, None)
    assert list(WalkIn.objects.values_list("name", "self_check_in")) == [("Sam Lee", True)]


def test_another_sessions_rsvp_is_never_matched(client, session):
    elsewhere = make_rsvp(make_session(), name="Gia Guest", email="gia@example.org")

    client.post(here_url(session), {"name": "Gia Guest", "email": "gia@example.org"})

    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None
    assert WalkIn.objects.get().name == "Gia Guest"


def test_cancelled_rsvp_is_never_matched(client, session):
    gone = make_rsvp(session, name="Gia Guest", email="gia@example.org", status="cancelled")

    client.post(here_url(session), {"name": "Gia Guest", "email": "gia@example.org"})

    gone.refresh_from_db()
    assert gone.checked_in_at is None
    assert WalkIn.objects.count() == 1


def test_match_already_checked_in_counts_nobody_new(client, session):
    guest = make_rsvp(
        session,
        name="Gia Guest",
        email="gia@example.org",
        checked_in_at=local(2026, 12, 16, 18, 2),
        checked_in_by=CheckInBy.DOOR,
    )

    response = client.post(here_url(session), {"name": "Gia", "email": "gia@example.org"})

    assert response.url == thanks_url(session)
    guest.refresh_from_db()
    assert (guest.checked_in_at, guest.checked_in_by) == (
        local(2026, 12, 16, 18, 2),
        CheckInBy.DOOR,
    )
    assert not WalkIn.objects.exists()


def test_thanks_page_reveals_nothing_about_the_match(client, session):
    make_rsvp(session, name="Gia Guest", email="gia@example.org")

    matched = client.post(here_url(session), {"name": "x", "email": "gia@example.org"})
    walked_in = client.post(here_url(session), {"name": "Nobody Known"})
    page = client.get(thanks_url(session)).content.decode()

    assert matched.url == walked_in.url == thanks_url(session)
    assert "Gia" not in page
    assert "gia@example.org" not in page


def test_a_malformed_address_is_refused(client, session):
    response = client.post(here_url(session), {"name": "Rosa", "email": "rosa@"})

    assert response.status_code == 400
    assert response.context["form"].errors == {
        "email": ["Enter an email address like name@example.org, or leave it blank."]
    }
    assert not WalkIn.objects.exists()


# A shared phone or tablet: a remembered link never checks in the next person


def remembered(client) -> list[str]:
    return client.session.get(REMEMBERED_TOKENS_KEY, [])


def test_link_opened_before_the_day_is_not_remembered(client):
    """Bob opened his link on the library's tablet last week: on the day, the tablet
    greets nobody, and the next person's tap counts them, not Bob."""
    session = make_session(starts_at=timezone.now() + timedelta(days=2))
    bob = make_rsvp(session, name="Bob Guest", email="bob@example.org")
    client.get(bob.get_absolute_url())
    # The day comes.
    Session.objects.filter(pk=session.pk).update(
        starts_at=timezone.now() + timedelta(hours=1), ends_at=timezone.now() + timedelta(hours=2)
    )
    session.refresh_from_db()

    page = client.get(here_url(session)).content.decode()
    client.post(here_url(session), {"step": "name", "name": "Ana Next"})

    assert remembered(client) == []
    assert "Bob Guest" not in page
    assert 'name="name"' in page
    bob.refresh_from_db()
    assert (bob.checked_in_at, bob.checked_in_by) == (None, "")
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Next"]


def test_a_checked_in_link_is_forgotten_and_the_next_person_gives_a_name(client, session):
    bob = make_rsvp(session, name="Bob Guest", email="bob@example.org")
    client.get(bob.get_absolute_url())
    assert remembered(client) == [bob.token]

    client.post(here_url(session), {"step": "me"})
    page = client.get(here_url(session)).content.decode()
    client.post(here_url(session), {"name": "Ana Next"})

    assert remembered(client) == []
    assert "Welcome, Bob Guest" not in page
    assert 'name="name"' in page
    bob.refresh_from_db()
    assert bob.checked_in_by == CheckInBy.SELF
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Next"]


def test_manage_page_of_a_checked_in_guest_forgets_the_link(client, session):
    bob = make_rsvp(
        session, name="Bob Guest", checked_in_at=timezone.now(), checked_in_by=CheckInBy.DOOR
    )
    session_store = client.session
    session_store[REMEMBERED_TOKENS_KEY] = [bob.token]
    session_store.save()

    client.get(bob.get_absolute_url())

    assert remembered(client) == []


def test_manage_page_button_checks_in_its_own_rsvp_without_remembering_it(client, session):
    """The button sends the link's token itself, so it works even where the browser
    forgot the link (another tab, cookies cleared), and nothing is left behind."""
    bob = make_rsvp(session, name="Bob Guest", email="bob@example.org")

    response = client.post(here_url(session), {"step": "me", "token": bob.token})

    assert response.status_code == 302
    assert response.url == thanks_url(session)
    bob.refresh_from_db()
    assert bob.checked_in_by == CheckInBy.SELF
    assert remembered(client) == []
    assert not WalkIn.objects.exists()


def test_a_token_of_another_session_checks_nobody_in(client, session):
    elsewhere = make_rsvp(make_session(), name="Bob Guest", email="bob@example.org")

    response = client.post(here_url(session), {"step": "me", "token": elsewhere.token})

    assert response.status_code == 400
    elsewhere.refresh_from_db()
    assert elsewhere.checked_in_at is None
    assert not WalkIn.objects.exists()


def test_not_you_forgets_the_link_and_shows_the_name_form(client, session):
    bob = make_rsvp(session, name="Bob Guest", email="bob@example.org")
    client.get(bob.get_absolute_url())
    greeting = client.get(here_url(session)).content.decode()

    escape = client.post(here_url(session), {"step": "not-me"})
    again = client.get(here_url(session)).content.decode()
    client.post(here_url(session), {"step": "name", "name": "Ana Next"})

    assert "Welcome, Bob Guest" in greeting
    assert ">Not you? Check in with your name</button>" in greeting
    assert escape.status_code == 200
    body = escape.content.decode()
    assert "Bob Guest" not in body
    assert '<label for="id_name">Your name' in body
    assert remembered(client) == []
    assert "Bob Guest" not in again
    bob.refresh_from_db()
    assert bob.checked_in_at is None
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Next"]


def test_not_you_on_a_signed_in_members_phone_counts_the_typed_name(member_client, member, session):
    mine = make_rsvp(session, user=member)
    greeting = member_client.get(here_url(session)).content.decode()

    escape = member_client.post(here_url(session), {"step": "not-me"}).content.decode()
    response = member_client.post(here_url(session), {"step": "name", "name": "Ana Next"})

    assert ">Not you? Check in with your name</button>" in greeting
    assert '<label for="id_name">Your name' in escape
    assert "Welcome, Dana Member" not in escape
    assert "Log in</a>" not in escape
    assert response.status_code == 302
    mine.refresh_from_db()
    assert mine.checked_in_at is None
    assert list(WalkIn.objects.values_list("name", flat=True)) == ["Ana Next"]


# A member who RSVP'd as a guest with their own address


def test_member_who_rsvpd_as_a_guest_checks_that_rsvp_in(member_client, member, session):
    as_guest = make_rsvp(session, name="Dana Guest", email=member.email.upper())

    page = member_client.get(here_url(session)).content.decode()
    response = member_client.post(here_url(session), {})

    assert "You're on the list." in page
    assert response.status_code == 302
    as_guest.refresh_from_db()
    assert (as_guest.user, as_guest.checked_in_by) == (None, CheckInBy.SELF)
    assert Rsvp.objects.count() == 1
    assert not WalkIn.objects.exists()


def test_member_with_another_verified_address_is_matched_too(member_client, member, session):
    EmailAddress.objects.create(user=member, email="dana@work.example.org", verified=True)
    as_guest = make_rsvp(session, name="Dana at work", email="dana@work.example.org")

    member_client.post(here_url(session), {})

    as_guest.refresh_from_db()
    assert as_guest.checked_in_by == CheckInBy.SELF
    assert Rsvp.objects.count() == 1


def test_an_unverified_address_is_not_the_members_rsvp(client, session):
    """Anyone can add an address to their account: until it is verified, it proves nothing."""
    mallory = make_user(display_name="Mallory", email="mallory@example.org")
    EmailAddress.objects.create(user=mallory, email="bob@example.org", verified=False)
    bob = make_rsvp(session, name="Bob Guest", email="bob@example.org")
    client.force_login(mallory)

    client.post(here_url(session), {})

    bob.refresh_from_db()
    assert bob.checked_in_at is None
    assert Rsvp.objects.filter(user=mallory).values_list("checked_in_by", flat=True).get() == (
        CheckInBy.SELF
    )
