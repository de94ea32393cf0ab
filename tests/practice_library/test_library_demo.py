"""The demo posts that seed_demo loads."""

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone

from practice_library.demo import DEMO_MEMBERS, DEMO_POSTS, seed_posts
from practice_library.models import PatternKind, Post
from practice_library.services.posts import PROJECT_SECTIONS

pytestmark = pytest.mark.django_db


def test_seed_posts_creates_the_demo_posts_by_verified_demo_members():
    posts = seed_posts()

    assert len(posts) == len(DEMO_POSTS) == 10
    assert Post.objects.count() == 10
    authors = {post.author.email for post in posts}
    assert authors == set(DEMO_MEMBERS)
    assert EmailAddress.objects.filter(email__in=DEMO_MEMBERS, verified=True).count() == 4


def test_seed_posts_is_idempotent():
    seed_posts()

    again = seed_posts()

    assert again == []
    assert Post.objects.count() == 10


def test_seed_posts_are_visible_for_several_activities():
    seed_posts()

    public = Post.objects.visible_to(None)

    assert public.count() == 9  # one is for members only
    assert public.values("pattern").distinct().count() >= 8


def test_seed_posts_answered_question_has_its_answer_among_replies():
    seed_posts()

    question = Post.objects.get(pattern__slug="problem-solving")

    assert question.replies.count() == 2
    assert question.answer.post == question
    assert question.answer.body.startswith("We name a timekeeper")


def test_seed_posts_fill_what_each_activity_adds():
    today = timezone.localdate()
    seed_posts(today=today)

    asset = Post.objects.get(pattern__kind=PatternKind.ASSET)
    coordination = Post.objects.get(pattern__kind=PatternKind.COORDINATION)
    project = Post.objects.get(pattern__kind=PatternKind.PROJECT)
    gap = Post.objects.get(pattern__kind=PatternKind.GAP)

    assert asset.asset_url.startswith("https://")
    assert asset.licence_note.startswith("Free to adapt")
    assert coordination.deadline > today
    assert coordination.signups.count() == 2
    assert all(getattr(project, section) for section in PROJECT_SECTIONS)
    assert {tag.name for tag in gap.tags.all()} == {
        "grant writing",
        "data from the city",
        "Spanish interpretation",
    }


def test_seed_posts_search_text_holds_tags_and_replies():
    seed_posts()

    question = Post.objects.get(pattern__slug="problem-solving")

    assert "volunteers" in question.search_document  # a tag
    assert "parking lot sheet" in question.search_document  # a reply


def test_seed_posts_can_be_found_by_search(client):
    seed_posts()

    response = client.get(reverse("library:search"), {"q": "timekeeper"})

    titles = [post.title for post in response.context["page"].object_list]
    assert titles == ["Our block club meetings keep running past two hours"]
