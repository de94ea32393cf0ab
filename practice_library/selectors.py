"""Reads for the library's pages: the home page, an activity's page, the post a write
is about, and the organizers' reports list.

Each function costs a fixed number of queries, however many posts the library holds:
counts are annotations, and lists come with their pattern, author and tags.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cached_property

from django.db.models import Case, Count, F, OuterRef, QuerySet, Subquery, Value, When
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce, Lower
from django.shortcuts import get_object_or_404
from django.utils import timezone

from cop_portal.lib.word_stems import topic_key
from practice_library.models import (
    ActivityPattern,
    PatternStep,
    Post,
    PostQuerySet,
    Reply,
    Report,
    Tag,
)
from practice_library.models.post import walk_newest
from sessions_app.models import ConversationFormat, Session

OPEN_QUESTIONS_ON_HOME = 5
RECENT_POSTS_ON_HOME = 8
# The sessions a post form offers to link: the nearest ones around today, in this window.
LINKABLE_BEFORE = timedelta(days=183)
LINKABLE_AFTER = timedelta(days=92)
LINKABLE_MAX = 12
# An activity's page lists the latest sessions that ran it, this many.
SESSIONS_ON_GUIDE = 12
# A tag with at least this many posts is listed by walking the newest posts (their
# index) and keeping the tagged ones, which costs about (posts / tagged) rows per post
# shown; with fewer, its posts are looked up and sorted, about one row per tagged post.
TAG_WALK_NEWEST_FROM = 1000


def _counted_by(user: object) -> str:
    """Which stored count (services/counts.py) holds what this person may read: the
    same rule as `Post.objects.visible_to(user)`, which only tells members from
    visitors."""
    return "member" if getattr(user, "is_authenticated", False) else "public"


def patterns_with_counts(user: object) -> QuerySet[ActivityPattern]:
    """The eleven in library order, each with `post_count` (posts this person may read)
    and `open_count` (of those, questions still waiting for an answer), from the
    stored counts."""
    who = _counted_by(user)
    return ActivityPattern.objects.annotate(
        post_count=F(f"{who}_post_count"), open_count=F(f"{who}_open_count")
    ).order_by("position", "id")


def tags_with_counts(user: object) -> QuerySet[Tag]:
    """Tags on posts this person may read, by name, each with `post_count`, from the
    stored counts."""
    count = F(f"{_counted_by(user)}_post_count")
    return Tag.objects.annotate(post_count=count).filter(post_count__gt=0).order_by("name")


def post_list(posts: PostQuerySet) -> PostQuerySet:
    """What a post card (`{% post_card %}`) needs: pattern and author joined, tags
    prefetched, and the number of published replies.

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
    """One activity, for its page (its guide's other parts: `ActivityGuide`). 404 for
    an unknown slug."""
    return get_object_or_404(ActivityPattern, slug=slug)


class ActivityGuide:
    """What an activity's guide shows besides the activity itself: its steps, related
    activities and the sessions that ran it. Each is read when first used, so a page
    whose guide is kept (fragments cache) reads none of them: the sessions alone cost
    13 ms over 10,000 sessions."""

    def __init__(self, pattern: ActivityPattern) -> None:
        self.pattern = pattern

    @cached_property
    def _steps(self) -> dict[str, list[PatternStep]]:
        return steps_by_format(self.pattern)

    @property
    def brief_steps(self) -> list[PatternStep]:
        return self._steps[ConversationFormat.BRIEF]

    @property
    def in_depth_steps(self) -> list[PatternStep]:
        return self._steps[ConversationFormat.IN_DEPTH]

    @property
    def brief_total(self) -> int:
        return sum(step.minutes for step in self.brief_steps)

    @property
    def in_depth_total(self) -> int:
        return sum(step.minutes for step in self.in_depth_steps)

    @cached_property
    def related(self) -> list[ActivityPattern]:
        return list(self.pattern.related.order_by("position", "id"))

    @cached_property
    def sessions(self) -> list[Session]:
        """Published and cancelled sessions (drafts are for organizers), the most
        recent first: at most SESSIONS_ON_GUIDE, plus one to tell that there are more
        (a busy activity ran hundreds over the years)."""
        sessions = Session.objects.public().filter(focus_activities=self.pattern)
        return list(sessions.order_by("-starts_at", "-id")[: SESSIONS_ON_GUIDE + 1])


def steps_by_format(pattern: ActivityPattern) -> dict[str, list[PatternStep]]:
    """The activity's steps split into brief and in-depth, each in running order."""
    steps: dict[str, list[PatternStep]] = {
        ConversationFormat.BRIEF: [],
        ConversationFormat.IN_DEPTH: [],
    }
    for step in sorted(pattern.steps.all(), key=lambda step: (step.position, step.id)):
        steps.setdefault(step.format, []).append(step)
    return steps


