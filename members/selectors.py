"""Reads for the member directory, "who knows what" and "what are we missing".

Each costs a fixed number of queries however many members there are: counts are
annotations, "does a listed member claim this?" is an EXISTS subquery, and lists come
with what their cards need prefetched.

Only *listed* members of active accounts are ever counted or shown here: the directory
is opt-in, and unticking "list me" takes a member out of every one of these pages.
"""

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.db.models.functions import Lower

from members.models import Profile
from practice_library.models import PatternKind, Post, PostQuerySet, Tag
from practice_library.models.post import State

# How many of the posts asking about a missing topic the gaps page links to.
ASKING_POSTS_SHOWN = 3


def listed_profiles() -> QuerySet[Profile]:
    return Profile.objects.filter(listed=True, user__is_active=True)


def _tags_by_name() -> QuerySet[Tag]:
    return Tag.objects.order_by(Lower("name"), "id")


def directory(
    *,
    q: str = "",
    expertise: Tag | None = None,
    interest: Tag | None = None,
    neighborhood: str = "",
) -> QuerySet[Profile]:
    """Listed members by name, narrowed by the search words and filters, each with the
    user joined and expertise prefetched (for the cards).

    Every word of `q` must appear in the name, organization, role or bio.
    """
    profiles = listed_profiles()
    for word in q.split():
        profiles = profiles.filter(
            Q(user__display_name__icontains=word)
            | Q(organization__icontains=word)
            | Q(role__icontains=word)
            | Q(bio__icontains=word)
        )
    if expertise is not None:
        profiles = profiles.filter(expertise=expertise)
    if interest is not None:
        profiles = profiles.filter(interests=interest)
    if neighborhood:
        profiles = profiles.filter(neighborhood__iexact=neighborhood)
    return (
        profiles.select_related("user")
        .prefetch_related(Prefetch("expertise", queryset=_tags_by_name()))
        .order_by(Lower("user__display_name"), "user_id")
    )


def expertise_tags_of_listed() -> list[Tag]:
    """Tags at least one listed member claims as expertise, by name (a filter's choices)."""
    claimed = listed_profiles().filter(expertise=OuterRef("pk"))
    return list(_tags_by_name().filter(Exists(claimed)))


def interest_tags_of_listed() -> list[Tag]:
    """Tags at least one listed member wants to learn, by name (a filter's choices)."""
    wanted = listed_profiles().filter(interests=OuterRef("pk"))
    return list(_tags_by_name().filter(Exists(wanted)))


def neighborhoods_of_listed() -> list[str]:
    """The neighborhoods listed members give, one spelling each whatever the letter case."""
    seen: dict[str, str] = {}
    names = (
        listed_profiles()
        .exclude(neighborhood="")
        .order_by(Lower("neighborhood"), "neighborhood")
        .values_list("neighborhood", flat=True)
        .distinct()
    )
    for name in names:
        seen.setdefault(name.casefold(), name)
    return list(seen.values())


def who_knows_what() -> QuerySet[Tag]:
    """Expertise tags with `member_count`, the number of listed members claiming each,
    most first. Tags no listed member claims are left out."""
    listed = Q(experts__listed=True, experts__user__is_active=True)
    return (
        Tag.objects.annotate(member_count=Count("experts", filter=listed, distinct=True))
        .filter(member_count__gt=0)
        .order_by("-member_count", Lower("name"), "id")
    )


def _asking_posts() -> PostQuerySet:
    """Posts that ask for knowledge: published open questions and published gap posts."""
    return Post.objects.published().filter(
        Q(pattern__kind=PatternKind.QUESTION, answer__isnull=True)
        | Q(pattern__kind=PatternKind.GAP)
    )


def missing_expertise() -> QuerySet[Tag]:
    """Topics members asked about in the library that no listed member claims.

    Each tag has `demand` (how many asking posts carry it) and `asking` (the newest
    ASKING_POSTS_SHOWN of them), highest demand first. A topic claimed only by unlisted
    members still counts as missing: nobody can find them.
    """
    asking = Q(posts__state=State.PUBLISHED) & (
        Q(posts__pattern__kind=PatternKind.QUESTION, posts__answer__isnull=True)
        | Q(posts__pattern__kind=PatternKind.GAP)
    )
    claimed = listed_profiles().filter(expertise=OuterRef("pk"))
    newest_asking = _asking_posts().order_by("-created", "-id")[:ASKING_POSTS_SHOWN]
    return (
        Tag.objects.annotate(demand=Count("posts", filter=asking, distinct=True))
        .filter(demand__gt=0)
        .filter(~Exists(claimed))
        .prefetch_related(Prefetch("posts", queryset=newest_asking, to_attr="asking"))
        .order_by("-demand", Lower("name"), "id")
    )
