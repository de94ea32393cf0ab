"""Searching the library: posts and their replies, through `Post.search_document`, and
the eleven activity guides, in each language's text (`LibrarySearch.guides`).

On PostgreSQL this is full-text search (English stemming, websearch syntax: quotes for
phrases, `or`, `-word`), ranked with ts_rank and highlighted with ts_headline, served
by the GIN index that migration 0003 creates on exactly the expression used here. A
word found in more than WALK_NEWEST_FROM posts is listed newest first instead, as on
SQLite: ranking reads every match's vector (a common word, 33,000 of 50,000 posts:
230 ms), the newest are walked in their index and a page costs under a millisecond. On
SQLite it is simpler: every word of the query must start a word of the post (accents
and case aside), newest first, with the snippet cut in Python around the first match;
the matching is done by an FTS5 table (migration 0012, services/search_index.py), which
also counts the matches, so neither reads every post.

Snippets come from members' text, so highlighting never trusts it: the database (or
Python) wraps matches in random sentinel words, the whole snippet is HTML-escaped, and
only then do the sentinels become <mark> tags.
"""

import functools
import re
import secrets
import unicodedata
from collections.abc import Iterable

from django.conf import settings
from django.contrib.postgres.search import (
    SearchHeadline,
    SearchQuery,
    SearchRank,
    SearchVector,
)
from django.db import connection, transaction
from django.db.models import Case, F, Q, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Left, Length
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from practice_library.models import ActivityPattern, Post, PostQuerySet, Tag
from practice_library.services.search_index import FTS_TABLE

MAX_QUERY_LENGTH = 200
SEARCH_CONFIG = "english"
SEARCH_INDEX_NAME = "practice_library_post_search"
# The SQLite snippet: about this many characters either side of the first match.
SNIPPET_CONTEXT = 110
# PostgreSQL's snippet is cut from the document's first this many characters when a
# match is there (title and body come first), from the whole document otherwise:
# ts_headline parses all it is given, and the longest threads run to 200,000
# characters (50 ms for a page of results holding two of them).
HEADLINE_WINDOW = 4000

_WORD = re.compile(r"\w+(?:['\u2019-]\w+)*")
# What SQLite's unicode61 tokenizer keeps as a word: letters and digits.
_TOKEN = re.compile(r"[^\W_]+")
# With at least this many matches, the newest posts are walked (their index) until a
# page is found, which costs about (matches / posts) per row; with fewer, the matches
# are fetched and sorted, which costs about one per match.
WALK_NEWEST_FROM = 1000
# What a guide is searched by: its texts in each language (modeltranslation columns).
GUIDE_FIELDS = (
    "name",
    "purpose",
    "invitation",
    "when_to_use",
    "online_and_in_room",
    "group_size",
    "materials",
    "tips_and_traps",
    "example_prompts",
)


