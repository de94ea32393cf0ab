"""The door list (organizers' check-in page): in person first and online apart, a search
that works without JavaScript, check-in that opens on the day, and no QR code for drafts."""

from datetime import timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from sessions_app.models import AttendAs, CheckInBy, Rsvp, RsvpStatus, SessionStatus, WalkIn
from tests.clock import local
from tests.factories import make_rsvp, make_session, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def session(db):
    """Starts in an hour: check-in is open."""
    return make_session(topic="Tenant organizing", starts_at=timezone.now() + timedelta(hours=1))


def door_url(session, query: str | None = None) -> str:
    url = reverse("sessions:session-check-in", kwargs={"slug": session.slug})
    return url if query is None else f"{url}?q={query}"


def row_url(session, answer: Rsvp) -> str:
    return reverse("sessions:rsvp-check-in", kwargs={"slug": session.slug, "rsvp_id": answer.pk})


def names(rsvps) -> list[str]:
    return [answer.display_name for answer in rsvps]


# Sections


def test_in_person_first_then_the_waitlist_then_online_apart(organizer_client, session):
    make_rsvp(session, name="Zed Room")
    make_rsvp(session, name="Amy Room")
    make_rsvp(session, name="Wes Waiting", status=RsvpStatus.WAITLISTED)
    make_rsvp(session, name="Ola Online", attend_as=AttendAs.ONLINE)
    make_rsvp(session, name="Oona Waiting", attend_as=AttendAs.ONLINE, status=RsvpStatus.WAITLISTED)

    response = organizer_client.get(door_url(session))

    door = response.context["door"]
    assert (names(door.going), names(door.waiting), names(door.online)) == (
        ["Amy Room", "Zed Room"],
        ["Wes Waiting"],
        ["Ola Online"],
    )
    body = response.content.decode()
    assert (
        body.index('id="going-title"')
        < body.index("Amy Room")
        < body.index("Zed Room")
        < body.index('id="waiting-title"')
        < body.index("Wes Waiting")
        < body.index('id="online-title"')
        < body.index("Ola Online")
    )
    assert 'In person <span class="count">(2)</span>' in body
    assert 'waiting for a seat <span class="count">(1)</span>' in body
    assert 'Online <span class="count">(1)</span>' in body
    assert "Oona Waiting" not in body


def test_rows_say_who_checked_people_in(organizer_client, session):
    make_rsvp(session, name="Dee Door", checked_in_at=timezone.now(), checked_in_by=CheckInBy.DOOR)
    make_rsvp(session, name="Sal Self", checked_in_at=timezone.now(), checked_in_by=CheckInBy.SELF)
    WalkIn.objects.create(session=session, name="Quinn QR", self_check_in=True)

    body = organizer_client.get(door_url(session)).content.decode()

    dee = body.split("Dee Door")[1].split("</li>")[0]
    sal = body.split("Sal Self")[1].split("</li>")[0]
    quinn = body.split("Quinn QR")[1].split("</li>")[0]
    assert '<span class="muted">at the door</span>' in dee
    assert "badge--self" not in dee
    assert '<span class="badge badge--self" title="Checked in with the QR code">Self</span>' in sal
    assert (
        '<span class="badge badge--self" title="Checked in with the QR code">Self</span>' in quinn
    )


def test_each_row_posts_to_its_own_rsvp_and_names_the_person(organizer_client, session):
    member = make_user(display_name="Mia Member")
    mia = make_rsvp(session, user=member, organization="Hough Block Club")
    gus = make_rsvp(session, name="Gus Guest", email="gus@example.org")
    ola = make_rsvp(session, name="Ola Online", attend_as=AttendAs.ONLINE)
    dee = make_rsvp(session, name="Dee Door", checked_in_at=timezone.now())

    body = organizer_client.get(door_url(session)).content.decode()

    rows = {
        answer.display_name: body.split(f'id="rsvp-{answer.pk}"')[1].split("</li>")[0]
        for answer in (mia, gus, ola, dee)
    }
    for answer in (mia, gus, ola, dee):
        assert (
            f'<form method="post" action="{row_url(session, answer)}"' in rows[answer.display_name]
        )
    assert 'data-door-search-text="mia member hough block club' in body
    assert '<span class="muted">Member · Hough Block Club</span>' in rows["Mia Member"]
    assert '<span class="muted">Guest</span>' in rows["Gus Guest"]
    assert '<span class="visually-hidden"> Gus Guest</span>' in rows["Gus Guest"]
    assert '<span class="visually-hidden"> check-in of Dee Door</span>' in rows["Dee Door"]
    assert all('name="csrfmiddlewaretoken"' in row for row in rows.values())


