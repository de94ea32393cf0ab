"""The SQLite search index (FTS5, migration 0012) follows the posts through the services,
and a recount rebuilds it: searches find what is there now, counted right, for members
and visitors alike."""

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from practice_library.models import Post
from practice_library.models.post import State
from practice_library.search import WALK_NEWEST_FROM
from practice_library.services.counts import counts_recount
from practice_library.services.moderation import post_set_state
from practice_library.services.posts import (
    post_delete,
    posts_refresh_search_vectors,
)
from practice_library.services.search_index import FTS_TABLE, search_index_prune
from tests import factories

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite search index"),
]

SEARCH_URL = reverse("library:search")


def found(client, q: str, **params: str) -> tuple[int, list[str]]:
    response = client.get(SEARCH_URL, {"q": q, **params})
    page = response.context["page"]
    return page.paginator.count, [post.title for post in page.object_list]


def test_search_index_drops_a_hidden_post_and_takes_it_back(client, member_client, organizer):
    post = factories.make_post(title="Mulch at the city yard", body="mulch")

    post_set_state(post=post, by=organizer, state=State.HIDDEN)
    hidden = found(member_client, "mulch"), found(client, "mulch")
    post_set_state(post=post, by=organizer, state=State.PUBLISHED)

    assert hidden == ((0, []), (0, []))
    assert found(member_client, "mulch") == (1, ["Mulch at the city yard"])
    assert found(client, "mulch") == (1, ["Mulch at the city yard"])


def test_search_index_drops_a_deleted_post(member_client):
    post = factories.make_post(title="Mulch at the city yard", body="mulch")

    post_delete(post=post, by=post.author)

    assert found(member_client, "mulch") == (0, [])


def test_search_index_counts_members_only_posts_for_members_only(client, member_client):
    factories.make_post(title="Open budget", body="budget")
    factories.make_post(title="Internal budget", body="budget", members_only=True)

    assert found(client, "budget") == (1, ["Open budget"])
    assert found(member_client, "budget")[0] == 2


def test_search_index_matches_word_starts_without_accents(client):
    factories.make_post(title="Reunión de vecinos", body="Organizing the block")

    assert found(client, "reunion")[1] == ["Reunión de vecinos"]
    assert found(client, "organiz")[1] == ["Reunión de vecinos"]
    assert found(client, "ganiz")[1] == []


def test_search_index_filters_by_tag_and_activity(client):
    factories.make_post(title="Youth soccer", body="soccer", tags=["youth"])
    adults = factories.make_post(title="Adult soccer", body="soccer", tags=["adults"])

    assert found(client, "soccer", tag="youth") == (1, ["Youth soccer"])
    assert found(client, "soccer", pattern=adults.pattern.slug)[0] == 2  # same test pattern


def test_search_index_rebuilt_by_the_recount_after_bulk_rows(member_client):
    pattern = factories.make_post(title="First", body="first").pattern
    Post.objects.bulk_create(
        Post(pattern=pattern, title=f"Compost {n}", search_document=f"Compost {n}")
        for n in range(3)
    )
    before = found(member_client, "compost")

    counts_recount()

    assert before == (0, [])
    assert found(member_client, "compost")[0] == 3


def test_search_index_walks_the_newest_posts_for_common_words(member_client):
    pattern = factories.make_post(title="First", body="first").pattern
    Post.objects.bulk_create(
        Post(pattern=pattern, title=f"Compost {n}", search_document=f"Compost {n}")
        for n in range(WALK_NEWEST_FROM)
    )
    posts_refresh_search_vectors(posts=Post.objects.all())

    count, titles = found(member_client, "compost")

    newest = Post.objects.order_by("-created", "-id").values_list("title", flat=True)[:20]
    assert count == WALK_NEWEST_FROM
    assert titles == list(newest)


def index_rows() -> int:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {FTS_TABLE}")  # noqa: S608
        return cursor.fetchone()[0]


def test_search_index_prune_drops_rows_of_posts_gone_around_the_services(member_client):
    kept = factories.make_post(title="Mulch at the city yard", body="mulch")
    gone = factories.make_post(title="Mulch by the river", body="mulch")
    Post.objects.filter(pk=gone.pk).delete()  # a shell or raw fix, not post_delete

    dropped = search_index_prune()

    assert dropped == 1
    assert index_rows() == 1
    assert found(member_client, "mulch") == (1, [kept.title])
    assert search_index_prune() == 0  # nothing left to drop


@pytest.mark.django_db(transaction=True)
def test_search_index_is_emptied_by_a_flush(client):
    factories.make_post(title="Mulch at the city yard", body="mulch")
    assert index_rows() == 1

    # What a transactional test does after each test, and `manage.py flush`.
    call_command("flush", interactive=False, verbosity=0)

    assert index_rows() == 0
    assert found(client, "mulch") == (0, [])  # a row left behind would count 1
    factories.make_post(title="Compost bins", body="compost")  # its id may be the old one's
    assert found(client, "compost") == (1, ["Compost bins"])
    assert found(client, "mulch") == (0, [])
