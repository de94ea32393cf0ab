"""Only a write of what public pages show makes the pages kept for visitors stale: a
stranger's 404, forged or rejected POST, a failed log-in, a sign-up, or a write of rows
no public page shows, leaves every kept page kept (cop_portal.lib.content_version)."""

from collections.abc import Callable

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from cop_portal.lib.content_version import content_version
from cop_portal.mail.preferences import set_preferences
from members.models import User
from members.services.account import replies_mark_seen
from members.services.profile import profile_for
from practice_library.models import Post, Report
from practice_library.services.posts import follow_set
from sessions_app.models import Rsvp
from sessions_app.services.attendance import rsvp_check_in, walk_in_add
from sessions_app.services.feed_tokens import feed_token_for_member, feed_token_note_fetch
from sessions_app.services.rsvps import rsvp_create
from tests.factories import PASSWORD, make_post, make_reply, make_session

pytestmark = pytest.mark.django_db


def _queries(client: Client, url: str) -> int:
    """How many queries answering a GET of `url` took (0: it was a kept page)."""
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _guest(email: str = "gia@example.org") -> dict[str, str]:
    return {"name": "Gia Guest", "email": email, "organization": "", "how": "in-person"}


@pytest.fixture
def session():
    return make_session(title="Tenant rights clinic", capacity=10)


@pytest.fixture
def kept(client, session) -> Callable[[], bool]:
    """The session's page, kept for visitors; call it to ask whether it still is."""
    url = session.get_absolute_url()
    client.get(url)
    assert _queries(client, url) == 0
    return lambda: _queries(client, url) == 0


# What changes nothing


def test_a_post_to_a_missing_page_changes_nothing(kept):
    before = content_version()

    response = Client().post("/no-such-page/", {"title": "x"})

    assert response.status_code == 404
    assert content_version() == before
    assert kept()


def test_a_post_without_a_csrf_token_changes_nothing(kept, session):
    before = content_version()

    response = Client(enforce_csrf_checks=True).post(
        reverse("sessions:rsvp-create", args=[session.slug]), _guest()
    )

    assert response.status_code == 403
    assert not Rsvp.objects.exists()
    assert content_version() == before
    assert kept()


def test_a_failed_log_in_changes_nothing(kept, member):
    before = content_version()

    response = Client().post(
        reverse("account_login"), {"login": member.email, "password": "not-the-password"}
    )

    assert response.status_code == 200
    assert "_auth_user_id" not in response.client.session
    assert content_version() == before
    assert kept()


def test_a_rejected_form_changes_nothing(kept, session):
    before = content_version()

    response = Client().post(
        reverse("sessions:rsvp-create", args=[session.slug]), _guest(email="not-an-address")
    )

    assert response.status_code == 400
    assert not Rsvp.objects.exists()
    assert content_version() == before
    assert kept()


def test_an_organizers_rejected_form_changes_nothing(kept, session, organizer_client):
    before = content_version()

    response = organizer_client.post(
        reverse("sessions:session-cancel", args=[session.slug]), {"reason": ""}
    )

    assert response.status_code == 400
    assert content_version() == before
    assert kept()


def test_a_forbidden_post_changes_nothing(kept, session, member_client):
    before = content_version()

    response = member_client.post(
        reverse("sessions:session-cancel", args=[session.slug]), {"reason": "Mine now."}
    )

    assert response.status_code in (403, 404)
    assert content_version() == before
    assert kept()


def test_logging_in_changes_nothing(kept, member):
    before = content_version()

    response = Client().post(
        reverse("account_login"), {"login": member.email, "password": PASSWORD}
    )

    assert response.status_code == 302
    assert "_auth_user_id" in response.client.session
    assert content_version() == before
    assert kept()


