"""Post cards ({% post_card %}, practice_library/templatetags/post_cards.py) as users see
them in every list of posts: library search, a tag's page, the library's home, a
session's page and a member's profile, in English and Spanish.

The markup is pinned whole: it is what `_post_card.html` wrote before the cards were
written in Python, and the pages' CSS and accessibility checks rely on it.
"""

import re
from datetime import UTC, datetime

import pytest
from django.urls import reverse

from practice_library.models import ActivityPattern, Post
from practice_library.services.posts import answer_set
from tests.factories import make_post, make_profile, make_reply, make_session

pytestmark = pytest.mark.django_db

# 21:30 in Cleveland on March 4, already March 5 in UTC: cards show the local day.
CREATED = datetime(2026, 3, 5, 2, 30, tzinfo=UTC)
ISO = "2026-03-04T21:30:00-05:00"
TRICKY_TITLE = "Wheelbarrow <script>alert(\"x\")</script> & 'co'"
TRICKY_TITLE_ESCAPED = (
    "Wheelbarrow &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#x27;co&#x27;"
)


def at_created(post: Post) -> Post:
    Post.objects.filter(pk=post.pk).update(created=CREATED)
    post.refresh_from_db()
    return post


def question(**fields) -> Post:
    return make_post(pattern=ActivityPattern.objects.get(slug="problem-solving"), **fields)


def answered_question(**fields) -> Post:
    post = question(**fields)
    return answer_set(post=post, reply=make_reply(post=post), by=post.author)


def cards(body: str) -> dict[str, str]:
    """Each card on the page (from its opening line to </article>) by its post's URL."""
    found = re.findall(r'\n<article class="post-card">\n.*?</article>\n', body, flags=re.DOTALL)
    return {re.search(r'class="post-card__title"><a href="([^"]*)"', c)[1]: c for c in found}


def card_of(body: str, post: Post) -> str:
    return cards(body)[post.get_absolute_url()]


def expected_card(
    post: Post,
    *,
    level: int = 3,
    title: str | None = None,
    author: str = "Dana Member",
    pattern: str = "Problem solving",
    day: str = "Mar 4, 2026",
    replies: str = "",
    state: str = "",
    members_only: str = "",
    tags: tuple[str, ...] = (),
) -> str:
    tag_links = "".join(
        f'<a class="tag" href="{reverse("library:tag-detail", kwargs={"slug": tag})}">{tag}</a>'
        for tag in tags
    )
    return (
        "\n"
        '<article class="post-card">\n'
        f'  <p class="post-card__pattern"><a href="{post.pattern.get_absolute_url()}">'
        f"{pattern}</a></p>\n"
        f'  <h{level} class="post-card__title"><a href="{post.get_absolute_url()}">'
        f"{post.title if title is None else title}</a></h{level}>\n"
        '  <p class="post-card__meta">\n'
        f"    {author} ·\n"
        f'    <time datetime="{ISO}">{day}</time>\n'
        f"    {replies}\n"
        "  </p>\n"
        '  <p class="post-card__badges">\n'
        f"    {state}\n"
        f"    {members_only}\n"
        f"    {tag_links}\n"
        "  </p>\n"
        "</article>\n"
    )


ANSWERED = '<span class="badge badge--ok">Answered</span>'
OPEN = '<span class="badge badge--open">Open</span>'
MEMBERS_ONLY = '<span class="badge">Members only</span>'


# Library search: every kind of card, as an h2 (its results carry no reply count)


def test_search_card_of_an_answered_question_with_tags_escapes_its_title(member_client, member):
    post = at_created(answered_question(title=TRICKY_TITLE, author=member, tags=["zebra", "apple"]))

    body = member_client.get(reverse("library:search"), {"q": "wheelbarrow"}).content.decode()

    assert card_of(body, post) == expected_card(
        post,
        level=2,
        title=TRICKY_TITLE_ESCAPED,
        state=ANSWERED,
        tags=("apple", "zebra"),
    )
    assert "<script>alert" not in body


def test_search_cards_of_an_open_question_and_a_members_only_post_without_author(
    member_client, member
):
    open_question = at_created(question(title="Wheelbarrow open", author=member))
    orphan = at_created(make_post(title="Wheelbarrow orphan", members_only=True))
    Post.objects.filter(pk=orphan.pk).update(author=None)

    body = member_client.get(reverse("library:search"), {"q": "wheelbarrow"}).content.decode()

    assert card_of(body, open_question) == expected_card(open_question, level=2, state=OPEN)
    assert card_of(body, orphan) == expected_card(
        orphan,
        level=2,
        author="A former member",
        pattern=orphan.pattern.name,
        members_only=MEMBERS_ONLY,
    )


