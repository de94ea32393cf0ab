"""The directory's member cards, written by {% member_card %}
(members/templatetags/member_cards.py), read through the real directory page: what a
card shows with and without a search, why a member matched, escaping of everything a
member writes, and the cards in Spanish."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from members.models import Profile
from practice_library.models import Tag
from tests.factories import make_post, make_profile

pytestmark = pytest.mark.django_db

DIRECTORY_URL = reverse("members:directory")
HOSTILE = "<script>alert(\"x\")</script> & 'co'"
HOSTILE_ESCAPED = "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;"

_CARD = re.compile(r'<article class="member-card">.*?</article>', re.DOTALL)


def cards(client: Client, **query: str) -> dict[str, str]:
    """The page's cards by the member's profile address, each its <article> markup."""
    response = client.get(DIRECTORY_URL, query)
    assert response.status_code == 200
    found = {}
    for card in _CARD.findall(response.content.decode()):
        [href] = re.findall(r'<h2 class="member-card__name"><a href="([^"]+)">', card)
        found[href] = card
    return found


def tag_filter_url(name: str) -> str:
    return f"{DIRECTORY_URL}?expertise={Tag.objects.get(name=name).slug}"


@pytest.fixture
def tanya() -> Profile:
    """Knows tenant rights and housing, posts under "housing", wants to learn about
    housing co-ops."""
    tanya = make_profile(
        display_name="Tanya Brooks",
        pronouns="she/her",
        organization="Buckeye Tenants Union",
        neighborhood="Slavic Village",
        bio="Ten years of door knocking, then a housing clinic every Saturday since.",
        expertise=["tenant rights", "housing"],
        interests=["housing co-ops", "grant writing"],
    )
    make_post(author=tanya.user, tags=["housing policy", "eviction"], title="Eviction defense")
    return tanya


# Without a search


def test_member_card_without_a_search_shows_who_they_are_and_what_to_ask(member_client, tanya):
    card = cards(member_client)[tanya.get_absolute_url()]

    assert card == (
        '<article class="member-card">\n'
        '  <span class="avatar avatar--medium" aria-hidden="true">TB</span>\n'
        '  <div class="member-card__body">\n'
        f'    <h2 class="member-card__name"><a href="{tanya.get_absolute_url()}">Tanya Brooks</a>'
        ' <span class="member-card__pronouns">(she/her)</span></h2>\n'
        "    \n"
        '      <p class="member-card__meta">Buckeye Tenants Union · Slavic Village</p>\n'
        "    \n"
        "    \n"
        "      \n"
        '      <p class="tag-list" aria-label="Ask about">'
        f'<a class="tag" href="{tag_filter_url("housing")}">housing</a>'
        f'<a class="tag" href="{tag_filter_url("tenant rights")}">tenant rights</a></p>\n'
        "    \n"
        "  </div>\n"
        "</article>"
    )


def test_member_card_without_a_name_organization_or_topics_says_a_member(member_client):
    nameless = make_profile(display_name="")

    card = cards(member_client)[nameless.get_absolute_url()]

    assert f'<a href="{nameless.get_absolute_url()}">A member</a></h2>' in card
    assert "member-card__meta" not in card
    assert "member-card__pronouns" not in card
    assert "tag-list" not in card


def test_member_card_shows_the_longest_values_whole(member_client):
    """Names, pronouns, organizations and neighborhoods as long as their fields allow
    (80, 40, 120, 80 characters; PostgreSQL refuses longer) are shown whole, as the
    template's truncatechars left them."""
    long = make_profile(
        display_name="Ana " + "x" * 76,
        pronouns="p" * 40,
        organization="O" * 120,
        neighborhood="N" * 80,
    )

    card = cards(member_client)[long.get_absolute_url()]

    assert f">Ana {'x' * 76}</a>" in card
    assert f'<span class="member-card__pronouns">({"p" * 40})</span>' in card
    assert f'<p class="member-card__meta">{"O" * 120} · {"N" * 80}</p>' in card


# With a search


def test_member_card_after_a_search_says_why_they_matched(member_client, tanya):
    card = cards(member_client, q="housing")[tanya.get_absolute_url()]

    policy_url = Tag.objects.get(name="housing policy").get_absolute_url()
    assert card == (
        '<article class="member-card">\n'
        '  <span class="avatar avatar--medium" aria-hidden="true">TB</span>\n'
        '  <div class="member-card__body">\n'
        f'    <h2 class="member-card__name"><a href="{tanya.get_absolute_url()}">Tanya Brooks</a>'
        ' <span class="member-card__pronouns">(she/her)</span></h2>\n'
        "    \n"
        '      <p class="member-card__meta">Buckeye Tenants Union · Slavic Village</p>\n'
        "    \n"
        "    \n"
        '      <p class="tag-list" aria-label="Ask about">'
        f'<a class="tag tag--match" href="{tag_filter_url("housing")}"><mark>housing</mark></a>'
        f'<a class="tag" href="{tag_filter_url("tenant rights")}">tenant rights</a></p>\n'
        "      \n"
        '        <ul class="member-card__why">\n'
        '          <li><span class="member-card__why-label">Posts about</span>'
        f' <a href="{policy_url}"><mark>housing policy</mark></a></li>\n'
        '          <li><span class="member-card__why-label">Wants to learn</span>'
        " <mark>housing co-ops</mark></li>\n"
        '          <li class="member-card__quote">Ten years of door knocking, then a '
        "<mark>housing</mark> clinic every Saturday since.</li>\n"
        "        </ul>\n"
        "      \n"
        "    \n"
        "  </div>\n"
        "</article>"
    )


