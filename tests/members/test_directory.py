"""The member directory and "who knows what": listed members only, search, filters, counts."""

import pytest
from django.urls import reverse

from members.demo import seed_members
from members.models import Profile, User
from members.services.counts import counts_recount
from members.services.profile import profiles_search_refresh
from practice_library.models import Tag
from practice_library.services.posts import tags_from_names
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("members:directory")
WHO_KNOWS_WHAT_URL = reverse("members:who-knows-what")


def bulk_members(
    count: int, *, expertise: list[str] = (), interests: list[str] = (), listed: bool = True
) -> None:
    """`count` members with profiles and tags in a handful of queries (no passwords)."""
    start = User.objects.count()
    users = User.objects.bulk_create(
        User(email=f"bulk{start + n}@example.com", display_name=f"Bulk Member {start + n:05}")
        for n in range(count)
    )
    profiles = Profile.objects.bulk_create(
        Profile(user=user, listed=listed, neighborhood="Hough", organization="Block club")
        for user in users
    )
    for field, tag_names in (("expertise", expertise), ("interests", interests)):
        through = getattr(Profile, field).through
        tags = tags_from_names(tag_names)
        through.objects.bulk_create(
            through(profile_id=profile.pk, tag_id=tag.pk) for profile in profiles for tag in tags
        )
    profiles_search_refresh(profiles=Profile.objects.filter(pk__in=[p.pk for p in profiles]))
    counts_recount()  # bulk_create skips the services that keep them


def names(response) -> list[str]:
    return [profile.user.display_name for profile in response.context["page"].object_list]


@pytest.fixture
def people(db) -> dict[str, Profile]:
    return {
        "yolanda": make_profile(
            display_name="Yolanda Price",
            email="yolanda.private@example.com",
            pronouns="she/her",
            organization="Fairfax Community Garden",
            neighborhood="Fairfax",
            bio="Two side lots and a rain barrel.",
            expertise=["community gardens", "meeting facilitation"],
            interests=["fundraising"],
        ),
        "dwayne": make_profile(
            display_name="Dwayne Harris",
            organization="Parkwood Drive Block Club",
            neighborhood="Glenville",
            bio="Retired bus driver.",
            expertise=["meeting facilitation"],
            interests=["tenant rights"],
        ),
        "lucia": make_profile(
            display_name="Lucía Vega",
            organization="Clark-Fulton Tenants Together",
            neighborhood="clark-fulton",
            bio="Bilingual organizer for renters.",
            expertise=["tenant rights"],
            interests=["fundraising", "grant writing"],
        ),
        "sam": make_profile(
            display_name="Sam Unlisted",
            email="sam.private@example.com",
            organization="Fairfax Data Co-op",
            neighborhood="Fairfax",
            expertise=["community gardens", "data from the city"],
            interests=["fundraising"],
            listed=False,
        ),
    }


# Who may see it


@pytest.mark.parametrize("url", [DIRECTORY_URL, WHO_KNOWS_WHAT_URL])
def test_directory_pages_send_visitors_to_log_in(client, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_directory_lists_listed_members_by_name(member_client, people):
    response = member_client.get(DIRECTORY_URL)

    assert response.status_code == 200
    assert names(response) == ["Dwayne Harris", "Lucía Vega", "Yolanda Price"]
    body = response.content.decode()
    assert "Sam Unlisted" not in body
    assert f'href="{people["yolanda"].get_absolute_url()}"' in body
    assert '<span class="avatar avatar--medium" aria-hidden="true">YP</span>' in body
    assert "(she/her)" in body
    assert "Fairfax Community Garden · Fairfax" in body
    assert f'href="{DIRECTORY_URL}?expertise=community-gardens"' in body


def test_directory_leaves_out_deactivated_members(member_client, people):
    User.objects.filter(pk=people["dwayne"].user_id).update(is_active=False)

    response = member_client.get(DIRECTORY_URL)

    assert names(response) == ["Lucía Vega", "Yolanda Price"]


def test_directory_is_the_same_for_organizers(organizer_client, people):
    response = organizer_client.get(DIRECTORY_URL)

    assert names(response) == ["Dwayne Harris", "Lucía Vega", "Yolanda Price"]


def test_directory_without_listed_members_invites_people_to_be_first(member_client):
    make_profile(listed=False)

    response = member_client.get(DIRECTORY_URL)

    assert names(response) == []
    assert "Nobody is listed yet" in response.content.decode()


# Search and filters


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("dwayne", ["Dwayne Harris"]),  # name
        # organization and expertise first, then who wants to learn about tenants
        ("tenants", ["Lucía Vega", "Dwayne Harris"]),
        ("RAIN barrel", ["Yolanda Price"]),  # bio, every word, any letter case
        ("fairfax", ["Yolanda Price"]),  # the unlisted Fairfax member stays hidden
        ("garden bus", []),
    ],
)
def test_directory_search_looks_at_names_organizations_bios_and_topics(
    member_client, people, q, expected
):
    response = member_client.get(DIRECTORY_URL, {"q": q})

    assert response.status_code == 200
    assert names(response) == expected


