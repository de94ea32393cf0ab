"""The library search page, on SQLite (the fallback) and PostgreSQL (full-text search).

Every test runs on whichever database the suite uses; where the two rank differently,
the test says which one it is about.
"""

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from practice_library.models import ActivityPattern, PatternKind, Post, Reply, Tag
from practice_library.services.posts import (
    post_refresh_search_document,
    posts_refresh_search_vectors,
)
from tests import factories

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("library:search")
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="full-text search runs on PostgreSQL only"
)
on_sqlite = pytest.mark.skipif(connection.vendor != "sqlite", reason="the SQLite fallback")


def make_pattern(slug: str = "search-test-questions", **fields: Any) -> ActivityPattern:
    defaults: dict[str, Any] = {
        "name": slug.replace("-", " ").capitalize(),
        "kind": PatternKind.QUESTION,
        "purpose": "Ask the group.",
        "invitation": "What are you stuck on?",
    }
    defaults.update(fields)
    pattern, _ = ActivityPattern.objects.get_or_create(slug=slug, defaults=defaults)
    return pattern


def make_post(
    title: str,
    body: str = "",
    *,
    tags: tuple[str, ...] = (),
    replies: tuple[str, ...] = (),
    age_days: int = 0,
    **fields: Any,
) -> Post:
    """A post `age_days` old with its tags and published replies, all in its search text."""
    fields.setdefault("pattern", make_pattern())
    post = factories.make_post(title=title, body=body, tags=list(tags), **fields)
    for text in replies:
        factories.make_reply(post=post, author=post.author, body=text)
    post_refresh_search_document(post=post)
    Post.objects.filter(pk=post.pk).update(created=timezone.now() - timedelta(days=age_days))
    post.refresh_from_db()
    return post


def search(client, **params: str):
    return client.get(SEARCH_URL, params)


def found(response) -> list[str]:
    return [post.title for post in response.context["page"].object_list]


# Finding


def test_search_finds_matching_posts_and_not_others(client):
    make_post("Keeping volunteers after the first meeting", "Phone calls work better.")
    make_post("Vacant lot cleanup", "Bring gloves and bags.")

    response = search(client, q="volunteers")

    assert response.status_code == 200
    assert found(response) == ["Keeping volunteers after the first meeting"]
    assert "1 result for “volunteers”" in response.content.decode()


def test_search_needs_every_word(client):
    make_post("Garden tools to lend", "Rakes, hoes and a wheelbarrow.")
    make_post("Garden party in June", "Food and music.")

    response = search(client, q="garden tools")

    assert found(response) == ["Garden tools to lend"]


def test_search_finds_words_in_replies(client):
    make_post("Cleanup on Saturday", "Meet at the corner.", replies=("Bring extra wheelbarrows",))
    make_post("Board meeting notes", "Minutes attached.")

    response = search(client, q="wheelbarrows")

    assert found(response) == ["Cleanup on Saturday"]


def test_search_ignores_hidden_replies(client):
    post = make_post("Cleanup on Saturday", "Meet at the corner.", replies=("Buy my sneakers",))
    Reply.objects.filter(post=post).update(state="hidden")
    post_refresh_search_document(post=post)

    response = search(client, q="sneakers")

    assert found(response) == []


def test_search_finds_words_in_tags(client):
    make_post("Who can help with a grant?", "Due next month.", tags=("fundraising",))

    response = search(client, q="fundraising")

    assert found(response) == ["Who can help with a grant?"]


def test_search_highlights_the_matches(client):
    make_post("Porch talks", "We meet neighbors on porches and talk about safety.")

    response = search(client, q="safety")

    assert "<mark>safety</mark>" in response.content.decode()


def test_search_escapes_members_html_around_the_highlight(client):
    make_post(
        '<script>alert("title")</script> volunteers',
        "<img src=x onerror=alert(1)> More volunteers <b>needed</b> &amp; fed.",
    )

    response = search(client, q="volunteers")

    body = response.content.decode()
    assert found(response) == ['<script>alert("title")</script> volunteers']
    assert "<script>alert" not in body
    assert "<img src=x" not in body
    assert "<b>needed" not in body
    assert "&lt;script&gt;alert(&quot;title&quot;)&lt;/script&gt;" in body  # the card's title
    assert "<mark>volunteers</mark>" in body
    snippet = str(response.context["page"].object_list[0].snippet)
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")


