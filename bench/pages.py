"""Every page, for visitors, members and organizers: queries, time at two scales, ratios.

Run with `make bench` or `.venv/bin/python -m bench.pages`. Both scales are loaded into
throwaway databases that last the whole run: two SQLite files in a temporary directory,
or, when DATABASE_URL is set, PostgreSQL databases cop_bench_pages_small and
cop_bench_pages next to the one it names (created afresh, dropped at the end, on an
error or Ctrl-C too).

Environment:
- BENCH_SCALE (default 1): the big scale, as in `seed_demo --scale`. At 1: 1,000
  sessions over ten years, 5,000 members, 50,000 RSVPs, 5,000 posts with 20,000
  replies. The small scale is a tenth of it, so BENCH_SCALE=10 compares scale 1 with
  scale 10, as issue 19 asks.
- BENCH_ROUNDS (default 3): how many times each scale is measured, each time by a
  fresh process (see below).
- BENCH_ONLY=<regex>: only the lines whose name matches (re.search on e.g.
  "member: library home", "organizer: statistics, ten years", "visitor: home (es)"),
  plus the trivial views the ratios need. `BENCH_ONLY='member: (tags|library home)'`
  at BENCH_SCALE=1 took about a minute before the rounds, most of it seeding scale 1;
  each round adds two processes' start and picking.

How long: seeding, migrations included, takes about 10 s at 0.1 and 30 s at 1 on SQLite
on a quiet machine, much longer at 10 (`seed_demo --scale 10`: 10,000 sessions, 50,000
members, 500,000 RSVPs). Each page's requests are shared out over the rounds
(per_round: at 3 rounds, at least 5 timed runs and 0.1 s a round instead of 15 and
0.3 s, 2 built afresh instead of 5), so that the rounds' timed requests together cost
about what one pass's did; each round still pays a process's start, the picking, and
each page's warm-up, query count and built-afresh requests (and a slow page's
MIN_RUNS). At BENCH_SCALE=0.1, 3 rounds took about 1.45x the CPU time of one pass
(user time, medians: 115 s of 2 runs against 79 s of 3 before the rounds, on a shared
machine); BENCH_ROUNDS=1 measures each scale once, as before the rounds.

How it goes: each scale is seeded by a child process of its own (`--seed`: migrate,
seed_demo, a post with REPLIES replies; then, on SQLite, ANALYZE from this process, as a
deploy's migrate does after a load). Then come BENCH_ROUNDS rounds; in each, one fresh
process measures the small scale, then another the big (`--measure`), each printing its
measurements as JSON on its last stdout line, progress on stderr. Measuring processes
never load data: they hold what a web worker holds, not what loading 50,000 members
left in memory (measured in the loading process, scale 10 made every request 1.25-1.6x
slower, a trivial view's and /about/'s alike). Rounds, alternating, because everything
one process measures moves together against another process (the member's trivial view
1.6 -> 2.2 ms from scale 1 to 10 in one run, 1.9 -> 1.3 ms in a repeat of the same
commit, which read the statistics' growth as 1.21x against 1.99x; see BENCHMARKS.md,
"SQLite, the same code again"): a slow or fast process is now one round of several,
and the table shows each round's growth beside the median. Every measuring process gets
PYTHONHASHSEED=HASH_SEED, so that hash randomisation (dict and set layouts) is not one
more difference between them.

In each measuring process each page is fetched through Django's test client
(middleware, view, queries, templates; no network), once untimed, then at least the
round's share of RUNS times and MIN_SECONDS (a slow page: MIN_RUNS times once it has
taken MAX_SECONDS):

- median: the usual request (for visitors, the kept page; for members, their page with
  whatever shared parts are kept);
- built afresh: the first request after a content change, which makes kept pages and
  kept fragments stale (content_changed() before each of the round's share of
  AFRESH_RUNS requests); its queries are the queries column;
- x trivial: the median over a view that returns "ok" through the same middleware, for
  the same kind of visitor (a signed-in member's or organizer's requests read their
  session and account) and, for signed-in lines, over the visitors' trivial view too,
  both at the reference scale: whichever of the two scales is nearer 1. The trivial
  view is requested between each of the page's own timed requests, so that both see
  the same load on a shared machine; the trivial lines show it on its own.

The rounds are combined per page (combine()): each time is the median of the rounds'
medians, the queries the most any round counted. Columns from those: growth (big over
small), then growth per round (each round's big median over that round's small median,
to show the spread) and growth over trivial ((big / big's trivial) / (small / small's
trivial): the growth left once whatever slowed a whole process is taken out; for
information, not a rule).

Flags (issue 19), summed up at the end, all on the combined rounds:
- over MAX_QUERIES queries, or more queries at the big scale than at the small;
- signed-in lines: over MAX_SIGNED_IN_RATIO x their trivial view at the reference scale,
  or a median at the big scale over MAX_GROWTH x the small scale's;
- any line: built afresh at the big scale over MAX_AFRESH_MS;
- visitors' kept pages and the feed's 304: over MAX_KEPT_RATIO x the trivial view.
"""

