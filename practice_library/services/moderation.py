"""Moderation: organizers hide, restore and lock; members report; organizers hide what
a report is about or leave it up, and everyone concerned hears how it ended.

Nothing is ever removed here: hidden posts and replies stay in the database with
state "hidden" and come back with one click. Reports stay too, also when the author
of what they are about leaves (see posts.contributions_remove).

Hiding something, from its page or from the reports list, resolves every open report
about it and tells each reporter and the author (practice_library.notifications).
"""

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from cop_portal.lib.roles import is_organizer
from practice_library import notifications
from practice_library.models import Post, Reply, Report, ReportOutcome, ReportReason
from practice_library.models.post import ReportQuerySet, State
from practice_library.services.counts import post_counts_refresh
from practice_library.services.posts import authors_posts_changed, post_refresh_search_document


def _require_organizer(user: Any) -> None:
    if not is_organizer(user):
        raise PermissionDenied("Only organizers can moderate.")


@transaction.atomic
def post_set_state(*, post: Post, by: Any, state: State) -> Post:
    """Hide a post, or restore a hidden or author-deleted one (state "published").

    Organizers only. Side effects: recounts its activity's and tags' stored counts and
    tells the apps above (`authors_posts_changed`); of hiding: resolves the open
    reports about the post itself (outcome "hidden") and, after the commit, emails
    each reporter and, when the post was published until now, its author
    (notifications.notify_report_outcome, notify_content_hidden).
    """
    _require_organizer(by)
    if state not in (State.HIDDEN, State.PUBLISHED):
        raise ValueError("Organizers hide or restore; authors delete.")
    was_published = post.is_published
    post.state = state
    post.save(update_fields=["state", "updated"])
    post_counts_refresh(post=post)
    authors_posts_changed(author_ids=[post.author_id])
    if state == State.HIDDEN:
        reports = _resolve(Report.objects.about(post=post), by=by, outcome=ReportOutcome.HIDDEN)
        if was_published:
            notifications.notify_content_hidden(post=post, reply=None, reports=reports)
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
    document; hiding resolves the open reports about the reply and emails as
    `post_set_state` does."""
    _require_organizer(by)
    if reply.state == State.DELETED:
        raise ValueError("Its author deleted this reply.")
    if reply.is_removed:
        return reply
    was_published = reply.is_published
    reply.state = State.HIDDEN if hidden else State.PUBLISHED
    reply.save(update_fields=["state", "updated"])
    post_refresh_search_document(post=reply.post)
    if hidden:
        reports = _resolve(
            Report.objects.about(post=reply.post, reply_id=reply.pk),
            by=by,
            outcome=ReportOutcome.HIDDEN,
        )
        if was_published:
            notifications.notify_content_hidden(post=reply.post, reply=reply, reports=reports)
    return reply


@transaction.atomic
def report_create(
    *,
    reporter: Any,
    post: Post,
    reason: ReportReason | str,
    details: str = "",
    reply: Reply | None = None,
) -> Report:
    """A member flags a post or one of its replies for the organizers: a reason from
    the list, and details (needed for "Something else").

    Side effects: none at once. The organizers see it in the reports list and the
    Organize menu's count, and the worker's hourly email lists it (notifications).
    """
    if reply is not None and reply.post_id != post.pk:
        raise ValueError("The reply must belong to the post.")
    reason = ReportReason(reason)
    if reason == ReportReason.OTHER and not details.strip():
        raise ValueError("Something else needs a word on what.")
    return Report.objects.create(
        post=post, reply=reply, reporter=reporter, reason=reason, details=details
    )


@transaction.atomic
def report_hide(*, report: Report, by: Any) -> int:
    """Hide what `report` is about and resolve every open report about it, with the
    outcome "hidden". Something no longer shown (already hidden, or deleted or removed
    by its author) keeps its state; its reports are resolved the same way. Returns
    how many reports this resolved (0 when someone else got there first).

    Organizers only. Side effects: those of `post_set_state` or `reply_set_hidden`;
    reporters are emailed after the commit.
    """
    _require_organizer(by)
    post = Post.objects.select_for_update().get(pk=report.post_id)
    if not Report.objects.open().filter(pk=report.pk).exists():
        return 0  # another organizer dealt with it meanwhile: leave it as they did
    reports = Report.objects.about(post=post, reply_id=report.reply_id)
    waiting = reports.open().count()
    if report.reply_id is None:
        if post.is_published:
            post_set_state(post=post, by=by, state=State.HIDDEN)
    else:
        reply = Reply.objects.select_for_update().get(pk=report.reply_id)
        reply.post = post
        if reply.is_published and not reply.is_removed:
            reply_set_hidden(reply=reply, by=by, hidden=True)
    _resolve(reports, by=by, outcome=ReportOutcome.HIDDEN)
    return waiting


@transaction.atomic
def report_dismiss(*, report: Report, by: Any) -> int:
    """Leave what `report` is about as it is and resolve every open report about it,
    with the outcome "dismissed". Returns how many reports this resolved (0 when
    someone else got there first).

    Organizers only. Side effects: reporters are emailed after the commit.
    """
    _require_organizer(by)
    post = Post.objects.select_for_update().get(pk=report.post_id)
    if not Report.objects.open().filter(pk=report.pk).exists():
        return 0  # another organizer dealt with it meanwhile: leave it as they did
    reports = Report.objects.about(post=post, reply_id=report.reply_id)
    return len(_resolve(reports, by=by, outcome=ReportOutcome.DISMISSED))


def _resolve(reports: ReportQuerySet, *, by: Any, outcome: ReportOutcome) -> list[Report]:
    """Resolve the open ones of `reports` (locked first: of two organizers pressing at
    once, one resolves them and tells the reporters) and queue the reporters' emails.
    Returns the reports resolved."""
    resolved = list(
        reports.open().select_for_update(of=("self",)).select_related("post", "reply", "reporter")
    )
    if not resolved:
        return []
    now = timezone.now()
    Report.objects.filter(pk__in=[report.pk for report in resolved]).update(
        resolved_at=now, resolved_by=by, outcome=outcome, updated=now
    )
    for report in resolved:
        report.resolved_at, report.resolved_by, report.outcome = now, by, outcome
    notifications.notify_report_outcome(resolved)
    return resolved