def test_member_card_after_a_search_quotes_the_organization_when_it_matches(member_client):
    marcus = make_profile(
        display_name="Marcus Lee", organization="Housing Justice League", bio="housing"
    )

    card = cards(member_client, q="housing")[marcus.get_absolute_url()]

    assert '<li class="member-card__quote"><mark>Housing</mark> Justice League</li>' in card
    assert "Posts about" not in card
    assert "Wants to learn" not in card


def test_member_card_after_a_search_by_name_only_says_nothing_more(member_client, tanya):
    card = cards(member_client, q="Brooks")[tanya.get_absolute_url()]

    assert "<mark>" not in card
    assert "member-card__why" not in card
    assert 'class="tag tag--match"' not in card


def test_member_cards_never_show_an_unlisted_member(member_client, tanya):
    hidden = make_profile(
        display_name="Hidden Housing", listed=False, expertise=["housing"], bio="housing"
    )

    for query in ({}, {"q": "housing"}, {"q": "Hidden"}, {"expertise": "housing"}):
        found = cards(member_client, **query)
        assert hidden.get_absolute_url() not in found, query
        assert ("Hidden Housing" in "".join(found.values())) is False, query
    assert tanya.get_absolute_url() in cards(member_client, q="housing")


# Escaping


@pytest.fixture
def hostile() -> Profile:
    """Every value a member writes on their card, with markup, an ampersand and quotes,
    and "housing" to be found by."""
    hostile = make_profile(
        display_name=HOSTILE,
        pronouns=HOSTILE,
        organization=f"housing {HOSTILE}",
        neighborhood=HOSTILE,
        bio=f"Before. {HOSTILE} housing {HOSTILE} after.",
        expertise=[f"housing {HOSTILE}"],
        interests=[f"housing {HOSTILE} too"],
    )
    make_post(author=hostile.user, tags=[f"housing {HOSTILE} posts"])
    return hostile


@pytest.mark.parametrize("query", [{}, {"q": "housing"}], ids=["listing", "search"])
def test_member_card_escapes_everything_a_member_writes(member_client, hostile, query):
    card = cards(member_client, **query)[hostile.get_absolute_url()]

    assert "<script>" not in card
    assert "'co'" not in card
    assert f">{HOSTILE_ESCAPED}</a>" in card  # the name
    assert f'<span class="member-card__pronouns">({HOSTILE_ESCAPED})</span>' in card
    assert f"housing {HOSTILE_ESCAPED} · {HOSTILE_ESCAPED}</p>" in card  # meta
    assert f"housing {HOSTILE_ESCAPED}</" in card  # the expertise tag's name
    assert card.count("<mark>") == (0 if not query else card.count("</mark>"))


def test_member_card_after_a_search_escapes_the_reasons(member_client, hostile):
    card = cards(member_client, q="housing")[hostile.get_absolute_url()]

    assert f'tag--match" href="{tag_filter_url(f"housing {HOSTILE}")}">' in card
    assert f"<mark>housing {HOSTILE_ESCAPED}</mark></a>" in card  # matching expertise
    assert f"<mark>housing {HOSTILE_ESCAPED} posts</mark></a>" in card  # posts about
    assert f"<mark>housing {HOSTILE_ESCAPED} too</mark></li>" in card  # wants to learn
    # The organization matches before the bio: its quote, highlighted and escaped.
    assert f'<li class="member-card__quote"><mark>housing</mark> {HOSTILE_ESCAPED}</li>' in card


def test_member_card_quotes_an_escaped_bio(member_client):
    writer = make_profile(bio=f"Before. {HOSTILE} housing {HOSTILE} after.")

    card = cards(member_client, q="housing")[writer.get_absolute_url()]

    assert card.count("<script>") == 0
    assert (
        f'<li class="member-card__quote">Before. {HOSTILE_ESCAPED} <mark>housing</mark>'
        f" {HOSTILE_ESCAPED} after.</li>"
    ) in card


# In Spanish


def test_member_cards_in_spanish(member_client, member, tanya):
    nameless = make_profile(display_name="", expertise=["housing"])
    member.language = "es"
    member.save(update_fields=["language"])

    listing = cards(member_client)
    found = cards(member_client, q="housing")

    assert 'aria-label="Pregúntele sobre"' in listing[tanya.get_absolute_url()]
    assert ">Un miembro</a>" in listing[nameless.get_absolute_url()]
    card = found[tanya.get_absolute_url()]
    assert '<span class="member-card__why-label">Publica sobre</span>' in card
    assert '<span class="member-card__why-label">Quiere aprender</span>' in card
    assert "Posts about" not in card
    assert ">Un miembro</a>" in found[nameless.get_absolute_url()]
