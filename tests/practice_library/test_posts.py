from datetime import timedelta

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from practice_library.models import Follow, Post, PostLink, Tag
from practice_library.models.post import REPLIES_PER_PAGE, State
from tests.factories import (
    _pattern_for_kind,
    make_post,
    make_profile,
    make_reply,
    make_session,
    make_user,
)

pytestmark = pytest.mark.django_db


def create_url(pattern) -> str:
    return reverse("library:post-create", kwargs={"slug": pattern.slug})


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


# Creating


def test_post_create_form_shows_the_pattern_template_as_guidance_not_text(member_client):
    pattern = _pattern_for_kind("discussion")
    pattern.post_template = "## What happened\n\n## What we learned"
    pattern.save()

    response = member_client.get(create_url(pattern))

    body = response.context["form"]["body"]
    page = response.content.decode()
    assert response.status_code == 200
    assert body.value() is None  # nothing to delete before writing
    assert 'placeholder="## What happened\n\n## What we learned"' in page
    assert "A shape that helps: What happened · What we learned." in body.help_text


def test_post_create_saves_everything_and_the_author_follows(member, member_client):
    pattern = _pattern_for_kind("discussion")
    session = make_session(title="Volunteer evening")
    Tag.objects.create(name="Volunteers", slug="volunteers")

    response = member_client.post(
        create_url(pattern),
        {
            "title": "Keeping volunteers",
            "body": "What brings people **back**?",
            "tags": "volunteers, Youth , youth",
            "links": "Our guide | https://example.org/guide\nexample.com/notes",
            "sessions": [session.pk],
            "members_only": "on",
        },
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.title, post.author, post.members_only) == ("Keeping volunteers", member, True)
    # An existing tag keeps its spelling; a new one is kept in lower case.
    assert sorted(t.name for t in post.tags.all()) == ["Volunteers", "youth"]
    assert Tag.objects.count() == 2
    assert list(PostLink.objects.values_list("label", "url")) == [
        ("Our guide", "https://example.org/guide"),
        ("", "https://example.com/notes"),
    ]
    assert list(post.sessions.all()) == [session]
    assert Follow.objects.filter(post=post, user=member).exists()
    assert (
        post.search_document
        == "Keeping volunteers\nWhat brings people **back**?\nVolunteers\nyouth"
    )


def test_post_create_unknown_pattern_is_404(member_client):
    response = member_client.get(reverse("library:post-create", kwargs={"slug": "nope"}))

    assert response.status_code == 404


def test_post_create_visitor_is_sent_to_log_in(client):
    pattern = _pattern_for_kind("discussion")

    response = client.post(create_url(pattern), {"title": "Hi"})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert Post.objects.count() == 0


def test_post_create_unverified_account_gets_403(db):
    pattern = _pattern_for_kind("discussion")
    client = client_for(make_user(verified=False))

    response = client.post(create_url(pattern), {"title": "Hi"})

    assert response.status_code == 403
    assert "Confirm your email address" in response.content.decode()
    assert Post.objects.count() == 0


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"title": ""}, "title", "Give your post a title."),
        ({"title": "x" * 161}, "title", "Keep the title to 160 characters."),
        ({"body": "x" * 20_001}, "body", "Keep the text to 20000 characters."),
        ({"tags": ",".join(f"t{n}" for n in range(9))}, "tags", "Use at most 8 tags (you gave 9)."),
        ({"tags": "x" * 51}, "tags", "keep each tag to 50 characters"),
        ({"links": "javascript:alert(1)"}, "links", "Line 1: links must start with https://"),
        ({"links": "\n".join(f"https://e.org/{n}" for n in range(6))}, "links", "at most 5 links"),
    ],
)
def test_post_create_refuses_bad_input(member_client, data, field, message):
    pattern = _pattern_for_kind("discussion")

    response = member_client.post(create_url(pattern), {"title": "A title", **data})

    assert response.status_code == 400
    assert message in " ".join(response.context["form"].errors[field])
    assert Post.objects.count() == 0


def test_post_create_coordination_refuses_a_past_deadline(member_client):
    pattern = _pattern_for_kind("coordination")
    yesterday = timezone.localdate() - timedelta(days=1)

    response = member_client.post(create_url(pattern), {"title": "Cleanup", "deadline": yesterday})

    assert response.status_code == 400
    assert response.context["form"].errors["deadline"] == ["The deadline can't be in the past."]


def test_post_create_visit_needs_site_and_kind(member_client):
    pattern = _pattern_for_kind("visit")

    response = member_client.post(create_url(pattern), {"title": "Come see us"})

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert errors["site_name"] == ["Name the program or site."]
    assert errors["visit_kind"] == ["Say whether you offer or ask."]


