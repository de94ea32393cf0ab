""" "Ask the CoP": the header's action for everyone, and the short form that files a
question under the right question activity through the usual post service."""

from html import unescape

import pytest
from django.test import Client
from django.urls import reverse

from practice_library.models import Follow, Post, Tag
from tests.factories import make_post, make_user

pytestmark = pytest.mark.django_db

ASK = reverse("library:ask")


def test_header_offers_ask_the_cop_to_visitors_and_members(client, member_client):
    for who in (client, member_client):
        page = who.get(reverse("library:home")).content.decode()

        assert f'href="{ASK}">Ask<span class="site-nav__ask-more"> the CoP</span></a>' in page


def test_visitor_is_sent_to_log_in_and_back_to_the_form(client, member):
    response = client.get(ASK)

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next={ASK}"


def test_unverified_account_cannot_ask(client):
    client.force_login(make_user(verified=False))

    response = client.get(ASK)

    assert response.status_code == 403
    assert Post.objects.count() == 0


def test_ask_form_preselects_looking_for_information(member_client):
    response = member_client.get(ASK)

    page = unescape(response.content.decode())
    form = response.context["form"]
    assert response.status_code == 200
    assert form["need"].value() == "requests-for-information"
    assert [label for _, label in form.fields["need"].choices] == [
        "I'm looking for information",
        "I need help with a problem",
        "Who has done this before?",
    ]
    assert "<h1>Ask the CoP</h1>" in page
    assert 'aria-current="page"' in page.split('class="site-nav__ask')[1].split("</li>")[0]


@pytest.mark.parametrize(
    ("need", "slug"),
    [
        ("requests-for-information", "requests-for-information"),
        ("problem-solving", "problem-solving"),
        ("seeking-experience", "seeking-experience"),
    ],
)
def test_question_is_filed_under_the_chosen_activity(member, member_client, need, slug):
    Tag.objects.create(name="Grant writing", slug="grant-writing")

    response = member_client.post(
        ASK,
        {
            "title": "Who can translate a flyer into Spanish?",
            "need": need,
            "body": "By **Friday**, for the block party.",
            "tags": "grant writing, Spanish",
        },
    )

    post = Post.objects.get()
    assert response.status_code == 302
    assert response["Location"] == post.get_absolute_url()
    assert (post.pattern.slug, post.author, post.title) == (
        slug,
        member,
        "Who can translate a flyer into Spanish?",
    )
    assert post.body == "By **Friday**, for the block party."
    assert sorted(tag.name for tag in post.tags.all()) == ["Grant writing", "spanish"]
    assert Follow.objects.filter(post=post, user=member).exists()  # hears about replies
    assert "Grant writing" in post.search_document


def test_after_asking_the_member_lands_on_the_post_with_a_message(member_client):
    response = member_client.post(
        ASK,
        {"title": "Where do we get a street-closure permit?", "need": "problem-solving"},
        follow=True,
    )

    page = unescape(response.content.decode())
    assert response.redirect_chain[-1][0] == Post.objects.get().get_absolute_url()
    assert "Your question is up. You follow it, so you'll hear about replies." in page
    assert "<h1>Where do we get a street-closure permit?</h1>" in page


def test_a_question_is_public_unless_the_asker_keeps_it_to_members(member_client):
    public = {"title": "Who prints flyers cheaply?", "need": "requests-for-information"}
    member_client.post(ASK, public)
    member_client.post(
        ASK, {**public, "title": "Who has handled a landlord threat?", "members_only": "on"}
    )
    open_post, kept_post = Post.objects.order_by("id")

    assert (open_post.members_only, kept_post.members_only) == (False, True)
    visitor = Client()
    assert visitor.get(open_post.get_absolute_url()).status_code == 200
    assert (
        "Who has handled a landlord threat?"
        not in visitor.get(kept_post.get_absolute_url()).content.decode()
    )


def test_ask_form_says_who_can_read_the_question(member_client):
    page = unescape(member_client.get(ASK).content.decode())

    assert "Only signed-in members can read it" in page
    assert "it is public unless you tick" in page


def test_question_needs_its_words(member_client):
    response = member_client.post(ASK, {"title": "", "need": "problem-solving"})

    assert response.status_code == 400
    assert response.context["form"].errors == {"title": ["Write your question."]}
    assert Post.objects.count() == 0


def test_an_unknown_activity_is_refused(member_client):
    response = member_client.post(ASK, {"title": "A question", "need": "visits"})

    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["need"]
    assert Post.objects.count() == 0


def test_preview_renders_the_question_and_saves_nothing(member_client):
    response = member_client.post(
        ASK,
        {
            "title": "Anyone used the land bank's side-lot program?",
            "need": "seeking-experience",
            "body": "We'd like **two lots**.<script>alert(1)</script>",
            "tags": "vacant lots",
            "preview": "1",
        },
    )

    page = response.content.decode()
    assert response.status_code == 200
    assert Post.objects.count() == 0
    assert "Anyone used the land bank&#x27;s side-lot program?" in page
    assert "<strong>two lots</strong>" in page
    assert "<script>alert(1)</script>" not in page
    assert response.context["form"]["tags"].ticked == ["vacant lots"]  # typed tags: chips
    chosen = page.split('value="seeking-experience"')[1].split(">")[0]
    assert chosen.endswith(" checked")  # the form comes back as it was


@pytest.mark.parametrize("posts", [1, 30])
def test_ask_page_query_count_does_not_grow_with_the_vocabulary(
    member_client, django_assert_max_num_queries, posts
):
    for n in range(posts):
        make_post(tags=[f"topic {n}", f"other topic {n}"])

    # Session, user, organizer role, activities, the vocabulary, and the sessions a
    # post may link to (the last ones before now, the first after, then the nearest).
    with django_assert_max_num_queries(8):
        response = member_client.get(ASK)

    assert response.status_code == 200
    assert "topic 0" in response.content.decode()  # suggested from the vocabulary
