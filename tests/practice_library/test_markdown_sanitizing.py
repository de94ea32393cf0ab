"""Hostile Markdown in posts and replies must come out as text, never as live markup."""

from html.parser import HTMLParser

import pytest
from django.urls import reverse

from practice_library.models import Post
from tests.factories import _pattern_for_kind, make_post

pytestmark = pytest.mark.django_db

HOSTILE = [
    "<script>alert(1)</script>",
    '<img src=x onerror="alert(1)">',
    "[x](javascript:alert(1))",
    "[x](JAVASCRIPT:alert(1))",
    "[x](  javascript:alert(1))",
    "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    '<a href="javascript:alert(1)">x</a>',
    "<style>body{display:none}</style>",
    '<iframe src="https://evil.example"></iframe>',
    "<svg onload=alert(1)>",
    "[x](&#106;avascript:alert(1))",
    "[x](&#x6A;avascript&#58;alert(1))",
    "<javascript:alert(1)>",
    "![x](javascript:alert(1))",
    '[x](https://ok.example "title" onmouseover=alert(1))',
    "<div onclick=alert(1)>x</div>",
    "[x]: javascript:alert(1)\n\n[click][x]",
]
SAFE_TAGS = {
    "a", "blockquote", "br", "code", "em", "h2", "h3", "h4", "hr", "li", "ol", "p",
    "pre", "strong", "ul", "del", "table", "thead", "tbody", "tr", "th", "td",
}  # fmt: skip
USER_TEXT_CLASSES = {"post__body", "reply__body"}


class UserTextCollector(HTMLParser):
    """Collects every tag and attribute inside the post body and reply bodies."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.blocks = 0
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        classes = set((dict(attrs).get("class") or "").split())
        if self.depth:
            self.tags.append((tag, attrs))
            if tag not in {"br", "hr", "img"}:
                self.depth += 1
        elif tag == "div" and classes & USER_TEXT_CLASSES:
            self.depth = 1
            self.blocks += 1

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in {"br", "hr", "img"}:
            self.depth -= 1


def assert_inert(html: str, expected_blocks: int) -> None:
    collector = UserTextCollector()
    collector.feed(html)
    assert collector.blocks == expected_blocks
    for tag, attrs in collector.tags:
        assert tag in SAFE_TAGS, f"<{tag}> survived"
        for name, value in attrs:
            assert not name.startswith("on"), f"{name} survived on <{tag}>"
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "mailto:")), value


@pytest.mark.parametrize("snippet", HOSTILE)
def test_hostile_markdown_in_a_post_and_a_reply_is_inert(member_client, snippet):
    pattern = _pattern_for_kind("discussion")
    member_client.post(
        reverse("library:post-create", kwargs={"slug": pattern.slug}),
        {"title": "Hostile", "body": f"Before\n\n{snippet}\n\nAfter"},
    )
    post = Post.objects.get()
    member_client.post(
        reverse("library:reply-create", kwargs={"code": post.code}), {"body": snippet}
    )

    html = member_client.get(post.get_absolute_url()).content.decode()

    assert_inert(html, expected_blocks=2)
    assert "Before" in html
    assert "After" in html
    lowered = html.lower()
    # Written out as text (&lt;svg onload=…&gt;) is fine; a real tag is not.
    for live in ("<script>alert", "<iframe", "<svg", "<style>body", "<img", "<div onclick"):
        assert live not in lowered


def test_hostile_markdown_in_project_sections_is_inert(client):
    post = make_post(kind="project", problem=HOSTILE[0], outcome=HOSTILE[2])

    html = client.get(post.get_absolute_url()).content.decode()

    assert "<script>alert" not in html
    assert 'href="javascript' not in html.lower()


def test_plain_markdown_still_renders(client):
    post = make_post(body="**bold** and [a link](https://example.org)")

    html = client.get(post.get_absolute_url()).content.decode()

    assert (
        '<strong>bold</strong> and <a href="https://example.org" rel="nofollow noopener">a link</a>'
        in html
    )
