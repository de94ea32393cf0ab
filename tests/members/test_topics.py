"""Topics as one vocabulary (issue 16, item 10): the profile form's chips and suggestions,
spellings folded by stem, and "who knows what" / "what are we missing" comparing topics
by stem."""

import importlib

import pytest
from django.apps import apps
from django.urls import reverse

from members.models import Profile
from members.selectors import missing_expertise, topic_vocabulary, who_knows_what
from members.services.counts import counts_recount
from practice_library.models import PatternKind, Tag
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

EDIT_URL = reverse("members:profile-edit")
DIRECTORY_URL = reverse("members:directory")


def topic_names(profile: Profile, field: str = "expertise") -> list[str]:
    return sorted(tag.name for tag in getattr(profile, field).all())


def profile_post(**overrides) -> dict:
    data = {"display_name": "Dana R.", "expertise": "", "interests": ""}
    data.update(overrides)
    return data


# "What are we missing" and "who knows what" compare topics by stem


def test_gaps_count_meetings_as_known_by_a_meeting_facilitator():
    make_post(kind=PatternKind.QUESTION, tags=["meetings", "grant writing"])
    make_profile(expertise=["meeting facilitation", "grant"])

    assert [tag.name for tag in missing_expertise()] == ["grant writing"]


def test_gaps_page_no_longer_lists_meetings(member_client):
    make_post(kind=PatternKind.GAP, tags=["Meetings"])
    make_profile(expertise=["meeting facilitation"])

    response = member_client.get(reverse("members:gaps"))

    assert list(response.context["page"].object_list) == []
    assert "Nothing missing right now" in response.content.decode()


def test_gaps_keep_a_topic_that_only_shares_a_stem_with_a_claimed_one():
    make_post(kind=PatternKind.QUESTION, tags=["parking"])
    make_profile(expertise=["parks"])

    assert [tag.name for tag in missing_expertise()] == ["parking"]


def test_gaps_still_list_a_topic_known_only_by_an_unlisted_member():
    make_post(kind=PatternKind.QUESTION, tags=["meetings"])
    make_profile(listed=False, expertise=["meeting facilitation"])

    assert [tag.name for tag in missing_expertise()] == ["meetings"]


def test_who_knows_what_counts_spellings_of_a_topic_once(member_client):
    meeting = Tag.objects.create(name="meeting", slug="meeting")
    meetings = Tag.objects.create(name="Meetings", slug="meetings")
    for tag in (meeting, meeting, meetings):
        make_profile().expertise.set([tag])
    counts_recount()  # the topics were set directly, not through the profile service

    assert [(tag.name, tag.member_count) for tag in who_knows_what()] == [("meeting", 3)]


def test_directory_expertise_filter_finds_every_spelling_of_the_topic(member_client):
    meeting = Tag.objects.create(name="meeting", slug="meeting")
    meetings = Tag.objects.create(name="Meetings", slug="meetings")
    make_profile(display_name="Ann").expertise.set([meeting])
    make_profile(display_name="Ben").expertise.set([meetings])
    counts_recount()  # the topics were set directly, not through the profile service

    response = member_client.get(DIRECTORY_URL, {"expertise": "meeting"})

    assert [p.user.display_name for p in response.context["page"].object_list] == ["Ann", "Ben"]


# One vocabulary


def test_vocabulary_is_topics_of_published_posts_and_listed_members_one_spelling_each():
    make_post(tags=["housing", "Meetings"])
    make_post(tags=["meeting"])
    make_post(tags=["secret plans"], state="hidden")
    make_profile(expertise=["tenant rights"], interests=["housing"])
    make_profile(listed=False, expertise=["my private thing"])

    topics = [(topic.name, topic.uses) for topic in topic_vocabulary()]

    assert topics == [("housing", 2), ("meeting", 2), ("tenant rights", 1)]