import contextlib
import io
import json
import logging
import math
import os
import re
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass, replace
from pathlib import Path
from typing import Any, NamedTuple

from bench.harness import percentile

RUNS = 15
MIN_SECONDS = 0.3
ROUNDS = 3  # BENCH_ROUNDS' default
# A slow page stops once it has taken MAX_SECONDS and had MIN_RUNS requests (built
# afresh too): a 300 ms page gets 5, a page of seconds (statistics over ten years at
# scale 10) 3, so that the whole table stays within minutes.
MIN_RUNS = 3
MAX_SECONDS = 1.5
AFRESH_RUNS = 5  # built afresh: fewer runs, no minimum time
MAX_QUERIES = 12
MAX_SIGNED_IN_RATIO = 20.0
MAX_GROWTH = 1.5
MAX_AFRESH_MS = 50.0
MAX_KEPT_RATIO = 2.0
SEARCH_WORD = "volunteers"
REPLIES = 50  # the "post with 50 replies" (post_with_replies)
SEED = "--seed"
MEASURE = "--measure"
SMALL_DATABASE = "cop_bench_pages_small"
BIG_DATABASE = "cop_bench_pages"
SCRATCH = "BENCH_PAGES_SCRATCH"  # the run's temporary directory, for its children
# Every measuring process hashes strings alike (dict and set order, the hashes' costs):
# one thing less that differs from one process to the next.
HASH_SEED = "0"
ORGANIZER_EMAIL = "organizer@example.org"

RULE_QUERIES = f"over {MAX_QUERIES} queries"
RULE_QUERIES_GROW = "queries grow"
RULE_SIGNED_IN_RATIO = f"over {MAX_SIGNED_IN_RATIO:g}x trivial"
RULE_GROWTH = f"grows over {MAX_GROWTH:g}x"
RULE_AFRESH = f"built afresh over {MAX_AFRESH_MS:g} ms"
RULE_KEPT_RATIO = f"kept over {MAX_KEPT_RATIO:g}x trivial"
RULES = (
    RULE_QUERIES,
    RULE_QUERIES_GROW,
    RULE_SIGNED_IN_RATIO,
    RULE_GROWTH,
    RULE_AFRESH,
    RULE_KEPT_RATIO,
)


@dataclass(frozen=True)
class Page:
    label: str
    url: str
    who: str = "visitor"  # or "member", "organizer"
    status: int = 200
    cold_feed: bool = False  # clear the built-feed cache before each request
    conditional: bool = False  # send the ETag back: the calendar app's usual poll
    language: str = ""  # the browser's Accept-Language ("es": the kept Spanish copy)
    trivial: bool = False

    @property
    def signed_in(self) -> bool:
        return self.who != "visitor"

    @property
    def kept(self) -> bool:
        """A visitor's page served from the kept copies (or the feed's 304)."""
        return not self.signed_in and not self.trivial and not self.cold_feed

    @property
    def afresh(self) -> bool:
        """Whether "built afresh" means anything: a 304 after a change is a 200, a cold
        feed is built every time, a trivial view has nothing to build."""
        return not (self.trivial or self.conditional or self.cold_feed)

    @property
    def key(self) -> str:
        return f"{self.who}: {self.label}" + (f" ({self.language})" if self.language else "")


@dataclass(frozen=True)
class Measure:
    queries: int  # for the page built afresh
    median: float
    p95: float
    afresh: float | None  # median built afresh
    size: int
    trivial: float  # the trivial view's median, between the page's requests
    visitor_trivial: float  # the same for a visitor (the same as trivial on their lines)


@dataclass(frozen=True)
class Run:
    """One scale's measurements: one measuring process's, or the rounds' combined."""

    scale: float
    summary: str
    picked: str
    results: dict[str, Measure]
    again: Measure | None = None  # the visitor's trivial view once more, after the pages


