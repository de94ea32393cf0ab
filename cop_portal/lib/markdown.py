"""Markdown for text that organizers and members write: agendas, posts, replies."""

from functools import cache, lru_cache

import nh3
from django.utils.safestring import SafeString, mark_safe
from markdown_it import MarkdownIt

ALLOWED_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "ul", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {"a": {"href", "title"}, "ol": {"start"}, "th": {"align"}, "td": {"align"}}


@cache
def _parser() -> MarkdownIt:
    # The "js-default" preset is CommonMark with raw HTML switched off.
    return MarkdownIt("js-default").enable("table").enable("strikethrough")


def render_markdown(text: str) -> SafeString:
    """Markdown to HTML that is safe to show: raw HTML is off, and nh3 then keeps only
    plain formatting tags, http(s)/mailto links (with rel="nofollow noopener") and no
    scripts, styles, event handlers or `javascript:` URLs.
    """
    return mark_safe(_render(text or ""))  # noqa: S308 - sanitized by nh3 in _render


# The same text always gives the same HTML, and a thread's page shows dozens of replies
# to everyone who opens it: each worker remembers the latest few thousand.
@lru_cache(maxsize=4096)
def _render(text: str) -> str:
    html = _parser().render(text)
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="nofollow noopener",
    )
