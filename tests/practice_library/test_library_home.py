"""The library's home page: the eleven activities with counts, open questions, recent posts."""

import re

import pytest
from django.db import connection
from django.urls import reverse

from practice_library.models import ActivityPattern, Post, Tag
from practice_library.services.posts import answer_set
from tests.factories import make_post, make_reply, make_user

pytestmark = pytest.mark.django_db

HOME = reverse("library:home")


def pattern_names(body: str) -> list[str]:
    return re.findall(r'class="pattern-card__name"><a href="[^"]*">([^<]*)</a>', body)


def card_counts(body: str, name: str) -> str:
    """The text of one activity card's counts line, tags stripped."""
    card = body.split(f">{name}</a></h3>")[1].split("</li>")[0]
    counts = card.split('class="pattern-card__counts">')[1].split("</p>")[0]
    return " ".join(re.sub(r"<[^>]+>", " ", counts).split())


def section_titles(body: str, section_id: str) -> list[str]:
    section = body.split(f'id="{section_id}"')[1].split("</section>")[0]
    return re.findall(r'class="post-card__title"><a href="[^"]*">([^<]*)</a>', section)


def test_home_lists_the_eleven_with_intro_search_and_topics(any_client):
    response = any_client.get(HOME)

    body = response.content.decode()
    assert response.status_code == 200
    assert pattern_names(body) == list(
        ActivityPattern.objects.order_by("position").values_list("name", flat=True)
    )
    assert len(pattern_names(body)) == 11
    assert "Jean Lave and Etienne Wenger" in body
    assert f'action="{reverse("library:search")}"' in body
    assert f'href="{reverse("library:tag-list")}"' in body
    assert card_counts(body, "Visits") == "0 posts"
    assert card_counts(body, "Problem solving") == "0 posts 0 open questions"


def test_home_counts_only_posts_the_viewer_may_read(client, member_client):
    pattern = ActivityPattern.objects.get(slug="problem-solving")
    make_post(pattern=pattern, title="Open to all")
    make_post(pattern=pattern, title="Members only", members_only=True)
    make_post(pattern=pattern, title="Hidden", state="hidden")
    answered = make_post(pattern=pattern, title="Answered")
    answer_set(post=answered, reply=make_reply(post=answered), by=answered.author)

    visitor = client.get(HOME).content.decode()
    member = member_client.get(HOME).content.decode()

    assert card_counts(visitor, "Problem solving") == "2 posts 1 open question"
    assert card_counts(member, "Problem solving") == "3 posts 2 open questions"
    assert section_titles(visitor, "open-questions-title") == ["Open to all"]
    assert section_titles(member, "open-questions-title") == ["Members only", "Open to all"]
    assert "Members only" not in visitor


def test_home_shows_latest_five_open_questions_and_eight_recent_posts(client):
    question = ActivityPattern.objects.get(slug="requests-for-information")
    story = ActivityPattern.objects.get(slug="documenting-projects")
    author = make_user()
    for n in range(6):
        make_post(pattern=question, author=author, title=f"Question {n}")
    for n in range(4):
        make_post(pattern=story, author=author, title=f"Story {n}")

    body = client.get(HOME).content.decode()

    assert section_titles(body, "open-questions-title") == [
        "Question 5",
        "Question 4",
        "Question 3",
        "Question 2",
        "Question 1",
    ]
    assert section_titles(body, "recent-title") == [
        "Story 3",
        "Story 2",
        "Story 1",
        "Story 0",
        "Question 5",
        "Question 4",
        "Question 3",
        "Question 2",
    ]


def test_home_says_so_when_the_library_is_empty(client):
    body = client.get(HOME).content.decode()

    assert "No open questions right now." in body
    assert "Nothing shared yet." in body


def test_home_recent_posts_count_only_published_replies(client):
    busy = make_post(title="Busy thread")
    make_post(title="Quiet thread")
    make_reply(post=busy)
    make_reply(post=busy)
    make_reply(post=busy, state="hidden")

    body = client.get(HOME).content.decode()

    recent = body.split('id="recent-title"')[1].split("</section>")[0]
    metas = re.findall(r'class="post-card__meta">(.*?)</p>', recent, flags=re.DOTALL)
    counts = [" ".join(re.sub(r"<[^>]+>", " ", meta).split()).rsplit("· ", 1)[1] for meta in metas]
    assert section_titles(body, "recent-title") == ["Quiet thread", "Busy thread"]
    assert counts == ["0 replies", "2 replies"]


@pytest.mark.parametrize("count", [1, 300])
def test_home_query_count_is_fixed(member_client, django_assert_max_num_queries, count):
    author = make_user()
    patterns = list(ActivityPattern.objects.all())
    posts = Post.objects.bulk_create(
        Post(pattern=patterns[n % len(patterns)], author=author, title=f"Post {n}")
        for n in range(count)
    )
    Tag.objects.create(name="Gardens", slug="gardens").posts.add(*posts)
    make_reply(post=posts[0], author=author)

    with django_assert_max_num_queries(8):
        response = member_client.get(HOME)

    assert response.status_code == 200
    assert len(section_titles(response.content.decode(), "recent-title")) == min(count, 8)


def test_open_questions_are_written_for_each_database_to_walk_the_newest_posts():
    # SQLite picks an index by the filters alone: `+ 0` keeps it off the answer's and
    # the activity's. PostgreSQL weighs the plans by statistics, which `+ 0` hides:
    # there it read the whole table (200 ms at 50,000 posts, against 1 ms).
    sql = str(Post.objects.open_questions().order_by("-created").query)

    if connection.vendor == "sqlite":
        assert '("practice_library_post"."answer_id" + 0) IS NULL' in sql
    else:
        assert "+ 0" not in sql
        assert '"practice_library_post"."answer_id" IS NULL' in sql
