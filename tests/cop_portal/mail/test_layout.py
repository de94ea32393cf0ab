"""Every HTML email has the one layout of templates/emails/base.html, read as a tree:
header, one heading, a hidden preheader, a session card with its date badge and one
button, the footer with the unsubscribe link, layout tables marked as presentation,
dark-mode support, and colours that stay readable when a client inverts them."""

from collections.abc import Iterator
from datetime import datetime

import pytest
from django.core.mail import EmailMessage
from django.test.html import Element

from cop_portal.mail.kinds import MailKind
from practice_library.models import VisitRequest
from practice_library.notifications import build_reply_email
from sessions_app.announcements import build_announcement
from sessions_app.models import AttendanceMode, Rsvp
from sessions_app.notifications import RSVP_KINDS, build_email
from sessions_app.services.rsvps import Guest, rsvp_create
from tests.clock import CLEVELAND, DASH
from tests.email_html import attr, find_all, heading, links, preheader, text, tree
from tests.factories import make_post, make_reply, make_series, make_session, make_user
from tests.outbox import SITE, send_visit_request_email

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("site_url")]


@pytest.fixture
def series_session():
    """A session of a series, with a topic: the topic is its headline, the series its context."""
    return make_session(
        series=make_series(title="Community of Practice"),
        title="Community of Practice",
        topic="Keeping volunteers after the first meeting",
        starts_at=datetime(2027, 12, 16, 18, tzinfo=CLEVELAND),
    )


def _rsvp(session, *, guest: bool) -> Rsvp:
    who = {"guest": Guest("Gus Guest", "gus@example.com")} if guest else {"user": make_user()}
    rsvp, _ = rsvp_create(session=session, attend_as="online", **who)
    return Rsvp.objects.select_related("session__venue", "user").get(pk=rsvp.pk)


def style_of(element: Element) -> dict[str, str]:
    declarations = (attr(element, "style") or "").split(";")
    pairs = (declaration.split(":", 1) for declaration in declarations if ":" in declaration)
    return {name.strip().lower(): value.strip() for name, value in pairs}


def has_background(element: Element) -> bool:
    return "background-color" in style_of(element) or attr(element, "bgcolor") is not None


def assert_one_layout(email: EmailMessage) -> Element:
    """The checks every HTML email passes; returns the parsed document."""
    document = tree(email)
    metas = {attr(meta, "name"): attr(meta, "content") for meta in find_all(document, "meta")}
    [style] = find_all(document, "style")
    [body] = find_all(document, "body")
    [hidden] = find_all(document, "div", **{"class": "em-preheader"})
    [container] = [t for t in find_all(document, "table") if "max-width" in style_of(t)]
    # Light and dark: the meta tags, and a style block for dark mode only.
    assert metas["color-scheme"] == "light dark"
    assert metas["supported-color-schemes"] == "light dark"
    assert "@media (prefers-color-scheme: dark)" in text(style)
    # One heading, under the site's name and mark.
    assert heading(email)
    assert text(find_all(document, "title")[0]) == email.subject.removeprefix("[CoP Portal] ")
    assert links(email)["CoP Portal"] == SITE
    # The preheader is hidden text, first in the body.
    assert body.children[0] is hidden
    assert style_of(hidden)["display"] == "none"
    assert preheader(email)
    # At most 600 px wide; layout tables are not data tables to screen readers.
    assert style_of(container)["max-width"] == "600px"
    for table in find_all(document, "table"):
        assert attr(table, "role") == "presentation"
    assert find_all(document, "img") == []  # nothing that blocked images would hide
    assert find_all(document, "script") == []
    # A text colour always comes with its own background (the cell it is in), so a client
    # that inverts one inverts the other.
    for element, cell in coloured_text(body):
        assert has_background(cell), element
    return document


def coloured_text(body: Element) -> Iterator[tuple[Element, Element]]:
    """Each element that sets a text colour, and the closest cell (td, th, body) around it
    (itself included)."""

    def visit(node: Element, cell: Element) -> Iterator[tuple[Element, Element]]:
        for child in node.children:
            if isinstance(child, Element):
                here = child if child.name in ("td", "th") else cell
                if "color" in style_of(child):
                    yield child, here
                yield from visit(child, here)

    yield from visit(body, body)