def test_directory_filters_by_expertise(member_client, people):
    response = member_client.get(DIRECTORY_URL, {"expertise": "meeting-facilitation"})

    assert names(response) == ["Dwayne Harris", "Yolanda Price"]
    assert '<option value="meeting-facilitation" selected>' in response.content.decode()


def test_directory_expertise_choices_are_what_listed_members_claim(member_client, people):
    response = member_client.get(DIRECTORY_URL)

    choices = response.context["form"].fields["expertise"].widget.choices
    assert choices == [
        ("", "Any topic"),
        ("community-gardens", "community gardens"),
        ("meeting-facilitation", "meeting facilitation"),
        ("tenant-rights", "tenant rights"),
    ]


def test_directory_filters_by_interest(member_client, people):
    response = member_client.get(DIRECTORY_URL, {"interest": "fundraising"})

    assert names(response) == ["Lucía Vega", "Yolanda Price"]


def test_directory_filters_by_neighborhood_in_any_letter_case(member_client, people):
    by_hand = member_client.get(DIRECTORY_URL, {"neighborhood": "CLARK-Fulton"})
    from_the_list = member_client.get(DIRECTORY_URL, {"neighborhood": "clark-fulton"})

    assert names(by_hand) == names(from_the_list) == ["Lucía Vega"]
    assert '<option value="clark-fulton" selected>' in from_the_list.content.decode()


def test_directory_combines_search_and_filters(member_client, people):
    response = member_client.get(
        DIRECTORY_URL,
        {"q": "garden", "expertise": "meeting-facilitation", "interest": "fundraising"},
    )

    assert names(response) == ["Yolanda Price"]


def test_directory_filter_on_a_tag_no_listed_member_claims_finds_nobody(member_client, people):
    response = member_client.get(DIRECTORY_URL, {"expertise": "data-from-the-city"})

    assert response.status_code == 200
    assert names(response) == []
    assert '<option value="data-from-the-city" selected>' in response.content.decode()


@pytest.mark.parametrize("field", ["expertise", "interest"])
def test_directory_unknown_tag_is_400_with_a_message_by_the_field(member_client, people, field):
    response = member_client.get(DIRECTORY_URL, {field: "no-such-topic"})

    assert response.status_code == 400
    message = "There is no topic “no-such-topic”. Pick one from the list, or choose “Any topic”."
    assert response.context["form"].errors[field] == [message]
    assert message in response.content.decode()
    assert response.context["page"] is None


def test_directory_search_that_is_too_long_is_400(member_client, people):
    response = member_client.get(DIRECTORY_URL, {"q": "x" * 101})

    assert response.status_code == 400
    assert response.context["form"].errors["q"] == ["Keep this to 100 characters (it has 101)."]


def test_directory_pages_by_24(member_client):
    bulk_members(25)

    first = member_client.get(DIRECTORY_URL)
    second = member_client.get(DIRECTORY_URL, {"page": 2})

    assert len(names(first)) == 24
    assert names(second) == ["Bulk Member 00025"]
    assert 'href="?page=2"' in first.content.decode()


# Who knows what


