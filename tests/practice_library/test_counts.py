"""The stored counts of posts per activity and per tag: kept true by every service that
changes what they count, and recounted from scratch by `counts_recount`."""

import pytest

from practice_library.models import ActivityPattern, Post, Tag
from practice_library.models.post import State
from practice_library.services.counts import counts_recount
from practice_library.services.moderation import post_set_state
from practice_library.services.posts import (
    answer_set,
    contributions_remove,
    post_create,
    post_delete,
    post_update,
    reply_delete,
)
from tests.factories import make_organizer, make_post, make_reply, make_user

pytestmark = pytest.mark.django_db


def counts(pattern: ActivityPattern) -> tuple[int, int, int, int]:
    pattern.refresh_from_db()
    return (
        pattern.member_post_count,
        pattern.public_post_count,
        pattern.member_open_count,
        pattern.public_open_count,
    )


def tag_counts(name: str) -> tuple[int, int]:
    tag = Tag.objects.get(name=name)
    return tag.member_post_count, tag.public_post_count


def recounted_the_same() -> bool:
    """What the services stored is what a recount from the rows gives."""
    before = list(
        ActivityPattern.objects.values_list("pk", "member_post_count", "public_open_count")
    )
    tags_before = list(Tag.objects.values_list("pk", "member_post_count", "public_post_count"))
    counts_recount()
    after = list(
        ActivityPattern.objects.values_list("pk", "member_post_count", "public_open_count")
    )
    tags_after = list(Tag.objects.values_list("pk", "member_post_count", "public_post_count"))
    return before == after and tags_before == tags_after


@pytest.fixture
def question() -> ActivityPattern:
    return ActivityPattern.objects.get(slug="requests-for-information")


def test_post_create_counts_the_post_for_members_and_visitors(question):
    author = make_user()

    post_create(
        author=author, pattern=question, fields={"title": "Q"}, tag_names=["safety"], links=[]
    )
    post_create(
        author=author,
        pattern=question,
        fields={"title": "Members' Q", "members_only": True},
        tag_names=["safety"],
        links=[],
    )

    assert counts(question) == (2, 1, 2, 1)
    assert tag_counts("safety") == (2, 1)
    assert recounted_the_same()


def test_post_update_recounts_tags_taken_off_and_put_on(question):
    post = make_post(pattern=question, tags=["safety"])

    post_update(
        post=post,
        editor=post.author,
        fields={"title": "Renamed", "members_only": True},
        tag_names=["funding"],
        links=[],
    )

    assert tag_counts("safety") == (0, 0)
    assert tag_counts("funding") == (1, 0)
    assert counts(question) == (1, 0, 1, 0)
    assert recounted_the_same()


def test_answer_set_and_reply_delete_move_the_open_count(question):
    post = make_post(pattern=question)
    reply = make_reply(post=post)

    answer_set(post=post, reply=reply, by=post.author)
    assert counts(question) == (1, 1, 0, 0)

    reply_delete(reply=reply, by=reply.author)
    assert counts(question) == (1, 1, 1, 1)
    assert recounted_the_same()


def test_post_delete_and_hide_and_restore_recount(question):
    organizer = make_organizer()
    deleted = make_post(pattern=question, tags=["safety"])
    hidden = make_post(pattern=question, tags=["safety"])

    post_delete(post=deleted, by=deleted.author)
    post_set_state(post=hidden, by=organizer, state=State.HIDDEN)
    assert counts(question) == (0, 0, 0, 0)
    assert tag_counts("safety") == (0, 0)

    post_set_state(post=hidden, by=organizer, state=State.PUBLISHED)
    assert counts(question) == (1, 1, 1, 1)
    assert tag_counts("safety") == (1, 1)
    assert recounted_the_same()


def test_contributions_remove_recounts_their_posts_and_the_questions_they_answered(question):
    leaver = make_user()
    make_post(pattern=question, author=leaver, tags=["safety"])
    asked = make_post(pattern=question, tags=["safety"])
    answer_set(post=asked, reply=make_reply(post=asked, author=leaver), by=asked.author)
    assert counts(question) == (2, 2, 1, 1)

    contributions_remove(author=leaver)

    assert counts(question) == (1, 1, 1, 1)  # theirs gone, the other question open again
    assert tag_counts("safety") == (1, 1)
    assert recounted_the_same()


def test_counts_recount_fixes_rows_written_in_bulk(question):
    posts = Post.objects.bulk_create(
        [Post(pattern=question, title="A"), Post(pattern=question, title="B", members_only=True)]
    )
    tag = Tag.objects.create(name="bulk", slug="bulk")
    Post.tags.through.objects.bulk_create(Post.tags.through(post=p, tag=tag) for p in posts)
    assert counts(question) == (0, 0, 0, 0)

    counts_recount()

    assert counts(question) == (2, 1, 2, 1)
    assert tag_counts("bulk") == (2, 1)
