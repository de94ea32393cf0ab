"""The session page as a session's life goes on: upcoming (who's coming), cancelled (why,
and the next one), past (when it took place, how many came, its notes and posts)."""

import re
from datetime import timedelta
from itertools import pairwise

import pytest
from django.urls import reverse
from django.utils import timezone

from practice_library.models import ActivityPattern
from sessions_app.models import (
    AttendanceMode,
    AttendAs,
    CheckInBy,
    Rsvp,
    RsvpStatus,
    Session,
    SessionStatus,
    WalkIn,
)
from tests.factories import make_post, make_rsvp, make_session, make_user, make_venue
from tests.session_pages import without_icons

pytestmark = pytest.mark.django_db

LIST = reverse("sessions:session-list")


def rsvp(session, *, user=None, n: int = 0, **fields) -> Rsvp:
    """A going, in-person RSVP as the service would leave it (make_rsvp); guest n unless
    a user, the guests in the order of n."""
    if user is None:
        fields.update(name=f"Guest {n}", email=f"guest{n}@example.org")
    queued_at = session.starts_at - timedelta(days=3, minutes=n)
    return make_rsvp(session, user=user, queued_at=queued_at, **fields)


def past_session(**fields) -> Session:
    return make_session(starts_at=timezone.now() - timedelta(days=10), **fields)


def state_card(body: str) -> str:
    return re.search(r'<section class="panel session-state".*?</section>', body, re.S)[0]


# Past sessions ----------------------------------------------------------------------


def test_past_session_says_how_many_came_from_check_ins_and_walk_ins(any_client):
    session = past_session()
    checked_in = session.starts_at + timedelta(minutes=5)
    for n in range(3):
        rsvp(session, n=n, checked_in_at=checked_in)
    rsvp(session, n=3)  # said they'd come, never checked in
    rsvp(session, n=4, status=RsvpStatus.CANCELLED, checked_in_at=checked_in)
    WalkIn.objects.create(session=session, count=2)

    body = any_client.get(session.get_absolute_url()).content.decode()

    card = without_icons(state_card(body))
    assert '<h2 id="state-title">Who came</h2>' in card
    assert "<strong>5 people came</strong>" in card
    assert "Counted at the door: members and guests checked in, and walk-ins." in card
    assert "RSVPed" not in card


def test_past_session_without_check_ins_says_the_rsvps_stand_in(client):
    session = past_session()
    for n in range(4):
        rsvp(session, n=n)
    rsvp(session, n=9, status=RsvpStatus.WAITLISTED)

    card = without_icons(state_card(client.get(session.get_absolute_url()).content.decode()))

    assert "<strong>4 people came</strong>" in card
    assert (
        '<p class="muted">Estimated: in person from 4 RSVPs. The door recorded nobody.</p>' in card
    )


@pytest.mark.parametrize(
    ("walk_ins", "came", "door"),
    [
        ([(1, False)], "6 people", "No RSVP was checked in; 1 walk-in was noted at the door."),
        ([(3, False)], "8 people", "No RSVP was checked in; 3 walk-ins were noted at the door."),
        (
            [(1, True), (1, True)],
            "7 people",
            "No RSVP was checked in; 2 people checked in with the QR code as walk-ins.",
        ),
        (
            [(2, False), (1, True)],
            "8 people",
            "No RSVP was checked in; 3 walk-ins came: 2 noted at the door, 1 with the QR code.",
        ),
    ],
)
def test_past_session_with_walk_ins_but_no_check_ins_keeps_the_rsvps(client, walk_ins, came, door):
    """Walk-ins add to the five going; they never make the RSVPs nobody, and the card
    never says the door recorded nobody when it recorded them (stats.Headcount)."""
    session = past_session()
    for n in range(5):
        rsvp(session, n=n)
    for count, self_check_in in walk_ins:
        WalkIn.objects.create(session=session, count=count, self_check_in=self_check_in)

    card = without_icons(state_card(client.get(session.get_absolute_url()).content.decode()))

    assert f"<strong>{came} came</strong>" in card
    assert f'<p class="muted">Estimated: in person from 5 RSVPs. {door}</p>' in card
    assert "nobody" not in card.lower()


def test_past_session_counts_the_room_and_estimates_online_apart(client):
    session = past_session(attendance_mode=AttendanceMode.HYBRID)
    for n in range(4):
        rsvp(session, n=n, checked_in_at=session.starts_at if n < 2 else None)
    for n in range(4, 7):
        rsvp(session, n=n, attend_as=AttendAs.ONLINE)

    card = without_icons(state_card(client.get(session.get_absolute_url()).content.decode()))

    # 2 checked in the room (the 2 others stayed home), and the 3 going online.
    assert "<strong>5 people came</strong>" in card
    assert (
        '<p class="muted">Estimated: online from 3 RSVPs. No online RSVP was checked in.</p>'
        in card
    )