def test_search_escapes_member_written_names(member_client):
    author = make_post(title="x").author
    author.display_name = 'Ana <b>"Bee"</b> & Co'
    author.save()
    post = at_created(make_post(title="Wheelbarrow names", author=author, tags=["a<b"]))

    body = member_client.get(reverse("library:search"), {"q": "wheelbarrow"}).content.decode()

    card = card_of(body, post)
    assert "    Ana &lt;b&gt;&quot;Bee&quot;&lt;/b&gt; &amp; Co ·\n" in card
    tag = post.tags.get()
    assert f'<a class="tag" href="{tag.get_absolute_url()}">a&lt;b</a>' in card


# A tag's page: h2, and only what the viewer may read


def test_tag_page_cards_are_h2_and_visitors_miss_members_only_posts(client, member_client, member):
    public = at_created(question(title="Seed swap", author=member, tags=["gardens"]))
    private = at_created(
        make_post(title="Plot rota", author=member, members_only=True, tags=["gardens"])
    )
    url = reverse("library:tag-detail", kwargs={"slug": "gardens"})

    for_visitor = client.get(url).content.decode()
    for_member = member_client.get(url).content.decode()

    assert list(cards(for_visitor)) == [public.get_absolute_url()]
    assert card_of(for_visitor, public) == expected_card(
        public, level=2, replies=" · 0 replies", state=OPEN, tags=("gardens",)
    )
    assert card_of(for_member, private) == expected_card(
        private,
        level=2,
        pattern=private.pattern.name,
        replies=" · 0 replies",
        members_only=MEMBERS_ONLY,
        tags=("gardens",),
    )


# The library's home: h3 (the lists sit under h2s)


def test_home_cards_are_h3_in_open_questions_and_recent_posts(member_client, member):
    open_question = at_created(question(title="Where to borrow chairs?", author=member))
    answered = at_created(answered_question(title="Who prints flyers?", author=member))

    body = member_client.get(reverse("library:home")).content.decode()

    open_card = expected_card(open_question, replies=" · 0 replies", state=OPEN)
    answered_card = expected_card(answered, replies=" · 1 reply", state=ANSWERED)
    open_section = body.split('aria-labelledby="open-questions-title"')[1].split("</section>")[0]
    assert list(cards(open_section).values()) == [open_card]
    assert card_of(body, answered) == answered_card
    assert body.count(open_card) == 2  # open questions, and recent posts


def test_home_cards_in_spanish(client, member_client, member):
    open_question = at_created(question(title="¿Sillas?", author=member))
    for _ in range(2):
        make_reply(post=open_question)
    answered = at_created(answered_question(title="Volantes", author=member))
    orphan = at_created(make_post(title="Notas", tags=["huertos"]))
    Post.objects.filter(pk=orphan.pk).update(author=None)
    members_only = at_created(make_post(title="Solo", members_only=True, author=member))

    for_visitor = client.get(reverse("library:home"), HTTP_ACCEPT_LANGUAGE="es").content.decode()
    # A signed-in member's own language comes before the browser's.
    member.language = "es"
    member.save(update_fields=["language"])

    body = member_client.get(reverse("library:home")).content.decode()

    spanish = {"pattern": "Resolver problemas", "day": "4 mar 2026"}
    assert card_of(body, open_question) == expected_card(
        open_question,
        replies=" · 2 respuestas",
        state='<span class="badge badge--open">Abierta</span>',
        **spanish,
    )
    assert card_of(for_visitor, open_question) == card_of(body, open_question)
    assert card_of(body, answered) == expected_card(
        answered,
        replies=" · 1 respuesta",
        state='<span class="badge badge--ok">Respondida</span>',
        **spanish,
    )
    assert card_of(body, orphan) == expected_card(
        orphan,
        author="Un exmiembro",
        pattern=orphan.pattern.name,
        day="4 mar 2026",
        replies=" · 0 respuestas",
        tags=("huertos",),
    )
    assert card_of(body, members_only) == expected_card(
        members_only,
        author="Dana Member",
        pattern=members_only.pattern.name,
        day="4 mar 2026",
        replies=" · 0 respuestas",
        members_only='<span class="badge">Solo miembros</span>',
    )


# A session's page and a profile: cards without a reply count, and with one


def test_session_page_cards_say_nothing_about_replies(client, member):
    session = make_session()
    post = at_created(question(title="What we heard", author=member, tags=["lots"]))
    make_reply(post=post)
    post.sessions.add(session)

    body = client.get(session.get_absolute_url()).content.decode()

    assert card_of(body, post) == expected_card(post, state=OPEN, tags=("lots",))


def test_profile_lists_the_members_recent_posts_as_cards(member_client, other_member):
    profile = make_profile(user=other_member)
    post = at_created(question(title="Chairs", author=other_member))

    url = reverse("members:profile-detail", kwargs={"code": profile.code})
    body = member_client.get(url).content.decode()

    assert card_of(body, post) == expected_card(
        post, author="Other Member", replies=" · 0 replies", state=OPEN
    )