# Search


def test_search_by_name_organization_or_email(organizer_client, session):
    dana = make_user(display_name="Dana Member", email="dana@hough.example.com")
    make_rsvp(session, user=dana)
    make_rsvp(
        session, name="Ola Online", attend_as=AttendAs.ONLINE, organization="Hough Block Club"
    )
    make_rsvp(session, name="Zoë Quinn", email="zq@example.org")
    make_rsvp(session, name="Pat Other", email="pat@example.org")
    WalkIn.objects.create(session=session, name="Hough Neighbor")

    by_org = organizer_client.get(door_url(session, "hough")).context["door"]
    by_email = organizer_client.get(door_url(session, "zq@EXAMPLE")).context["door"]
    by_name = organizer_client.get(door_url(session, "ZOË")).context["door"]

    assert names(by_org.going) + names(by_org.online) == ["Dana Member", "Ola Online"]
    assert [walk_in.name for walk_in in by_org.walk_ins] == ["Hough Neighbor"]
    assert names(by_email.going) == ["Zoë Quinn"]
    assert names(by_name.going) == ["Zoë Quinn"]


def test_search_shows_counts_of_matches_and_a_clear_link(organizer_client, session):
    make_rsvp(session, name="Ann One")
    make_rsvp(session, name="Bob Two")
    make_rsvp(session, name="Cy Three")

    response = organizer_client.get(door_url(session, "ann"))

    body = response.content.decode()
    assert response.status_code == 200
    assert 'In person <span class="count">(1 of 3)</span>' in body
    assert "1 match for “ann”." in body
    assert f'<a href="{door_url(session)}" data-door-search-clear>Clear</a>' in body
    assert "Bob Two" not in body
    assert 'value="ann"' in body


def test_search_without_matches_says_so(organizer_client, session):
    make_rsvp(session, name="Ann One")

    body = organizer_client.get(door_url(session, "nobody")).content.decode()

    assert "0 matches for “nobody”." in body
    assert "Nobody going in person matches." in body


def test_search_text_is_escaped(organizer_client, session):
    make_rsvp(session, name="<b>Bold</b>")

    body = organizer_client.get(door_url(session, "<script>alert(1)</script>")).content.decode()

    assert "<script>alert(1)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body
    assert "<b>Bold</b>" not in body


def test_without_search_there_is_no_clear_link(organizer_client, session):
    body = organizer_client.get(door_url(session)).content.decode()

    assert "data-door-search-clear" not in body
    assert '<input type="search" name="q"' in body


@pytest.mark.parametrize("count", [1, 200])
def test_door_list_with_a_search_query_count_does_not_grow(
    organizer_client, session, django_assert_max_num_queries, count
):
    for n in range(count):
        organization = "Hough Block Club" if n % 10 == 0 else ""
        if n % 2:
            member = make_user(display_name=f"Member {n}")
            make_rsvp(session, user=member, attend_as=AttendAs.ONLINE, organization=organization)
        else:
            status = "waitlisted" if n % 4 == 0 else "going"
            make_rsvp(session, name=f"Guest {n}", status=status, organization=organization)
        WalkIn.objects.create(session=session, name=f"Walk-in {n}")

    # Session cookie, user, organizer role, open reports (the Organize menu's badge), the
    # session with its counts, RSVPs, walk-ins.
    with django_assert_max_num_queries(7):
        response = organizer_client.get(door_url(session, "hough"))

    body = response.content.decode()
    assert response.context["door"].matches == len(range(0, count, 10))
    assert body.count('<li class="door-row') == len(range(0, count, 10))


# Check-in opens on the day


@pytest.fixture
def wednesday(settings, monkeypatch):
    """6 pm on Wednesday, December 16, with the clock at 2:59 pm that day."""
    settings.CHECK_IN_OPENS_BEFORE_HOURS = 3
    session = make_session(starts_at=local(2026, 12, 16, 18))
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 12, 16, 14, 59))
    return session


