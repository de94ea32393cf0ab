"""Listed members per neighborhood are stored (members/services/counts.py): the directory's
neighborhood filter and its member count read them; every service that changes what they
count keeps them true at once, and `counts_recount` agrees."""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import NeighborhoodCount
from members.services.account import account_delete
from members.services.counts import counts_recount
from members.services.profile import ProfileData, profile_listing_set, profile_update

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("members:directory")


def stored() -> dict[str, tuple[str, int]]:
    return {row.key: (row.name, row.member_count) for row in NeighborhoodCount.objects.all()}


def recounted() -> dict[str, tuple[str, int]]:
    counts_recount()
    return stored()


def lives_in(user, neighborhood: str, *, listed: bool = True):
    return profile_update(
        user=user,
        data=ProfileData(display_name=user.display_name, neighborhood=neighborhood, listed=listed),
    )


def offered(client: Client) -> tuple[list[str], int]:
    """The directory's neighborhood choices and how many members it says it lists."""
    response = client.get(DIRECTORY_URL)
    choices = [value for value, _ in response.context["form"].fields["neighborhood"].widget.choices]
    return [value for value in choices if value], response.context["page"].paginator.count


def test_neighborhood_counts_follow_profile_updates(member, other_member, member_client):
    lives_in(member, "Fairfax")
    lives_in(other_member, "fairfax")
    assert stored() == {"fairfax": ("Fairfax", 2)}
    assert offered(member_client) == (["Fairfax"], 2)

    lives_in(member, "Glenville")

    expected = {"fairfax": ("fairfax", 1), "glenville": ("Glenville", 1)}
    assert stored() == expected
    assert recounted() == expected
    assert offered(member_client) == (["fairfax", "Glenville"], 2)


def test_neighborhood_counts_leave_out_unlisted_and_deleted_members(
    member, other_member, member_client
):
    lives_in(member, "Fairfax")
    lives_in(other_member, "")
    assert offered(member_client) == (["Fairfax"], 2)

    profile_listing_set(user=member, listed=False)
    assert stored() == {"": ("", 1)}
    assert offered(member_client) == ([], 1)

    profile_listing_set(user=member, listed=True)
    account_delete(user=other_member, keep_posts=False)

    expected = {"fairfax": ("Fairfax", 1)}
    assert stored() == expected
    assert recounted() == expected
    assert offered(member_client) == (["Fairfax"], 1)
