"""Tag pages: the tag list with counts, and one tag's posts."""

import pytest
from django.urls import reverse

from practice_library.models import Post, Tag
from practice_library.services.counts import counts_recount
from tests.practice_library.test_search import make_pattern, make_post

pytestmark = pytest.mark.django_db

TAG_LIST_URL = reverse("library:tag-list")


def tag_url(slug: str) -> str:
    return reverse("library:tag-detail", kwargs={"slug": slug})


@pytest.fixture(params=["joined", "walked"])
def tag_plan(request, monkeypatch) -> str:
    """Each way a tag's posts are listed: a quiet tag's posts joined and sorted, a busy
    tag's found by walking the newest posts (from 1 post here instead of 1,000)."""
    if request.param == "walked":
        monkeypatch.setattr("practice_library.selectors.TAG_WALK_NEWEST_FROM", 1)
    return request.param


def counts(response) -> dict[str, int]:
    return {tag.name: tag.post_count for tag in response.context["tags"]}


# The list


def test_tag_list_counts_the_posts_visitors_may_read(client):
    make_post("Soil test kits", tags=("gardens", "soil"))
    make_post("Seed swap", tags=("gardens",))
    make_post("Members' plot rota", tags=("gardens", "rota"), members_only=True)
    make_post("Spam", tags=("spam",), state="hidden")
    make_post("Withdrawn", tags=("withdrawn",), state="deleted")
    Tag.objects.create(name="unused", slug="unused")

    response = client.get(TAG_LIST_URL)

    assert response.status_code == 200
    assert counts(response) == {"gardens": 2, "soil": 1}
    assert f'href="{tag_url("gardens")}"' in response.content.decode()


def test_tag_list_counts_members_only_posts_for_members(member_client):
    make_post("Soil test kits", tags=("gardens",))
    make_post("Members' plot rota", tags=("gardens", "rota"), members_only=True)

    response = member_client.get(TAG_LIST_URL)

    assert counts(response) == {"gardens": 2, "rota": 1}


def test_tag_list_sizes_tags_by_how_busy_they_are(client):
    for n in range(9):
        make_post(f"Garden post {n}", tags=("gardens",))
    make_post("Soil test kits", tags=("soil",))

    response = client.get(TAG_LIST_URL)

    sizes = {tag.name: tag.size for tag in response.context["tags"]}
    assert sizes == {"gardens": 5, "soil": 1}
    biggest = (
        '<li class="tag-cloud__item tag-cloud__item--size-5"><a href="/library/tags/gardens/">'
    )
    assert biggest in response.content.decode()


def test_tag_list_without_tags_says_so(client):
    response = client.get(TAG_LIST_URL)

    assert response.status_code == 200
    assert "No posts have tags yet." in response.content.decode()


@pytest.mark.parametrize("count", [1, 100])
def test_tag_list_query_count_does_not_grow(member_client, django_assert_max_num_queries, count):
    pattern = make_pattern()
    tags = Tag.objects.bulk_create(Tag(name=f"topic {n}", slug=f"topic-{n}") for n in range(count))
    posts = Post.objects.bulk_create(Post(pattern=pattern, title=f"Post {n}") for n in range(count))
    Post.tags.through.objects.bulk_create(
        Post.tags.through(post=post, tag=tag) for post, tag in zip(posts, tags, strict=True)
    )
    counts_recount()  # rows written in bulk, as seed_demo does

    # Session, user, organizer role (menu), the tags with their counts.
    with django_assert_max_num_queries(4):
        response = member_client.get(TAG_LIST_URL)

    assert len(response.context["tags"]) == count


# One tag


def test_tag_detail_lists_visible_posts_newest_first(client, tag_plan):
    make_post("Older garden post", tags=("gardens",), age_days=5)
    make_post("Newer garden post", tags=("gardens", "soil"), age_days=1)
    make_post("Members' garden post", tags=("gardens",), members_only=True)
    make_post("Hidden garden post", tags=("gardens",), state="hidden")
    make_post("Soil only", tags=("soil",))

    response = client.get(tag_url("gardens"))

    assert response.status_code == 200
    assert response.context["tag"].name == "gardens"
    titles = [post.title for post in response.context["page"].object_list]
    assert titles == ["Newer garden post", "Older garden post"]
    body = response.content.decode()
    assert "<h1>Tagged “gardens”</h1>" in body
    assert "Members&#x27; garden post" not in body


def test_tag_detail_shows_members_only_posts_to_members(member_client, tag_plan):
    make_post("Older garden post", tags=("gardens",), age_days=5)
    make_post("Members' garden post", tags=("gardens",), members_only=True, age_days=1)

    response = member_client.get(tag_url("gardens"))

    titles = [post.title for post in response.context["page"].object_list]
    assert titles == ["Members' garden post", "Older garden post"]


def test_tag_detail_unknown_tag_is_404(client):
    response = client.get(tag_url("no-such-tag"))

    assert response.status_code == 404


def test_tag_detail_is_paginated_by_twenty(client, tag_plan):
    for n in range(23):
        make_post(f"Garden post {n}", tags=("gardens",), age_days=n)

    second = client.get(tag_url("gardens"), {"page": "2"})

    titles = [post.title for post in second.context["page"].object_list]
    assert titles == ["Garden post 20", "Garden post 21", "Garden post 22"]


def test_tag_detail_escapes_the_tag_name(client):
    Tag.objects.create(name="<b>bold</b>", slug="bold")

    response = client.get(tag_url("bold"))

    body = response.content.decode()
    assert "<b>bold</b>" not in body
    assert "&lt;b&gt;bold&lt;/b&gt;" in body


@pytest.mark.parametrize("count", [1, 300])
def test_tag_detail_query_count_does_not_grow(
    member_client, django_assert_max_num_queries, count, tag_plan
):
    tag = Tag.objects.create(name="gardens", slug="gardens")
    pattern = make_pattern()
    posts = Post.objects.bulk_create(Post(pattern=pattern, title=f"Post {n}") for n in range(count))
    Post.tags.through.objects.bulk_create(Post.tags.through(post=post, tag=tag) for post in posts)
    counts_recount()  # rows written in bulk, as seed_demo does

    # Session, user, organizer role (menu), the tag (with its stored count), the page,
    # its tags.
    with django_assert_max_num_queries(6):
        response = member_client.get(tag_url("gardens"))

    assert len(response.context["page"].object_list) == min(count, 20)