def buttons(document: Element) -> dict[str, str]:
    """Bulletproof buttons: a link filling a table cell that carries its colour."""
    return {
        text(a): attr(a, "href") or ""
        for cell in find_all(document, "td", **{"class": "em-button"})
        if has_background(cell)
        for a in find_all(cell, "a")
    }


def session_card(document: Element) -> Element:
    [card] = [
        table
        for table in find_all(document, "table")
        if (attr(table, "class") or "").startswith("em-tint") and find_all(table, "table")
    ]
    return card


@pytest.mark.parametrize("kind", RSVP_KINDS)
@pytest.mark.parametrize("guest", [True, False], ids=["guest", "member"])
def test_every_rsvp_email_has_the_layout_the_card_and_one_button(kind, guest, series_session):
    rsvp = _rsvp(series_session, guest=guest)

    email = build_email(kind, rsvp)

    document = assert_one_layout(email)
    card = session_card(document)
    badge = find_all(card, "table", **{"aria-hidden": "true"})[0]
    session_url = f"{SITE}/sessions/{series_session.slug}/"
    assert [text(cell) for cell in find_all(badge, "td")] == ["DEC", "16"]
    assert "Keeping volunteers after the first meeting" in text(card)
    assert "Community of Practice" in text(card)
    assert "Thursday, December 16, 2027" in text(card)
    assert f"6:00 PM {DASH} 7:00 PM EST" in text(card)
    assert links(card)["Keeping volunteers after the first meeting"] == session_url
    if kind == MailKind.SESSION_CANCELLED:
        assert "Cancelled" in text(card)
        assert buttons(document) == {"See the next sessions": f"{SITE}/sessions/"}
    elif guest and kind != MailKind.RSVP_CANCELLED:
        assert buttons(document) == {"Manage your RSVP": f"{SITE}/rsvp/{rsvp.token}/"}
    else:
        assert buttons(document) == {"View the session": session_url}
    # The plain-text twin says the same.
    assert "Keeping volunteers after the first meeting" in email.body
    assert session_url in email.body
    assert "unsubscribe in one click" in email.body.lower()


def test_an_online_session_card_says_online(db):
    session = make_session(attendance_mode=AttendanceMode.ONLINE, topic="Budgets")
    rsvp = _rsvp(session, guest=True)

    email = build_email(MailKind.RSVP_CONFIRMED, rsvp)

    assert "Online" in text(session_card(tree(email)))
    assert "Where: Online" in email.body


def test_subject_names_the_series_while_the_topic_is_to_be_announced(db):
    session = make_session(
        series=make_series(title="Community of Practice"),
        title="Community of Practice",
        topic="",
        starts_at=datetime(2027, 12, 16, 18, tzinfo=CLEVELAND),
    )
    rsvp = _rsvp(session, guest=True)

    email = build_email(MailKind.RSVP_CONFIRMED, rsvp)

    assert email.subject == "[CoP Portal] You're in: Community of Practice, Thursday, December 16"
    assert "Topic to be announced" in text(session_card(tree(email)))
    assert "Topic to be announced\nCommunity of Practice\n" in email.body


def test_announcement_has_the_layout_and_a_card_per_session(series_session):
    member = make_user(display_name="Ana")
    other = make_session(title="Block club basics", topic="")

    email = build_announcement(member, [series_session, other])

    document = assert_one_layout(email)
    cards = [
        table
        for table in find_all(document, "table")
        if (attr(table, "class") or "") == "em-tint" and find_all(table, "table")
    ]
    assert len(cards) == 2
    assert links(cards[1])["Block club basics"] == f"{SITE}/sessions/{other.slug}/"
    assert [text(a) for a in find_all(cards[0], "a")][-1] == "RSVP"
    assert preheader(email).startswith("2 new sessions are open for RSVPs")


def test_library_emails_have_the_layout_and_a_button(mailoutbox):
    post = make_post(title="Tool library")
    reader = make_user(display_name="Fay")
    reply = make_reply(post=post, body="We lend **drills**.")
    visit = VisitRequest.objects.create(post=post, requester=reader, message="Could we come?")

    reply_email = build_reply_email(reply, reader)
    send_visit_request_email(visit)

    [request_email] = mailoutbox
    for email in (reply_email, request_email):
        assert_one_layout(email)
    assert buttons(tree(reply_email)) == {"Read it and answer": f"{SITE}{reply.get_absolute_url()}"}
    assert buttons(tree(request_email)) == {"Open your post": f"{SITE}{post.get_absolute_url()}"}
