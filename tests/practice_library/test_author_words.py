"""The tags members post under find them in the directory (issue 19): on SQLite the
directory's word index holds each listed member's post tags, and the library's post
services tell it, in the same transaction, when an author's posts are published,
retagged, deleted, hidden or restored (practice_library.services.posts
.on_authors_posts_changed). Runs on both databases."""

import pytest

from practice_library.models.post import State
from practice_library.services.moderation import post_set_state
from practice_library.services.posts import post_create, post_delete, post_update
from tests.directory_pages import found
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db


@pytest.fixture
def author():
    return make_profile(display_name="Pat Poster", bio="Neighbours first.")


def publish(author, *tags: str):
    pattern = make_post().pattern
    return post_create(
        author=author.user,
        pattern=pattern,
        fields={"title": "What we tried", "body": "Notes."},
        tag_names=list(tags),
        links=[],
    )


def test_a_published_post_makes_its_author_findable_by_its_tags(member_client, author):
    assert found(member_client, "composting") == []

    publish(author, "composting")

    assert found(member_client, "compost") == ["Pat Poster"]


def test_retagging_a_post_moves_its_author_to_the_new_tags(member_client, author):
    post = publish(author, "composting")

    post_update(
        post=post,
        editor=author.user,
        fields={"title": post.title, "body": post.body},
        tag_names=["beekeeping"],
        links=[],
    )

    assert found(member_client, "compost") == []
    assert found(member_client, "beekeepers") == ["Pat Poster"]


def test_a_tag_stays_while_another_post_of_the_author_carries_it(member_client, author):
    first = publish(author, "composting")
    publish(author, "composting")

    post_delete(post=first, by=author.user)

    assert found(member_client, "compost") == ["Pat Poster"]


def test_hiding_and_restoring_a_post_takes_its_tags_away_and_back(member_client, author, organizer):
    post = publish(author, "composting")

    post_set_state(post=post, by=organizer, state=State.HIDDEN)

    assert found(member_client, "compost") == []

    post_set_state(post=post, by=organizer, state=State.PUBLISHED)

    assert found(member_client, "compost") == ["Pat Poster"]


def test_post_tags_weigh_between_expertise_and_interests(member_client, author):
    make_profile(display_name="Ann Knows", expertise=["composting"])
    make_profile(display_name="Bo Wants", interests=["composting"])
    publish(author, "composting")

    assert found(member_client, "compost") == ["Ann Knows", "Pat Poster", "Bo Wants"]


def test_an_unlisted_authors_posts_never_find_them(member_client):
    hidden = make_profile(display_name="Una Unlisted", listed=False)

    publish(hidden, "composting")

    assert found(member_client, "compost") == []
    assert found(member_client, "unlisted") == []
