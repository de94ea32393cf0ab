"""The directory's search results kept for every member (members/kept_searches.py, issue
19): two members search, something a search reads changes through the services, and
each sees the change on their next request; a search asked again reads no ranking; the
same search is the same for every signed-in member; later pages follow the same order."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from members.models import Profile
from members.services.account import account_delete
from members.services.profile import ProfileData, profile_listing_set, profile_update
from members.services.search_index import FTS_TABLE
from practice_library.models import Tag
from tests.directory_pages import found
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("members:directory")


@pytest.fixture
def viewers(member, other_member, organizer) -> dict[str, Client]:
    """Two members and an organizer, each with their own browser."""
    clients = {}
    for name, user in (("member", member), ("other", other_member), ("organizer", organizer)):
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def found_by_each(viewers: dict[str, Client], q: str) -> dict[str, list[str]]:
    return {name: found(client, q) for name, client in viewers.items()}


def everyone_finds(viewers: dict[str, Client], q: str, names: list[str]) -> bool:
    return found_by_each(viewers, q) == dict.fromkeys(viewers, names)


def edit(profile: Profile, **changes: object) -> None:
    """Save the profile through the service the profile page uses."""
    data = {
        "display_name": profile.user.display_name,
        "organization": profile.organization,
        "neighborhood": profile.neighborhood,
        "bio": profile.bio,
        "expertise": [tag.name for tag in profile.expertise.all()],
        "listed": profile.listed,
        **changes,
    }
    profile_update(user=profile.user, data=ProfileData(**data))


@pytest.fixture
def tenants() -> dict[str, Profile]:
    """Three members who know about housing, Tanya best (expertise and posts)."""
    tanya = make_profile(display_name="Tanya Brooks", expertise=["housing"])
    make_post(author=tanya.user, tags=["housing"])
    return {
        "tanya": tanya,
        "ana": make_profile(display_name="Ana Ortiz", expertise=["housing"]),
        "ben": make_profile(display_name="Ben Cole", bio="Housing cooperatives."),
    }


def test_kept_search_is_the_same_for_every_member_and_organizer(viewers, tenants):
    first = found_by_each(viewers, "housing")

    assert first == {name: ["Tanya Brooks", "Ana Ortiz", "Ben Cole"] for name in viewers}


def test_kept_search_reads_no_ranking_when_asked_again(viewers, tenants):
    found(viewers["member"], "housing")

    with CaptureQueriesContext(connection) as queries:
        again = found(viewers["other"], "housing")

    assert again == ["Tanya Brooks", "Ana Ortiz", "Ben Cole"]
    assert [q["sql"] for q in queries if FTS_TABLE in q["sql"]] == []


def test_new_expertise_shows_to_every_member_at_once(viewers, tenants):
    carla = make_profile(display_name="Carla Diaz", expertise=["gardening"])
    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])

    edit(carla, expertise=["gardening", "housing"])

    assert everyone_finds(
        viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Carla Diaz", "Ben Cole"]
    )


def test_expertise_dropped_takes_a_member_out_for_every_member_at_once(viewers, tenants):
    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])

    edit(tenants["ana"], expertise=[])

    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ben Cole"])


def test_unlisting_takes_a_member_out_for_every_member_at_once(viewers, tenants):
    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])

    profile_listing_set(user=tenants["tanya"].user, listed=False)

    assert everyone_finds(viewers, "housing", ["Ana Ortiz", "Ben Cole"])
    body = viewers["other"].get(DIRECTORY_URL, {"q": "housing"}).content.decode()
    assert "<strong>2</strong> members match" in body

    profile_listing_set(user=tenants["tanya"].user, listed=True)

    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])


def test_a_new_post_under_a_tag_finds_its_author_for_every_member_at_once(viewers, tenants):
    dev = make_profile(display_name="Dev Patel")
    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])

    make_post(author=dev.user, tags=["housing"])  # as post_create tells the directory

    assert everyone_finds(
        viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Dev Patel", "Ben Cole"]
    )


def test_a_deleted_account_leaves_every_members_results_at_once(viewers, tenants):
    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Ben Cole"])

    account_delete(user=tenants["ana"].user, keep_posts=False)

    assert everyone_finds(viewers, "housing", ["Tanya Brooks", "Ben Cole"])


def test_a_new_name_reorders_kept_results_at_once(viewers, tenants):
    """Ana and a second expert tie on points: by name, then the new name."""
    zoe = make_profile(display_name="Zoe Adams", expertise=["housing"])
    assert everyone_finds(
        viewers, "housing", ["Tanya Brooks", "Ana Ortiz", "Zoe Adams", "Ben Cole"]
    )

    edit(zoe, display_name="Abby Adams")

    assert everyone_finds(
        viewers, "housing", ["Tanya Brooks", "Abby Adams", "Ana Ortiz", "Ben Cole"]
    )


def test_a_neighborhood_change_shows_at_once_in_a_filtered_search(viewers, tenants):
    edit(tenants["ben"], neighborhood="Fairfax")
    params = {"q": "housing", "neighborhood": "Fairfax"}
    member = viewers["member"]
    assert [p.user.display_name for p in member.get(DIRECTORY_URL, params).context["page"]] == [
        "Ben Cole"
    ]

    edit(tenants["ana"], neighborhood="Fairfax")

    for client in viewers.values():
        page = client.get(DIRECTORY_URL, params).context["page"]
        assert [profile.user.display_name for profile in page] == ["Ana Ortiz", "Ben Cole"]


def test_filters_keep_their_own_results(viewers, tenants):
    housing = Tag.objects.get(name="housing")
    everyone = found(viewers["member"], "housing")

    filtered = viewers["other"].get(DIRECTORY_URL, {"q": "housing", "expertise": housing.slug})

    assert everyone == ["Tanya Brooks", "Ana Ortiz", "Ben Cole"]
    assert [p.user.display_name for p in filtered.context["page"]] == ["Tanya Brooks", "Ana Ortiz"]


def test_later_pages_of_a_kept_search_follow_its_order(viewers, tenants, monkeypatch):
    monkeypatch.setattr("members.views.directory.MEMBERS_PER_PAGE", 2)
    # PostgreSQL ranks every match and keeps the first ones only: here, a page's worth.
    monkeypatch.setattr("members.search.KEPT_IDS", 1)
    for name in ("Cy Ames", "Di Burke", "Ed Chan"):
        make_profile(display_name=name, interests=["housing"])
    order = [
        "Tanya Brooks",  # expertise and posts
        "Ana Ortiz",  # expertise
        "Cy Ames",  # interests, by name
        "Di Burke",
        "Ed Chan",
        "Ben Cole",  # bio
    ]

    def pages(client: Client) -> list[str]:
        names = []
        for number in (3, 1, 2):  # a later page first: ranked further than counting needs
            response = client.get(DIRECTORY_URL, {"q": "housing", "page": number})
            names.append([p.user.display_name for p in response.context["page"]])
        return [*names[1], *names[2], *names[0]]

    assert pages(viewers["member"]) == order
    assert pages(viewers["other"]) == order  # from the kept ranking


def test_kept_search_queries_stay_flat(viewers, django_assert_max_num_queries):
    for n in range(30):
        make_profile(display_name=f"Member {n:02}", expertise=["housing"])
    client = viewers["member"]
    client.get(DIRECTORY_URL, {"q": "housing"})

    with django_assert_max_num_queries(12):
        response = client.get(DIRECTORY_URL, {"q": "housing", "page": 2})

    assert len(response.context["page"]) == 6
