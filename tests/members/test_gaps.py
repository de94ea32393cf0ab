"""What are we missing: topics asked about in the library that no listed member claims."""

import pytest
from django.urls import reverse

from members.selectors import missing_expertise
from members.services.counts import topic_counts_refresh, topic_ids_of
from practice_library.models import PatternKind, Tag
from tests.factories import make_post, make_profile, make_reply
from tests.members.test_directory import bulk_members

pytestmark = pytest.mark.django_db

GAPS_URL = reverse("members:gaps")
QUESTION, GAP, DISCUSSION = PatternKind.QUESTION, PatternKind.GAP, PatternKind.DISCUSSION


def demand() -> list[tuple[str, int]]:
    return [(tag.name, tag.demand) for tag in missing_expertise()]


def answered_question(tags: list[str]):
    post = make_post(kind=QUESTION, tags=tags)
    post.answer = make_reply(post=post)
    post.save(update_fields=["answer"])
    return post


# The computation


def test_gaps_rank_the_most_asked_unclaimed_topic_first():
    make_post(kind=QUESTION, tags=["grant writing", "budgets"])
    make_post(kind=QUESTION, tags=["grant writing"])
    make_post(kind=GAP, tags=["grant writing", "data from the city"])
    make_post(kind=GAP, tags=["data from the city"])

    assert demand() == [("grant writing", 3), ("data from the city", 2), ("budgets", 1)]


def test_gaps_leave_out_topics_a_listed_member_claims():
    make_post(kind=QUESTION, tags=["tenant rights", "grant writing"])
    make_profile(expertise=["Tenant Rights"])

    assert demand() == [("grant writing", 1)]


def test_gaps_keep_topics_claimed_only_by_unlisted_members():
    make_post(kind=QUESTION, tags=["data from the city"])
    make_profile(listed=False, expertise=["data from the city"])
    make_profile(interests=["data from the city"])  # wanting to learn isn't knowing

    assert demand() == [("data from the city", 1)]


def test_gaps_keep_topics_claimed_only_by_deactivated_members():
    make_post(kind=QUESTION, tags=["fundraising"])
    profile = make_profile(expertise=["fundraising"])
    profile.user.is_active = False
    profile.user.save(update_fields=["is_active"])
    # As deactivating in the admin does: the stored counts forget their topics.
    topic_counts_refresh(tag_ids=topic_ids_of(user=profile.user))

    assert demand() == [("fundraising", 1)]


def test_gaps_do_not_count_answered_questions():
    answered_question(["grant writing"])
    make_post(kind=QUESTION, tags=["budgets"])
    answered_question(["budgets"])

    assert demand() == [("budgets", 1)]


@pytest.mark.parametrize("state", ["hidden", "deleted"])
def test_gaps_do_not_count_posts_that_are_not_published(state):
    make_post(kind=GAP, tags=["grant writing"], state=state)
    make_post(kind=QUESTION, tags=["grant writing"], state=state)

    assert demand() == []


def test_gaps_do_not_count_other_kinds_of_posts():
    make_post(kind=DISCUSSION, tags=["grant writing"])
    make_post(kind=PatternKind.PROJECT, tags=["grant writing"])
    Tag.objects.create(name="unused", slug="unused")

    assert demand() == []


def test_gaps_count_members_only_posts():
    make_post(kind=GAP, tags=["grant writing"], members_only=True)

    assert demand() == [("grant writing", 1)]


def test_gaps_link_the_newest_three_posts_asking():
    posts = [make_post(kind=QUESTION, tags=["grant writing"], title=f"Q{n}") for n in range(4)]
    answered_question(["grant writing"])

    (tag,) = missing_expertise()

    assert tag.demand == 4
    assert [post.title for post in tag.asking] == ["Q3", "Q2", "Q1"]
    assert posts[0] not in tag.asking


# The page


def test_gaps_page_sends_visitors_to_log_in(client):
    response = client.get(GAPS_URL)

    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_gaps_page_shows_topics_posts_and_the_invitation(member_client):
    first = make_post(kind=QUESTION, tags=["grant writing"], title="First grant?")
    second = make_post(kind=QUESTION, tags=["grant writing"], title="Which funders?")
    gap_post = make_post(kind=GAP, tags=["grant writing"], title="What we wish we knew")
    make_post(kind=QUESTION, tags=["tenant rights"], title="Eviction notice help")
    make_profile(expertise=["tenant rights"])

    response = member_client.get(GAPS_URL)

    body = response.content.decode()
    assert response.status_code == 200
    assert [tag.name for tag in response.context["page"].object_list] == ["grant writing"]
    assert "Asked in 3 posts" in body
    for post in (gap_post, second, first):
        assert f'href="{post.get_absolute_url()}"' in body
    tag_url = reverse("library:tag-detail", kwargs={"slug": "grant-writing"})
    assert f'href="{tag_url}"' in body
    assert "Eviction notice help" not in body
    assert "“identifying gaps in competence” activity made visible" in body
    assert f'add it to <a href="{reverse("members:profile-edit")}">your profile</a>' in body


def test_gaps_page_says_so_when_nothing_is_missing(member_client):
    make_post(kind=QUESTION, tags=["tenant rights"])
    make_profile(expertise=["tenant rights"])

    response = member_client.get(GAPS_URL)

    assert "Nothing missing right now" in response.content.decode()


def test_gaps_page_never_shows_email_addresses(member_client):
    author = make_profile(email="asker.private@example.com").user
    make_post(kind=QUESTION, tags=["grant writing"], author=author)
    make_profile(listed=False, email="hidden.expert@example.com", expertise=["grant writing"])

    body = member_client.get(GAPS_URL).content.decode()

    assert "@example.com" not in body


# Query count: the same with 1 listed member as with 5,000, and with 1 gap as with 20


@pytest.mark.parametrize(("members", "gaps"), [(1, 1), (5000, 20)])
def test_gaps_query_count_does_not_grow(
    member_client, django_assert_max_num_queries, members, gaps
):
    bulk_members(members, expertise=["tenant rights"], interests=["grant writing"])
    bulk_members(members, listed=False, expertise=["grant writing"])
    make_post(kind=QUESTION, tags=["tenant rights"])
    for n in range(gaps):
        make_post(kind=GAP, tags=[f"topic {n}", "grant writing"])

    # session, user, organizer role, page count, the tags with demand, their posts
    with django_assert_max_num_queries(6):
        response = member_client.get(GAPS_URL)

    tags = response.context["page"].object_list
    assert (tags[0].name, tags[0].demand) == ("grant writing", gaps)
    assert len(tags) == min(gaps + 1, 20)
    assert all(1 <= len(tag.asking) <= 3 for tag in tags)
