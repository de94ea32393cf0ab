"""{% member_card profile search %}: one listed member's card in the directory, written
in Python.

A search's cards say why each member matched (the expertise tags that match in <mark>,
"Posts about", "Wants to learn", a bio quote), so they are written on every request: 24
of them through the template engine were most of the directory search's time (8-17 ms
a page at scale 1, an include with its filters, {% url %}s and translations per card).
Written here, 24 cards take ~1.1-1.3 ms: the words every card repeats and the
directory's address are worked out once a list (kept in the render context), and the
tag and profile addresses put together from one reversed path per kind
(cop_portal/lib/urls.py). Cards without a search are no longer kept in the fragments
cache: 24 of them are written in ~1 ms, where looking them up took ~0.45 ms and
writing them after a change ~1.9 ms.

The markup is the one templates/members/directory/_member_card.html had, byte for byte;
every value a member wrote is escaped. Tests: tests/members/test_member_cards.py.
"""

import re
from dataclasses import dataclass
from html import escape as _html_escape
from typing import Any
from urllib.parse import quote

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from cop_portal.lib.urls import reverse_slug
from members.models import Profile
from members.search import MemberMatch

register = template.Library()

_NEEDS_ESCAPING = re.compile(r"[&<>\"']").search


def escape(text: str) -> str:
    """What autoescaping writes for `text` (Django's escape and html.escape agree on
    all five characters); text with nothing to escape, most of it, is returned as is."""
    return _html_escape(text) if _NEEDS_ESCAPING(text) else text


def truncated(text: str, length: int) -> str:
    """The truncatechars filter: Truncator(text).chars(length). ASCII text no longer than
    `length` comes back as it is from Truncator too (NFC leaves it alone, and it has no
    combining characters), so it skips the Truncator."""
    if len(text) <= length and text.isascii():
        return text
    return Truncator(text).chars(length)


@dataclass(frozen=True)
class _ListWords:
    """What every card of a list repeats, escaped, in the active language."""

    directory_url: str
    a_member: str
    ask_about: str
    posts_about: str
    wants_to_learn: str


_NO_MATCH = MemberMatch()


def _list_words(context: Context) -> _ListWords:
    """The list's words, worked out by the list's first card (per render and language)."""
    key = ("member_cards", translation.get_language())
    words = context.render_context.get(key)
    if words is None:
        words = context.render_context[key] = _ListWords(
            directory_url=escape(reverse("members:directory")),
            a_member=escape(_("A member")),
            ask_about=escape(_("Ask about")),
            posts_about=escape(_("Posts about")),
            wants_to_learn=escape(_("Wants to learn")),
        )
    return words


@register.simple_tag(takes_context=True)
def member_card(context: Context, profile: Profile, search: Any = None) -> SafeString:
    """The card of `profile` (user selected, expertise listed in `expertise_tags`, as
    members/selectors.py's directory lists it). With a search (a true
    MemberSearch), the card says why they matched, from `profile.match` (set by
    MemberSearch.explain)."""
    words = _list_words(context)
    match = getattr(profile, "match", _NO_MATCH) if search else None
    return mark_safe(_card(profile, match, words))  # noqa: S308 -- every value escaped in _card


def _expertise_tag(tag: Any, directory_url: str, *, matched: bool) -> str:
    href = f"{directory_url}?expertise={quote(tag.slug, safe='/')}"
    if matched:
        return f'<a class="tag tag--match" href="{href}"><mark>{escape(tag.name)}</mark></a>'
    return f'<a class="tag" href="{href}">{escape(tag.name)}</a>'


def _card(profile: Profile, match: MemberMatch | None, words: _ListWords) -> str:
    """The card's markup; `match` None for a card outside a search."""
    user = profile.user
    name = escape(truncated(user.display_name, 80)) if user.display_name else words.a_member
    profile_url = escape(reverse_slug("members:profile-detail", profile.code, kwarg="code"))
    out = [
        "\n"
        '<article class="member-card">\n'
        f'  <span class="avatar avatar--medium" aria-hidden="true">{escape(user.initials)}</span>\n'
        '  <div class="member-card__body">\n'
        f'    <h2 class="member-card__name"><a href="{profile_url}">{name}</a>'
    ]
    if profile.pronouns:
        out.append(
            ' <span class="member-card__pronouns">'
            f"({escape(truncated(profile.pronouns, 40))})</span>"
        )
    out.append("</h2>\n    ")
    organization, neighborhood = profile.organization, profile.neighborhood
    if organization or neighborhood:
        between = " · " if organization and neighborhood else ""
        out.append(
            '\n      <p class="member-card__meta">'
            f"{escape(truncated(organization, 120))}{between}"
            f"{escape(truncated(neighborhood, 80))}</p>\n    "
        )
    out.append("\n    ")
    tags = profile.expertise_tags  # type: ignore[attr-defined]
    directory_url = words.directory_url
    if match is not None:
        out.append("\n      ")
        if tags:
            matched = match.expertise_ids
            out.append(f'<p class="tag-list" aria-label="{words.ask_about}">')
            out.extend(
                _expertise_tag(tag, directory_url, matched=tag.pk in matched) for tag in tags
            )
            out.append("</p>")
        out.append("\n      ")
        if match.post_tags or match.interests or match.about:
            out.append('\n        <ul class="member-card__why">\n          ')
            if match.post_tags:
                links = ", ".join(
                    f'<a href="{escape(reverse_slug("library:tag-detail", tag.slug))}">'
                    f"<mark>{escape(tag.name)}</mark></a>"
                    for tag in match.post_tags
                )
                out.append(
                    f'<li><span class="member-card__why-label">{words.posts_about}</span>'
                    f" {links}</li>"
                )
            out.append("\n          ")
            if match.interests:
                marked = ", ".join(f"<mark>{escape(tag.name)}</mark>" for tag in match.interests)
                out.append(
                    f'<li><span class="member-card__why-label">{words.wants_to_learn}</span>'
                    f" {marked}</li>"
                )
            out.append("\n          ")
            if match.about:
                quote_parts = "".join(
                    f"<mark>{escape(part)}</mark>" if hit else escape(part)
                    for part, hit in match.about
                )
                out.append(f'<li class="member-card__quote">{quote_parts}</li>')
            out.append("\n        </ul>\n      ")
        out.append("\n    ")
    else:
        out.append("\n      \n      ")
        if tags:
            out.append(f'<p class="tag-list" aria-label="{words.ask_about}">')
            out.extend(_expertise_tag(tag, directory_url, matched=False) for tag in tags)
            out.append("</p>")
        out.append("\n    ")
    out.append("\n  </div>\n</article>\n")
    return "".join(out)
