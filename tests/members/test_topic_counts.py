"""Listed members per topic are stored (members/services/counts.py): every service that
changes what they count keeps them true at once, and `counts_recount` agrees."""

import pytest
from django.test import Client
from django.urls import reverse

from members.models import TopicCount
from members.services.account import account_delete
from members.services.counts import counts_recount
from members.services.profile import ProfileData, profile_listing_set, profile_update
from tests.factories import make_user

pytestmark = pytest.mark.django_db

WHO_KNOWS_WHAT_URL = reverse("members:who-knows-what")


def stored() -> dict[str, tuple[int, int]]:
    return {
        row.tag.name: (row.expert_count, row.interest_count)
        for row in TopicCount.objects.select_related("tag")
    }


def recounted() -> dict[str, tuple[int, int]]:
    counts_recount()
    return stored()


def claims(user, *, expertise=(), interests=(), listed=True):
    return profile_update(
        user=user,
        data=ProfileData(
            display_name=user.display_name,
            expertise=list(expertise),
            interests=list(interests),
            listed=listed,
        ),
    )


def shown(client: Client) -> list[tuple[str, int]]:
    response = client.get(WHO_KNOWS_WHAT_URL)
    return [(tag.name, tag.member_count) for tag in response.context["tags"]]


def test_topic_counts_follow_profile_updates(member, other_member):
    claims(member, expertise=["tenant rights", "grant writing"], interests=["water"])
    claims(other_member, expertise=["tenant rights"])
    assert stored() == {"tenant rights": (2, 0), "grant writing": (1, 0), "water": (0, 1)}

    claims(member, expertise=["grant writing"], interests=["tenant rights"])

    expected = {"tenant rights": (1, 1), "grant writing": (1, 0)}
    assert stored() == expected
    assert recounted() == expected


def test_topic_counts_leave_out_unlisted_members(member, other_member):
    claims(member, expertise=["tenant rights"])
    claims(other_member, expertise=["tenant rights"], listed=False)
    assert stored() == {"tenant rights": (1, 0)}

    profile_listing_set(user=member, listed=False)
    assert stored() == {}
    profile_listing_set(user=other_member, listed=True)

    assert stored() == {"tenant rights": (1, 0)}
    assert recounted() == {"tenant rights": (1, 0)}


def test_topic_counts_drop_a_deleted_account(member, other_member):
    claims(member, expertise=["tenant rights"])
    claims(other_member, expertise=["tenant rights"])

    account_delete(user=member, keep_posts=True)

    assert stored() == {"tenant rights": (1, 0)}
    assert recounted() == {"tenant rights": (1, 0)}


def test_topic_counts_drop_an_account_deactivated_in_the_admin(client, member, other_member):
    claims(member, expertise=["tenant rights"])
    claims(other_member, expertise=["tenant rights"])
    admin = make_user(email="admin@example.com", is_staff=True, is_superuser=True)
    client.force_login(admin)
    url = reverse("admin:members_user_change", args=[member.pk])
    # is_active left out: unticked.
    data = {
        "email": member.email,
        "display_name": member.display_name,
        "date_joined_0": "2026-01-05",
        "date_joined_1": "10:00:00",
    }

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    assert stored() == {"tenant rights": (1, 0)}
    assert recounted() == {"tenant rights": (1, 0)}


def test_who_knows_what_shows_a_change_to_every_member_at_once(
    client, member_client, member, other_member
):
    other_client = Client()
    other_client.force_login(other_member)
    claims(member, expertise=["tenant rights"])
    assert shown(member_client) == shown(other_client) == [("tenant rights", 1)]

    claims(other_member, expertise=["tenant rights", "water"])

    assert shown(member_client) == shown(other_client) == [("tenant rights", 2), ("water", 1)]
    response = client.get(WHO_KNOWS_WHAT_URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