def test_past_session_with_only_walk_ins_says_so(client):
    session = past_session()
    WalkIn.objects.create(session=session, count=3)

    card = without_icons(state_card(client.get(session.get_absolute_url()).content.decode()))

    assert "<strong>3 people came</strong>" in card


def test_past_session_with_one_person_says_person(client):
    session = past_session()
    rsvp(session, checked_in_at=session.starts_at)

    card = without_icons(state_card(client.get(session.get_absolute_url()).content.decode()))

    assert "<strong>1 person came</strong>" in card


def test_past_session_nobody_counted(client):
    session = past_session()

    card = state_card(client.get(session.get_absolute_url()).content.decode())

    assert "Nobody was counted at this session." in card


def test_past_session_has_no_rsvp_box_and_no_way_to_join(any_client, member):
    session = past_session()
    rsvp(session, user=member, listed=True)

    body = any_client.get(session.get_absolute_url()).content.decode()

    took_place = session.local_starts_at.strftime("%A, %B %-d, %Y")
    assert f"<strong>This session took place on {took_place}.</strong>" in body
    for text in ['id="rsvp"', "Coming?", "going in person", "Who's coming", "How to join"]:
        assert text not in body, text
    assert f'<a class="button button--small" href="{LIST}">See what\'s coming up</a>' in body


def test_past_session_links_its_notes_and_the_posts_that_came_out_of_it(client, member_client):
    session = past_session()
    notes_pattern = ActivityPattern.objects.get(slug="documenting-projects")
    notes = make_post(pattern=notes_pattern, title="Notes: what we heard")
    question = make_post(kind="question", title="Who lends folding chairs?")
    private = make_post(title="Members-only follow-up", members_only=True)
    make_post(title="Not about this session")
    for post in (notes, question, private):
        post.sessions.add(session)

    for_visitor = client.get(session.get_absolute_url()).content.decode()
    for_member = member_client.get(session.get_absolute_url()).content.decode()

    notes_section = re.search(r'<section class="session__notes".*?</section>', for_visitor, re.S)[0]
    posts_section = re.search(r'<section class="session__library".*?</section>', for_visitor, re.S)[
        0
    ]
    assert '<h2 id="notes-title">Notes from this session</h2>' in notes_section
    assert f'<a href="{notes.get_absolute_url()}">Notes: what we heard</a>' in notes_section
    assert '<h2 id="library-title">What came out of it</h2>' in posts_section
    assert f'<a href="{question.get_absolute_url()}">Who lends folding chairs?</a>' in posts_section
    assert "Notes: what we heard" not in posts_section
    assert "Members-only follow-up" not in for_visitor
    assert "Members-only follow-up" in for_member
    assert "Not about this session" not in for_visitor


def test_past_session_without_notes_invites_members_to_write_them(client, member_client):
    session = past_session()
    write = reverse("library:post-create", args=["documenting-projects"])

    for_member = member_client.get(session.get_absolute_url()).content.decode()
    for_visitor = client.get(session.get_absolute_url()).content.decode()

    assert "Nobody has written up notes yet." in for_member
    assert f'href="{write}?session={session.slug}"' in for_member
    assert "notes-title" not in for_visitor


# Cancelled sessions ---------------------------------------------------------------


def test_cancelled_session_says_why_and_points_to_the_next_one(any_client):
    session = make_session(
        status=SessionStatus.CANCELLED,
        cancellation_reason="The office is closed for a repair.",
        starts_at=timezone.now() + timedelta(days=2),
    )
    make_session(topic="Later on", starts_at=timezone.now() + timedelta(days=30))
    following = make_session(topic="The next one", starts_at=timezone.now() + timedelta(days=9))

    body = any_client.get(session.get_absolute_url()).content.decode()

    assert "<strong>This session is cancelled.</strong>" in body
    assert "<p>The office is closed for a repair.</p>" in body
    card = state_card(body)
    assert '<h2 id="state-title">Next session</h2>' in card
    assert f'<a href="{following.get_absolute_url()}">The next one</a>' in card
    assert "Later on" not in card
    for text in ['id="rsvp"', "Coming?", "Add to calendar", "How to join", "Map and directions"]:
        assert text not in body, text


def test_cancelled_session_with_nothing_after_it_says_so(client):
    session = make_session(status=SessionStatus.CANCELLED)

    card = state_card(client.get(session.get_absolute_url()).content.decode())

    assert "Nothing else is scheduled yet" in card
    assert f'<a href="{LIST}">See all upcoming sessions</a>' in card


# Upcoming: who's coming ---------------------------------------------------------------


