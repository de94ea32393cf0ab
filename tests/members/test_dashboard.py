"""The member's page at /me/: upcoming RSVPs, recent posts, replies awaiting them."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from members.models import Profile
from practice_library.models import Follow, Reply
from practice_library.models.post import State
from sessions_app.models import AttendanceMode, Rsvp, RsvpStatus, Session, SessionStatus
from sessions_app.models.session import local_zone
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/secret-room"
DASHBOARD = "/me/"


def _page(client) -> str:
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 200
    return unescape(response.content.decode())


def _titles(sessions: str) -> list[str]:
    return re.findall(r'class="going-card__title"><a href="[^"]+">([^<]+)</a>', sessions)


def _section(body: str, heading_id: str) -> str:
    """The HTML of one dashboard section, found by its heading's id."""
    match = re.search(rf'<(section|nav)[^>]*aria-labelledby="{heading_id}">(.*?)</\1>', body, re.S)
    assert match, heading_id
    return match.group(2)


# Access


def test_dashboard_url_is_me():
    assert reverse("members:dashboard") == DASHBOARD


def test_dashboard_sends_visitors_to_log_in(client):
    response = client.get(DASHBOARD)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={DASHBOARD}"


def test_dashboard_greets_the_member(member_client):
    body = _page(member_client)

    assert "<h1>Hello, Dana Member</h1>" in body


# Upcoming sessions