def test_profile_form_shows_topics_as_chips_with_suggestions(member_client, member):
    make_profile(user=member, expertise=["tenant rights"])
    make_post(tags=["housing", "eviction"])
    make_post(tags=["housing"])

    response = member_client.get(EDIT_URL)

    body = response.content.decode()
    form = response.context["form"]
    assert [(chip.name, chip.ticked) for chip in form["expertise"].chips] == [
        ("tenant rights", True),
        ("housing", False),
        ("eviction", False),
    ]
    assert (
        '<input type="checkbox" name="expertise_picked" value="tenant rights" '
        'id="id_expertise_picked_0" checked>'
    ) in body
    assert (
        '<input type="checkbox" name="expertise_picked" value="housing" id="id_expertise_picked_1">'
    ) in body
    assert 'list="id_expertise_suggestions"' in body
    assert (  # the most used first
        '<datalist id="id_expertise_suggestions"><option value="housing"></option>'
        '<option value="eviction"></option><option value="tenant rights"></option></datalist>'
    ) in body


def test_profile_saves_ticked_and_typed_topics_reusing_the_vocabulary(member_client, member):
    make_profile(user=member, expertise=["tenant rights", "fundraising"])
    make_post(tags=["Meeting"])

    response = member_client.post(
        EDIT_URL,
        profile_post(
            expertise_picked=["tenant rights"],  # fundraising unticked
            expertise="meetings, Budgets, SNAP benefits, tenant right",
            interests_picked=["Youth Programs"],
        ),
    )

    assert response.status_code == 302
    profile = Profile.objects.get(user=member)
    assert topic_names(profile) == ["Meeting", "SNAP benefits", "budget", "tenant rights"]
    assert topic_names(profile, "interests") == ["youth programs"]


def test_profile_topics_count_ticked_and_typed_together(member_client, member):
    make_profile(user=member)
    picked = [f"topic {n}" for n in range(8)]

    response = member_client.post(
        EDIT_URL,
        profile_post(expertise_picked=picked, expertise="one, two, three, four, five"),
    )

    assert response.status_code == 400
    assert response.context["form"].errors["expertise"] == ["Use at most 12 topics (you gave 13)."]
    body = response.content.decode()
    # What was ticked stays ticked, and what was typed joins it, to untick one.
    assert 'value="topic 7" id="id_expertise_picked_7" checked>' in body
    assert 'value="five" id="id_expertise_picked_12" checked>' in body


@pytest.mark.parametrize(
    ("picked", "message"),
    [
        (["y" * 51], f"“{'y' * 30}…” is too long: keep each topic to 50 characters."),
        (["bad\x00topic"], "Take out the invisible control characters and try again."),
    ],
)
def test_profile_refuses_a_bad_ticked_topic(member_client, member, picked, message):
    make_profile(user=member)

    response = member_client.post(EDIT_URL, profile_post(expertise_picked=picked))

    assert response.status_code == 400
    assert response.context["form"].errors["expertise"] == [message]
    assert Tag.objects.count() == 0


def test_profile_edit_query_count_does_not_grow_with_the_vocabulary(
    member_client, member, django_assert_max_num_queries
):
    make_profile(user=member, expertise=["tenant rights"])
    for n in range(60):
        make_post(tags=[f"topic {n}"])

    # session, user, organizer role, profile, expertise, interests, vocabulary
    with django_assert_max_num_queries(7):
        response = member_client.get(EDIT_URL)

    assert len(response.context["form"]["expertise"].suggestions) == 61


# The data migration


def test_migration_points_every_spelling_of_a_topic_at_the_most_claimed_one():
    meeting = Tag.objects.create(name="meeting", slug="meeting")
    meetings = Tag.objects.create(name="Meetings", slug="meetings")
    a, b, c = make_profile(), make_profile(), make_profile()
    a.expertise.set([meeting])
    b.expertise.set([meeting])
    c.expertise.set([meetings])
    c.interests.set([meetings, meeting])
    module = importlib.import_module("members.migrations.0004_fold_profile_topics_by_stem")

    module.fold_profile_topics(apps, None)

    for profile in (a, b, c):
        assert topic_names(profile) == ["meeting"]
    assert topic_names(c, "interests") == ["meeting"]
    assert Tag.objects.filter(name="Meetings").exists()  # the library's tags stay