class Share(NamedTuple):
    """How many requests a page gets in one round (see _measure)."""

    runs: int
    min_seconds: float
    afresh_runs: int


def per_round(rounds: int) -> Share:
    """RUNS, MIN_SECONDS and AFRESH_RUNS shared out over `rounds` rounds, so that a scale's
    rounds together take not much longer than measuring it once took with all of them
    (each page still gets at least MIN_RUNS requests a round, and 2 built afresh)."""
    return Share(
        runs=max(MIN_RUNS, math.ceil(RUNS / rounds)),
        min_seconds=MIN_SECONDS / rounds,
        afresh_runs=min(AFRESH_RUNS, max(2, math.ceil(AFRESH_RUNS / rounds))),
    )


def use_bench_database(name: str) -> None:
    """On PostgreSQL, have the harness create (and drop) the throwaway database `name`
    instead of test_<name in DATABASE_URL>, so that benchmarks run side by side don't
    meet. Nothing to do on SQLite, whose file is a new temporary one each time."""
    if not os.environ.get("DATABASE_URL"):
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cop_portal.settings_test")
    import django

    django.setup()
    from django.db import connection

    connection.settings_dict["TEST"]["NAME"] = name


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    """No log lines (the mail tasks' steps, the mail limits) among the table's."""
    logging.disable(logging.WARNING)
    try:
        yield
    finally:
        logging.disable(logging.NOTSET)


def load_reference_data(scale: float) -> str:
    """`seed_demo --scale`, then (on PostgreSQL) what autovacuum soon does after a bulk
    load, so that the planner knows the tables' sizes. Returns seed_demo's summary."""
    from django.core.management import call_command
    from django.db import connection

    output = io.StringIO()
    with _quiet():
        call_command("seed_demo", force=True, scale=str(scale), stdout=output)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
    return next(line for line in output.getvalue().splitlines() if line.startswith("Reference"))


def busiest_upcoming_session():  # -> Session; imports wait until Django is set up
    """The published upcoming session with the most RSVPs."""
    from django.db.models import Count

    from sessions_app.models import Session

    return (
        Session.objects.published()
        .upcoming()
        .annotate(answers=Count("rsvps"))
        .order_by("-answers", "starts_at")
        .first()
    )


def post_with_replies(count: int) -> None:
    """Bring one public post up to `count` replies: the issue's "post with 50 replies",
    which the reference data lacks (its posts have 0-8 replies, one has 202). Through the
    reply service, so that stored counts, follows and search documents stay true, but
    without its emails to the followers (seconds of mail work for a page that only the
    outbox would show); from as many reference members; to the post with the most
    replies under `count` that takes replies."""
    from unittest import mock

    from django.core.exceptions import ValidationError
    from django.db.models import Count

    from members.models import User
    from members.reference_data import REFERENCE_DOMAIN
    from practice_library.models import Post
    from practice_library.services.posts import reply_create

    posts = (
        Post.objects.visible_to(None)
        .annotate(n=Count("replies"))
        .filter(n__lt=count)
        .order_by("-n", "pk")
    )
    body = (
        "We tried this with the volunteers at our branch last spring: a rota on the wall, "
        "two people per evening, and a short debrief at the end. It worked once the "
        "tenants' association took over the sign-up sheet."
    )
    for post in posts[:20]:
        authors = (
            User.objects.filter(email__endswith=f"@{REFERENCE_DOMAIN}")
            .exclude(pk=post.author_id)
            .order_by("pk")[: count - post.n]
        )
        try:
            with mock.patch("practice_library.services.posts.notify_reply"):
                for author in authors:
                    reply_create(post=post, author=author, body=body)
        except ValidationError:  # locked, past its deadline: the next one
            continue
        return


