"""{% reply_items replies %}: the <li> items of one page of a post's replies, written in
Python.

A page holds up to fifty replies, and each, written by the template engine, cost about
0.3 ms (a dozen conditions, two dates, up to four URLs, each reversed): 15 ms of the
post page whenever the kept list is stale (after any change to the site's content).
Written here, the words every item repeats are translated once a page, each kind of
URL is reversed once a page, and a reply costs a few microseconds beyond its Markdown
(which cop_portal.lib.markdown remembers). The markup is the one _reply_list.html had;
tests/practice_library/test_reply_items.py pins it.
"""

import re
from collections.abc import Callable, Iterable
from html import escape as _html_escape

from django import template
from django.template.context import Context
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from cop_portal.lib.dates import date_as
from cop_portal.lib.markdown import render_markdown
from practice_library.models import PatternKind, Post, Reply
from practice_library.models.post import State

register = template.Library()

_NEEDS_ESCAPING = re.compile(r"[&<>\"']").search
# A reply id no reply has yet, reversed in place of each reply's own and then replaced:
# one reverse() per kind of URL and page, not per reply.
_ANY_REPLY = 987_654_321


def escape(text: str) -> str:
    """html.escape, skipping the replacements when there is nothing to escape."""
    return _html_escape(text) if _NEEDS_ESCAPING(text) else text


def _reply_url(name: str, code: str) -> Callable[[int], str]:
    """The URL `name` of the post `code` for any reply id, escaped for an attribute."""
    start, _any, end = reverse(name, kwargs={"code": code, "reply_id": _ANY_REPLY}).rpartition(
        str(_ANY_REPLY)
    )
    start, end = escape(start), escape(end)
    return lambda reply_id: f"{start}{reply_id}{end}"


def _csrf_input(context: Context) -> str:
    """What {% csrf_token %} writes, once for the page."""
    token = context.get("csrf_token")
    if not token or str(token) == "NOTPROVIDED":
        return ""
    return f'<input type="hidden" name="csrfmiddlewaretoken" value="{escape(str(token))}">'


@register.simple_tag(takes_context=True)
def reply_items(context: Context, replies: Iterable[Reply]) -> SafeString:
    """The items of `replies`, with each reply's actions for the viewer. Reads `post`,
    `kind`, `user`, `is_author` and `is_organizer` from the context, as the post page
    sets them."""
    post: Post = context["post"]
    user = context["user"]
    viewer_id = user.pk if user.is_authenticated else None
    # The actions show to signed-in viewers of a published post only.
    actions = viewer_id is not None and post.is_published
    is_organizer = bool(context.get("is_organizer"))
    marks_answers = (
        actions and bool(context.get("is_author")) and context["kind"] == PatternKind.QUESTION
    )
    csrf = _csrf_input(context) if marks_answers or is_organizer else ""
    code = post.code
    url_of = {
        name: _reply_url(f"library:{name}", code)
        for name in ("answer-set", "reply-edit", "reply-delete", "reply-report", "reply-moderate")
    }
    words = {
        "former": escape(_("A former member")),
        "answer": escape(_("The answer")),
        "unmark": escape(_("Unmark as the answer")),
        "mark": escape(_("Mark as the answer")),
        "edit": escape(_("Edit")),
        "delete": escape(_("Delete")),
        "report": escape(pgettext("verb", "Report")),
        "hide": escape(_("Hide")),
        "hidden": escape(_("This reply was hidden by an organizer.")),
        "hidden_removed": escape(_("Its author removed the text when they left the CoP.")),
        "show_hidden": escape(_("Show the hidden text (organizers only)")),
        "restore": escape(_("Restore")),
        "removed": escape(_("This reply was removed by its author.")),
        "deleted": escape(_("This reply was deleted by its author.")),
    }
    items = []
    for reply in replies:
        is_answer = reply.pk == post.answer_id
        head = (
            f'<li id="reply-{reply.pk}" class="reply reply--{escape(reply.state)}'
            f'{" reply--answer" if is_answer else ""}">'
        )
        if reply.state == State.PUBLISHED and not reply.is_removed:
            body = _published(reply, is_answer, words)
            if actions:
                body += _actions(
                    reply, is_answer, words, url_of, csrf,
                    marks_answers=marks_answers,
                    own=reply.author_id == viewer_id,
                    is_organizer=is_organizer,
                )  # fmt: skip
        elif reply.state == State.HIDDEN:
            body = f'<p class="reply__placeholder">{words["hidden"]}</p>'
            if is_organizer and reply.is_removed:
                body += f'<p class="muted">{words["hidden_removed"]}</p>'
            elif is_organizer:
                body += (
                    f'<details class="reply__hidden"><summary>{words["show_hidden"]}</summary>'
                    f'<div class="prose">{render_markdown(reply.body)}</div></details>'
                    f'<form method="post" action="{url_of["reply-moderate"](reply.pk)}" '
                    f'class="inline-form">{csrf}<button type="submit" class="button '
                    f'button--small" name="action" value="restore">{words["restore"]}'
                    "</button></form>"
                )
        elif reply.is_removed:
            body = f'<p class="reply__placeholder">{words["removed"]}</p>'
        else:
            body = f'<p class="reply__placeholder">{words["deleted"]}</p>'
        items.append(f"{head}{body}</li>")
    return mark_safe("".join(items))  # noqa: S308 -- every value escaped above


