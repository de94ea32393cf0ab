"""{% post_card post heading_level=2 %}: one post in a list of posts, written in Python.

Every list of posts (the library's home, an activity's page, a tag's page, search
results, a session's notes, a member's recent posts) shows each post as this card. Written
by the template engine from an included template it cost several hundred µs a card
(a dozen variable lookups, a {% blocktranslate count %}, two date filters and 2 + one per
tag reverse() calls), about half of the library search page built afresh. Written here
it costs a few tens of µs: URLs come from one reversed path per kind
(cop_portal.lib.urls.reverse_slug), the words every card repeats are translated once a
page, and the date is written from parts kept per day (attendance_rows.Moments).

The markup is the one `_post_card.html` wrote, byte for byte; tests pin it
(tests/practice_library/test_post_cards.py). The post needs `pattern` and `author`
selected and `tags` prefetched (practice_library.selectors.post_list), and may carry
`reply_count`: without it the card says nothing about replies.
"""

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from django import template
from django.core.validators import slug_re
from django.template.context import Context
from django.utils import timezone, translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext, ngettext, pgettext

from cop_portal.lib.urls import SLUG_MARK, reverse_slug
from practice_library.models import PatternKind, Post
from sessions_app.templatetags.attendance_rows import Moments, escape

register = template.Library()


class _Words(NamedTuple):
    """What every card of a page writes the same way, worked out once a page."""

    former_member: str
    answered_badge: str
    open_badge: str
    members_only_badge: str
    pattern_url: Callable[[str], str]
    post_url: Callable[[str], str]
    tag_url: Callable[[str], str]
    local: Callable[[datetime], datetime]
    iso: Callable[[datetime], str]
    day: Callable[[datetime], str]


def _slug_url(name: str, kwarg: str = "slug") -> Callable[[str], str]:
    """reverse_slug(name, slug) with the path around the slug looked up once a page
    (reverse_slug looks it up per call, through the script prefix and URLconf of the
    request's thread: ~5 µs, three times a card and once more a tag), escaped for an
    attribute. A slug reverse() would quote or refuse still goes to it."""
    head, tail = reverse_slug(name, SLUG_MARK, kwarg=kwarg).split(SLUG_MARK, 1)
    head, tail = escape(head), escape(tail)

    def url(slug: str) -> str:
        if slug_re.fullmatch(slug):
            return f"{head}{slug}{tail}"
        return escape(reverse_slug(name, slug, kwarg=kwarg))

    return url


def _words() -> _Words:
    moments = Moments()
    # Translated outside the f-strings: xgettext (makemessages) reads no call inside one,
    # and a message it doesn't find leaves the catalogue.
    answered = escape(gettext("Answered"))
    open_question = escape(pgettext("question", "Open"))
    members_only = escape(gettext("Members only"))
    return _Words(
        former_member=escape(gettext("A former member")),
        answered_badge=f'<span class="badge badge--ok">{answered}</span>',
        open_badge=f'<span class="badge badge--open">{open_question}</span>',
        members_only_badge=f'<span class="badge">{members_only}</span>',
        pattern_url=_slug_url("library:pattern-detail"),
        post_url=_slug_url("library:post-detail", kwarg="code"),
        tag_url=_slug_url("library:tag-detail"),
        local=moments.local,
        iso=moments.iso,
        day=moments.writer("SHORT_DAY_DATE"),
    )


def _words_for_page(context: Context) -> _Words:
    """The page's words, kept in its render context (which lives as long as one
    rendering), under the language and zone in case a page switches either."""
    key = (__name__, translation.get_language(), timezone.get_current_timezone_name())
    words = context.render_context.get(key)
    if words is None:
        words = context.render_context[key] = _words()
    return words


@register.simple_tag(takes_context=True)
def post_card(context: Context, post: Post, heading_level: int = 3) -> SafeString:
    """The <article> of one post. Its title is an h3; heading_level=2 where the list
    sits right under the page's h1, so headings never skip a level."""
    words = _words_for_page(context)
    pattern = post.pattern
    level = int(heading_level or 3)
    author = escape(post.author.display_name) if post.author else words.former_member
    created = words.local(post.created)
    reply_count = getattr(post, "reply_count", None)
    # {% blocktranslate count %} formats the catalogue's text unescaped, the number in it
    # as {{ counter }} writes a number.
    replies = (
        ""
        if reply_count is None
        else " · "
        + ngettext("%(counter)s reply", "%(counter)s replies", reply_count)
        % {"counter": reply_count}
    )
    if pattern.kind != PatternKind.QUESTION:
        state = ""
    elif post.answer_id:
        state = words.answered_badge
    else:
        state = words.open_badge
    members_only = words.members_only_badge if post.members_only else ""
    tags = "".join(
        f'<a class="tag" href="{words.tag_url(tag.slug)}">{escape(tag.name)}</a>'
        for tag in post.tags.all()
    )
    return mark_safe(  # noqa: S308 -- every value is escaped above
        "\n"
        '<article class="post-card">\n'
        f'  <p class="post-card__pattern"><a href="{words.pattern_url(pattern.slug)}">'
        f"{escape(pattern.name)}</a></p>\n"
        f'  <h{level} class="post-card__title"><a href="{words.post_url(post.code)}">'
        f"{escape(post.title)}</a></h{level}>\n"
        '  <p class="post-card__meta">\n'
        f"    {author} ·\n"
        f'    <time datetime="{words.iso(created)}">{escape(words.day(created))}</time>\n'
        f"    {replies}\n"
        "  </p>\n"
        '  <p class="post-card__badges">\n'
        f"    {state}\n"
        f"    {members_only}\n"
        f"    {tags}\n"
        "  </p>\n"
        "</article>\n"
    )
