"""A display name ending with an initial ("Robin T.") at the end of a sentence gets no
second full stop: the `full_stop` filter (cop_portal/templatetags/text.py)."""

from html import unescape

import pytest
from django.template import Context, Template

from cop_portal.templatetags.text import full_stop_filter
from sessions_app.services.rsvps import rsvp_create
from tests.factories import make_session, make_user


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Robin T.", "Robin T."),
        ("Robin Tran", "Robin Tran."),
        ("Who's coming?", "Who's coming?"),
        ("Yes!", "Yes!"),
        ("And so on…", "And so on…"),
        ("", "."),
    ],
)
def test_full_stop_adds_one_only_when_missing(text, expected):
    assert full_stop_filter(text) == expected


def test_full_stop_keeps_escaping():
    rendered = Template("{{ name|full_stop }}").render(Context({"name": "<b>Al</b>"}))

    assert rendered == "&lt;b&gt;Al&lt;/b&gt;."


@pytest.mark.django_db
def test_session_page_lists_members_coming_without_a_double_full_stop(member_client):
    session = make_session()
    for name in ["Dana R.", "Robin T."]:
        rsvp_create(
            session=session, user=make_user(display_name=name), attend_as="in-person", listed=True
        )

    body = unescape(member_client.get(session.get_absolute_url()).content.decode())

    assert "Robin T.." not in body
    assert "Robin T." in body


def test_address_confirmation_email_ends_the_sentence_once():
    from django.template.loader import render_to_string

    from members.models import User

    body = render_to_string(
        "account/email/email_confirmation_message.txt",
        {"user": User(display_name="Robin T."), "activate_url": "https://x.example/confirm/"},
    )

    assert "the CoP Portal account of Robin T. Open this link" in body