def pattern_posts(pattern: ActivityPattern, user: object, status: str = "") -> PostQuerySet:
    """The posts under one activity this person may read, newest first, without what
    cards show: page them, then pass the page to `post_list_page`.

    `status` narrows questions: "open" (no answer yet) or "answered"; empty means all.
    """
    posts = Post.objects.visible_to(user).filter(pattern=pattern)
    if status == "open":
        # Looked up in its index on SQLite, "no answer" gathers most posts of the library
        # and sorts them (50 ms at 50,000); this walks the activity's newest posts.
        posts = posts.alias(answer_unindexed=walk_newest("answer_id")).filter(
            answer_unindexed__isnull=True
        )
    elif status == "answered":
        posts = posts.filter(answer__isnull=False)
    return posts.order_by("-created", "-id")


def pattern_posts_count(pattern: ActivityPattern, user: object, status: str = "") -> int:
    """How many posts `pattern_posts(pattern, user, status)` lists, from the stored
    counts (no COUNT query)."""
    who = _counted_by(user)
    posts, open_questions = (getattr(pattern, f"{who}_{n}_count") for n in ("post", "open"))
    if status == "open":
        return open_questions
    if status == "answered":
        return posts - open_questions
    return posts


def tag_posts(tag: Tag, user: object) -> PostQuerySet:
    """The posts with `tag` this person may read, newest first, without what cards
    show: page them, then pass the page to `post_list_page`.

    Joined to the tag and sorted (over 50 ms for a tag on 3,700 of 50,000 posts, the
    reply counts counted for every one before sorting), a busy tag is slow; so a busy
    tag walks the newest posts instead (`walk_newest` keeps SQLite from looking them up
    by id).
    """
    tagged = Post.tags.through.objects.filter(tag=tag).values("post_id")
    posts = Post.objects.visible_to(user)
    if tag_posts_count(tag, user) >= TAG_WALK_NEWEST_FROM:
        posts = posts.alias(pk_unindexed=walk_newest("pk")).filter(pk_unindexed__in=tagged)
    else:
        posts = posts.filter(pk__in=tagged)
    return posts.order_by("-created", "-id")


def post_list_page(posts: PostQuerySet) -> PostQuerySet:
    """`post_list` for one page of posts (a sliced query, as a Paginator's page holds):
    the page is found first by its ids, so pattern, author and reply counts are read
    for its own posts only. One query when evaluated, plus the tags."""
    return post_list(Post.objects.filter(pk__in=posts.values("pk"))).order_by("-created", "-id")


def tag_posts_count(tag: Tag, user: object) -> int:
    """How many posts with `tag` this person may read, from the stored counts."""
    return getattr(tag, f"{_counted_by(user)}_post_count")


def linkable_sessions(
    *, chosen: Iterable[int] = (), now: datetime | None = None
) -> QuerySet[Session]:
    """The sessions a post may point to, nearest to today first: published ones from the
    last six months and the next three, at most LINKABLE_MAX, plus those already chosen
    (wherever they are, so editing never drops a link). Three queries when evaluated.

    The nearest are among the last LINKABLE_MAX before now and the first LINKABLE_MAX
    after: two short walks of the start times' index, where reading the whole window
    (700 sessions at scale 10) to sort it cost 10 ms.
    """
    now = now or timezone.now()
    published = Session.objects.published()
    before = published.filter(starts_at__gte=now - LINKABLE_BEFORE, starts_at__lt=now)
    after = published.filter(starts_at__gte=now, starts_at__lte=now + LINKABLE_AFTER)
    rows = [
        *before.order_by("-starts_at", "-id").values_list("pk", "starts_at")[:LINKABLE_MAX],
        *after.order_by("starts_at", "id").values_list("pk", "starts_at")[:LINKABLE_MAX],
    ]
    near = sorted(rows, key=lambda row: abs(row[1] - now))
    pks = [pk for pk, _ in near[:LINKABLE_MAX]]
    pks += [pk for pk in chosen if pk not in pks]
    order = Case(*(When(pk=pk, then=Value(n)) for n, pk in enumerate(pks)), default=Value(0))
    return Session.objects.filter(pk__in=pks).order_by(order) if pks else Session.objects.none()


def patterns_by_slug(slugs: Iterable[str]) -> dict[str, ActivityPattern]:
    """The activities with these slugs, by slug, in the order given (one query); a slug
    no activity has is left out."""
    slugs = list(slugs)
    found = {p.slug: p for p in ActivityPattern.objects.filter(slug__in=slugs)}
    return {slug: found[slug] for slug in slugs if slug in found}


# Topics: the one vocabulary of tags that posts and members' profiles share

# What uses tags in public, beyond published posts: the apps above the library register
# a function returning theirs at start-up (members: the topics listed members give), as
# the library may not name their models.
TagLinks = Callable[[], QuerySet | Combinable]
_public_tag_links: list[TagLinks] = []