def test_who_knows_what_counts_listed_members_only(member_client, people):
    response = member_client.get(WHO_KNOWS_WHAT_URL)

    counts = [(tag.name, tag.member_count) for tag in response.context["tags"]]
    assert counts == [
        ("meeting facilitation", 2),
        ("community gardens", 1),  # Sam, unlisted, not counted
        ("tenant rights", 1),
    ]
    body = response.content.decode()
    assert "data from the city" not in body  # claimed by an unlisted member only
    assert f'href="{DIRECTORY_URL}?expertise=meeting-facilitation"' in body
    assert "2 members" in body


def test_who_knows_what_link_leads_to_the_members_who_know(member_client, people):
    tag = Tag.objects.get(name="tenant rights")

    response = member_client.get(DIRECTORY_URL, {"expertise": tag.slug})

    assert names(response) == ["Lucía Vega"]


# Email addresses


@pytest.mark.parametrize(
    "params", [{}, {"q": "private"}, {"expertise": "community-gardens"}, {"q": "example.com"}]
)
def test_directory_never_shows_email_addresses(member_client, member, people, params):
    make_profile(user=member)

    response = member_client.get(DIRECTORY_URL, params)

    assert response.status_code == 200
    assert "@example.com" not in response.content.decode()


def test_who_knows_what_never_shows_email_addresses(member_client, people):
    body = member_client.get(WHO_KNOWS_WHAT_URL).content.decode()

    assert "@example.com" not in body


# Query counts: the same with 1 listed member as with 5,000


@pytest.mark.parametrize("count", [1, 5000])
@pytest.mark.parametrize(
    ("params", "queries"),
    [
        # session, user, organizer role, 3 choice lists, page count, page, expertise
        ({}, 9),
        # + interests and the tags of the page's members' posts (to say why each matched)
        ({"q": "bulk", "neighborhood": "hough"}, 11),
        ({"q": "grants"}, 11),
        # + one query per tag filter
        ({"expertise": "grant-writing", "interest": "youth-programs"}, 11),
    ],
)
def test_directory_query_count_does_not_grow(
    member_client, django_assert_max_num_queries, count, params, queries
):
    bulk_members(count, expertise=["grant writing", "tenant rights"], interests=["youth programs"])
    bulk_members(count, listed=False, expertise=["fundraising"])

    with django_assert_max_num_queries(queries):
        response = member_client.get(DIRECTORY_URL, params)

    assert response.context["page"].paginator.count == count
    assert response.content.decode().count('<article class="member-card">') == min(count, 24)


@pytest.mark.parametrize("count", [1, 5000])
def test_who_knows_what_query_count_does_not_grow(
    member_client, django_assert_max_num_queries, count
):
    bulk_members(count, expertise=["grant writing", "tenant rights"])
    bulk_members(count, listed=False, expertise=["fundraising", "grant writing"])

    # session, user, organizer role, the tags with their counts
    with django_assert_max_num_queries(4):
        response = member_client.get(WHO_KNOWS_WHAT_URL)

    counts = [(tag.name, tag.member_count) for tag in response.context["tags"]]
    assert counts == [("grant writing", count), ("tenant rights", count)]


# Demo members


def test_seed_members_creates_listed_and_unlisted_members_once():
    users = seed_members()
    before = list(Profile.objects.order_by("code").values_list("code", "listed", "updated"))

    seed_members()

    assert list(Profile.objects.order_by("code").values_list("code", "listed", "updated")) == (
        before
    )
    assert 8 <= len(users) <= 10
    assert 8 <= Profile.objects.filter(listed=True).count() < len(users)
    assert all(not user.has_usable_password() for user in users)
    assert all(user.emailaddress_set.get().verified for user in users)
    lucia = Profile.objects.get(user__email="lucia.vega@example.org")
    assert lucia.neighborhood == "Clark-Fulton"
    assert {tag.name for tag in lucia.expertise.all()} == {
        "tenant rights",
        "spanish interpretation",  # new topics are kept in lower case
    }


def test_seed_members_leaves_grant_writing_as_a_gap(member_client):
    seed_members()
    make_post(kind="gap", tags=["grant writing", "Spanish interpretation"])

    response = member_client.get(reverse("members:gaps"))

    assert [tag.name for tag in response.context["page"].object_list] == ["grant writing"]