def test_search_results_are_paginated_by_twenty(client):
    for n in range(25):
        make_post(f"Flyer design {n}", "Templates for flyers.", age_days=n)

    first = search(client, q="flyer")
    second = search(client, q="flyer", page="2")

    assert len(found(first)) == 20
    assert len(found(second)) == 5
    assert set(found(first)).isdisjoint(found(second))
    assert first.context["page"].paginator.count == 25


@on_sqlite
def test_search_on_sqlite_lists_newest_first(client):
    make_post("Tenant meeting, older", "rent rent rent", age_days=3)
    make_post("Tenant meeting, newer", "rent", age_days=1)

    response = search(client, q="rent")

    assert found(response) == ["Tenant meeting, newer", "Tenant meeting, older"]


@on_postgres
def test_search_on_postgres_ranks_better_matches_first(client):
    make_post("Rent strikes, older", "rent rent rent: rent increases and rent control", age_days=3)
    make_post("Tenant meeting, newer", "We talked about rent once.", age_days=1)

    response = search(client, q="rent")

    assert found(response) == ["Rent strikes, older", "Tenant meeting, newer"]


@on_postgres
def test_search_on_postgres_stems_words_and_reads_phrases(client):
    make_post("Organizing block clubs", "How we organized our street.")
    make_post("Street party", "A block of fun, organizing clubs later.")

    stemmed = search(client, q="organize")
    phrase = search(client, q='"block clubs"')

    assert sorted(found(stemmed)) == ["Organizing block clubs", "Street party"]
    assert found(phrase) == ["Organizing block clubs"]


@on_postgres
def test_search_on_postgres_lists_many_matches_newest_first(client, monkeypatch):
    # Past WALK_NEWEST_FROM matches a rank says little and costs a read of every match.
    monkeypatch.setattr("practice_library.search.WALK_NEWEST_FROM", 2)
    make_post("Rent strikes, oldest", "rent rent rent: rent increases and rent control", age_days=3)
    make_post("Tenant meeting, newest", "We talked about rent once.", age_days=1)
    make_post("Rent parties, middle", "rent, rent", age_days=2)
    make_post("Garden tools", "Rakes.")

    response = search(client, q="rent")

    assert found(response) == [
        "Tenant meeting, newest",
        "Rent parties, middle",
        "Rent strikes, oldest",
    ]
    assert "3 results for “rent”." in response.content.decode()


@on_postgres
def test_search_on_postgres_snippets_a_match_past_the_opening_of_a_long_thread(client, monkeypatch):
    monkeypatch.setattr("practice_library.search.HEADLINE_WINDOW", 80)
    filler = " ".join(["Meeting notes about the agenda and the minutes."] * 10)
    make_post("A long thread", filler, replies=("We still need composting volunteers.",))
    make_post("Volunteers first", f"Volunteers wanted. {filler}")

    response = search(client, q="volunteers")

    snippets = {post.title: str(post.snippet) for post in response.context["page"].object_list}
    assert "composting <mark>volunteers</mark>" in snippets["A long thread"]
    assert "<mark>Volunteers</mark> wanted." in snippets["Volunteers first"]


# Who sees what


def test_search_hides_members_only_posts_from_visitors(client):
    make_post("Open budget notes", "budget for everyone")
    make_post("Internal budget", "budget for members", members_only=True)

    response = search(client, q="budget")

    assert found(response) == ["Open budget notes"]


def test_search_shows_members_only_posts_to_members(member_client):
    make_post("Open budget notes", "budget for everyone", age_days=2)
    make_post("Internal budget", "budget for members", members_only=True, age_days=1)

    response = search(member_client, q="budget")

    assert sorted(found(response)) == ["Internal budget", "Open budget notes"]


def test_search_never_finds_hidden_or_deleted_posts(member_client):
    make_post("Hidden spam about mulch", "mulch", state="hidden")
    make_post("Deleted question about mulch", "mulch", state="deleted")
    make_post("Free mulch at the city yard", "mulch")

    response = search(member_client, q="mulch")

    assert found(response) == ["Free mulch at the city yard"]


# Filters


def test_search_filters_by_activity(client):
    assets = make_pattern("search-test-assets", kind=PatternKind.ASSET)
    make_post("Sign-in sheet template", "sheet", pattern=assets)
    make_post("Where do I print a sign-in sheet?", "sheet")

    response = search(client, q="sheet", pattern="search-test-assets")

    assert found(response) == ["Sign-in sheet template"]
    assert "1 result for “sheet” in Search test assets." in response.content.decode()


