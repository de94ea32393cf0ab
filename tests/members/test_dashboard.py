"""The member's page at /me/: upcoming RSVPs, recent posts, replies awaiting them."""

import re
from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Profile
from practice_library.models import Reply
from practice_library.models.post import State
from sessions_app.models import AttendanceMode, Rsvp, RsvpStatus, SessionStatus
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db

SECRET = "https://meet.example.org/secret-room"
DASHBOARD = "/me/"


def _page(client) -> str:
    response = client.get(reverse("members:dashboard"))
    assert response.status_code == 200
    return unescape(response.content.decode())


def _section(body: str, heading_id: str) -> str:
    """The HTML of one dashboard section, found by its heading's id."""
    match = re.search(rf'<section[^>]*aria-labelledby="{heading_id}">(.*?)</section>', body, re.S)
    assert match, heading_id
    return match.group(1)


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


def test_dashboard_lists_upcoming_rsvps_with_time_place_and_status(member_client, member):
    session = make_session(title="Volunteers that stay")
    rsvp_create(session=session, user=member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    start = session.local_starts_at
    assert "Volunteers that stay" in sessions
    assert start.strftime("%A, %B ") + str(start.day) in sessions
    zone = start.strftime("%Z")
    assert zone in {"EST", "EDT"}
    assert f"{session.local_ends_at:%-I:%M %p} {zone}" in sessions
    assert session.where in sessions
    assert "You're coming in person." in sessions


def test_dashboard_shows_joining_details_to_people_going_online(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.ONLINE)
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert f'<a href="{SECRET}" rel="noopener noreferrer">Meeting link</a>' in sessions
    assert "Dial 555-0100, passcode 4242." in sessions


def test_dashboard_hides_joining_details_from_people_on_the_waitlist(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.ONLINE, online_capacity=1)
    rsvp_create(session=session, user=make_user(), attend_as="online")
    rsvp_create(session=session, user=member, attend_as="online")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "<strong>Number 1 on the waitlist</strong> for an online place." in sessions
    assert SECRET not in sessions
    assert "passcode 4242" not in sessions


def test_dashboard_hides_joining_details_for_in_person_sessions(member_client, member):
    session = make_session(attendance_mode=AttendanceMode.IN_PERSON, meeting_url="")
    rsvp_create(session=session, user=member, attend_as="in-person")

    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "Meeting link" not in sessions
    assert "passcode" not in sessions


def test_dashboard_leaves_out_past_draft_cancelled_and_other_peoples_rsvps(
    member_client, member, other_member
):
    now = timezone.now()
    shown = make_session(title="Shown session")
    over = make_session(title="Over session", starts_at=now - timedelta(days=2))
    draft = make_session(title="Draft session", status=SessionStatus.DRAFT)
    withdrawn = make_session(title="Withdrawn session")
    theirs = make_session(title="Their session")
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

    titles = re.findall(r'class="my-rsvps__title"><a href="[^"]+">([^<]+)</a>', sessions)
    assert titles == ["Shown session"]


def test_dashboard_says_so_when_no_session_is_coming(member_client):
    sessions = _section(_page(member_client), "dashboard-sessions")

    assert "No sessions coming up." in sessions


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
    assert "No sessions coming up." in _page(member_client)


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


# Replies awaiting me


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
    assert "We send thank-you cards." in replies
    assert "1 new reply to your posts." in replies
    assert "My own follow-up." not in replies
    assert "Hidden words." not in replies
    assert "Elsewhere." not in replies


def test_dashboard_shows_only_replies_since_i_last_looked(member_client, member):
    post = make_post(author=member)
    old = make_reply(post=post, body="Seen already.")
    Reply.objects.filter(pk=old.pk).update(created=timezone.now() - timedelta(days=2))
    Profile.objects.create(user=member, replies_seen_at=timezone.now() - timedelta(days=1))
    make_reply(post=post, body="Brand new.")

    replies = _section(_page(member_client), "dashboard-replies")

    assert "Brand new." in replies
    assert "Seen already." not in replies


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
    assert "No new replies to your posts." in _section(page, "dashboard-replies")
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


# Shortcuts


@pytest.mark.parametrize(
    "name",
    [
        "members:profile-edit",
        "members:preferences",
        "members:directory",
        "sessions:my-rsvps",
        "sessions:session-list",
        "library:home",
        "members:export",
        "members:delete",
    ],
)
def test_dashboard_links_to_the_members_pages(member_client, name):
    url = reverse(name)

    body = _page(member_client)

    assert f'href="{url}"' in body


# Queries


@pytest.mark.parametrize("count", [1, 50])
def test_dashboard_queries_do_not_grow(member_client, member, django_assert_max_num_queries, count):
    Profile.objects.create(user=member, replies_seen_at=timezone.now() - timedelta(days=1))
    post = make_post(author=member, tags=["volunteers"])
    for n in range(count):
        session = make_session(capacity=1)
        if n % 2:
            rsvp_create(session=session, user=make_user(), attend_as="in-person")
        rsvp_create(session=session, user=member, attend_as="in-person")
        mine = make_post(author=member)
        make_reply(post=mine)
        make_reply(post=post)

    with django_assert_max_num_queries(9):
        body = _page(member_client)

    assert body.count("Cancel my RSVP") == count
    assert body.count("on the waitlist</strong> for a seat.") == count // 2