def test_dashboard_lists_upcoming_rsvps_with_headline_badge_time_place_and_status(
    member_client, member
):
    session = make_session(title="Community of Practice", topic="Volunteers that stay")
    rsvp_create(session=session, user=member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    start = session.local_starts_at
    assert _titles(sessions) == ["Volunteers that stay"]
    assert '<p class="going-card__context">Community of Practice</p>' in sessions
    assert f'<span class="date-badge__month">{start:%b}</span>' in sessions
    assert f'<span class="date-badge__day">{start.day}</span>' in sessions
    assert start.strftime("%A, %B ") + str(start.day) in sessions
    zone = start.strftime("%Z")
    assert zone in {"EST", "EDT"}
    assert f"{session.local_ends_at:%-I:%M %p} {zone}" in sessions
    assert session.where in sessions
    assert "You're coming in person" in sessions


def test_dashboard_join_button_shows_to_people_going_online_from_15_minutes_before(
    member_client, member
):
    session = make_session(
        attendance_mode=AttendanceMode.ONLINE, starts_at=timezone.now() + timedelta(minutes=14)
    )
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert f'<a class="button" href="{SECRET}" rel="noopener noreferrer">Join<span' in sessions
    assert "Dial 555-0100, passcode 4242." in sessions


def test_dashboard_join_button_stays_until_the_end(member_client, member):
    session = make_session(
        attendance_mode=AttendanceMode.ONLINE, starts_at=timezone.now() - timedelta(minutes=50)
    )
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert f'href="{SECRET}"' in sessions


def test_dashboard_says_when_the_join_button_comes_earlier_on_the_day(member_client, member):
    now = timezone.localtime(timezone.now(), local_zone())
    # Later today, more than 15 minutes from now (or, late at night, not today at all).
    starts = now + timedelta(minutes=30)
    session = make_session(attendance_mode=AttendanceMode.ONLINE, starts_at=starts)
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert SECRET not in sessions
    assert "passcode 4242" not in sessions
    opens = starts - timedelta(minutes=15)
    if starts.date() == now.date():
        assert f"The Join button appears here at {opens:%-I:%M %p}" in sessions
    else:
        assert "The Join button appears" not in sessions


def test_dashboard_keeps_the_meeting_link_off_until_the_day(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.ONLINE)
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "You're coming online" in sessions
    assert SECRET not in sessions
    assert "passcode 4242" not in sessions
    assert "The Join button appears" not in sessions


def test_dashboard_join_button_is_not_for_people_in_the_room(member_client, member):
    session = make_session(starts_at=timezone.now() + timedelta(minutes=5))
    rsvp_create(session=session, user=member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert SECRET not in sessions


def test_dashboard_hides_joining_details_from_people_on_the_waitlist(member_client, member):
    session = make_session(
        attendance_mode=AttendanceMode.ONLINE,
        online_capacity=1,
        starts_at=timezone.now() + timedelta(minutes=5),
    )
    rsvp_create(session=session, user=make_user(), attend_as="online")
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "You're 1st on the waitlist for an online place" in sessions
    assert SECRET not in sessions
    assert "passcode 4242" not in sessions


def test_dashboard_says_the_waitlist_position_as_an_ordinal(member_client, member):
    session = make_session(capacity=1)
    for _ in range(2):
        rsvp_create(session=session, user=make_user(), attend_as="in-person")
    rsvp_create(session=session, user=member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "You're 2nd on the waitlist for a seat" in sessions


def test_dashboard_shows_a_cancelled_session_with_its_reason(member_client, member):
    session = make_session()
    rsvp_create(session=session, user=member, attend_as="in-person")
    Session.objects.filter(pk=session.pk).update(
        status=SessionStatus.CANCELLED, cancellation_reason="The room flooded."
    )

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "<strong>Cancelled</strong>: The room flooded." in sessions
    assert "Cancel my RSVP" not in sessions


def test_dashboard_leaves_out_past_draft_cancelled_and_other_peoples_rsvps(
    member_client, member, other_member
):
    now = timezone.now()
    shown = make_session(topic="Shown session")
    over = make_session(topic="Over session", starts_at=now - timedelta(days=2))
    draft = make_session(topic="Draft session", status=SessionStatus.DRAFT)
    withdrawn = make_session(topic="Withdrawn session")
    theirs = make_session(topic="Their session")
    rsvp_create(session=shown, user=member, attend_as="in-person")
    Rsvp.objects.create(
        session=over, user=member, attend_as="in-person", status="going", queued_at=now
    )
    Rsvp.objects.create(
        session=draft, user=member, attend_as="in-person", status="going", queued_at=now
    )
    Rsvp.objects.create(
        session=withdrawn, user=member, attend_as="in-person", status="cancelled", queued_at=now
    )
    rsvp_create(session=theirs, user=other_member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert _titles(sessions) == ["Shown session"]


def test_dashboard_says_so_when_no_session_is_coming(member_client):
    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "You haven't RSVPed to anything coming up." in sessions


def test_dashboard_cancel_button_cancels_and_comes_back(member_client, member):
    session = make_session()
    rsvp, _ = rsvp_create(session=session, user=member, attend_as="in-person")
    sessions = _section(_page(member_client), "dashboard-sessions")
    cancel_url = reverse("sessions:rsvp-cancel", kwargs={"token": rsvp.token})

    assert f'action="{cancel_url}"' in sessions
    assert f'<input type="hidden" name="next" value="{DASHBOARD}">' in sessions

    response = member_client.post(cancel_url, {"next": DASHBOARD})

    rsvp.refresh_from_db()
    assert response["Location"] == DASHBOARD
    assert rsvp.status == RsvpStatus.CANCELLED
    assert "You haven't RSVPed to anything coming up." in _page(member_client)


# Posts


def test_dashboard_lists_my_recent_posts_with_reply_counts(member_client, member):
    post = make_post(author=member, title="Our block club's first year")
    make_reply(post=post)
    make_reply(post=post)
    make_reply(post=post, state=State.HIDDEN)
    make_post(author=member, title="Withdrawn idea", state=State.DELETED)
    make_post(title="Someone else's post")

    posts = _section(_page(member_client), "dashboard-posts")

    assert f'<a href="{post.get_absolute_url()}">Our block club' in posts
    assert "2 replies" in posts
    assert "Withdrawn idea" not in posts
    assert "Someone else" not in posts


def test_dashboard_says_so_when_there_are_no_posts(member_client):
    posts = _section(_page(member_client), "dashboard-posts")

    assert "You haven't posted yet." in posts


# New replies


def test_dashboard_shows_new_replies_by_others_to_my_posts(member_client, member):
    post = make_post(author=member, title="Keeping volunteers")
    replier = make_user(display_name="Rae Replier")
    reply = make_reply(post=post, author=replier, body="We send thank-you cards.")
    make_reply(post=post, author=member, body="My own follow-up.")
    make_reply(post=post, author=replier, body="Hidden words.", state=State.HIDDEN)
    make_reply(post=make_post(title="Not mine"), author=replier, body="Elsewhere.")

    replies = _section(_page(member_client), "dashboard-replies")

    link = f'<a href="{post.get_absolute_url()}#reply-{reply.pk}">'
    assert f"{link}Rae Replier replied to “Keeping volunteers”</a>" in replies
    assert "· your post ·" in replies
    assert "We send thank-you cards." in replies
    assert "1 new reply on posts you wrote or follow in the last 14 days" in replies
    assert "My own follow-up." not in replies
    assert "Hidden words." not in replies
    assert "Elsewhere." not in replies


def test_dashboard_shows_new_replies_on_posts_i_follow(member_client, member):
    post = make_post(title="Their question")
    Follow.objects.create(post=post, user=member)
    make_reply(post=post, body="An answer to a post you follow.")

    replies = _section(_page(member_client), "dashboard-replies")

    assert "An answer to a post you follow." in replies
    assert "· a post you follow ·" in replies


def test_dashboard_new_replies_go_back_14_days_at_most(member_client, member):
    post = make_post(author=member)
    old = make_reply(post=post, body="Three weeks old.")
    Reply.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=21))
    make_reply(post=post, body="Last week.")
    Profile.objects.create(user=member, replies_seen_at=timezone.now() - timedelta(days=60))

    replies = _section(_page(member_client), "dashboard-replies")

    assert "Last week." in replies
    assert "Three weeks old." not in replies
    assert "in the last 14 days" in replies


def test_dashboard_shows_only_replies_since_i_last_looked(member_client, member):
    post = make_post(author=member)
    old = make_reply(post=post, body="Seen already.")
    Reply.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=2))
    Profile.objects.create(user=member, replies_seen_at=timezone.now() - timedelta(days=1))
    make_reply(post=post, body="Brand new.")

    replies = _section(_page(member_client), "dashboard-replies")

    assert "Brand new." in replies
    assert "Seen already." not in replies
    assert "since you last marked them read" in replies


