"""Searching the member directory the way people type: "housing" finds the member whose
expertise is "tenant rights" and who posts under "housing"; "meetings" finds "meeting
facilitation".

A listed member matches when every meaningful word of the search appears, as a word or
its stem, in their expertise, the tags of their published posts, their interests, name,
organization, role or bio. Better matches come first: expertise and post tags weigh most,
then interests, name, organization and role, then the bio.

This module is the one place that knows the two databases differ:

- On PostgreSQL it is full-text search with the English configuration (Snowball stems,
  stop words). Each profile keeps its topics, organization, role and bio as one weighted
  tsvector (`Profile.search_vector`, refreshed by the profile services); the tags of a
  member's posts are matched through the (few) tags whose names match, since posts
  change in the library, which can't tell members. Ranked with ts_rank. Measured at
  5,000 listed members and 10,000 posts: building the vector in the query took 300 ms
  to count and 600 ms for a page (every bio parsed twice); stored, both take a few ms.
  A GIN index would not help: the OR with post tags and names makes it a scan anyway.
- On SQLite the search words are cut to their stems (cop_portal/lib/word_stems.py) and
  matched at the start of words, "meetings" → "meet" finding "meeting facilitation",
  through an FTS5 word index of the listed members with a column per weight: topics
  claimed, tags of their published posts, interests, name/organization/role, bio
  (members/services/search_index.py). One statement reads, per stem and weight, the
  ids the index finds, adds up their points and orders the members (`_by_stems`). A
  member's name also matches by any part of it, on both databases, so "dway" finds
  Dwayne (on SQLite through a trigram index of the names).

A ranking (how many match, and the first ids in order) is kept for every signed-in
member who asks the same, until a profile, post or name it reads changes
(members/kept_searches.py): the usual request, and the next pages, read one page of
profiles. On SQLite, counting puts only a page's worth of members in order.

Why a member matched is worked out in Python, for the page's cards only, with the same
stems on both databases.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.contrib.postgres.expressions import ArraySubquery
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    F,
    FloatField,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression, RawSQL
from django.db.models.functions import Coalesce, Lower
from django.db.models.lookups import Exact

from cop_portal.lib.word_stems import STOP_WORDS, stems, words
from members.kept_searches import keep_ranking, kept_ranking, ranking_key
from members.models import Profile, User
from members.services.search_index import FTS_TABLE, NAMES_TABLE
from practice_library.models import Post, Tag
from practice_library.search import folded

# What SQLite's unicode61 tokenizer keeps as a word: letters and digits.
_TOKEN = re.compile(r"[^\W_]+")

SEARCH_CONFIG = "english"
# Points a word earns in each place it is found (SQLite; PostgreSQL weighs A, B and C
# alike): a member who knows it and posts about it comes before one who only posts.
EXPERTISE_POINTS, POST_TAG_POINTS, ABOUT_POINTS, BIO_POINTS = 4, 3, 2, 1
# What a word found on a member's post tags adds to ts_rank on PostgreSQL: about what
# ts_rank gives one word of weight A (expertise).
POST_TAG_RANK = 0.6
# How many ids of a ranking are kept for later requests, at least (ten pages).
KEPT_IDS = 240
# The bio snippet on a card: about this many characters either side of the first match.
SNIPPET_CONTEXT = 60

# Text cut into (part, is_match) pairs, for the template to put matches in <mark>.
Highlighted = list[tuple[str, bool]]


@dataclass
class MemberMatch:
    """Why one member is in the results, for their card."""

    expertise_ids: set[int] = field(default_factory=set)
    post_tags: list[Tag] = field(default_factory=list)
    interests: list[Tag] = field(default_factory=list)
    about: Highlighted = field(default_factory=list)


class RankedProfiles:
    """The matching members, best first, as Paginator needs them (`count()` and slicing).
    How many match, and their ids in order, come from the ranking kept for every member
    (members/kept_searches.py) or from `rank(end)`: the count and the first `end` ids
    (all of them for None), kept in turn. A slice loads those profiles from `profiles`,
    in that order. Counting ranks the first `first` (a page's worth); a slice further
    on ranks up to its end."""

    def __init__(
        self,
        rank: Callable[[int | None], tuple[int, list[int]]],
        profiles: QuerySet[Profile],
        *,
        key: str | None = None,
        first: int | None = None,
    ) -> None:
        self._rank = rank
        self._profiles = profiles
        self._key = key
        self._first = first
        self._ranking: dict[str, Any] | None = None

    def _ranked_to(self, end: int | None) -> dict[str, Any]:
        """The ranking, with at least the first `end` ids (all for None)."""
        ranking = self._ranking
        if ranking is None and self._key is not None:
            ranking = kept_ranking(self._key)
        if ranking is None or not (
            ranking["complete"] or (end is not None and end <= len(ranking["ids"]))
        ):
            count, ids = self._rank(end)
            ranking = {"count": count, "ids": ids, "complete": len(ids) >= count}
            if self._key is not None:
                # PostgreSQL ranks every match (7,000 for a common word at 50,000
                # members): the first pages are kept, not every id of every search.
                kept = ids[: max(end or 0, KEPT_IDS)] if end is not None else ids
                keep_ranking(
                    self._key, {"count": count, "ids": kept, "complete": len(kept) >= count}
                )
        self._ranking = ranking
        return ranking

    @property
    def ids(self) -> list[int]:
        """Every matching member's id, best first."""
        return self._ranked_to(None)["ids"]

    def count(self) -> int:
        return (self._ranking or self._ranked_to(self._first))["count"]

    def __len__(self) -> int:
        return self.count()

    def __contains__(self, profile: object) -> bool:
        return getattr(profile, "pk", None) in set(self.ids)

    def __iter__(self) -> Iterator[Profile]:
        return iter(self[:])

    def __getitem__(self, index: slice) -> list[Profile]:
        ids = self._ranked_to(index.stop)["ids"][index]
        if not ids:
            return []
        found = {profile.user_id: profile for profile in self._profiles.filter(user_id__in=ids)}
        return [found[user_id] for user_id in ids if user_id in found]

    def prefetch_related(self, *lookups: Any) -> "RankedProfiles":
        ranked = RankedProfiles(
            self._rank,
            self._profiles.prefetch_related(*lookups),
            key=self._key,
            first=self._first,
        )
        ranked._ranking = self._ranking
        return ranked


class MemberSearch:
    """One search of the directory: the matching profiles, then why each card matched."""

    def __init__(self, q: str, *, viewer: Any) -> None:
        self.q = q
        self.words = tuple(words(q))
        self.stems = tuple(stems(q))
        self.postgres = connection.vendor == "postgresql"
        self.signed_in = bool(getattr(viewer, "is_authenticated", False))
        # Posts whose tags may make their author findable: what the searcher could find
        # in the library anyway (published, not removed).
        self.posts = Post.objects.visible_to(viewer)
        longest_first = sorted(self.stems, key=len, reverse=True)
        self._match = re.compile(
            r"\b(?:" + "|".join(map(re.escape, longest_first)) + r")\w*", re.IGNORECASE
        )

    def __bool__(self) -> bool:
        """False for a search with no words at all (only punctuation): it finds everyone."""
        return bool(self.stems)

    # Finding

    def profiles(
        self,
        profiles: QuerySet[Profile],
        *,
        narrowed: bool = True,
        filters: tuple[Any, ...] = (),
        first: int | None = None,
    ) -> "RankedProfiles":
        """The matches among `profiles` (already only listed ones), best first: their
        ids ranked (RankedProfiles), a page of profiles loaded when sliced. `narrowed`
        False says `profiles` are all the listed ones (no filter): on SQLite, the word
        index holds only those, so the members found need no looking up. `filters`
        names the filters that narrowed `profiles` (plain values), for the kept ranking
        (members/kept_searches.py); `first`, how many ids counting ranks (a page's worth).
        """
        # Everything the ranking reads, but the rows: the same for every signed-in member.
        search = (self.stems, self.words, self.signed_in, filters)
        if self.postgres:
            rank = partial(self._full_text_ids, profiles)
        else:
            rank = partial(self._by_stems, profiles, narrowed=narrowed)
        return RankedProfiles(rank, profiles, key=ranking_key(search), first=first)

    def _full_text_ids(self, profiles: QuerySet[Profile], end: int | None) -> tuple[int, list[int]]:
        # All the ids, best first, whatever `end`, read once: as a query the paginator
        # would match and rank every member twice, once to count them and once for the
        # page.
        ranked = (
            self._full_text(profiles)
            .order_by("-rank", Lower("user__display_name"), "user_id")
            .values_list("user_id", flat=True)
        )
        ids = list(ranked)
        return len(ids), ids

    def _name_matches(self, *, prefix: str = "user__") -> Q:
        """Every word in the member's name, as typed: part of a name is enough."""
        name = Q()
        for word in self.words:
            name &= Q(**{f"{prefix}display_name__icontains": word})
        return name

    def _full_text(self, profiles: QuerySet[Profile]) -> QuerySet[Profile]:
        # Word by word, so a member matches "tenant housing" with "tenant rights" in their
        # expertise and "housing" on their posts: each word must be in the stored vector
        # (topics, organization, role, bio), on a tag of a post of theirs, or in their name.
        # Each word's members are one set of ids (a UNION: the vector through its GIN
        # index, the authors, the names), so PostgreSQL looks up only the members found;
        # the same tests joined by OR made it hash every profile and account (100-290 ms
        # at 50,000 members).
        meaningful = [word for word in self.words if word not in STOP_WORDS] or self.words
        post_bonus: Any = Value(0.0)
        for word in meaningful:
            query = SearchQuery(word, search_type="plain", config=SEARCH_CONFIG)
            tags = Tag.objects.annotate(vector=SearchVector("name", config=SEARCH_CONFIG)).filter(
                vector=query
            )
            # From the links of the matching tags to the posts by primary key, as on
            # SQLite: `tags__in` made PostgreSQL read every link in the UNION below.
            tagged = Post.tags.through.objects.filter(tag_id__in=tags).values("post_id")
            authors = self.posts.filter(pk__in=tagged).order_by().values("author_id")
            # A word the English configuration ignores ("about") asks nothing: every
            # profile, when (and only when) the query is empty.
            ignored = Exact(Func(query, function="numnode", output_field=IntegerField()), 0)
            found = (
                Profile.objects.filter(search_vector=query)
                .values("user_id")
                .union(
                    authors,
                    User.objects.filter(display_name__icontains=word).values("pk"),
                    Profile.objects.filter(ignored).values("user_id"),
                )
            )
            profiles = profiles.filter(user_id__in=found)
            post_bonus = post_bonus + Case(
                When(user_id__in=authors, then=Value(POST_TAG_RANK)),
                default=Value(0.0),
                output_field=FloatField(),
            )
        everything = SearchQuery(" ".join(meaningful), search_type="plain", config=SEARCH_CONFIG)
        return profiles.defer("search_vector").annotate(
            rank=Coalesce(SearchRank(F("search_vector"), everything), 0.0) + post_bonus
        )

    def _by_stems(
        self, profiles: QuerySet[Profile], end: int | None, *, narrowed: bool
    ) -> tuple[int, list[int]]:
        # One statement that finds each set of members once: per stem, the word index's
        # rows (members/services/search_index.py) with a word starting with it in a
        # column of one weight (expertise; post tags; interests, name, organization or
        # role; bio), each a list of ids read in C by the full-text index; and the
        # members whose name holds every word as typed. The points are added up per
        # member; the index holds listed members only, so only accounts made inactive
        # are taken out (a few ids, from a partial index: migration 0011) and, with
        # filters, the members found are looked up to keep the filtered ones. Topics
        # from the tag table joined to the profiles' topics, and the authors of every
        # post under a matching tag, cost 50-90 ms for a common word at 50,000 members
        # ("housing": 7,000 found); bm25() to weigh the columns cost 2 µs a row, the
        # column sets 0.1.
        #
        # Only the members up to `end` are put in order, and only those as good as the
        # one at `end` are looked up to order them by name: ordering all 5,000 members
        # of a common word by name read as many accounts (10 ms at 50,000 members), when
        # the first page most often needs a few hundred. The members before `end` are
        # the same as when all are ordered: every member ranked above the one at `end`,
        # and all those tied with it, are ordered by name and id.
        fts = FTS_TABLE
        weighed = (
            ("expertise", EXPERTISE_POINTS),
            ("post_tags", POST_TAG_POINTS),
            # Interests and about earn their points once.
            ("{interests about}", ABOUT_POINTS),
            ("bio", BIO_POINTS),
        )
        hits: list[str] = []
        params: list[Any] = []
        for n, word_stem in enumerate(self.stems):
            phrase = self._phrase(word_stem)
            if not phrase:  # no letters or digits: in no column
                continue
            for columns, points in weighed:
                hits.append(f"SELECT {n}, {points}, rowid FROM {fts} WHERE {fts} MATCH %s")  # noqa: S608
                params.append(f"{columns} : {phrase}")
        # Found by name (every word as typed, part of a name is enough), through the
        # trigram index of listed members' names: stem -1, no points. LIKE as Django's
        # icontains on SQLite (ASCII letters in either case). Only words of three
        # characters or more go to the trigrams: SQLite 3.40's FTS5 crashes on a
        # shorter LIKE before a longer one, so those (and words with "_", matched as
        # itself) are checked on the rows found, as an expression the index never sees.
        likes = []
        for word in self.words:
            if len(word) >= 3 and "_" not in word and "\\" not in word:
                likes.append("name LIKE %s")
                params.append(f"%{word}%")
            else:
                likes.append("(name || '') LIKE %s ESCAPE '\\'")
                params.append("%" + word.replace("\\", "\\\\").replace("_", "\\_") + "%")
        named = f"SELECT -1, 0, rowid FROM {NAMES_TABLE} WHERE {' AND '.join(likes)}"  # noqa: S608
        hits.append(named)
        narrowing, narrowing_params = "", []
        if narrowed:
            # The filtered profiles, for one member found: looked up by id.
            listed_sql, narrowing_params = (
                profiles.filter(user_id=RawSQL("hits.id", ())).order_by().values("pk").query
            ).sql_with_params()
            narrowing = f"AND EXISTS ({listed_sql})"
        user = User._meta.db_table
        # How many of the stems a member has (COUNT(DISTINCT) made a table per member).
        # With one stem, every member found has it or is found by name: the test is left
        # out (its two aggregates were ~2 ms of "housing" at scale 10, 7,000 found).
        every_stem, every_stem_params = "", list[int]()
        if len(self.stems) > 1:
            stems_found = " + ".join(f"MAX(stem = {n})" for n in range(len(self.stems)))
            every_stem = f"({stems_found} = %s OR MAX(stem < 0)) AND"
            every_stem_params = [len(self.stems)]
        # `cut`: the points of the member at `end` (none if fewer match: all are read).
        sql = f"""
            WITH hits(stem, points, id) AS ({" UNION ALL ".join(hits)}),
            ranked AS MATERIALIZED (
                SELECT id, SUM(points) AS rank FROM hits GROUP BY id
                HAVING {every_stem}
                    id NOT IN (SELECT id FROM {user} WHERE NOT is_active) {narrowing}
            ),
            cut(rank) AS (SELECT rank FROM ranked ORDER BY rank DESC LIMIT 1 OFFSET %s)
            SELECT (SELECT COUNT(*) FROM ranked), ranked.id
            FROM ranked INNER JOIN {user} u ON u.id = ranked.id
            WHERE ranked.rank >= coalesce((SELECT rank FROM cut), -1)
            ORDER BY ranked.rank DESC, LOWER(u.display_name), ranked.id
            LIMIT %s
        """  # noqa: S608 - our tables' names and Django's SQL; values are parameters
        # No `end`: an offset past every member (no cut) and no limit.
        cut_at, limit = (end - 1, end) if end is not None and end > 0 else (2**62, -1)
        with connection.cursor() as cursor:
            cursor.execute(sql, [*params, *every_stem_params, *narrowing_params, cut_at, limit])
            rows = cursor.fetchall()
        return (rows[0][0] if rows else 0), [row[1] for row in rows]

    @staticmethod
    def _phrase(word_stem: str) -> str:
        """The word index's query for the words starting with `word_stem`, as the index
        folds words (case and accents aside); "" if the stem has no letters or digits.
        A stem of several tokens ("clean-up") is a phrase."""
        tokens = _TOKEN.findall(folded(word_stem))
        # Tokens are letters and digits only, so quoting cannot be broken out of.
        return f'"{" ".join(tokens)}"*' if tokens else ""

    # Explaining

    def explain(self, profiles: list[Profile]) -> None:
        """Set `match` (a MemberMatch) on each of `profiles`, the page's cards, which have
        their expertise and interests listed in `expertise_tags` and `interest_tags`
        (members/selectors.py's directory). One query: the tags of their posts."""
        tags_by_author: dict[int, dict[int, Tag]] = {}
        rows = (
            self.posts.filter(author_id__in=[profile.user_id for profile in profiles])
            .filter(tags__isnull=False)
            .values_list("author_id", "tags__id", "tags__name", "tags__slug")
            .order_by(Lower("tags__name"), "tags__id")
            .distinct()
        )
        for author_id, tag_id, name, slug in rows:
            # Only the matching tags are made: most of an author's tags don't match,
            # and a Tag costs ~10 µs to make (80 a page at scale 10, for ~15 shown).
            if self.matches(name):
                tags_by_author.setdefault(author_id, {})[tag_id] = Tag(
                    id=tag_id, name=name, slug=slug
                )
        for profile in profiles:
            post_tags = list(tags_by_author.get(profile.user_id, {}).values())
            profile.match = self._match_of(profile, post_tags)  # type: ignore[attr-defined]

    def _match_of(self, profile: Profile, post_tags: list[Tag]) -> MemberMatch:
        expertise: list[Tag] = profile.expertise_tags  # type: ignore[attr-defined]
        interests: list[Tag] = profile.interest_tags  # type: ignore[attr-defined]
        return MemberMatch(
            expertise_ids={tag.pk for tag in expertise if self.matches(tag.name)},
            post_tags=post_tags,
            interests=[tag for tag in interests if self.matches(tag.name)],
            about=self._about(profile),
        )

    def matches(self, text: str) -> bool:
        return bool(self.stems) and self._match.search(text) is not None

    def highlight(self, text: str) -> Highlighted:
        """`text` cut into parts, the matching words marked."""
        parts: Highlighted = []
        at = 0
        for found in self._match.finditer(text):
            if found.start() > at:
                parts.append((text[at : found.start()], False))
            parts.append((found[0], True))
            at = found.end()
        if at < len(text):
            parts.append((text[at:], False))
        return parts

    def _about(self, profile: Profile) -> Highlighted:
        """The first of role, organization and bio that matches, highlighted (the bio cut
        to a window around its first match)."""
        for text in (profile.role, profile.organization):
            if self.matches(text):
                return self.highlight(text)
        bio = " ".join(profile.bio.split())
        found = self._match.search(bio) if self.stems else None
        if found is None:
            return []
        start = max(0, found.start() - SNIPPET_CONTEXT)
        end = min(len(bio), found.end() + SNIPPET_CONTEXT)
        # Whole words at both edges.
        if start > 0 and (space := bio.find(" ", start, found.start())) != -1:
            start = space + 1
        if end < len(bio) and (space := bio.rfind(" ", found.end(), end)) != -1:
            end = space
        window = self.highlight(bio[start:end].strip())
        if start > 0:
            window.insert(0, ("… ", False))
        if end < len(bio):
            window.append((" …", False))
        return window

    # When nothing matches

    def related_topics(self, topics: list[str], *, limit: int = 8) -> list[str]:
        """Topics from the vocabulary that share a word stem (or its start) with the search."""
        related = []
        for topic in topics:
            topic_stems = stems(topic)
            if any(
                t.startswith(s) or (len(t) >= 4 and s.startswith(t))
                for s in self.stems
                for t in topic_stems
            ):
                related.append(topic)
        return related[:limit]


def profile_search_vector() -> CombinedExpression:
    """What `Profile.search_vector` holds, as an expression over a profile row (for an
    UPDATE on PostgreSQL): expertise weighs most, then interests, organization and role,
    then the bio. Names are left out (the account can change them) and matched as typed.
    """

    def names(tags: QuerySet[Tag]) -> Func:
        return Func(
            ArraySubquery(tags.values("name")),
            Value(" "),
            function="array_to_string",
            output_field=TextField(),
        )

    return (
        SearchVector(
            names(Tag.objects.filter(experts=OuterRef("pk"))), weight="A", config=SEARCH_CONFIG
        )
        + SearchVector(
            names(Tag.objects.filter(interested=OuterRef("pk"))),
            "organization",
            "role",
            weight="B",
            config=SEARCH_CONFIG,
        )
        + SearchVector("bio", weight="C", config=SEARCH_CONFIG)
    )