def _pages() -> tuple[list[Page], dict[str, Any], str]:
    """What to fetch, who to sign in as (member, organizer), and a line saying what was
    picked."""
    from dateutil.relativedelta import relativedelta
    from django.db.models import Count, F
    from django.db.models.functions import Abs
    from django.urls import reverse
    from django.utils import timezone

    from bench.urls import TRIVIAL_PATH
    from members.models import User
    from members.reference_data import REFERENCE_DOMAIN
    from practice_library.models import ActivityPattern, Post, Tag

    session = busiest_upcoming_session()
    posts = Post.objects.visible_to(None).annotate(n=Count("replies"))
    post = posts.order_by("-n", "pk").first()
    post_50 = posts.annotate(off=Abs(F("n") - REPLIES)).order_by("off", "pk").first()
    pattern = ActivityPattern.objects.annotate(n=Count("posts")).order_by("-n", "pk").first()
    tag = Tag.objects.annotate(n=Count("posts")).order_by("-n", "pk").first()
    reference = User.objects.filter(email__endswith=f"@{REFERENCE_DOMAIN}")
    member = reference.annotate(n=Count("rsvps")).order_by("-n", "pk").first()
    organizer = User.objects.get(email=ORGANIZER_EMAIL)
    author = (
        reference.filter(profile__listed=True)
        .exclude(pk=member.pk)
        .annotate(n=Count("posts"))
        .order_by("-n", "pk")
        .first()
    )
    today = timezone.localdate()
    month = today - relativedelta(years=3)
    month_url = reverse(
        "sessions:calendar-month", kwargs={"year": month.year, "month": month.month}
    )
    last_year = today.year - 1
    one_year = f"?from={last_year}-01&to={last_year}-12"
    ten_years_from = today.replace(day=1) - relativedelta(years=10, months=-1)
    ten_years = f"?from={ten_years_from:%Y-%m}&to={today:%Y-%m}"
    ics = reverse("sessions:feed-ics")
    statistics_url = reverse("sessions:statistics")
    visitor_pages = [
        Page("trivial view", TRIVIAL_PATH, trivial=True),
        Page("home", "/"),
        Page("about", "/about/"),
        Page("sessions list", "/sessions/"),
        Page("past sessions", "/sessions/past/"),
        Page("calendar, this month", "/sessions/calendar/"),
        Page("calendar, a month 3 years ago", month_url),
        Page("session page, busiest upcoming", session.get_absolute_url()),
        Page(
            "session .ics, busiest upcoming", reverse("sessions:session-ics", args=[session.slug])
        ),
        Page("accessibility", "/accessibility/"),
        Page("library home", "/library/"),
        Page("activity page, most posts", pattern.get_absolute_url()),
        Page("post page, most replies", post.get_absolute_url()),
        Page(f"library search, {SEARCH_WORD!r}", f"/library/search/?q={SEARCH_WORD}"),
        Page("tags", "/library/tags/"),
        Page("tag page, most posts", tag.get_absolute_url()),
        Page("feed.ics, cold (built)", ics, cold_feed=True),
        Page("feed.ics, warm (cached)", ics),
        Page("feed.ics, If-None-Match: 304", ics, status=304, conditional=True),
        Page("feed.atom", reverse("sessions:feed-atom")),
        Page("log in", reverse("account_login")),
        Page("sign up", reverse("account_signup")),
        # Kept once per language: a Spanish browser's copies cost what the English do.
        Page("home", "/", language="es"),
        Page("session page, busiest upcoming", session.get_absolute_url(), language="es"),
        Page("activity page, most posts", pattern.get_absolute_url(), language="es"),
        Page(
            "feed.ics?lang=es, If-None-Match: 304", f"{ics}?lang=es", status=304, conditional=True
        ),
    ]
    # Every page a signed-in member sees: the public ones (rendered for them), then their own.
    for_members = {
        "trivial view",
        "home",
        "session page, busiest upcoming",
        "sessions list",
        "past sessions",
        "calendar, this month",
        "calendar, a month 3 years ago",
        "library home",
        "activity page, most posts",
        "post page, most replies",
        f"library search, {SEARCH_WORD!r}",
        "tags",
        "tag page, most posts",
    }
    member_pages = [
        Page(page.label, page.url, who="member", trivial=page.trivial)
        for page in visitor_pages
        if page.label in for_members and not page.language
    ]
    member_pages += [
        Page(f"post page, {REPLIES} replies", post_50.get_absolute_url(), who="member"),
        Page("ask the CoP", reverse("library:ask"), who="member"),
        Page("member directory", "/members/", who="member"),
        Page("member directory, search 'housing'", "/members/?q=housing", who="member"),
        Page("who knows what", "/members/expertise/", who="member"),
        Page("what are we missing", "/members/gaps/", who="member"),
        Page("profile, most posts", author.profile.get_absolute_url(), who="member"),
        Page("my page (/me/)", reverse("members:dashboard"), who="member"),
        Page("my sessions", reverse("sessions:my-rsvps"), who="member"),
        Page("my calendar", reverse("sessions:my-calendar"), who="member"),
    ]
    organizer_pages = [
        Page(label, url, who="organizer")
        for label, url in [
            ("organize sessions", reverse("sessions:organize-sessions")),
            ("series list", reverse("sessions:series-list")),
            ("venue list", reverse("sessions:venue-list")),
            ("organize members", reverse("members:organize-members")),
            ("outbox", reverse("mail:outbox")),
            ("statistics, default range", statistics_url),
            (f"statistics, one year ({last_year})", statistics_url + one_year),
            ("statistics, ten years", statistics_url + ten_years),
            (
                f"funder summary, one year ({last_year})",
                reverse("sessions:statistics-summary") + one_year,
            ),
            (
                "door list, busiest upcoming",
                reverse("sessions:session-check-in", args=[session.slug]),
            ),
            (
                "attendees page, busiest upcoming",
                reverse("sessions:session-attendees", args=[session.slug]),
            ),
        ]
    ]
    picked = (
        f"session {session.slug} ({session.answers} RSVPs), posts with {post.n} and "
        f"{post_50.n} replies, "
        f"activity {pattern.slug} ({pattern.n} posts), tag {tag.slug} ({tag.n} posts), "
        f"member with {member.n} RSVPs, profile with {author.n} posts"
    )
    pages = visitor_pages + member_pages + organizer_pages
    only = os.environ.get("BENCH_ONLY")
    if only:
        pages = [page for page in pages if page.trivial or re.search(only, page.key)]
    return pages, {"member": member, "organizer": organizer}, picked


