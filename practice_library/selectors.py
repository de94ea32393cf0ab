"""Reads for the library's browsing pages: the home page and an activity's page.

Each function costs a fixed number of queries, however many posts the library holds:
counts are annotations, and lists come with their pattern, author and tags.
"""

from django.db.models import Count, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.shortcuts import get_object_or_404

from practice_library.models import (
    ActivityPattern,
    PatternKind,
    PatternStep,
    Post,
    PostQuerySet,
    Reply,
)
from practice_library.models.post import State
from sessions_app.models import ConversationFormat, Session

OPEN_QUESTIONS_ON_HOME = 5
RECENT_POSTS_ON_HOME = 8


def _visible_post_filter(user: object) -> Q:
    """The same rule as `Post.objects.visible_to(user)`, seen from the pattern side."""
    visible = Q(posts__state=State.PUBLISHED, posts__removed_at__isnull=True)
    if not getattr(user, "is_authenticated", False):
        visible &= Q(posts__members_only=False)
    return visible


def patterns_with_counts(user: object) -> QuerySet[ActivityPattern]:
    """The eleven in library order, each with `post_count` (posts this person may read)
    and `open_count` (of those, questions still waiting for an answer)."""
    visible = _visible_post_filter(user)
    return ActivityPattern.objects.annotate(
        post_count=Count("posts", filter=visible),
        open_count=Count(
            "posts",
            filter=visible & Q(kind=PatternKind.QUESTION, posts__answer__isnull=True),
        ),
    ).order_by("position", "name")


def post_list(posts: PostQuerySet) -> PostQuerySet:
    """What `_post_card.html` needs: pattern and author joined, tags prefetched, and the
    number of published replies.

    The count is a subquery, not a join with GROUP BY: grouped, the database counts the
    replies of every matching post before it can sort and keep a page of them (190 ms
    for the library home over 5,000 posts on SQLite); as a subquery it counts only for
    the rows it returns.
    """
    replies = (
        Reply.objects.published()
        .filter(post=OuterRef("pk"))
        .order_by()
        .values("post")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return (
        posts.select_related("pattern", "author")
        .prefetch_related("tags")
        .annotate(reply_count=Coalesce(Subquery(replies), 0))
    )


def open_questions(user: object, limit: int = OPEN_QUESTIONS_ON_HOME) -> list[Post]:
    posts = Post.objects.visible_to(user).open_questions().order_by("-created", "-id")
    return list(post_list(posts)[:limit])


def recent_posts(user: object, limit: int = RECENT_POSTS_ON_HOME) -> list[Post]:
    posts = Post.objects.visible_to(user).order_by("-created", "-id")
    return list(post_list(posts)[:limit])


def get_pattern_for_page(slug: str) -> ActivityPattern:
    """One activity with its steps, related activities and the sessions that ran it.

    Only published and cancelled sessions are listed (drafts are for organizers), the
    most recent first, as `pattern.public_sessions`. 404 for an unknown slug.
    """
    sessions = Session.objects.public().order_by("-starts_at", "-id")
    return get_object_or_404(
        ActivityPattern.objects.prefetch_related(
            "steps",
            Prefetch("related", queryset=ActivityPattern.objects.order_by("position", "name")),
            Prefetch("sessions", queryset=sessions, to_attr="public_sessions"),
        ),
        slug=slug,
    )


def steps_by_format(pattern: ActivityPattern) -> dict[str, list[PatternStep]]:
    """The prefetched steps split into brief and in-depth, each in running order."""
    steps: dict[str, list[PatternStep]] = {
        ConversationFormat.BRIEF: [],
        ConversationFormat.IN_DEPTH: [],
    }
    for step in sorted(pattern.steps.all(), key=lambda step: (step.position, step.id)):
        steps.setdefault(step.format, []).append(step)
    return steps


def pattern_posts(pattern: ActivityPattern, user: object, status: str = "") -> PostQuerySet:
    """The posts under one activity this person may read, newest first.

    `status` narrows questions: "open" (no answer yet) or "answered"; empty means all.
    """
    posts = Post.objects.visible_to(user).filter(pattern=pattern)
    if status == "open":
        posts = posts.filter(answer__isnull=True)
    elif status == "answered":
        posts = posts.filter(answer__isnull=False)
    return post_list(posts).order_by("-created", "-id")
