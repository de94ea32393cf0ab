"""Sessions and the library: focus activities and linked posts on the session page,
and notes from a past session written up as a documenting-projects post."""

from datetime import timedelta
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from practice_library.models import ActivityPattern, Post
from sessions_app.models import SessionStatus
from tests.factories import make_post, make_session

pytestmark = pytest.mark.django_db


def _past_session():
    return make_session(title="Community of Practice", starts_at=timezone.now() - timedelta(days=3))


def test_session_page_lists_its_focus_activities(client):
    session = make_session()
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    pattern.sessions.add(session)

    body = unescape(client.get(session.get_absolute_url()).content.decode())

    assert f'<a href="{pattern.get_absolute_url()}">{pattern.name}</a>: {pattern.purpose}' in body


def test_session_page_shows_linked_posts_to_those_allowed(client, member_client):
    session = make_session()
    public = make_post(title="What we heard about vacant lots")
    private = make_post(title="Members-only notes", members_only=True)
    hidden = make_post(title="Hidden notes", state="hidden")
    for post in (public, private, hidden):
        post.sessions.add(session)

    for_visitor = client.get(session.get_absolute_url()).content.decode()
    for_member = member_client.get(session.get_absolute_url()).content.decode()

    assert "What we heard about vacant lots" in for_visitor
    assert "Members-only notes" not in for_visitor
    assert "Members-only notes" in for_member
    assert "Hidden notes" not in for_member


def test_past_session_invites_members_to_write_up_notes(member_client, client):
    session = _past_session()
    link = reverse("library:post-create", args=["documenting-projects"])

    for_member = member_client.get(session.get_absolute_url()).content.decode()
    for_visitor = client.get(session.get_absolute_url()).content.decode()

    assert f"{link}?session={session.slug}" in for_member
    assert link not in for_visitor


def test_notes_form_starts_linked_to_the_session(member_client):
    session = _past_session()
    url = reverse("library:post-create", args=["documenting-projects"])

    response = member_client.get(f"{url}?session={session.slug}")

    form = response.context["form"]
    assert form["sessions"].value() == [session.pk]
    # The topic is the session's title (its series' name is only context).
    assert form["title"].value().startswith(f"Notes: {session.headline}, ")
    assert session.headline != session.title


def test_notes_become_a_project_post_linked_to_the_session(member_client):
    session = _past_session()
    url = reverse("library:post-create", args=["documenting-projects"])
    page = member_client.get(f"{url}?session={session.slug}")
    data = {
        name: value for name, value in page.context["form"].initial.items() if name in ("title",)
    }
    data.update(
        {
            "body": "",
            "tags": "meetings",
            "links": "",
            "sessions": [str(session.pk)],
            "problem": "Few people stayed after the first meeting.",
            "outcome": "A buddy system for newcomers kept half of them.",
            "context": "",
            "tried": "",
            "reusable": "",
        }
    )

    response = member_client.post(url, data)

    post = Post.objects.get()
    assert response.status_code == 302, response.context["form"].errors
    assert list(post.sessions.all()) == [session]
    assert post.pattern.slug == "documenting-projects"
    body = member_client.get(session.get_absolute_url()).content.decode()
    assert post.title in body


def test_unknown_session_in_the_notes_link_is_ignored(member_client):
    url = reverse("library:post-create", args=["documenting-projects"])

    response = member_client.get(f"{url}?session=no-such-session")

    assert response.status_code == 200
    assert response.context["form"]["sessions"].value() in (None, [])


def test_a_cancelled_session_in_the_notes_link_is_ignored(member_client):
    session = make_session(status=SessionStatus.CANCELLED, cancellation_reason="Snow.")
    url = reverse("library:post-create", args=["documenting-projects"])

    response = member_client.get(f"{url}?session={session.slug}")

    assert response.context["form"]["sessions"].value() in (None, [])
    assert session.pk not in {s.pk for s in response.context["form"].fields["sessions"].queryset}


@pytest.mark.parametrize("count", [1, 30])
def test_session_page_queries_do_not_grow_with_linked_posts(
    client, django_assert_max_num_queries, count
):
    session = make_session()
    for n in range(count):
        make_post(title=f"Post {n}", tags=["meetings"]).sessions.add(session)
    ActivityPattern.objects.get(slug="visits").sessions.add(session)

    with django_assert_max_num_queries(5):
        response = client.get(session.get_absolute_url())

    assert response.status_code == 200
