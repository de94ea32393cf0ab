"""The library's stored counts: posts per activity (and open questions), posts per tag.

Counting them on each page read whole tables (the library home's counts cost 20 ms over
5,000 posts on SQLite, the topics of the ask page 100 ms), so they are stored on the
activity and the tag, two each: what a member may read (published, not removed) and,
of that, what a visitor may (not members-only). Nothing else varies by viewer:
`Post.objects.visible_to` only tells members from visitors.

The services that write posts call `post_counts_refresh` in their own transaction; it
recounts the touched rows with one small indexed aggregate each, rather than adding
and subtracting, so a count can't drift. `counts_recount()` recounts every row, for
data written without the services (bulk seeds, raw edits).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Case, Count, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.functions import Coalesce

from practice_library.models import ActivityPattern, PatternKind, Post, Tag
from practice_library.models.post import State
from practice_library.services.search_index import (
    posts_search_index_refresh,
    search_index_rebuild,
)


def _count(rows: QuerySet, key: str) -> Coalesce:
    """How many of `rows` there are per `key`, as a subquery (0 when none)."""
    counted = rows.order_by().values(key).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted), 0)


def _patterns_recount(patterns: QuerySet[ActivityPattern]) -> None:
    posts = Post.objects.filter(
        pattern=OuterRef("pk"), state=State.PUBLISHED, removed_at__isnull=True
    )
    open_questions = posts.filter(answer__isnull=True)

    def only_questions(count: Coalesce) -> Case:
        return Case(When(kind=PatternKind.QUESTION, then=count), default=Value(0))

    patterns.update(
        member_post_count=_count(posts, "pattern"),
        public_post_count=_count(posts.filter(members_only=False), "pattern"),
        member_open_count=only_questions(_count(open_questions, "pattern")),
        public_open_count=only_questions(
            _count(open_questions.filter(members_only=False), "pattern")
        ),
    )


def _tags_recount(tags: QuerySet[Tag]) -> None:
    links = Post.tags.through.objects.filter(
        tag=OuterRef("pk"), post__state=State.PUBLISHED, post__removed_at__isnull=True
    )
    tags.update(
        member_post_count=_count(links, "tag"),
        public_post_count=_count(links.filter(post__members_only=False), "tag"),
    )


@transaction.atomic
def post_counts_refresh(
    *, post: Post, pattern_ids: Iterable[int] = (), tag_ids: Iterable[int] = ()
) -> None:
    """Recount what `post` counts in: its activity and its tags as they are now, plus
    `pattern_ids` and `tag_ids` (what it counted in before the change, e.g. the tags
    an edit took off). Call it after any write that changes whether a post is shown
    (state, removal, members-only), whether it is an open question, or its tags.

    Side effects: the stored counts of those activities and tags, and the post's row
    in the SQLite search index (which holds what a member may find, and the post's
    activity and tags); no signals: the post's own write already made the kept pages
    stale.
    """
    posts_search_index_refresh(posts=Post.objects.filter(pk=post.pk))
    patterns = {post.pattern_id, *pattern_ids}
    tags = {*post.tags.values_list("pk", flat=True), *tag_ids}
    _patterns_recount(ActivityPattern.objects.filter(pk__in=patterns))
    if tags:
        _tags_recount(Tag.objects.filter(pk__in=tags))


@transaction.atomic
def posts_counts_refresh(*, posts: QuerySet[Post], tag_ids: Iterable[int] = ()) -> None:
    """As `post_counts_refresh`, for many posts at once (two queries to find what they
    count in, one update for the activities and one for the tags).

    Side effects: the stored counts of those activities and tags, and the posts' rows
    in the SQLite search index.
    """
    posts_search_index_refresh(posts=posts)
    patterns = set(posts.values_list("pattern_id", flat=True))
    tags = {*Post.tags.through.objects.filter(post__in=posts).values_list("tag_id", flat=True)}
    tags.update(tag_ids)
    if patterns:
        _patterns_recount(ActivityPattern.objects.filter(pk__in=patterns))
    if tags:
        _tags_recount(Tag.objects.filter(pk__in=tags))


@transaction.atomic
def counts_recount() -> None:
    """Recount every stored count of the library, in two set-based updates: for data
    written without the services (seed_demo's bulk rows, the reference data, an edit
    in the database). Safe to run any time, as often as wanted. Also rebuilds the
    SQLite search index (derived from the posts the same way).

    Side effects: every activity's and tag's stored counts; every row of the SQLite
    search index.
    """
    _patterns_recount(ActivityPattern.objects.all())
    _tags_recount(Tag.objects.all())
    search_index_rebuild()