@pytest.fixture
def organizer_then(wednesday, organizer) -> Client:
    """The organizer, logged in on the (moved) clock, so their log-in hasn't expired."""
    client = Client()
    client.force_login(organizer)
    return client


def test_before_check_in_opens_the_list_has_names_and_no_buttons(organizer_then, wednesday):
    make_rsvp(wednesday, name="Ann Early")

    body = organizer_then.get(door_url(wednesday)).content.decode()

    assert "Check-in opens at 3:00 pm on Wednesday, December 16." in body
    assert "Ann Early" in body
    assert ">Check in<span" not in body
    assert "Add walk-ins" not in body


def test_early_check_in_is_refused_and_nothing_saved(organizer_then, wednesday):
    ann = make_rsvp(wednesday, name="Ann Early")

    response = organizer_then.post(row_url(wednesday, ann), {"action": "check-in"})
    walk_in = organizer_then.post(door_url(wednesday), {"name": "Pat", "count": "2"})

    assert (response.status_code, walk_in.status_code) == (400, 400)
    assert (
        "Too early: nothing was saved. Check-in opens at 3:00 pm on Wednesday, December 16."
    ) in response.content.decode()
    ann.refresh_from_db()
    assert (ann.checked_in_at, ann.checked_in_by) == (None, "")
    assert not WalkIn.objects.exists()


def test_check_in_opens_at_the_setting(organizer_then, wednesday, monkeypatch):
    ann = make_rsvp(wednesday, name="Ann Early")
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 12, 16, 15))

    response = organizer_then.post(row_url(wednesday, ann), {"action": "check-in"})

    assert response.status_code == 302
    ann.refresh_from_db()
    assert (ann.checked_in_at, ann.checked_in_by) == (local(2026, 12, 16, 15), CheckInBy.DOOR)


def test_organizers_may_correct_the_list_after_the_session(organizer_then, wednesday, monkeypatch):
    ann = make_rsvp(wednesday, name="Ann Late")
    monkeypatch.setattr(timezone, "now", lambda: local(2026, 12, 18, 9))

    response = organizer_then.post(row_url(wednesday, ann), {"action": "check-in"})

    assert response.status_code == 302
    ann.refresh_from_db()
    assert ann.checked_in_by == CheckInBy.DOOR


def test_door_check_in_is_marked_door_and_undo_clears_both(organizer_client, session):
    ann = make_rsvp(session, name="Ann Going")

    organizer_client.post(row_url(session, ann), {"action": "check-in"})
    ann.refresh_from_db()
    checked = (ann.checked_in_at is not None, ann.checked_in_by)
    organizer_client.post(row_url(session, ann), {"action": "undo"})
    ann.refresh_from_db()

    assert checked == (True, CheckInBy.DOOR)
    assert (ann.checked_in_at, ann.checked_in_by) == (None, "")


def test_door_check_in_keeps_a_self_check_in(organizer_client, session):
    sal = make_rsvp(
        session, name="Sal Self", checked_in_at=local(2026, 12, 16, 18), checked_in_by="self"
    )

    organizer_client.post(row_url(session, sal), {"action": "check-in"})

    sal.refresh_from_db()
    assert (sal.checked_in_at, sal.checked_in_by) == (local(2026, 12, 16, 18), CheckInBy.SELF)


# The QR code


@pytest.mark.parametrize(
    ("status", "says"),
    [
        (SessionStatus.DRAFT, "The QR code appears here once the session is published"),
        (SessionStatus.CANCELLED, "This session is cancelled, so there is no QR code"),
    ],
)
def test_no_qr_code_for_drafts_or_cancelled_sessions(organizer_client, status, says):
    hidden = make_session(status=status, starts_at=timezone.now() + timedelta(hours=1))

    response = organizer_client.get(door_url(hidden))

    body = response.content.decode()
    assert response.status_code == 200
    assert response.context["qr_code"] is None
    assert says in body
    assert 'aria-label="QR code' not in body
    assert "/here/" not in body


def test_published_session_has_the_qr_code(organizer_client, session):
    body = organizer_client.get(door_url(session)).content.decode()

    assert '<svg role="img" aria-label="QR code: self check-in for Tenant organizing"' in body
    assert f"/sessions/{session.slug}/here/" in body