def test_post_create_project_needs_problem_and_outcome(member_client):
    pattern = _pattern_for_kind("project")

    response = member_client.post(
        create_url(pattern), {"title": "Tool library", "context": "Hough"}
    )

    errors = response.context["form"].errors
    assert response.status_code == 400
    assert set(errors) == {"problem", "outcome"}


def test_post_create_gap_needs_a_wished_for_skill(member_client):
    pattern = _pattern_for_kind("gap")

    response = member_client.get(create_url(pattern))
    assert "wished-for" in response.context["form"].fields["tags"].help_text

    response = member_client.post(create_url(pattern), {"title": "We need grant writers"})

    assert response.status_code == 400
    assert response.context["form"].errors["tags"] == ["Name at least one wished-for skill."]


def test_post_create_keeps_only_the_kind_fields(member_client):
    pattern = _pattern_for_kind("question")

    member_client.post(
        create_url(pattern),
        {"title": "How?", "site_name": "Sneaky", "deadline": "2030-01-01"},
    )

    post = Post.objects.get()
    assert (post.site_name, post.deadline) == ("", None)


def test_post_create_reuses_tags_in_any_letter_case(member_client):
    Tag.objects.create(name="Grant Writing", slug="grant-writing")
    pattern = _pattern_for_kind("discussion")

    member_client.post(create_url(pattern), {"title": "Grants", "tags": "grant writing"})

    assert list(Post.objects.get().tags.values_list("name", flat=True)) == ["Grant Writing"]
    assert Tag.objects.count() == 1


def test_post_tagged_meetings_reuses_the_existing_meeting_tag(member_client):
    meeting = Tag.objects.create(name="meeting", slug="meeting")
    pattern = _pattern_for_kind("discussion")

    member_client.post(create_url(pattern), {"title": "Agendas", "tags": "Meetings, Budgets"})

    post = Post.objects.get()
    assert list(post.tags.order_by("name")) == [Tag.objects.get(name="budget"), meeting]
    assert Tag.objects.count() == 2  # "Meetings" is the vocabulary's "meeting"


def test_post_tag_that_only_shares_a_stem_is_a_topic_of_its_own(member_client):
    Tag.objects.create(name="parking", slug="parking")
    pattern = _pattern_for_kind("discussion")

    member_client.post(create_url(pattern), {"title": "Green space", "tags": "Parks"})

    assert list(Post.objects.get().tags.values_list("name", flat=True)) == ["park"]


def test_post_tag_reuses_the_spelling_members_use(member_client):
    """Of two spellings of one topic, the one most used in public wins."""
    Tag.objects.create(name="Meetings", slug="meetings")  # the older, on no post
    meeting = Tag.objects.create(name="meeting", slug="meeting")
    make_profile(expertise=["meeting"])
    pattern = _pattern_for_kind("discussion")

    member_client.post(create_url(pattern), {"title": "Agendas", "tags_picked": ["MEETING"]})

    assert list(Post.objects.get().tags.all()) == [meeting]


# Editing and deleting


def test_post_edit_by_author_updates_text_tags_and_search(member, member_client):
    post = make_post(author=member, title="Old", tags=["old"])
    make_reply(post=post, body="A reply")

    response = member_client.post(
        reverse("library:post-edit", kwargs={"code": post.code}),
        {"title": "New title", "body": "New body", "tags": "fresh"},
    )

    post.refresh_from_db()
    assert response.status_code == 302
    assert (post.title, post.body) == ("New title", "New body")
    assert list(post.tags.values_list("name", flat=True)) == ["fresh"]
    assert post.search_document == "New title\nNew body\nfresh\nA reply"


def test_post_edit_form_shows_current_tags_and_links(member, member_client):
    post = make_post(author=member, tags=["youth"])
    PostLink.objects.create(post=post, url="https://example.org/", label="Site")

    response = member_client.get(reverse("library:post-edit", kwargs={"code": post.code}))

    form = response.context["form"]
    assert form["tags"].ticked == ["youth"]
    assert form["links"].value() == "Site | https://example.org/"
    checkbox = 'name="tags_picked" value="youth" id="id_tags_picked_0" checked>'
    assert f'<input type="checkbox" {checkbox}' in response.content.decode()


@pytest.mark.parametrize("who", ["other_member", "organizer"])
def test_post_edit_by_anyone_else_is_403(request, who):
    post = make_post(title="Mine")
    client = client_for(request.getfixturevalue(who))

    response = client.post(
        reverse("library:post-edit", kwargs={"code": post.code}), {"title": "Theirs"}
    )

    post.refresh_from_db()
    assert response.status_code == 403
    assert post.title == "Mine"