def test_mark_as_read_hides_the_replies_shown(member_client, member):
    post = make_post(author=member)
    make_reply(post=post, body="Read me.")
    replies = _section(_page(member_client), "dashboard-replies")
    until = re.search(r'name="until" value="([^"]+)"', replies).group(1)

    response = member_client.post(reverse("members:replies-seen"), {"until": until})

    member.profile.refresh_from_db()
    assert response["Location"] == DASHBOARD
    assert member.profile.replies_seen_at.isoformat() == until
    page = _page(member_client)
    assert "No new replies on posts you wrote or follow." in _section(page, "dashboard-replies")
    assert "Replies marked as read." in page


def test_mark_as_read_keeps_a_reply_that_arrived_after_the_page_was_read(member_client, member):
    post = make_post(author=member)
    until = timezone.now()
    late = make_reply(post=post, body="Arrived while you were reading.")
    Reply.objects.filter(pk=late.pk).update(created=until + timedelta(seconds=1))

    member_client.post(reverse("members:replies-seen"), {"until": until.isoformat()})

    replies = _section(_page(member_client), "dashboard-replies")
    assert "Arrived while you were reading." in replies


def test_mark_as_read_never_goes_into_the_future_or_backwards(member_client, member):
    seen = timezone.now() - timedelta(hours=1)
    Profile.objects.create(user=member, replies_seen_at=seen)

    member_client.post(
        reverse("members:replies-seen"), {"until": (seen - timedelta(days=1)).isoformat()}
    )
    member.profile.refresh_from_db()
    assert member.profile.replies_seen_at == seen

    before = timezone.now()
    member_client.post(
        reverse("members:replies-seen"), {"until": (before + timedelta(days=9)).isoformat()}
    )
    member.profile.refresh_from_db()
    assert before <= member.profile.replies_seen_at <= timezone.now()


