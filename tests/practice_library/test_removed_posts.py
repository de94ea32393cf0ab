"""Posts and replies their author removed on leaving ("delete my posts"): the thread and
other people's words stay reachable at the post's URL; lists and search leave it out."""

import pytest
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from practice_library.models import (
    Attachment,
    EvidenceItem,
    Post,
    PostLink,
    Reply,
    Signup,
    Tag,
)
from practice_library.models.post import State
from practice_library.services.posts import contributions_remove
from tests.factories import make_post, make_reply, make_session, make_user

pytestmark = pytest.mark.django_db


def _removed_thread(other_member, **fields) -> tuple[Post, Reply]:
    """A post by a member who then left with "delete my posts", and another member's
    reply on it; returns both, as read back from the database."""
    leaver = make_user(display_name="Lee Leaver")
    post = make_post(author=leaver, **fields)
    reply = make_reply(post=post, author=other_member, body="Tuesdays worked for us too.")
    contributions_remove(author=leaver)
    post.refresh_from_db()
    return post, reply


def _attach(post, name: str) -> Attachment:
    attachment = Attachment(post=post, original_name=name, content_type="application/pdf", size=3)
    attachment.file.save(name, SimpleUploadedFile(name, b"pdf"), save=True)
    return attachment


# Lists and search


def test_removed_post_is_left_out_of_every_list(client, other_member):
    post, _ = _removed_thread(
        other_member, kind="question", title="Where to meet?", tags=["meeting places"]
    )
    # Put back on purpose: the lists must leave a removed post out by themselves.
    post.tags.set(Tag.objects.filter(slug="meeting-places"))
    url = post.get_absolute_url()

    home = client.get(reverse("library:home"))
    activity = client.get(post.pattern.get_absolute_url())
    tag = client.get(reverse("library:tag-detail", kwargs={"slug": "meeting-places"}))
    search = client.get(reverse("library:search"), {"q": "Tuesdays"})

    assert [home.status_code, activity.status_code, tag.status_code] == [200, 200, 200]
    assert home.context["recent_posts"] == []
    assert home.context["open_questions"] == []
    assert url not in home.content.decode()
    assert url not in activity.content.decode()
    assert url not in tag.content.decode()
    assert list(search.context["page"].object_list) == []


def test_removed_post_loses_its_tags_and_sessions(other_member):
    session = make_session()
    leaver = make_user()
    post = make_post(author=leaver, tags=["gardening"])
    post.sessions.add(session)
    PostLink.objects.create(post=post, url="https://example.org/plan")

    contributions_remove(author=leaver)

    assert list(post.tags.all()) == []
    assert list(post.sessions.all()) == []
    assert not PostLink.objects.filter(post=post).exists()
    assert post.get_absolute_url() not in Client().get(session.get_absolute_url()).content.decode()


def test_removed_post_is_not_counted_on_its_activity(client, other_member):
    post, _ = _removed_thread(other_member, title="Where to meet?")

    response = client.get(reverse("library:home"))

    counts = {pattern.pk: pattern.post_count for pattern in response.context["patterns"]}
    assert counts[post.pattern_id] == 0


# The post page


def test_removed_post_page_shows_the_notice_and_the_replies(client, other_member):
    post, reply = _removed_thread(other_member, title="Where to meet?", body="Ideas welcome.")

    response = client.get(post.get_absolute_url())

    page = response.content.decode()
    assert response.status_code == 200
    assert "<title>A removed post" in page
    assert "<h1>Removed by its author</h1>" in page
    assert "Where to meet?" not in page
    assert "Ideas welcome." not in page
    assert "Lee Leaver" not in page
    assert f'id="reply-{reply.pk}"' in page
    assert "Tuesdays worked for us too." in page
    assert '<meta name="robots" content="noindex">' in page


def test_removed_post_lets_others_edit_and_report_replies(other_member):
    post, reply = _removed_thread(other_member)
    someone = make_user()
    make_reply(post=post, author=someone, body="Thursdays for us.")
    author = Client()
    author.force_login(other_member)

    edit = author.get(
        reverse("library:reply-edit", kwargs={"code": post.code, "reply_id": reply.pk})
    )
    report = author.get(
        reverse(
            "library:reply-report",
            kwargs={"code": post.code, "reply_id": Reply.objects.get(author=someone).pk},
        )
    )

    assert edit.status_code == 200
    assert "Tuesdays worked for us too." in edit.content.decode()
    assert report.status_code == 200