def test_members_see_avatars_of_members_who_chose_to_be_listed(member_client, member):
    session = make_session()
    listed = make_user(display_name="Robin Tran")
    unlisted = make_user(display_name="Sam Quiet")
    rsvp(session, user=listed, n=1, listed=True)
    rsvp(session, user=unlisted, n=2, listed=False)
    rsvp(session, n=3, listed=True)  # a guest: never named
    rsvp(session, user=make_user(display_name="Wai Ting"), n=4, listed=True, status="waitlisted")

    body = member_client.get(session.get_absolute_url()).content.decode()

    section = re.search(r'<section class="attendees".*?</section>', body, re.S)[0]
    assert '<h2 id="attendees-title">Who\'s coming</h2>' in section
    assert re.findall(
        r'<span class="avatar" aria-hidden="true">(\w+)</span> ([^<]+)</li>', section
    ) == [("RT", "Robin Tran")]
    for hidden in ["Sam Quiet", "Guest 3", "guest3@example.org", "Wai Ting", listed.email]:
        assert hidden not in section


def test_members_names_show_once_on_the_page(member_client, member):
    session = make_session()
    rsvp(session, user=make_user(display_name="Robin Tran"), n=1, listed=True)

    body = member_client.get(session.get_absolute_url()).content.decode()

    assert body.count("Robin Tran") == 1


def test_in_person_member_at_a_hybrid_session_is_told_how_to_get_the_link(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.HYBRID)
    rsvp(session, user=member, attend_as=AttendAs.IN_PERSON)

    body = without_icons(member_client.get(session.get_absolute_url()).content.decode())

    assert "choose Online in your RSVP and the meeting link shows on this page" in body
    assert "appears on this page once you RSVP" not in body
    assert session.meeting_url not in body


def test_visitors_see_no_names_of_who_is_coming(client):
    session = make_session()
    rsvp(session, user=make_user(display_name="Robin Tran"), listed=True)

    body = client.get(session.get_absolute_url()).content.decode()

    assert "Robin Tran" not in body
    assert "attendees-title" not in body


def test_upcoming_session_rsvp_box_sits_in_the_side_column(client):
    session = make_session()

    body = client.get(session.get_absolute_url()).content.decode()

    aside = body[
        body.index('<div class="session__aside">') : body.index('<div class="session__main">')
    ]
    assert 'id="rsvp"' in aside
    # The details come first in the page (and on a phone): when, where, what kind.
    assert body.index('<dl class="facts session__facts">') < body.index(
        '<div class="session__aside">'
    )


def test_session_page_headings_never_skip_a_level(member_client, member):
    session = past_session()
    notes = make_post(pattern=ActivityPattern.objects.get(slug="documenting-projects"))
    notes.sessions.add(session)
    ActivityPattern.objects.get(slug="visits").sessions.add(session)
    upcoming = make_session(venue=make_venue(directions="First door", parking_notes="Lot"))
    rsvp(upcoming, user=make_user(), listed=True)

    for url in (session.get_absolute_url(), upcoming.get_absolute_url()):
        body = member_client.get(url).content.decode()
        levels = [int(level) for level in re.findall(r"<h([1-6])[ >]", body)]
        assert levels[0] == 1
        assert all(b - a <= 1 for a, b in pairwise(levels)), levels


# Queries ------------------------------------------------------------------------------


@pytest.mark.parametrize("count", [1, 200])
def test_past_session_page_query_count_does_not_grow(
    client, member, django_assert_max_num_queries, count
):
    session = past_session()
    Rsvp.objects.bulk_create(
        Rsvp(
            session=session,
            name=f"Guest {n}",
            email=f"guest{n}@example.org",
            attend_as=AttendAs.IN_PERSON,
            status=RsvpStatus.GOING,
            queued_at=session.starts_at - timedelta(days=1),
            checked_in_at=session.starts_at if n % 2 else None,
            checked_in_by=CheckInBy.DOOR if n % 2 else "",
            token=f"past-{n}",
        )
        for n in range(count)
    )
    WalkIn.objects.bulk_create(WalkIn(session=session, count=1) for _ in range(count))
    for n in range(min(count, 10)):
        make_post(title=f"Post {n}", tags=["meetings"]).sessions.add(session)

    # the session, focus activities, linked posts (and their tags), who came
    with django_assert_max_num_queries(5):
        response = client.get(session.get_absolute_url())
    assert response.status_code == 200

    client.force_login(member)
    # + log-in session, user, organizer role
    with django_assert_max_num_queries(8):
        client.get(session.get_absolute_url())


@pytest.mark.parametrize("count", [1, 100])
def test_cancelled_session_page_query_count_does_not_grow(
    client, django_assert_max_num_queries, count
):
    venue = make_venue()
    start = timezone.now() + timedelta(days=1)
    Session.objects.bulk_create(
        make_session(save=False, venue=venue, starts_at=start + n * timedelta(hours=3))
        for n in range(count)
    )
    session = make_session(status=SessionStatus.CANCELLED, starts_at=start)

    # the session, focus activities, linked posts, the next session
    with django_assert_max_num_queries(4):
        response = client.get(session.get_absolute_url())
    assert response.status_code == 200
