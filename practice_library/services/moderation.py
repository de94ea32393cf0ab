"""Moderation: organizers hide, restore and lock; members report.

Nothing is ever removed here: hidden posts and replies stay in the database with
state "hidden" and come back with one click. Reports stay too, also when the author
of what they are about leaves (see posts.contributions_remove).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cop_portal.lib.roles import is_organizer
from practice_library.models import Post, Reply, Report
from practice_library.models.post import State
from practice_library.services.posts import post_refresh_search_document


def _require_organizer(user: Any) -> None:
    if not is_organizer(user):
        raise PermissionDenied("Only organizers can moderate.")


@transaction.atomic
def post_set_state(*, post: Post, by: Any, state: State) -> Post:
    """Hide a post, or restore a hidden or author-deleted one (state "published").

    Organizers only. Side effects: none beyond the post.
    """
    _require_organizer(by)
    if state not in (State.HIDDEN, State.PUBLISHED):
        raise ValueError("Organizers hide or restore; authors delete.")
    post.state = state
    post.save(update_fields=["state", "updated"])
    return post


@transaction.atomic
def post_set_locked(*, post: Post, by: Any, locked: bool) -> Post:
    """Lock a thread (no new replies or evidence) or unlock it. Organizers only."""
    _require_organizer(by)
    post.is_locked = locked
    post.save(update_fields=["is_locked", "updated"])
    return post


@transaction.atomic
def reply_set_hidden(*, reply: Reply, by: Any, hidden: bool) -> Reply:
    """Hide a reply, or bring a hidden one back. Organizers only; replies their authors
    deleted stay deleted. A reply whose author removed it on leaving keeps its state
    (there is no text left to hide or show). Side effects: refreshes the post's search
    document."""
    _require_organizer(by)
    if reply.state == State.DELETED:
        raise ValueError("Its author deleted this reply.")
    if reply.is_removed:
        return reply
    reply.state = State.HIDDEN if hidden else State.PUBLISHED
    reply.save(update_fields=["state", "updated"])
    post_refresh_search_document(post=reply.post)
    return reply


@transaction.atomic
def report_create(*, reporter: Any, post: Post, reason: str, reply: Reply | None = None) -> Report:
    """A member flags a post or one of its replies for the organizers.

    Side effects: none (organizers see it in the reports queue).
    """
    if reply is not None and reply.post_id != post.pk:
        raise ValueError("The reply must belong to the post.")
    return Report.objects.create(post=post, reply=reply, reporter=reporter, reason=reason)


@transaction.atomic
def report_resolve(*, report: Report, by: Any) -> Report:
    """Mark a report as dealt with. Organizers only. Resolving again changes nothing."""
    _require_organizer(by)
    if report.resolved_at is None:
        report.resolved_at = timezone.now()
        report.save(update_fields=["resolved_at", "updated"])
    return report
