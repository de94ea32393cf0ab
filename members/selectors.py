"""Reads for the member directory, "who knows what" and "what are we missing".

Each costs a fixed number of queries however many members there are: how many listed
members claim or want each topic, and live in each neighborhood, are stored counts
(members/services/counts.py), and lists come with what their cards need prefetched.

Topics are compared by their word stems (cop_portal/lib/word_stems.py): "Meetings" and
"meeting" are one topic, and a member who knows "meeting facilitation" covers a question
tagged "meetings".

Only *listed* members of active accounts are ever counted or shown here: the directory
is opt-in, and unticking "list me" takes a member out of every one of these pages.
"""

from collections.abc import Sequence

from django.db.models import (
    Count,
    F,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    prefetch_related_objects,
)
from django.db.models.functions import Lower

from cop_portal.lib.word_stems import topic_key, topic_words
from members.models import NeighborhoodCount, Profile, User
from members.search import MemberSearch, RankedProfiles
from practice_library.models import PatternKind, Post, PostQuerySet, Tag
from practice_library.models.post import State
from practice_library.selectors import popular_topics, topic_vocabulary

# How many of the posts asking about a missing topic the gaps page links to.
ASKING_POSTS_SHOWN = 3


def listed_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(listed=True, user__is_active=True)


def is_listed(user: User) -> bool:
    """Whether the member chose to be in the directory (no profile yet: not listed)."""
    return Profile.objects.filter(user=user, listed=True).exists()


def _tags_by_name() -> QuerySet[Tag]:
    return Tag.objects.order_by(Lower("name"), "id")


def directory(
    *,
    search: MemberSearch | None = None,
    expertise: Sequence[Tag] = (),
    interest: Tag | None = None,
    neighborhood: str = "",
    page_size: int | None = None,
) -> QuerySet[Profile] | RankedProfiles:
    """Listed members, narrowed by the search and filters, each with the user joined and
    their expertise as a list in `expertise_tags` (for the cards); with a search, their
    interests too, in `interest_tags` (to say why each matched), and the best matches
    first (RankedProfiles: the ids ranked, a page loaded when sliced), else by name.

    Lists rather than the prefetched managers: prefetching into `profile.expertise` made
    Django build a manager and a filtered queryset per profile and per relation, and each
    `.all()` another manager (~1.5-2 ms of a search's 24 cards at scale 1).

    `expertise` is one topic, in all the spellings listed members use ("meeting",
    "meetings"): a member claiming any of them is in. `page_size`: a search ranks that
    many members to count them (the first page), more only when a later page is read.
    """
    profiles = listed_profiles()
    if expertise:
        profiles = profiles.filter(expertise__in=list(expertise)).distinct()
    if interest is not None:
        profiles = profiles.filter(interests=interest)
    if neighborhood:
        profiles = profiles.filter(neighborhood__iexact=neighborhood)
    # The stored search vector (PostgreSQL) is for matching, not for the cards.
    profiles = (
        profiles.select_related("user")
        .defer("search_vector")
        .prefetch_related(Prefetch("expertise", _tags_by_name(), to_attr="expertise_tags"))
    )
    if search:
        narrowed = bool(expertise or interest is not None or neighborhood)
        # What narrowed the profiles, for the ranking kept for every member who asks
        # the same (members/kept_searches.py).
        filters = (
            tuple(sorted(tag.pk for tag in expertise)),
            interest.pk if interest is not None else None,
            neighborhood,
        )
        ranked = search.profiles(profiles, narrowed=narrowed, filters=filters, first=page_size)
        return ranked.prefetch_related(
            Prefetch("interests", _tags_by_name(), to_attr="interest_tags")
        )
    return profiles.order_by(Lower("user__display_name"), "user_id")


def _claimed() -> Q:
    """Tags at least one listed member claims as expertise, from the stored counts
    (members/services/counts.py): an EXISTS over the listed profiles made PostgreSQL
    hash every account (15 ms a query at 50,000 members)."""
    return Q(member_counts__expert_count__gt=0)