def test_search_filters_by_tag(client):
    make_post("Youth soccer sign-ups", "soccer", tags=("youth",))
    make_post("Adult soccer league", "soccer", tags=("adults",))

    response = search(client, q="soccer", tag="youth")

    assert found(response) == ["Youth soccer sign-ups"]
    assert "Tagged <strong>youth</strong>" in response.content.decode()


# Bad input


def test_search_without_words_shows_the_prompt(client):
    make_post("Anything", "at all")

    response = client.get(SEARCH_URL)

    assert response.status_code == 200
    assert response.context["page"] is None
    assert "Type a few words to find posts and replies" in response.content.decode()


def test_search_too_long_is_refused_next_to_the_field(client):
    response = search(client, q="word " * 41)

    assert response.status_code == 400
    assert response.context["page"] is None
    assert response.context["form"].errors["q"] == [
        "Keep your search under 200 characters (it has 204): a few words work best."
    ]
    assert "Keep your search under 200 characters" in response.content.decode()


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"pattern": "no-such-activity"}, "pattern", "There is no activity “no-such-activity”."),
        ({"tag": "no-such-tag"}, "tag", "There is no tag “no-such-tag”."),
        ({"tag": "not a slug!"}, "tag", "That is not a tag's name."),
        ({"q": "soil\x00test"}, "q", "Take out the invisible control characters"),
        ({"tag": "soil\x00"}, "tag", "That is not a tag's name."),
        ({"pattern": "soil\x00"}, "pattern", "There is no activity"),
    ],
)
def test_search_bad_filters_are_refused_with_a_message(client, params, field, message):
    make_post("Soil testing for lead", "soil")

    response = search(client, **{"q": "soil", **params})

    assert response.status_code == 400
    assert response.context["page"] is None
    assert response.context["form"].errors[field][0].startswith(message)
    assert "Soil testing for lead" not in response.content.decode()


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "'",
        '"unclosed phrase',
        "soil & | ! : * ( )",
        "!!soil",
        "soil:*",
        "(soil",
        "soil)",
        "-soil",
        "or",
        "soil or",
        "&|!:*()",
        "\\",
        "%_",
        "' OR 1=1 --",
        "<script>",
        "ünïcødé söil",
    ],
)
def test_search_odd_characters_never_break_the_page(client, q):
    make_post("Soil testing for lead", "soil")

    response = search(client, q=q)

    assert response.status_code == 200
    assert response.context["page"] is not None


def test_search_odd_characters_around_a_word_still_find_it(client):
    make_post("Soil testing for lead", "soil")

    response = search(client, q='"soil" & (lead)!')

    assert found(response) == ["Soil testing for lead"]


# Queries


@pytest.mark.parametrize("count", [1, 300])
def test_search_query_count_does_not_grow(member_client, django_assert_max_num_queries, count):
    tag = Tag.objects.create(name="compost", slug="compost")
    pattern = make_pattern()
    posts = Post.objects.bulk_create(
        Post(
            pattern=pattern,
            title=f"Compost bins {n}",
            body="compost",
            search_document=f"Compost bins {n}\ncompost\ncompost",
        )
        for n in range(count)
    )
    Post.tags.through.objects.bulk_create(Post.tags.through(post=post, tag=tag) for post in posts)
    posts_refresh_search_vectors(posts=Post.objects.all())

    # Session, user, organizer role (menu), activities for the filter, the tag, count,
    # the page, its tags; on PostgreSQL, the count's planner setting.
    with django_assert_max_num_queries(9 if connection.vendor == "postgresql" else 8):
        response = search(member_client, q="compost", tag="compost")

    assert response.context["page"].paginator.count == count
    assert len(found(response)) == min(count, 20)


# The index


@on_postgres
def test_search_index_covers_the_search_condition(client):
    from django.contrib.postgres.search import SearchQuery

    from practice_library.search import SEARCH_INDEX_NAME, LibrarySearch

    # The search's own condition, alone: on a near-empty table the planner would rather
    # use the (state) index of the full query, which says nothing about this one.
    query = SearchQuery("volunteers", search_type="websearch", config="english")
    matches = Post.objects.filter(search_vector=query)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        plan = matches.explain()

    assert SEARCH_INDEX_NAME in plan
    assert '"search_vector" @@' in str(LibrarySearch("volunteers").posts(Post.objects.all()).query)
