"""A large made-up library, for benchmarks: posts, replies, tags and session links.

Used by `seed_demo --scale` (through cop_portal/reference_data.py) and by bench.search.
The text comes from word lists with a fixed seed, so every run builds the same library:
titles and bodies about the things community builders post about, 0-3 of 20 tags per
post, and replies whose text also goes into their post's search document. Rows are
written in bulk, so no service runs: search documents are built here, and the stored
search vectors are filled in one statement at the end (PostgreSQL only).
"""

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from practice_library.models import ActivityPattern, PatternKind, Post, Reply, Tag
from practice_library.models.post import State
from practice_library.services.counts import counts_recount
from practice_library.services.posts import posts_refresh_search_vectors, tags_from_names
from sessions_app.models import Session

SEED = 2026
BATCH = 1000
POSTS_SPAN = timedelta(days=5 * 365)

NEIGHBORHOODS = [
    "Hough", "Fairfax", "Glenville", "Slavic Village", "Clark-Fulton", "Detroit-Shoreway",
    "Tremont", "Buckeye-Shaker", "St. Clair-Superior", "AsiaTown", "Collinwood", "Kinsman",
    "Central", "Midtown", "Ohio City", "Stockyards", "Lee-Harvard", "Union-Miles",
    "Mount Pleasant", "Old Brooklyn",
]  # fmt: skip
# (topic, weight): common topics come up in many posts, rare ones in a few.
TOPICS = [
    ("volunteers", 30), ("the block club", 25), ("a vacant lot", 18), ("the community garden", 18),
    ("the tenant association", 12), ("the food pantry", 10), ("the youth program", 10),
    ("a neighborhood clean-up", 12), ("a small grant", 10), ("our newsletter", 8),
    ("a flyer", 8), ("the sign-in sheet", 5), ("the monthly meeting", 20), ("the budget", 8),
    ("the landlord", 8), ("code enforcement", 5), ("our councilperson", 6), ("the land bank", 4),
    ("rain barrels", 3), ("the compost pile", 3), ("a safety walk", 5), ("porch lights", 3),
    ("the bus stop", 4), ("snow removal", 3), ("street trees", 4), ("a mural", 3),
    ("the library branch", 4), ("Spanish interpretation", 2), ("a broken boiler", 1),
    ("lead testing", 2), ("a summer picnic", 5), ("the recreation center", 4),
]  # fmt: skip
VERBS = [
    "organize", "run", "fund", "promote", "plan", "keep going", "start", "share", "staff",
    "pay for", "advertise", "fix", "clean up", "talk about", "document", "grow",
]  # fmt: skip
OPENERS = [
    "How do you {verb} {topic} in {place}?",
    "What worked for us: {topic} in {place}",
    "Looking for advice on {topic}",
    "Notes from {place}: {topic}",
    "Who has tried to {verb} {topic}?",
    "Our first year with {topic}",
    "Template for {topic}",
    "Help wanted with {topic} this spring",
]  # fmt: skip
SENTENCES = [
    "We tried to {verb} {topic} last year and it went better than we hoped.",
    "Most of our neighbors in {place} heard about {topic} from a flyer on the door.",
    "The hardest part was finding people to {verb} {topic} on weekday evenings.",
    "Our councilperson's office helped us {verb} {topic} after a few phone calls.",
    "If anyone has a checklist to {verb} {topic}, please share it.",
    "We meet at the library branch on Thursdays to talk about {topic}.",
    "It took three months and a lot of coffee to {verb} {topic}.",
    "Next time we will ask the young people in {place} to {verb} {topic}.",
    "The budget for {topic} came from a small grant and bake sales.",
    "People keep coming back when {topic} ends with food and a clear next step.",
    "Has anyone in {place} asked the city about {topic}?",
    "Bring gloves, water and a friend; we start at nine.",
]  # fmt: skip
REPLY_SENTENCES = [
    "Thanks for writing this up, we'll try it in {place}.",
    "We had the same problem with {topic}; a phone tree fixed it.",
    "Happy to share our notes on how we {verb} {topic}.",
    "Count me in, I can bring a folding table.",
    "Ask for a request number when you call, it makes follow-up easier.",
    "Our group found that a short agenda helps more than anything.",
    "Could you say more about how you {verb} {topic}?",
]  # fmt: skip
TAG_NAMES = [
    "volunteers", "meetings", "block clubs", "vacant lots", "community gardens", "housing",
    "tenant rights", "youth", "outreach", "templates", "grant writing", "city services",
    "clean-ups", "food", "safety", "data from the city", "Spanish interpretation", "trees",
    "water", "organizing",
]  # fmt: skip


def made_up_text(rng: random.Random, template: str) -> str:
    """`template` with a verb, a topic (common ones more often) and a neighborhood."""
    topics, weights = zip(*TOPICS, strict=True)
    return template.format(
        verb=rng.choice(VERBS),
        topic=rng.choices(topics, weights)[0],
        place=rng.choice(NEIGHBORHOODS),
    )


def reference_tags() -> list[Tag]:
    """The TAG_NAMES tags, reusing those that exist (the demo posts make a few)."""
    return tags_from_names(TAG_NAMES)


@dataclass
class _PlannedPost:
    post: Post
    created: datetime
    tags: list[Tag]
    replies: list[Reply]
    replies_created: list[datetime]


