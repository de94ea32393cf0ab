"""The members app's stored counts: listed members per topic (`TopicCount`) and per
neighborhood (`NeighborhoodCount`, which also gives how many are listed in all).

The services that change what is counted (a profile's topics, neighborhood or listing,
an account's deletion or deactivation) call `topic_counts_refresh` with the tags and
`neighborhood_counts_refresh` with the neighborhoods they touched, in their
transaction: each recomputes those rows from the profiles with one small aggregate, so
a count can't drift by arithmetic. `counts_recount` recomputes
them all (the `recount` command; after bulk loads that skip the services).
"""

from collections.abc import Iterable
from typing import Any

from django.db import connection, transaction
from django.db.models import Count, Q

from members.models import NeighborhoodCount, Profile, TopicCount, User
from members.search import profile_search_vector
from members.services.search_index import search_index_rebuild

_LISTED = Q(profile__listed=True, profile__user__is_active=True)


def topic_ids_of(*, user: User | int) -> set[int]:
    """The tags a member gives as expertise or interests (what their changes touch)."""
    user_id = user if isinstance(user, int) else user.pk
    ids: set[int] = set()
    for through in (Profile.expertise.through, Profile.interests.through):
        ids.update(through.objects.filter(profile_id=user_id).values_list("tag_id", flat=True))
    return ids


def _write_counts(where: Q) -> list[TopicCount]:
    counts: dict[int, TopicCount] = {}
    kinds = (
        (Profile.expertise.through, "expert_count"),
        (Profile.interests.through, "interest_count"),
    )
    for through, attribute in kinds:
        rows = (
            through.objects.filter(_LISTED & where)
            .order_by()
            .values("tag_id")
            .annotate(n=Count("pk"))
            .values_list("tag_id", "n")
        )
        for tag_id, n in rows:
            setattr(counts.setdefault(tag_id, TopicCount(tag_id=tag_id)), attribute, n)
    return TopicCount.objects.bulk_create(counts.values())


@transaction.atomic
def topic_counts_refresh(*, tag_ids: Iterable[int]) -> None:
    """Recompute the stored counts of these tags from the profiles.

    Side effects: replaces these tags' TopicCount rows (none for a tag nobody lists).
    """
    tag_ids = set(tag_ids)
    if not tag_ids:
        return
    TopicCount.objects.filter(tag_id__in=tag_ids).delete()
    _write_counts(Q(tag_id__in=tag_ids))


def neighborhoods_of(*, user: User | int) -> set[str]:
    """The neighborhood a member gives ("" for none, or no profile): what their
    changes touch."""
    user_id = user if isinstance(user, int) else user.pk
    given = Profile.objects.filter(pk=user_id).values_list("neighborhood", flat=True)
    return set(given) or {""}


def _listed_per_spelling() -> Any:
    return (
        Profile.objects.filter(listed=True, user__is_active=True)
        .order_by()
        .values("neighborhood")
        .annotate(n=Count("pk"))
        .values_list("neighborhood", "n")
    )


def _write_neighborhoods(rows: Iterable[tuple[str, int]], *, keys: set[str] | None) -> None:
    counts: dict[str, NeighborhoodCount] = {}
    for name, n in rows:
        key = name.casefold()
        if keys is not None and key not in keys:
            continue
        row = counts.setdefault(key, NeighborhoodCount(key=key, name=name))
        row.member_count += n
        # One spelling per neighborhood, the first in the directory's order.
        row.name = min(row.name, name, key=lambda spelling: (spelling.lower(), spelling))
    NeighborhoodCount.objects.bulk_create(counts.values())


@transaction.atomic
def neighborhood_counts_refresh(*, names: Iterable[str]) -> None:
    """Recompute the stored counts of these neighborhoods (every spelling of each,
    whatever the letter case; "" for members who give none) from the profiles.

    Side effects: replaces these neighborhoods' NeighborhoodCount rows (none for a
    neighborhood no listed member gives).
    """
    names = set(names)
    if not names:
        return
    keys = {name.casefold() for name in names}
    spellings = Q()
    for name in names | keys:
        spellings |= Q(neighborhood__iexact=name)
    NeighborhoodCount.objects.filter(key__in=keys).delete()
    _write_neighborhoods(_listed_per_spelling().filter(spellings), keys=keys)


@transaction.atomic
def counts_recount() -> None:
    """Recompute every stored count of the members app, in four queries and two writes,
    and what the directory search reads of every profile (derived data too).

    Side effects: replaces every TopicCount and NeighborhoodCount row; rebuilds the
    SQLite search index (`search_index_rebuild`) or, on PostgreSQL, every profile's
    `search_vector`.
    """
    if connection.vendor == "postgresql":
        Profile.objects.update(search_vector=profile_search_vector())
    search_index_rebuild()
    TopicCount.objects.all().delete()
    _write_counts(Q())
    NeighborhoodCount.objects.all().delete()
    _write_neighborhoods(_listed_per_spelling(), keys=None)
