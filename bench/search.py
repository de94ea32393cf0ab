"""How long the library's search page takes over 5,000 posts.

Run with `make bench` or `.venv/bin/python -m bench.search`. Like bench.generation, it
uses a throwaway SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards). Each request goes
through Django's test client, so the times include middleware, the form, the search
query, the highlighting and the templates. On PostgreSQL it also shows whether the
query plan uses the GIN index from migration 0003.

The posts are made up from word lists with a fixed seed, so every run searches the
same text: titles and bodies about the things community builders post about, tags, and
about 20,000 replies' worth of text in the search documents (the search reads only
`search_document`, so no Reply rows are needed).
"""

import random
import re
import statistics
import time
from collections.abc import Callable
from datetime import timedelta

from bench.harness import percentile, run_with_database

RUNS = 25
POSTS = 5_000
REPLIES = 20_000
SEED = 2026

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
QUERIES = [
    ("one common word", {"q": "volunteers"}),
    ("two words", {"q": "vacant lot"}),
    ("a rare word", {"q": "boiler"}),
    ("a phrase in quotes", {"q": '"sign-in sheet"'}),
    ("words + activity filter", {"q": "grant budget", "pattern": "problem-solving"}),
    ("no match", {"q": "zyzzyva"}),
]

FOUND = re.compile(r"([\d,]+) results? for")


def _text(rng: random.Random, template: str) -> str:
    topics, weights = zip(*TOPICS, strict=True)
    return template.format(
        verb=rng.choice(VERBS),
        topic=rng.choices(topics, weights)[0],
        place=rng.choice(NEIGHBORHOODS),
    )


def _library() -> None:
    """POSTS posts over five years (a tenth for members only, a few hidden), with
    tags and REPLIES replies' worth of text in their search documents."""
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from practice_library.models import ActivityPattern, Post, Tag
    from practice_library.services.posts import posts_refresh_search_vectors

    rng = random.Random(SEED)  # noqa: S311 - made-up text, not secrets
    author = get_user_model().objects.create_user(
        email="bench-author@example.org", display_name="Bench Author"
    )
    patterns = list(ActivityPattern.objects.all())
    tags = Tag.objects.bulk_create(
        Tag(name=name, slug=name.replace(" ", "-").lower()) for name in TAG_NAMES
    )
    now = timezone.now()
    replies_left = REPLIES
    posts = []
    for n in range(POSTS):
        title = _text(rng, rng.choice(OPENERS))
        title = title[0].upper() + title[1:]
        body = " ".join(_text(rng, rng.choice(SENTENCES)) for _ in range(rng.randint(3, 8)))
        post_tags = rng.sample(tags, rng.randint(0, 3))
        reply_count = min(replies_left, rng.randint(0, 8)) if n < POSTS - 1 else replies_left
        replies_left -= reply_count
        replies = [
            " ".join(_text(rng, rng.choice(REPLY_SENTENCES)) for _ in range(rng.randint(1, 3)))
            for _ in range(reply_count)
        ]
        post = Post(
            pattern=rng.choice(patterns),
            author=author,
            title=title[:160],
            body=body,
            members_only=rng.random() < 0.1,
            state="hidden" if rng.random() < 0.03 else "published",
            search_document="\n".join([title, body, *(t.name for t in post_tags), *replies]),
        )
        post.bench_tags = post_tags
        post.bench_created = now - timedelta(minutes=rng.randint(0, 5 * 365 * 24 * 60))
        posts.append(post)
    Post.objects.bulk_create(posts, batch_size=500)
    for post in posts:
        post.created = post.bench_created
    Post.objects.bulk_update(posts, ["created"], batch_size=500)
    Post.tags.through.objects.bulk_create(
        (Post.tags.through(post=post, tag=tag) for post in posts for tag in post.bench_tags),
        batch_size=1000,
    )
    # What the services do one post at a time: the stored vector the index covers.
    posts_refresh_search_vectors(posts=Post.objects.all())


def _time(label: str, run: Callable[[], object]) -> None:
    run()  # warm-up: template loading, query compilation, caches
    samples = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        samples.append((time.perf_counter() - started) * 1000)
    print(
        f"{label:<48} median {statistics.median(samples):7.1f} ms   "
        f"p95 {percentile(samples, 0.95):7.1f} ms",
        end="",
    )


def _explain(params: dict[str, str]) -> str:
    """Whether the page's query uses the GIN index, as planned and with seq scans off."""
    from django.db import connection, transaction

    from practice_library.models import ActivityPattern, Post
    from practice_library.search import SEARCH_INDEX_NAME, LibrarySearch

    pattern = ActivityPattern.objects.filter(slug=params.get("pattern", "")).first()
    posts = LibrarySearch(params["q"]).posts(Post.objects.visible_to(None), pattern=pattern)
    planned = SEARCH_INDEX_NAME in posts.explain()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        forced = SEARCH_INDEX_NAME in posts.explain()
    return f"index: {'yes' if planned else 'no'} (seqscan off: {'yes' if forced else 'no'})"


def _benchmark() -> None:
    from django.conf import settings
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    started = time.perf_counter()
    _library()
    if connection.vendor == "postgresql":
        # What autovacuum does soon after a bulk load: without it the GIN index's
        # pending list and the dead rows from bulk_update make the planner shun the index.
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE practice_library_post")
    built = time.perf_counter() - started

    client = Client()
    url = reverse("library:search")
    print(f"Database: {settings.DATABASES['default']['ENGINE'].rsplit('.', 1)[-1]}")
    print(f"{POSTS} posts, {REPLIES} replies' worth of text, built in {built:.1f} s")
    for label, params in QUERIES:

        def run(params: dict[str, str] = params) -> object:
            response = client.get(url, params)
            assert response.status_code == 200, response.status_code
            return response

        _time(f"visitor: {label}", run)
        with CaptureQueriesContext(connection) as queries:
            response = run()
        found = int(FOUND.search(response.content.decode())[1].replace(",", ""))
        print(f"   {found:5d} found   {len(queries)} queries", end="")
        if connection.vendor == "postgresql":
            print(f"   {_explain(params)}", end="")
        print()


def main() -> None:
    run_with_database(_benchmark)


if __name__ == "__main__":
    main()
