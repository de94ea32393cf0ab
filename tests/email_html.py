"""Test helpers: read an email's HTML as a tree (Django's own parser, which refuses
mismatched tags), and find what a reader sees in it."""

from collections.abc import Iterator

from django.core.mail import EmailMessage
from django.test.html import Element, parse_html


def html_of(email: EmailMessage) -> str:
    [html] = [alt.content for alt in email.alternatives if alt.mimetype == "text/html"]
    return str(html)


def tree(email_or_html: EmailMessage | str | Element) -> Element:
    if isinstance(email_or_html, Element):
        return email_or_html
    html = email_or_html if isinstance(email_or_html, str) else html_of(email_or_html)
    return parse_html(html)


def walk(element: Element) -> Iterator[Element]:
    """Every element under this one, in document order."""
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def find_all(element: Element, name: str, **attributes: str) -> list[Element]:
    return [
        found
        for found in walk(element)
        if found.name == name
        and all(attr(found, key.rstrip("_")) == value for key, value in attributes.items())
    ]


def attr(element: Element, name: str) -> str | None:
    for key, value in element.attributes:
        if key == name:
            return value
    return None


def text(element: Element) -> str:
    """The element's text, whitespace collapsed."""
    parts: list[str] = []

    def collect(node: Element) -> None:
        for child in node.children:
            if isinstance(child, Element):
                collect(child)
            else:
                parts.append(str(child))

    collect(element)
    return " ".join(" ".join(parts).split())


def links(email_or_html: EmailMessage | str | Element) -> dict[str, str]:
    """Each link's text and where it goes (in an email, its HTML, or a part of it)."""
    return {text(a): attr(a, "href") or "" for a in find_all(tree(email_or_html), "a")}


def heading(email_or_html: EmailMessage | str) -> str:
    [h1] = find_all(tree(email_or_html), "h1")
    return text(h1)


def visible_text(email_or_html: EmailMessage | str) -> str:
    """What a reader sees: the body's text without the hidden preheader."""
    [body] = find_all(tree(email_or_html), "body")
    for hidden in find_all(body, "div", **{"class": "em-preheader"}):
        body.children.remove(hidden)
    return text(body)


def preheader(email_or_html: EmailMessage | str) -> str:
    [hidden] = find_all(tree(email_or_html), "div", **{"class": "em-preheader"})
    # The padding after it (invisible joiners and spaces) only keeps clients from
    # pulling body text into the preview.
    return " ".join(text(hidden).replace("\u034f", " ").split())