def _measure(clients: dict[str, Any], page: Page, share: Share | None = None) -> Measure:
    """One page's Measure, with `share` of the requests (all of them by default)."""
    from django.core.cache import caches
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bench.urls import TRIVIAL_PATH
    from cop_portal.lib.content_version import content_changed

    client = clients[page.who]
    headers = {"Accept-Language": page.language} if page.language else {}
    if page.conditional:
        headers["If-None-Match"] = client.get(page.url, headers=headers)["ETag"]

    def prepare(*, afresh: bool) -> None:
        if page.cold_feed:
            caches["feeds"].clear()
        if afresh:
            content_changed()

    def get() -> Any:
        response = client.get(page.url, headers=headers)
        assert response.status_code == page.status, (page.key, page.url, response.status_code)
        return response

    def took(request: Any) -> float:
        started = time.perf_counter()
        request()
        return (time.perf_counter() - started) * 1000

    trivial: dict[str, list[float]] = {"own": [], "visitor": []}

    def timed(runs: int, min_seconds: float, *, afresh: bool) -> list[float]:
        # At least `runs` requests and `min_seconds` of them: a page served in a
        # millisecond gets hundreds of samples, so that its median (and the trivial
        # view's) holds still. A slow page stops at MIN_RUNS after MAX_SECONDS.
        samples: list[float] = []
        while len(samples) < runs or sum(samples) < min_seconds * 1000:
            if len(samples) >= MIN_RUNS and sum(samples) > MAX_SECONDS * 1000:
                break
            prepare(afresh=afresh)
            samples.append(took(get))
            if not afresh:
                trivial["own"].append(took(lambda: client.get(TRIVIAL_PATH)))
                trivial["visitor"].append(took(lambda: clients["visitor"].get(TRIVIAL_PATH)))
        return samples

    prepare(afresh=False)
    get()  # warm-up: templates, query compilation, caches
    prepare(afresh=page.afresh)
    with CaptureQueriesContext(connection) as queries:
        response = get()
    count = len(queries)  # now: the next request empties the log it reads
    share = share or per_round(1)
    afresh = statistics.median(timed(share.afresh_runs, 0, afresh=True)) if page.afresh else None
    prepare(afresh=False)
    get()  # the kept copies again, after the last change
    samples = timed(share.runs, share.min_seconds, afresh=False)
    return Measure(
        queries=count,
        median=statistics.median(samples),
        p95=percentile(samples, 0.95),
        afresh=afresh,
        size=len(response.content),
        trivial=statistics.median(trivial["own"]),
        visitor_trivial=statistics.median(trivial["visitor"]),
    )


def _clients(signed_in: dict[str, Any]) -> dict[str, Any]:
    from django.test import Client

    clients = {"visitor": Client()}
    for who, user in signed_in.items():
        clients[who] = Client()
        clients[who].force_login(user)
    return clients


