"""How long the library's search page takes over 5,000 posts.

Run with `make bench` or `.venv/bin/python -m bench.search`. Like bench.generation, it
uses a throwaway SQLite file unless DATABASE_URL is set; then a test database is
created next to the one named there (and dropped afterwards). Each request goes
through Django's test client, so the times include middleware, the form, the search
query, the highlighting and the templates. On PostgreSQL it also shows whether the
query plan uses the GIN index from migration 0003.

The posts are the reference data set's library (practice_library/reference_data.py,
also loaded by `seed_demo --scale`): made up from word lists with a fixed seed, so every
run searches the same text: titles and bodies about the things community builders post
about, tags, and 20,000 replies, whose text is in the search documents.
"""

import re
import statistics
import time
from collections.abc import Callable

from bench.harness import percentile, run_with_database

RUNS = 25
POSTS = 5_000
REPLIES = 20_000

QUERIES = [
    ("one common word", {"q": "volunteers"}),
    ("two words", {"q": "vacant lot"}),
    ("a rare word", {"q": "boiler"}),
    ("a phrase in quotes", {"q": '"sign-in sheet"'}),
    ("words + activity filter", {"q": "grant budget", "pattern": "problem-solving"}),
    ("no match", {"q": "zyzzyva"}),
]

FOUND = re.compile(r"([\d,]+) results? for")


def _library() -> None:
    """POSTS posts over five years (a tenth for members only, a few hidden), with tags
    and REPLIES replies, all by one author: the reference data set's library."""
    from django.contrib.auth import get_user_model

    from practice_library.reference_data import reference_posts

    author = get_user_model().objects.create_user(
        email="bench-author@example.org", display_name="Bench Author"
    )
    reference_posts(count=POSTS, replies=REPLIES, authors=[author.pk])


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
    print(f"{POSTS} posts, {REPLIES} replies, built in {built:.1f} s")
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