def test_mark_as_read_needs_an_account_and_a_post(client, member_client, member):
    visitor = client.post(reverse("members:replies-seen"), {"until": timezone.now().isoformat()})
    get = member_client.get(reverse("members:replies-seen"))

    assert visitor["Location"].startswith(reverse("account_login"))
    assert get.status_code == 405
    assert not Profile.objects.filter(replies_seen_at__isnull=False).exists()


# The account menu


def test_dashboard_has_a_short_account_menu(member_client):
    menu = _section(_page(member_client), "dashboard-account")

    links = re.findall(r'<a href="([^"]+)">([^<]+)</a>', menu)
    assert links == [
        (reverse("members:profile-edit"), "Edit my profile"),
        (reverse("sessions:my-rsvps"), "My sessions"),
        (reverse("members:preferences"), "Email preferences"),
        (reverse("members:account"), "Account settings"),
    ]


# Queries


@pytest.mark.parametrize("count", [1, 50])
def test_dashboard_queries_do_not_grow(member_client, member, django_assert_max_num_queries, count):
    """RSVPs going and waiting (in person and online, some in their join window), posts
    written and followed, and replies on both: the page's queries stay the same."""
    Profile.objects.create(user=member, replies_seen_at=timezone.now() - timedelta(days=1))
    post = make_post(author=member, tags=["volunteers"])
    for n in range(count):
        soon = timezone.now() + timedelta(minutes=5 if n % 3 == 0 else 60 * 24 * (n + 1))
        session = make_session(capacity=1, starts_at=soon)
        if n % 2:
            rsvp_create(session=session, user=make_user(), attend_as="in-person")
        rsvp_create(session=session, user=member, attend_as="online" if n % 3 == 0 else "in-person")
        mine = make_post(author=member)
        make_reply(post=mine)
        make_reply(post=post)
        followed = make_post()
        Follow.objects.create(post=followed, user=member)
        make_reply(post=followed)

    with django_assert_max_num_queries(10):
        body = _page(member_client)

    sessions = _section(body, "dashboard-sessions")
    assert sessions.count("Cancel my RSVP") == count
    waiting = [n for n in range(count) if n % 2 and n % 3]  # online places are unlimited
    assert len(re.findall(r"You're \d+(st|nd|rd|th) on the waitlist", sessions)) == len(waiting)
    assert sessions.count(">Join<span") >= 1
    replies = _section(body, "dashboard-replies")
    assert replies.count('class="reply-list__item"') == min(3 * count, 20)


@pytest.mark.parametrize("url", [reverse("members:dashboard"), reverse("sessions:my-rsvps")])
def test_waiting_for_a_place_reads_no_more_queries_than_going(member, member_client, url):
    """Waitlist places are read with the RSVPs, so a member who waits somewhere costs the
    same queries as one who is going everywhere (and sees their place in line)."""
    going = make_session(capacity=5, starts_at=timezone.now() + timedelta(days=3))
    rsvp_create(session=going, user=member, attend_as="in-person")
    member_client.get(url)  # the session, once
    with CaptureQueriesContext(connection) as only_going:
        member_client.get(url)

    full = make_session(capacity=1, starts_at=timezone.now() + timedelta(days=4))
    for _n in range(2):
        rsvp_create(session=full, user=make_user(), attend_as="in-person")
    rsvp_create(session=full, user=member, attend_as="in-person")
    with CaptureQueriesContext(connection) as also_waiting:
        body = unescape(member_client.get(url).content.decode())

    assert "You're 2nd on the waitlist for a seat" in body
    assert len(also_waiting) == len(only_going)