def _published(reply: Reply, is_answer: bool, words: dict[str, str]) -> str:
    """A published reply's author, date, badge and text."""
    author = escape(reply.author.display_name) if reply.author else words["former"]
    badge = f' <span class="badge badge--ok">{words["answer"]}</span>' if is_answer else ""
    when = date_as(reply.created, "SHORT_DAY_DATETIME")
    iso = timezone.localtime(reply.created).isoformat(timespec="seconds")  # the iso filter's
    return (
        f'<p class="reply__meta"><strong>{author}</strong> · '
        f'<time datetime="{iso}">{escape(when)}</time>{badge}</p>'
        f'<div class="prose reply__body">{render_markdown(reply.body)}</div>'
    )


def _actions(
    reply: Reply,
    is_answer: bool,
    words: dict[str, str],
    url_of: dict[str, Callable[[int], str]],
    csrf: str,
    *,
    marks_answers: bool,
    own: bool,
    is_organizer: bool,
) -> str:
    """The buttons under a published reply: marking the answer (the question's author),
    editing and deleting (its own author) or reporting (anyone else), hiding (organizers)."""
    parts = ['<div class="reply__actions">']
    if marks_answers:
        action, word = ("off", words["unmark"]) if is_answer else ("on", words["mark"])
        parts.append(
            f'<form method="post" action="{url_of["answer-set"](reply.pk)}" class="inline-form">'
            f'{csrf}<button type="submit" class="button button--small button--ghost" '
            f'name="action" value="{action}">{word}</button></form>'
        )
    if own:
        parts.append(
            f'<a class="button button--small button--ghost" '
            f'href="{url_of["reply-edit"](reply.pk)}">{words["edit"]}</a> '
            f'<a class="button button--small button--ghost" '
            f'href="{url_of["reply-delete"](reply.pk)}">{words["delete"]}</a>'
        )
    else:
        parts.append(
            f'<a class="report-link" href="{url_of["reply-report"](reply.pk)}">'
            f"{words['report']}</a>"
        )
    if is_organizer:
        parts.append(
            f'<form method="post" action="{url_of["reply-moderate"](reply.pk)}" '
            f'class="inline-form">{csrf}<button type="submit" class="button button--small '
            f'button--danger" name="action" value="hide">{words["hide"]}</button></form>'
        )
    parts.append("</div>")
    return "".join(parts)