def test_removed_post_takes_no_new_replies(other_member):
    post, _ = _removed_thread(other_member)
    client = Client()
    client.force_login(other_member)

    response = client.post(
        reverse("library:reply-create", kwargs={"code": post.code}), {"body": "Anyone?"}
    )

    assert response.status_code == 400
    assert "Its author removed this post when they left, so it&#x27;s closed." in (
        response.content.decode()
    )
    assert list(Reply.objects.filter(post=post).values_list("body", flat=True)) == [
        "Tuesdays worked for us too."
    ]


def test_removed_post_page_offers_no_reply_form_follow_or_report(other_member):
    post, _ = _removed_thread(other_member)
    client = Client()
    client.force_login(other_member)

    page = client.get(post.get_absolute_url()).content.decode()

    assert "Its author removed this post, so it takes no new replies." in page
    assert "Post your reply" not in page
    assert "Report this post" not in page
    assert reverse("library:post-follow", kwargs={"code": post.code}) not in page


def test_removed_coordination_post_takes_no_new_signups(other_member):
    post, _ = _removed_thread(other_member, kind="coordination")
    client = Client()
    client.force_login(other_member)

    response = client.post(
        reverse("library:post-signup", kwargs={"code": post.code}), {"action": "on"}
    )

    assert response.status_code == 400
    assert not Signup.objects.filter(post=post).exists()


def test_removed_argument_keeps_others_evidence_and_takes_no_more(other_member):
    leaver = make_user()
    post = make_post(author=leaver, kind="argument")
    EvidenceItem.objects.create(post=post, author=leaver, source="My count", shows="Mine")
    EvidenceItem.objects.create(post=post, author=other_member, source="A survey", shows="Yes")
    contributions_remove(author=leaver)
    client = Client()
    client.force_login(other_member)

    response = client.post(
        reverse("library:evidence-create", kwargs={"code": post.code}),
        {"source": "Another", "shows": "More"},
    )

    assert response.status_code == 400
    assert list(EvidenceItem.objects.values_list("source", flat=True)) == ["A survey"]


# Moderation


def test_removed_hidden_post_restored_by_an_organizer_shows_the_placeholder(
    organizer_client, other_member
):
    post, _ = _removed_thread(other_member, title="Rant", state=State.HIDDEN)
    assert Client().get(post.get_absolute_url()).status_code == 404

    organizer_client.post(
        reverse("library:post-moderate", kwargs={"code": post.code}), {"action": "restore"}
    )

    page = Client().get(post.get_absolute_url()).content.decode()
    assert "<h1>Removed by its author</h1>" in page
    assert "Tuesdays worked for us too." in page
    assert "Rant" not in page


def test_removed_hidden_reply_stays_hidden_and_offers_no_restore(organizer_client, other_member):
    leaver = make_user()
    post = make_post(author=other_member)
    reply = make_reply(post=post, author=leaver, body="Something unkind.", state=State.HIDDEN)
    contributions_remove(author=leaver)

    organizer_client.post(
        reverse("library:reply-moderate", kwargs={"code": post.code, "reply_id": reply.pk}),
        {"action": "restore"},
    )

    reply.refresh_from_db()
    page = organizer_client.get(post.get_absolute_url()).content.decode()
    assert reply.state == State.HIDDEN
    assert "This reply was hidden by an organizer." in page
    assert "Its author removed the text when they left the CoP." in page
    assert 'value="restore"' not in page


# The service


def test_contributions_remove_deletes_files_after_the_commit(
    other_member, django_capture_on_commit_callbacks
):
    leaver = make_user()
    post = make_post(author=leaver)
    name = _attach(post, "plan.pdf").file.name
    theirs = _attach(make_post(author=other_member), "theirs.pdf").file.name

    with django_capture_on_commit_callbacks(execute=True):
        contributions_remove(author=leaver)

    assert not default_storage.exists(name)
    assert default_storage.exists(theirs)
    assert list(Attachment.objects.values_list("original_name", flat=True)) == ["theirs.pdf"]


def test_contributions_remove_leaves_other_members_alone(other_member):
    leaver = make_user()
    make_post(author=leaver)
    theirs = make_post(author=other_member, title="Still here", body="All of it.")
    their_reply = make_reply(post=theirs, author=other_member, body="And this.")

    contributions_remove(author=leaver)

    theirs.refresh_from_db()
    their_reply.refresh_from_db()
    assert (theirs.title, theirs.body, theirs.removed_at) == ("Still here", "All of it.", None)
    assert (their_reply.body, their_reply.removed_at) == ("And this.", None)