def test_a_new_account_changes_nothing(kept):
    before = content_version()

    Client().post(
        reverse("account_signup"),
        {
            "email": "newcomer@example.com",
            "display_name": "New Comer",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )

    assert User.objects.filter(email="newcomer@example.com", display_name="New Comer").exists()
    assert content_version() == before
    assert kept()


def test_rows_no_public_page_shows_change_nothing(kept, session, member, other_member):
    rsvp, _ = rsvp_create(
        session=session, attend_as="in-person", waitlist_ok=True, user=member, guest=None
    )
    post = make_post(author=member)
    before = content_version()

    feed_token_note_fetch(
        token=feed_token_for_member(user=member), user_agent="Thunderbird", now=timezone.now()
    )
    set_preferences(member.email, {"announcements": True})
    profile_for(other_member)
    replies_mark_seen(user=member, until=timezone.now())
    rsvp_check_in(rsvp=rsvp)
    walk_in_add(session=session, count=2)
    follow_set(post=post, user=other_member, on=True)
    Report.objects.create(post=post, reporter=other_member, reason="spam", details="Spam?")
    member.last_login = timezone.now()
    member.save(update_fields=["last_login"])

    assert content_version() == before


def test_saving_a_member_without_changing_their_name_changes_nothing(member):
    before = content_version()

    member.is_active = True
    member.save()
    User.objects.get(pk=member.pk).save()

    assert content_version() == before


# What makes kept pages stale


def test_a_guest_rsvp_shows_in_the_places_at_once(client, kept, session):
    assert "0 going in person" in client.get(session.get_absolute_url()).content.decode()

    Client().post(reverse("sessions:rsvp-create", args=[session.slug]), _guest())

    assert not kept()
    assert "1 going in person" in client.get(session.get_absolute_url()).content.decode()


def test_a_cancelled_rsvp_shows_in_the_places_at_once(client, session, member):
    rsvp, _ = rsvp_create(
        session=session, attend_as="in-person", waitlist_ok=True, user=member, guest=None
    )
    assert "1 going in person" in client.get(session.get_absolute_url()).content.decode()

    rsvp.status = "cancelled"
    rsvp.save()

    assert "0 going in person" in client.get(session.get_absolute_url()).content.decode()


def test_a_new_post_shows_in_the_library_at_once(client, member_client, member):
    post = make_post(author=member, title="Sign-in sheets that work")
    client.get("/library/")
    pattern = post.pattern

    member_client.post(
        reverse("library:post-create", args=[pattern.slug]),
        {"title": "Door-knocking scripts", "body": "What we say.", "tags": "", "links": ""},
    )

    assert Post.objects.filter(title="Door-knocking scripts").exists()
    assert "Door-knocking scripts" in client.get("/library/").content.decode()


def test_a_new_display_name_shows_on_the_authors_posts(client, member):
    post = make_post(author=member, title="Sign-in sheets that work")
    assert member.display_name in client.get(post.get_absolute_url()).content.decode()

    member.display_name = "Dana R."
    member.save(update_fields=["display_name"])

    assert "Dana R." in client.get(post.get_absolute_url()).content.decode()


def test_a_deleted_reply_and_a_deleted_account_show_at_once(client, member, other_member):
    post = make_post(author=member, title="Sign-in sheets that work")
    reply = make_reply(post=post, author=other_member, body="We tried clipboards.")
    assert "We tried clipboards." in client.get(post.get_absolute_url()).content.decode()

    reply.delete()
    page = client.get(post.get_absolute_url()).content.decode()
    member.delete()
    after = client.get(post.get_absolute_url()).content.decode()

    assert "We tried clipboards." not in page
    assert "A former member" in after


def test_tags_added_to_a_post_show_at_once(client, member):
    post = make_post(author=member, title="Sign-in sheets that work")
    client.get(post.get_absolute_url())
    before = content_version()

    # A raw many-to-many write, around the services (and the tags list's stored counts):
    # the post page, kept for visitors, shows the tag at once all the same.
    post.tags.create(name="Volunteers", slug="volunteers")

    assert content_version() != before
    assert "Volunteers" in client.get(post.get_absolute_url()).content.decode()