def _plan_posts(
    count: int,
    replies: int,
    authors: Sequence[int],
    tags: list[Tag],
    now: datetime,
    seed: int,
    busy: int,
) -> list[_PlannedPost]:
    """Posts over the last five years, a tenth for members only and a few hidden, with
    `replies` replies spread over them (0-8 each, `busy` more on the first, which is
    public, and the rest on the last post).

    Two random streams: `text` draws everything bench.search has always searched (so
    its text stays the same), `people` who wrote what and when the replies came.
    """
    text = random.Random(seed)  # noqa: S311 - made-up text, not secrets
    people = random.Random(seed + 1)  # noqa: S311
    patterns = list(ActivityPattern.objects.order_by("position", "pk"))
    replies_left = replies
    planned = []
    for n in range(count):
        title = made_up_text(text, text.choice(OPENERS))
        title = title[0].upper() + title[1:]
        body = " ".join(
            made_up_text(text, text.choice(SENTENCES)) for _ in range(text.randint(3, 8))
        )
        post_tags = text.sample(tags, text.randint(0, 3))
        reply_count = text.randint(0, 8) + (busy if n == 0 else 0)
        reply_count = min(replies_left, reply_count) if n < count - 1 else replies_left
        replies_left -= reply_count
        reply_texts = [
            " ".join(
                made_up_text(text, text.choice(REPLY_SENTENCES)) for _ in range(text.randint(1, 3))
            )
            for _ in range(reply_count)
        ]
        post = Post(
            pattern=text.choice(patterns),
            author_id=people.choice(authors),
            title=title[:160],
            body=body,
            members_only=text.random() < 0.1,
            state=State.HIDDEN if text.random() < 0.03 else State.PUBLISHED,
            search_document="\n".join([title, body, *(t.name for t in post_tags), *reply_texts]),
        )
        if n == 0 and busy:  # a long thread anyone can open
            post.members_only, post.state = False, State.PUBLISHED
        created = now - timedelta(minutes=text.randint(0, POSTS_SPAN // timedelta(minutes=1)))
        # Replies come within a month of their post, never in the future.
        replies_created = sorted(
            min(now, created + timedelta(minutes=people.randint(5, 43_200))) for _ in reply_texts
        )
        planned.append(
            _PlannedPost(
                post=post,
                created=created,
                tags=post_tags,
                replies=[Reply(author_id=people.choice(authors), body=t) for t in reply_texts],
                replies_created=replies_created,
            )
        )
    return planned


def reference_posts(
    *,
    count: int,
    replies: int,
    authors: Sequence[int],
    sessions: Sequence[Session] = (),
    busiest: int = 0,
    seed: int = SEED,
    now: datetime | None = None,
) -> list[Post]:
    """`count` posts by `authors` (user ids) with `replies` replies in all, tags, search
    documents (and vectors), and about one in ten linked to one of `sessions`. The
    first post gets `busiest` replies more than its share, for a long thread.

    Half the questions with replies have their first reply marked as the answer.
    `created` can't be given to bulk_create (it is auto_now_add), so it is written
    afterwards with bulk_update, as are the answers.
    """
    if count <= 0:
        return []
    now = now or timezone.now()
    tags = reference_tags()
    planned = _plan_posts(count, replies, authors, tags, now, seed, busiest)
    posts = Post.objects.bulk_create([plan.post for plan in planned], batch_size=BATCH)
    for plan in planned:
        for reply in plan.replies:
            reply.post = plan.post
    reply_rows = [reply for plan in planned for reply in plan.replies]
    Reply.objects.bulk_create(reply_rows, batch_size=BATCH)

    links = random.Random(seed + 2)  # noqa: S311
    for plan in planned:
        # bulk_create set `created` to now on every row; put back the planned times.
        plan.post.created = plan.created
        for reply, created in zip(plan.replies, plan.replies_created, strict=True):
            reply.created = created
        if plan.post.pattern.kind == PatternKind.QUESTION and plan.replies and links.random() < 0.5:
            plan.post.answer = plan.replies[0]
    Reply.objects.bulk_update(reply_rows, ["created"], batch_size=BATCH)
    Post.objects.bulk_update(posts, ["created", "answer"], batch_size=BATCH)
    Post.tags.through.objects.bulk_create(
        (Post.tags.through(post=plan.post, tag=tag) for plan in planned for tag in plan.tags),
        batch_size=BATCH,
    )
    if sessions:
        Post.sessions.through.objects.bulk_create(
            (
                Post.sessions.through(post=post, session=links.choice(sessions))
                for post in posts
                if links.random() < 0.1
            ),
            batch_size=BATCH,
        )
    # The rows just written are the ones without a vector (a no-op on SQLite).
    posts_refresh_search_vectors(posts=Post.objects.filter(search_vector__isnull=True))
    counts_recount()  # bulk rows skip the services that keep the stored counts
    return posts


def reference_focus_activities(*, sessions: Sequence[Session], seed: int = SEED) -> int:
    """Give about half of `sessions` one activity to run; returns how many links."""
    rng = random.Random(seed + 3)  # noqa: S311
    patterns = list(ActivityPattern.objects.order_by("position", "pk"))
    through = ActivityPattern.sessions.through
    rows = [
        through(activitypattern=rng.choice(patterns), session=session)
        for session in sessions
        if rng.random() < 0.5
    ]
    through.objects.bulk_create(rows, batch_size=BATCH)
    return len(rows)