def _child_setup() -> None:
    """Django for a seeding or measuring child, on the database DATABASE_URL names, with
    the content version in the run's temporary directory (the test settings would leave
    a directory per process in /tmp)."""
    from bench.harness import set_up_django

    set_up_django()
    from django.conf import settings

    scratch = os.environ.get(SCRATCH)
    if scratch:  # before the cache is first used: Django reads CACHES then
        location = Path(scratch) / f"content-version-{os.getpid()}"
        settings.CACHES["content_version"]["LOCATION"] = str(location)


def _seed(scale: float, url: str) -> str:
    """Migrate and load `scale` into the database at `url` from a child process, which
    exits before any page is measured: the measuring processes then hold what a web
    worker holds (the code, its caches), not what loading 50,000 members left in
    memory. (Measured in the loading process itself, the collector frozen after, scale
    10 made every request slower, a trivial view's and /about/'s alike, 1.25-1.6x;
    measured apart, the member's trivial view still took 1.39x in the first run, so that
    was not all the heap's.) Returns seed_demo's summary, with how long it all took."""
    started = time.perf_counter()
    child = subprocess.run(  # noqa: S603 - this module, run by this Python
        [sys.executable, "-m", "bench.pages", SEED, str(scale)],
        env={**os.environ, "DATABASE_URL": url},
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    if url.startswith("sqlite:///"):
        # What a deploy's `migrate` does after a load (refresh_planner_statistics's
        # ANALYZE), from another process: seed_demo's own ANALYZE, in the child, was once
        # found missing from the file afterwards.
        import sqlite3

        with contextlib.closing(sqlite3.connect(url.removeprefix("sqlite:///"))) as database:
            database.execute("ANALYZE")
            database.commit()
    seconds = time.perf_counter() - started
    return (
        f"{child.stdout.strip().splitlines()[-1]} (with the migrations, the demo data, "
        f"VACUUM and a post's {REPLIES} replies: {seconds:.1f} s)"
    )


def _seed_here(scale: float) -> None:
    """The child's side of _seed: the migrations, the reference data and the post with
    REPLIES replies, in the database DATABASE_URL names, then seed_demo's summary on
    stdout."""
    _child_setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    summary = load_reference_data(scale)
    post_with_replies(REPLIES)
    connection.close()
    print(summary, flush=True)


def _measure_in_child(scale: float, url: str, rounds: int) -> tuple[Run, list[Page]]:
    """Measure every page at `scale` (its database at `url`) in a fresh process."""
    child = subprocess.run(  # noqa: S603 - this module, run by this Python
        [sys.executable, "-m", "bench.pages", MEASURE, str(scale)],
        env={
            **os.environ,
            "DATABASE_URL": url,
            "BENCH_ROUNDS": str(rounds),
            "PYTHONHASHSEED": HASH_SEED,
        },
        stdout=subprocess.PIPE,
        text=True,
        check=True,
    )
    return _from_json(child.stdout.strip().splitlines()[-1])


def _measure_here(scale: float) -> None:
    """The child's side of _measure_in_child: every page, saying how it goes on stderr,
    then the Run and the pages as JSON on stdout's last line."""
    _child_setup()
    from django.test import override_settings

    share = per_round(_rounds())
    pages, users, picked = _pages()
    clients = _clients(users)
    results: dict[str, Measure] = {}
    with override_settings(ROOT_URLCONF="bench.urls"):
        for page in pages:
            results[page.key] = _measure(clients, page, share)
            print(
                f"  scale {scale:g}: {page.key}: {results[page.key].median:.1f} ms",
                file=sys.stderr,
                flush=True,
            )
        again = _measure(_clients({}), pages[0], share)
    run = Run(scale=scale, summary="", picked=picked, results=results, again=again)
    print(json.dumps({"run": asdict(run), "pages": [asdict(page) for page in pages]}))


def _from_json(line: str) -> tuple[Run, list[Page]]:
    data = json.loads(line)
    run = data["run"]
    run["results"] = {key: Measure(**value) for key, value in run["results"].items()}
    run["again"] = Measure(**run["again"]) if run["again"] else None
    return Run(**run), [Page(**page) for page in data["pages"]]


def _rounds() -> int:
    return max(1, int(os.environ.get("BENCH_ROUNDS", str(ROUNDS))))


def combine(rounds: list[Run]) -> Run:
    """One scale's rounds as one Run: per page, each timing the median over the rounds
    (the size too, the lower median, a size one round had), the queries the most any
    round counted (a count that varies shows, and is flagged if over). Picked and the
    summary come from the first round; again is the median of the rounds' too."""

    def median(values: list[float | None]) -> float | None:
        present = [value for value in values if value is not None]
        return statistics.median(present) if present else None

    def combined(measures: list[Measure]) -> Measure:
        return Measure(
            queries=max(measure.queries for measure in measures),
            median=statistics.median(measure.median for measure in measures),
            p95=statistics.median(measure.p95 for measure in measures),
            afresh=median([measure.afresh for measure in measures]),
            size=statistics.median_low(measure.size for measure in measures),
            trivial=statistics.median(measure.trivial for measure in measures),
            visitor_trivial=statistics.median(measure.visitor_trivial for measure in measures),
        )

    first = rounds[0]
    results = {
        key: combined([run.results[key] for run in rounds if key in run.results])
        for key in first.results
    }
    agains = [run.again for run in rounds if run.again is not None]
    return Run(
        scale=first.scale,
        summary=first.summary,
        picked=first.picked,
        results=results,
        again=combined(agains) if agains else None,
    )


def reference_scale(small: float, big: float) -> float:
    """The scale the ratios are taken at: whichever is nearer 1 (the issue's "at scale 1")."""
    return min((big, small), key=lambda scale: abs(math.log(scale)))


def flags(page: Page, small: Run, big: Run, reference: Run) -> list[str]:
    """The rules (RULES) this line breaks."""
    measure = big.results[page.key]
    before = small.results.get(page.key)
    at_reference = reference.results.get(page.key)
    broken = []
    if measure.queries > MAX_QUERIES:
        broken.append(RULE_QUERIES)
    if before is not None and measure.queries > before.queries:
        broken.append(RULE_QUERIES_GROW)
    ratio = at_reference.median / at_reference.trivial if at_reference else None
    if page.signed_in and not page.trivial:
        if ratio is not None and ratio > MAX_SIGNED_IN_RATIO:
            broken.append(RULE_SIGNED_IN_RATIO)
        if before is not None and measure.median > MAX_GROWTH * before.median:
            broken.append(RULE_GROWTH)
    if measure.afresh is not None and measure.afresh > MAX_AFRESH_MS:
        broken.append(RULE_AFRESH)
    if page.kept and ratio is not None and ratio > MAX_KEPT_RATIO:
        broken.append(RULE_KEPT_RATIO)
    return broken


def _ms(value: float | None) -> str:
    if value is None:
        return "—"
    return f"{value:.1f} ms" if value < 100 else f"{value:.0f} ms"


def table(
    pages: list[Page], small_rounds: list[Run], big_rounds: list[Run]
) -> tuple[list[str], dict[str, list[str]]]:
    """The table's lines (Markdown) and the lines flagged per rule, from each scale's
    rounds (in the order measured): the rules read the rounds combined (combine()), and
    the growth per round shows how far the rounds agree."""
    small, big = combine(small_rounds), combine(big_rounds)
    reference = big if reference_scale(small.scale, big.scale) == big.scale else small
    lines = [
        f"| page | queries ({small.scale:g} → {big.scale:g}) | median at {small.scale:g} "
        f"| median at {big.scale:g} | growth | growth per round | growth over trivial "
        f"| x trivial at {reference.scale:g} | x visitor's trivial at {reference.scale:g} "
        f"| built afresh ({small.scale:g} → {big.scale:g}) | KiB | |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    flagged: dict[str, list[str]] = {rule: [] for rule in RULES}
    for page in pages:
        measure = big.results[page.key]
        before = small.results.get(page.key)
        at_reference = reference.results.get(page.key)
        ratio = visitor_ratio = growth = each_round = over_trivial = "—"
        if at_reference is not None:
            ratio = f"{at_reference.median / at_reference.trivial:.1f}x"
            if page.signed_in:
                visitor_ratio = f"{at_reference.median / at_reference.visitor_trivial:.1f}x"
        if before is not None and before.median:
            growth = f"{measure.median / before.median:.2f}x"
            each_round = " / ".join(
                f"{round_big.results[page.key].median / round_small.results[page.key].median:.2f}"
                for round_small, round_big in zip(small_rounds, big_rounds, strict=False)
                if page.key in round_small.results and page.key in round_big.results
            )
            if not page.trivial:
                # The page's growth beyond its trivial view's, which moves with whatever
                # slows the whole process down.
                over_trivial = (
                    f"{(measure.median / measure.trivial) / (before.median / before.trivial):.2f}x"
                )
        afresh = _ms(measure.afresh)
        if before is not None and before.afresh is not None:
            afresh = f"{_ms(before.afresh)} → {afresh}"
        broken = flags(page, small, big, reference)
        for rule in broken:
            flagged[rule].append(page.key)
        queries = f"{before.queries if before else '?'} → {measure.queries}"
        lines.append(
            f"| {page.key} | {queries} | {_ms(before.median if before else None)} "
            f"| {_ms(measure.median)} | {growth} | {each_round} | {over_trivial} | {ratio} "
            f"| {visitor_ratio} | {afresh} | {measure.size / 1024:.0f} "
            f"| {'**' + ', '.join(broken) + '**' if broken else ''} |"
        )
    return lines, flagged


def summary_lines(pages: list[Page], flagged: dict[str, list[str]]) -> list[str]:
    """Lines flagged per rule, then how many lines of each kind broke any."""
    lines = ["Flagged, per rule:"]
    for rule, keys in flagged.items():
        lines.append(f"- {rule}: {len(keys)}" + (f" ({'; '.join(keys)})" if keys else ""))
    any_rule = {key for keys in flagged.values() for key in keys}
    counts = ", ".join(
        f"{sum(page.key in any_rule for page in pages if page.who == who)} of "
        f"{sum(page.who == who for page in pages)} {who} lines"
        for who in ("visitor", "member", "organizer")
    )
    lines.append(f"Lines flagged: {counts}")
    return lines


def _benchmark() -> None:
    """Seed both scales, measure them in alternating rounds, print the table."""
    import tempfile

    import dj_database_url

    from bench.databases import throwaway_databases

    big_scale = float(os.environ.get("BENCH_SCALE", "1"))
    scales = {SMALL_DATABASE: big_scale / 10, BIG_DATABASE: big_scale}
    rounds = _rounds()
    measured: dict[str, list[Run]] = {name: [] for name in scales}
    pages: list[Page] = []  # as the big scale's first round listed them
    with (
        tempfile.TemporaryDirectory(prefix="cop-bench-") as tmp,
        throwaway_databases(list(scales), Path(tmp)) as urls,
    ):
        os.environ[SCRATCH] = tmp
        summaries = {}
        for name, scale in scales.items():
            summaries[name] = _seed(scale, urls[name])
            print(f"scale {scale:g}: {summaries[name]}", file=sys.stderr, flush=True)
        for number in range(1, rounds + 1):
            for name, scale in scales.items():
                print(f"round {number} of {rounds}, scale {scale:g}", file=sys.stderr, flush=True)
                run, listed = _measure_in_child(scale, urls[name], rounds)
                measured[name].append(replace(run, summary=summaries[name]))
                if name == BIG_DATABASE and not pages:
                    pages = listed
    small_rounds, big_rounds = measured[SMALL_DATABASE], measured[BIG_DATABASE]
    lines, flagged = table(pages, small_rounds, big_rounds)
    engine = dj_database_url.parse(os.environ.get("DATABASE_URL", "sqlite://"))["ENGINE"]
    share = per_round(rounds)
    print(f"Database: {engine.rsplit('.', 1)[-1]}")
    for run in (small_rounds[0], big_rounds[0]):
        print(run.summary)
        print(f"Picked at {run.scale:g}: {run.picked}")
    print(
        f"{rounds} rounds, each a fresh process per scale, small and big in turn; per "
        f"round, median of at least {share.runs} runs and {share.min_seconds:g} s after one "
        f"warm-up (a slow page: {MIN_RUNS} runs past {MAX_SECONDS:g} s); built afresh: "
        f"median of {share.afresh_runs} runs, each after content_changed(); queries counted "
        "built afresh; "
        "x trivial: over the trivial view timed between the page's own requests. Each "
        "time the median of the rounds' medians, queries the most of any round"
    )
    if os.environ.get("BENCH_ONLY"):
        print(f"Only the lines matching BENCH_ONLY={os.environ['BENCH_ONLY']!r}")
    print()
    print("\n".join(lines))
    print()
    again = " / ".join(
        f"{_ms(run.again.median if run.again else None)}"
        for pair in zip(small_rounds, big_rounds, strict=True)
        for run in pair
    )
    print(f"Visitor's trivial view again at the end of each process, in turn: {again}")
    print("\n".join(summary_lines(pages, flagged)))


def main() -> None:
    if sys.argv[1:2] == [SEED]:
        _seed_here(float(sys.argv[2]))
    elif sys.argv[1:2] == [MEASURE]:
        _measure_here(float(sys.argv[2]))
    else:
        _benchmark()


if __name__ == "__main__":
    main()