def counts_as_public_use_of_tags(links: TagLinks) -> TagLinks:
    """Register a function returning what uses tags where other members can see them:
    either link rows (a QuerySet, each row with a `tag`), counted per tag in a
    subquery, or, cheaper, an expression on Tag giving each tag's uses from a stored
    count (e.g. `Coalesce(F("member_counts__expert_count"), 0)`). Call it from an
    AppConfig.ready(); registering the same function twice keeps one."""
    if links not in _public_tag_links:
        _public_tag_links.append(links)
    return links


def _public_uses() -> Combinable:
    """Per tag, how many published posts (its stored count: members-only ones too) and
    registered public links use it."""

    def rows_per_tag(rows: QuerySet) -> Coalesce:
        counted = rows.filter(tag=OuterRef("pk")).order_by().values("tag").annotate(n=Count("pk"))
        return Coalesce(Subquery(counted.values("n")), 0)

    uses: Combinable = F("member_post_count")
    for links in _public_tag_links:
        found = links()
        uses += rows_per_tag(found) if isinstance(found, QuerySet) else found
    return uses


@dataclass(frozen=True)
class Topic:
    """One topic of the shared vocabulary, with how often it is used."""

    name: str
    uses: int


def topic_vocabulary() -> list[Topic]:
    """The topics posts and members use, one spelling each, by name (one query): tags on
    published posts and on whatever else counts as public (listed members' topics).

    A topic only a hidden post or an unlisted member uses is left out: nobody else can
    see it. Each topic's spelling is its most used one; its uses are all its spellings'.
    """
    tags = (
        Tag.objects.annotate(uses=_public_uses())
        .filter(uses__gt=0)
        .order_by("-uses", Lower("name"), "id")
        .values_list("name", "uses")
    )
    topics: dict[str, Topic] = {}
    for name, count in tags:
        key = topic_key(name) or name.casefold()
        if key in topics:
            topics[key] = Topic(topics[key].name, topics[key].uses + count)
        else:
            topics[key] = Topic(name, count)
    return sorted(topics.values(), key=lambda topic: topic.name.casefold())


def popular_topics(topics: Iterable[Topic] | None = None) -> list[Topic]:
    """The vocabulary's topics (`topic_vocabulary()`, or `topics` already read from it),
    most used first, then by name: what the tag fields suggest first."""
    topics = topic_vocabulary() if topics is None else topics
    return sorted(topics, key=lambda topic: (-topic.uses, topic.name.casefold()))


def tags_by_topic() -> dict[str, Tag]:
    """Every tag under its topic key (`topic_key`); for a topic with several spellings,
    the most used in public, then the oldest. One query."""
    by_topic: dict[str, Tag] = {}
    for tag in Tag.objects.annotate(uses=_public_uses()).order_by("-uses", "id"):
        by_topic.setdefault(topic_key(tag.name) or tag.name.casefold(), tag)
    return by_topic


def get_open_post(code: str) -> Post:
    """A published post with its pattern and author, for writes on it (replying,
    reporting, editing): hidden and deleted ones are 404 for everyone, organizers too."""
    return get_object_or_404(
        Post.objects.published().select_related("pattern", "author"), code=code
    )


def get_open_reply(post: Post, reply_id: int) -> Reply:
    """A published reply of `post`, with its author: 404 when hidden, deleted or on
    another post."""
    reply = get_object_or_404(
        Reply.objects.published().select_related("author"), pk=reply_id, post=post
    )
    reply.post = post
    return reply


# The organizers' reports list

# Resolved reports stay listed for a while, below the open ones.
RESOLVED_SHOWN = 50


@dataclass(frozen=True)
class ReportedItem:
    """A post or reply with the open reports about it, oldest first: one card on the
    reports list, one pair of buttons (which close them all)."""

    reports: list[Report]

    @property
    def first(self) -> Report:
        return self.reports[0]


@dataclass(frozen=True)
class ReportsReview:
    """What the reports list shows: what waits, one item per post or reply, and the
    latest resolved reports, newest first."""

    waiting: list[ReportedItem]
    resolved: list[Report]

    @property
    def waiting_count(self) -> int:
        return sum(len(item.reports) for item in self.waiting)


def reports_for_review(*, resolved_shown: int = RESOLVED_SHOWN) -> ReportsReview:
    """The open reports grouped by what they are about, in the order of each item's
    oldest report, and the `resolved_shown` latest resolved ones. Four queries however
    many reports there are (each list and the replies it prefetches)."""
    reports = Report.objects.for_review()
    by_item: dict[tuple[int, int | None], list[Report]] = {}
    for report in reports.open().order_by("created", "id"):
        by_item.setdefault((report.post_id, report.reply_id), []).append(report)
    resolved = reports.filter(resolved_at__isnull=False).order_by(F("resolved_at").desc(), "-id")
    return ReportsReview(
        waiting=[ReportedItem(group) for group in by_item.values()],
        resolved=list(resolved[:resolved_shown]),
    )
