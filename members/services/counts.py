"""The members app's stored counts: listed members per topic (`TopicCount`).

The services that change what is counted (a profile's topics or listing, an account's
deletion or deactivation) call `topic_counts_refresh` with the tags they touched, in
their transaction: it recomputes those tags' counts from the rows with one small
aggregate per kind, so a count can't drift by arithmetic. `counts_recount` recomputes
them all (the `recount` command; after bulk loads that skip the services).
"""

from collections.abc import Iterable

from django.db import transaction
from django.db.models import Count, Q

from members.models import Profile, TopicCount, User

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


@transaction.atomic
def counts_recount() -> None:
    """Recompute every stored count of the members app, in three queries and a write.

    Side effects: replaces every TopicCount row.
    """
    TopicCount.objects.all().delete()
    _write_counts(Q())