def test_post_delete_by_author_is_soft(member, member_client):
    post = make_post(author=member)

    response = member_client.post(reverse("library:post-delete", kwargs={"code": post.code}))

    post.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == post.pattern.get_absolute_url()
    assert post.state == State.DELETED
    assert member_client.get(post.get_absolute_url()).status_code == 404


@pytest.mark.parametrize("who", ["other_member", "organizer"])
def test_post_delete_by_anyone_else_is_403(request, who):
    post = make_post()
    client = client_for(request.getfixturevalue(who))

    response = client.post(reverse("library:post-delete", kwargs={"code": post.code}))

    post.refresh_from_db()
    assert response.status_code == 403
    assert post.state == State.PUBLISHED


# Reading


def test_post_detail_shows_the_post_to_visitors(client):
    session = make_session(title="Spring session")
    post = make_post(title="Block parties", body="We **closed** the street.", tags=["events"])
    post.sessions.add(session)
    PostLink.objects.create(post=post, url="https://example.org/permit", label="Permit")
    make_reply(post=post, body="Nice one")

    response = client.get(post.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert "<strong>closed</strong>" in html
    assert f'href="{Tag.objects.get().get_absolute_url()}"' in html
    assert '<a href="https://example.org/permit" rel="nofollow noopener">Permit</a>' in html
    assert f'href="{session.get_absolute_url()}"' in html
    assert "Nice one" in html
    assert "Sign in</a> to reply" in html


def test_post_detail_members_only_sends_visitors_to_log_in(client, member_client):
    post = make_post(members_only=True)

    visitor = client.get(post.get_absolute_url())
    member = member_client.get(post.get_absolute_url())

    assert visitor.status_code == 302
    assert visitor["Location"] == f"{reverse('account_login')}?next={post.get_absolute_url()}"
    assert member.status_code == 200


@pytest.mark.parametrize("state", [State.HIDDEN, State.DELETED])
def test_post_detail_hidden_or_deleted_is_404_but_organizers_see_a_banner(
    client, member, member_client, organizer_client, state
):
    post = make_post(author=member, state=state)

    assert client.get(post.get_absolute_url()).status_code == 404
    assert member_client.get(post.get_absolute_url()).status_code == 404
    response = organizer_client.get(post.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Only organizers can see it." in html
    assert 'value="restore"' in html


def test_post_detail_reply_placeholders_keep_the_thread_readable(client):
    post = make_post()
    make_reply(post=post, body="Visible words")
    make_reply(post=post, body="Rude words", state=State.HIDDEN)
    make_reply(post=post, body="Second thoughts", state=State.DELETED)

    html = client.get(post.get_absolute_url()).content.decode()

    assert "Visible words" in html
    assert "This reply was hidden by an organizer." in html
    assert "This reply was deleted by its author." in html
    assert "Rude words" not in html
    assert "Second thoughts" not in html


def _fill_post(post, replies: int) -> None:
    from practice_library.models import Attachment, Reply

    authors = [make_user() for _ in range(3)]
    Reply.objects.bulk_create(
        Reply(post=post, author=authors[n % 3], body=f"Reply {n}") for n in range(replies)
    )
    Attachment.objects.create(
        post=post,
        file="library/x.pdf",
        original_name="x.pdf",
        content_type="application/pdf",
        size=3,
    )
    PostLink.objects.create(post=post, url="https://example.org/")
    post.sessions.add(make_session())


@pytest.mark.parametrize("kind", ["question", "asset", "coordination", "argument"])
def test_post_detail_query_count_does_not_grow_with_replies(
    member_client, django_assert_max_num_queries, kind
):
    few, many = make_post(kind=kind, tags=["a"]), make_post(kind=kind, tags=["a", "b"])
    _fill_post(few, 1)
    _fill_post(many, 200)

    # At most 12 (the portal's page budget), whatever the activity: the post with its
    # reply counts, its prefetches, one page of replies, session, user, organizer role,
    # following, and the kind's counts.
    with django_assert_max_num_queries(12):
        response = member_client.get(few.get_absolute_url())
    assert response.status_code == 200
    with django_assert_max_num_queries(12):
        response = member_client.get(many.get_absolute_url())
    assert response.content.decode().count('class="reply reply--published') == REPLIES_PER_PAGE


def test_post_detail_reads_as_many_queries_whatever_the_activity(member_client):
    """An asset's reuses and a coordination post's sign-ups are read with the post, so
    every kind of post (but arguments, which show evidence) costs the same queries."""
    counts = {}
    for kind in ["discussion", "question", "asset", "coordination"]:
        post = make_post(kind=kind, tags=["a"])
        _fill_post(post, 3)
        member_client.get(post.get_absolute_url())  # the session, once
        with CaptureQueriesContext(connection) as queries:
            assert member_client.get(post.get_absolute_url()).status_code == 200
        counts[kind] = len(queries)

    assert len(set(counts.values())) == 1, counts