def expertise_tags_of_listed() -> list[Tag]:
    """Tags at least one listed member claims as expertise, by name (a filter's choices)."""
    return list(_tags_by_name().filter(_claimed()))


def interest_tags_of_listed() -> list[Tag]:
    """Tags at least one listed member wants to learn, by name (a filter's choices), from
    the stored counts."""
    return list(_tags_by_name().filter(member_counts__interest_count__gt=0))


def neighborhoods_of_listed() -> list[str]:
    """The neighborhoods listed members give, one spelling each whatever the letter case,
    from the stored counts (members/services/counts.py)."""
    names = (
        NeighborhoodCount.objects.exclude(key="")
        .filter(member_count__gt=0)
        .order_by(Lower("name"), "name")
        .values_list("name", flat=True)
    )
    return list(names)


def listed_count() -> int:
    """How many members are listed, from the stored counts (members/services/counts.py)."""
    return NeighborhoodCount.objects.aggregate(n=Sum("member_count"))["n"] or 0


def who_knows_what() -> list[Tag]:
    """Expertise topics with `member_count`, the number of listed members claiming each,
    most first, from the stored counts (members/services/counts.py). Spellings of one
    topic ("meeting", "meetings") are one row, under the most claimed spelling. Tags no
    listed member claims are left out."""
    tags = (
        Tag.objects.annotate(member_count=F("member_counts__expert_count"))
        .filter(member_count__gt=0)
        .order_by("-member_count", Lower("name"), "id")
    )
    topics: dict[str, Tag] = {}
    for tag in tags:  # most claimed first, so the first spelling of a topic stays
        first = topics.setdefault(topic_key(tag.name), tag)
        if first is not tag:
            # A member claims one spelling at most (the profile form folds them).
            first.member_count += tag.member_count
    return sorted(topics.values(), key=lambda tag: (-tag.member_count, tag.name.casefold()))


def related_topics(search: MemberSearch, *, limit: int) -> list[str]:
    """Up to `limit` topic names near the words searched for, or else the most used ones:
    what the directory offers when a search finds nobody."""
    topics = topic_vocabulary()
    related = search.related_topics([topic.name for topic in topics])
    if not related:
        related = [topic.name for topic in popular_topics(topics)]
    return related[:limit]


def _asking_posts() -> PostQuerySet:
    """Posts that ask for knowledge: published open questions and published gap posts."""
    return Post.objects.published().filter(
        Q(pattern__kind=PatternKind.QUESTION, answer__isnull=True)
        | Q(pattern__kind=PatternKind.GAP)
    )


def missing_expertise() -> list[Tag]:
    """Topics members asked about in the library that no listed member knows about.

    Each tag has `demand` (how many asking posts carry it) and `asking` (the newest
    ASKING_POSTS_SHOWN of them), highest demand first. A listed member knows about a topic
    when a topic they claim takes in every word of it, plurals folded: "meeting
    facilitation" covers "meetings", while "parks" doesn't cover "parking". A topic
    claimed only by unlisted members still counts as missing: nobody can find them.
    """
    asking = Q(posts__state=State.PUBLISHED) & (
        Q(posts__pattern__kind=PatternKind.QUESTION, posts__answer__isnull=True)
        | Q(posts__pattern__kind=PatternKind.GAP)
    )
    claimed_names = _tags_by_name().filter(_claimed()).values_list("name", flat=True)
    known = [set(topic_words(name)) for name in claimed_names]
    asked = (
        Tag.objects.exclude(_claimed())
        .annotate(demand=Count("posts", filter=asking, distinct=True))
        .filter(demand__gt=0)
        .order_by("-demand", Lower("name"), "id")
    )
    missing = [tag for tag in asked if not _known(set(topic_words(tag.name)), known)]
    newest_asking = _asking_posts().order_by("-created", "-id")[:ASKING_POSTS_SHOWN]
    prefetch_related_objects(missing, Prefetch("posts", queryset=newest_asking, to_attr="asking"))
    return missing


def _known(topic: set[str], known: list[set[str]]) -> bool:
    """Whether some claimed topic takes in every word of `topic` (`topic_words`)."""
    return bool(topic) and any(topic <= claimed for claimed in known)
