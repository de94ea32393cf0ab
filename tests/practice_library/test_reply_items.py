"""The replies on a post page (practice_library/templatetags/reply_items.py): each
reply's markup as each kind of viewer sees it, pinned, escaped, and in Spanish."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from practice_library.models.post import State
from tests.factories import make_organizer, make_post, make_reply, make_user

pytestmark = pytest.mark.django_db

CSRF = re.compile(r'<input type="hidden" name="csrfmiddlewaretoken" value="[^"]+">')


def item(html: str, reply) -> str:
    """The reply's <li>, with the page's CSRF token left out."""
    match = re.search(rf'<li id="reply-{reply.pk}" .*?</li>', html, re.DOTALL)
    assert match, f"reply {reply.pk} is not on the page"
    return CSRF.sub("{csrf}", match.group(0))


def url(name: str, post, reply) -> str:
    return reverse(f"library:{name}", kwargs={"code": post.code, "reply_id": reply.pk})


def client_for(user) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def thread():
    """A question by its asker, a reply by Robin (the answer), one by Sam."""
    asker = make_user(display_name="Asker")
    post = make_post(kind="question", author=asker, title="Who lends folding tables?")
    robin = make_user(display_name="Robin <b>& co</b>")
    answer = make_reply(post=post, author=robin, body="Ask **the library**.")
    other = make_reply(post=post, body="We do.")
    post.answer = answer
    post.save(update_fields=["answer"])
    return post, asker, robin, answer, other


def test_a_visitor_sees_the_replies_without_actions(thread):
    post, _asker, _robin, answer, _other = thread

    html = client_for(None).get(post.get_absolute_url()).content.decode()

    shown = item(html, answer)
    assert shown.startswith(
        f'<li id="reply-{answer.pk}" class="reply reply--published reply--answer">'
        '<p class="reply__meta"><strong>Robin &lt;b&gt;&amp; co&lt;/b&gt;</strong> · <time '
    )
    assert shown.endswith(
        '<span class="badge badge--ok">The answer</span></p>'
        '<div class="prose reply__body"><p>Ask <strong>the library</strong>.</p>\n</div></li>'
    )
    assert "reply__actions" not in html


def test_a_member_may_report_others_replies_and_edit_their_own(thread):
    post, _asker, robin, answer, other = thread

    html = client_for(robin).get(post.get_absolute_url()).content.decode()

    assert item(html, answer).endswith(
        '<div class="reply__actions">'
        f'<a class="button button--small button--ghost" href="{url("reply-edit", post, answer)}">'
        "Edit</a> "
        '<a class="button button--small button--ghost" '
        f'href="{url("reply-delete", post, answer)}">Delete</a></div></li>'
    )
    assert item(html, other).endswith(
        '<div class="reply__actions">'
        f'<a class="report-link" href="{url("reply-report", post, other)}">Report</a>'
        "</div></li>"
    )
    assert "{csrf}" not in item(html, other)


def test_the_asker_marks_and_unmarks_the_answer(thread):
    post, asker, _robin, answer, other = thread

    html = client_for(asker).get(post.get_absolute_url()).content.decode()

    assert (
        f'<form method="post" action="{url("answer-set", post, answer)}" class="inline-form">'
        '{csrf}<button type="submit" class="button button--small button--ghost" name="action" '
        'value="off">Unmark as the answer</button></form>'
    ) in item(html, answer)
    assert (
        f'<form method="post" action="{url("answer-set", post, other)}" class="inline-form">'
        '{csrf}<button type="submit" class="button button--small button--ghost" name="action" '
        'value="on">Mark as the answer</button></form>'
    ) in item(html, other)
    # The token is the page's own, as {% csrf_token %} writes it.
    assert len(CSRF.findall(html)) >= 2


def test_organizers_hide_and_restore_replies_and_read_hidden_ones(thread):
    post, _asker, _robin, answer, other = thread
    other.state = State.HIDDEN
    other.save(update_fields=["state"])
    moderate = url("reply-moderate", post, answer)

    organizer_html = client_for(make_organizer()).get(post.get_absolute_url()).content.decode()
    member_html = client_for(make_user()).get(post.get_absolute_url()).content.decode()

    assert item(organizer_html, answer).endswith(
        f'<a class="report-link" href="{url("reply-report", post, answer)}">Report</a>'
        f'<form method="post" action="{moderate}" class="inline-form">{{csrf}}'
        '<button type="submit" class="button button--small button--danger" name="action" '
        'value="hide">Hide</button></form></div></li>'
    )
    assert item(organizer_html, other) == (
        f'<li id="reply-{other.pk}" class="reply reply--hidden">'
        '<p class="reply__placeholder">This reply was hidden by an organizer.</p>'
        '<details class="reply__hidden"><summary>Show the hidden text (organizers only)'
        '</summary><div class="prose"><p>We do.</p>\n</div></details>'
        f'<form method="post" action="{url("reply-moderate", post, other)}" '
        'class="inline-form">{csrf}<button type="submit" class="button button--small" '
        'name="action" value="restore">Restore</button></form></li>'
    )
    assert item(member_html, other) == (
        f'<li id="reply-{other.pk}" class="reply reply--hidden">'
        '<p class="reply__placeholder">This reply was hidden by an organizer.</p></li>'
    )
    assert "We do." not in member_html


def test_deleted_and_removed_replies_leave_a_placeholder(thread):
    post, _asker, _robin, answer, other = thread
    other.state = State.DELETED
    other.save(update_fields=["state"])
    answer.removed_at = timezone.now()
    answer.body = ""
    answer.save(update_fields=["removed_at", "body"])

    html = client_for(make_user()).get(post.get_absolute_url()).content.decode()

    assert item(html, other) == (
        f'<li id="reply-{other.pk}" class="reply reply--deleted">'
        '<p class="reply__placeholder">This reply was deleted by its author.</p></li>'
    )
    assert item(html, answer) == (
        f'<li id="reply-{answer.pk}" class="reply reply--published reply--answer">'
        '<p class="reply__placeholder">This reply was removed by its author.</p></li>'
    )


def test_a_reply_whose_author_left_is_signed_a_former_member(thread):
    post, _asker, robin, answer, _other = thread
    answer.author = None
    answer.save(update_fields=["author"])

    html = client_for(robin).get(post.get_absolute_url()).content.decode()

    assert "<strong>A former member</strong>" in item(html, answer)
    assert "reply-edit" not in item(html, answer)


def test_a_spanish_reader_gets_the_replies_words_in_spanish(thread):
    post, _asker, _robin, answer, other = thread
    reader = make_user(language="es")

    html = client_for(reader).get(post.get_absolute_url()).content.decode()

    assert '<span class="badge badge--ok">La respuesta</span>' in item(html, answer)
    assert ">Reportar</a>" in item(html, other)