def folded(text: str) -> str:
    """Lower case without accents, so "practica" finds "práctica" (and "Reunión" "reunion")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


@functools.lru_cache(maxsize=64)
def _guide_words(text: str) -> frozenset[str]:
    """The folded words of one guide's text in one language. Kept by the text itself
    (eleven guides, two languages), so an edited guide is folded afresh: folding them
    all on each search cost 20 ms."""
    return frozenset(_WORD.findall(folded(text)))


def query_words(q: str) -> list[str]:
    """The words of a query, without the punctuation around them."""
    return _WORD.findall(q)


def _match_expression(
    words: list[str],
    *,
    public_only: bool,
    pattern: ActivityPattern | None,
    tag: Tag | None,
) -> str | None:
    """The FTS5 query: each word of the query starts a word of the document, and the
    facets narrow to what visitors may read, the activity and the tag. None when the
    query has no letters or digits at all."""
    tokens = [token for word in words for token in _TOKEN.findall(folded(word))]
    if not tokens:
        return None
    # Tokens are letters and digits only, so quoting cannot be broken out of.
    expression = "document : (" + " AND ".join(f'"{token}"*' for token in tokens) + ")"
    facets = []
    if pattern is not None:
        facets.append(f"pattern{pattern.pk}")
    if tag is not None:
        facets.append(f"tag{tag.pk}")
    if facets:
        expression += " AND facets : (" + " AND ".join(facets) + ")"
    if public_only:
        # Every post is `public` or `members`: leaving out the few members-only posts
        # reads a tenth of what keeping the public ones does (a common word for a
        # visitor at 50,000 posts: 11 ms -> 6.5 ms).
        expression = f"({expression}) NOT facets : (members)"
    return expression


class LibrarySearch:
    """One search: the matching posts, then a highlighted snippet for each shown."""

    def __init__(self, q: str) -> None:
        self.q = q
        self.words = query_words(q)
        self.postgres = connection.vendor == "postgresql"
        # How many posts match, once `posts()` has counted them.
        self.count: int | None = None
        # PostgreSQL: whether the matches are ranked (else newest first, as on SQLite).
        self.ranked = False
        # Letters and digits only, so escaping leaves them as they are; random, so no
        # member's text can contain them.
        token = secrets.token_hex(8)
        self._start, self._stop = f"qs{token}qs", f"qe{token}qe"

    def posts(
        self,
        posts: PostQuerySet,
        *,
        pattern: ActivityPattern | None = None,
        tag: Tag | None = None,
        public_only: bool = False,
    ) -> PostQuerySet:
        """The matches among `posts` (already narrowed with `visible_to`; `public_only`
        when that was for a visitor), best first."""
        if not self.words:  # only punctuation: nothing to look for
            return posts.none()
        if pattern is not None:
            posts = posts.filter(pattern=pattern)
        if self.postgres:
            if tag is not None:
                posts = posts.filter(tags=tag)
            return self._full_text(posts)
        # The snippets are cut from the documents, which Post.objects leaves unread.
        posts = posts.defer(None).defer("search_vector")
        posts = posts.select_related("pattern", "author").prefetch_related("tags")
        return self._indexed(posts, public_only=public_only, pattern=pattern, tag=tag)

    def shown(self, page: PostQuerySet) -> list[Post]:
        """One page of `posts()` (a slice, as a Paginator's page holds), read with what
        the result cards need. On PostgreSQL the page is found first by its ids, so
        pattern, author and snippet are read for its own posts only (joined before the
        page is cut, the authors were read whole: 50,000 of them). One query, plus the
        tags."""
        if not self.postgres:
            return list(page)
        query = self._query()
        document = F("search_document")
        window = Left("search_document", HEADLINE_WINDOW)
        shown = (
            Post.objects.filter(pk__in=page.values("pk"))
            .select_related("pattern", "author")
            .prefetch_related("tags")
            .alias(
                length=Length("search_document"),
                opening=SearchVector(window, config=SEARCH_CONFIG),
            )
            .annotate(
                headline=Case(
                    # Most documents are short: parsed once, whole.
                    When(length__lte=HEADLINE_WINDOW, then=self._headline(document, query)),
                    When(Q(opening=query), then=self._headline(window, query)),
                    default=self._headline(document, query),
                )
            )
            # The headline is made in the database; the document need not travel.
            .defer("search_document", "search_vector")
        )
        if self.ranked:
            shown = shown.alias(rank=SearchRank(F("search_vector"), query))
        return list(shown.order_by(*self._order()))

    def _indexed(
        self,
        posts: PostQuerySet,
        *,
        public_only: bool,
        pattern: ActivityPattern | None,
        tag: Tag | None,
    ) -> PostQuerySet:
        """SQLite: the matches through the FTS5 index, which counts them too (its
        facets narrow as `visible_to`, the activity and the tag do); `posts` still
        decides what is shown. The tag is left to the facet: a join on the tags would
        keep SQLite from walking the newest posts."""
        match = _match_expression(self.words, public_only=public_only, pattern=pattern, tag=tag)
        if match is None:
            self.count = 0
            return posts.none()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT count(*) FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
                [match],
            )
            self.count = cursor.fetchone()[0]
        matches = RawSQL(  # noqa: S611 - the table's name is ours; the query is a parameter
            f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s",  # noqa: S608
            [match],
        )
        if self.count >= WALK_NEWEST_FROM:
            # `+ 0` keeps SQLite from looking the matches up by id and sorting them all:
            # it walks the newest posts instead and stops at the page.
            posts = posts.alias(pk_unindexed=F("pk") + 0).filter(pk_unindexed__in=matches)
        else:
            posts = posts.filter(pk__in=matches)
        return posts.order_by("-created", "-id")

    def guides(self, patterns: Iterable[ActivityPattern]) -> list[ActivityPattern]:
        """The activity guides (already loaded: there are eleven) whose text in one
        language has a word starting with each word of the query: a Spanish query finds
        a guide by its Spanish text, an English one by its English text."""
        wanted = [folded(word) for word in self.words]
        if not wanted:
            return []
        found = []
        for pattern in patterns:
            for code, _name in settings.LANGUAGES:
                text = " ".join(
                    getattr(pattern, f"{field}_{code}", "") or "" for field in GUIDE_FIELDS
                )
                words = _guide_words(text)
                if all(any(word.startswith(w) for word in words) for w in wanted):
                    found.append(pattern)
                    break
        return found

    def _query(self) -> SearchQuery:
        return SearchQuery(self.q, search_type="websearch", config=SEARCH_CONFIG)

    def _order(self) -> tuple[str, ...]:
        return ("-rank", "-created", "-id") if self.ranked else ("-created", "-id")

    def _headline(self, document: object, query: SearchQuery) -> SearchHeadline:
        return SearchHeadline(
            document,
            query,
            config=SEARCH_CONFIG,
            start_sel=self._start,
            stop_sel=self._stop,
            max_words=35,
            min_words=15,
            max_fragments=2,
            fragment_delimiter=" … ",
        )

    def _full_text(self, posts: PostQuerySet) -> PostQuerySet:
        """PostgreSQL: the matches through the GIN index on the stored vector (migration
        0003), counted there; ranked, or newest first when there are many."""
        query = self._query()
        matches = posts.filter(search_vector=query)
        # No savepoint: one statement more, not three, within a transaction already.
        with transaction.atomic(savepoint=False), connection.cursor() as cursor:
            # For a common word the planner reads the whole table rather than the index
            # (it sees two thirds of the rows match, not that testing a row unpacks its
            # vector): 200 ms at 50,000 posts, against 35 ms through the index. Until
            # the transaction ends: this one, or the one it runs in (plans only).
            cursor.execute("SET LOCAL enable_seqscan = off")
            self.count = matches.count()
        self.ranked = self.count < WALK_NEWEST_FROM
        if self.ranked:
            # The stored vector makes ranking cheap: no matching post's text is parsed.
            matches = matches.alias(rank=SearchRank(F("search_vector"), query))
        return matches.order_by(*self._order())

    def snippet(self, post: Post) -> SafeString:
        """The post's snippet as safe HTML, the matches in <mark>."""
        if self.postgres:
            text: str = getattr(post, "headline", "")
        else:
            text = self._cut_snippet(post.search_document)
        # The document's parts (title, body paragraphs, tags, replies) are lines.
        lines = (" ".join(line.split()) for line in text.splitlines())
        html = str(escape(" · ".join(line for line in lines if line)))
        html = html.replace(self._start, "<mark>").replace(self._stop, "</mark>")
        return mark_safe(html)  # noqa: S308 - escaped above; only our own <mark> tags added

    def _cut_snippet(self, document: str) -> str:
        """A window of the document around the first match, each match between sentinels."""
        longest_first = sorted(self.words, key=len, reverse=True)
        pattern = re.compile("|".join(map(re.escape, longest_first)), re.IGNORECASE)
        first = pattern.search(document)
        if first is None:  # SQLite's LIKE matched where Python's rules do not (rare)
            return document[: SNIPPET_CONTEXT * 2]
        start = max(0, first.start() - SNIPPET_CONTEXT)
        end = min(len(document), first.end() + SNIPPET_CONTEXT)
        # Widen to whole words (within reason), so no word is cut at either edge.
        for _ in range(30):
            if start == 0 or document[start - 1].isspace():
                break
            start -= 1
        for _ in range(30):
            if end == len(document) or document[end].isspace():
                break
            end += 1
        window = pattern.sub(lambda m: f"{self._start}{m[0]}{self._stop}", document[start:end])
        return f"{'… ' if start else ''}{window}{' …' if end < len(document) else ''}"
