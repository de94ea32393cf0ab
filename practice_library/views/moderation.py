"""Organizers' moderation buttons on post pages, and the reports queue."""

from django.contrib import messages
from django.db.models import F, Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import organizer_required
from practice_library.forms.posts import (
    ConfirmForm,
    PostModerationForm,
    ReplyModerationForm,
)
from practice_library.models import Post, Reply, Report
from practice_library.models.post import State
from practice_library.services import moderation as services

# Resolved reports stay listed for a while, below the open ones.
RESOLVED_SHOWN = 50


@organizer_required
@require_POST
def post_moderate(request: HttpRequest, code: str) -> HttpResponse:
    """Hide, restore, lock or unlock a post, whatever its state."""
    post = get_object_or_404(Post, code=code)
    form = PostModerationForm(request.POST)
    if form.is_valid():
        action = form.cleaned_data["action"]
        if action == form.HIDE:
            services.post_set_state(post=post, by=request.user, state=State.HIDDEN)
            messages.success(request, "The post is hidden. Only organizers can see it now.")
        elif action == form.RESTORE:
            services.post_set_state(post=post, by=request.user, state=State.PUBLISHED)
            messages.success(request, "The post is back for everyone.")
        else:
            locked = action == form.LOCK
            services.post_set_locked(post=post, by=request.user, locked=locked)
            messages.success(request, "The thread is locked." if locked else "Replies are open.")
    return redirect(post)


@organizer_required
@require_POST
def reply_moderate(request: HttpRequest, code: str, reply_id: int) -> HttpResponse:
    post = get_object_or_404(Post, code=code)
    reply = get_object_or_404(Reply.objects.exclude(state=State.DELETED), pk=reply_id, post=post)
    form = ReplyModerationForm(request.POST)
    if form.is_valid():
        hidden = form.cleaned_data["action"] == form.HIDE
        services.reply_set_hidden(reply=reply, by=request.user, hidden=hidden)
        messages.success(request, "The reply is hidden." if hidden else "The reply is back.")
    reply.post = post
    return redirect(reply.get_absolute_url())


@organizer_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    """Open reports first (oldest waiting first), then the latest resolved ones."""
    # Each reply with its position, for a link to the page of the post it is on.
    replies = Reply.objects.select_related("author", "post").with_position()
    reports = Report.objects.select_related("post", "reporter").prefetch_related(
        Prefetch("reply", queryset=replies)
    )
    context = {
        "open_reports": list(reports.filter(resolved_at__isnull=True).order_by("created", "id")),
        "resolved_reports": list(
            reports.filter(resolved_at__isnull=False).order_by(F("resolved_at").desc())[
                :RESOLVED_SHOWN
            ]
        ),
    }
    return render(request, "practice_library/posts/report_list.html", context)


@organizer_required
@require_POST
def report_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    report = get_object_or_404(Report, pk=report_id)
    if ConfirmForm(request.POST).is_valid():
        services.report_resolve(report=report, by=request.user)
        messages.success(request, "Marked as resolved.")
    return redirect("library:reports")
