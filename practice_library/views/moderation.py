"""Reports and moderation: members report a post or reply; organizers hide, restore
and lock from the post page, and work through the reports list, where each open report
is hidden ("Hide it") or left up ("Dismiss") in place."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from cop_portal.lib.roles import organizer_required
from cop_portal.mail.limits import sender_allowed
from practice_library.forms.posts import (
    PostModerationForm,
    ReplyModerationForm,
    ReportActionForm,
    ReportForm,
)
from practice_library.models import Post, Reply, Report
from practice_library.models.post import State
from practice_library.selectors import get_open_post, get_open_reply, reports_for_review
from practice_library.services import moderation as services
from practice_library.views.posts import TOO_MANY, verified_member_required


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
            messages.success(request, _("The post is hidden. Only organizers can see it now."))
        elif action == form.RESTORE:
            services.post_set_state(post=post, by=request.user, state=State.PUBLISHED)
            messages.success(request, _("The post is back for everyone."))
        else:
            locked = action == form.LOCK
            services.post_set_locked(post=post, by=request.user, locked=locked)
            messages.success(
                request, _("The thread is locked.") if locked else _("Replies are open.")
            )
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
        messages.success(request, _("The reply is hidden.") if hidden else _("The reply is back."))
    reply.post = post
    return redirect(reply.get_absolute_url())


# Members report


def _report(request: HttpRequest, post: Post, reply: Reply | None) -> HttpResponse:
    form = ReportForm(request.POST if request.method == "POST" else None)
    status = 400 if request.method == "POST" else 200
    if request.method == "POST" and form.is_valid():
        if sender_allowed(request, "report"):
            services.report_create(
                reporter=request.user, post=post, reply=reply, **form.cleaned_data
            )
            messages.success(request, _("Thank you. The organizers will take a look."))
            return redirect(post)
        form.add_error(None, TOO_MANY["report"])
        status = 429
    back_url = (reply or post).get_absolute_url()
    context = {"form": form, "post": post, "reply": reply, "back_url": back_url}
    return render(request, "practice_library/posts/report_form.html", context, status=status)


@verified_member_required
def post_report(request: HttpRequest, code: str) -> HttpResponse:
    return _report(request, get_open_post(code), None)


@verified_member_required
def reply_report(request: HttpRequest, code: str, reply_id: int) -> HttpResponse:
    post = get_open_post(code)
    return _report(request, post, get_open_reply(post, reply_id))


# Organizers work through the reports


def _render_report_list(
    request: HttpRequest, *, form: ReportActionForm | None = None, status: int = 200
) -> HttpResponse:
    """Open reports first (oldest waiting first, grouped by what they are about), then
    the latest resolved ones."""
    context = {"review": reports_for_review(), "action_form": form}
    return render(request, "practice_library/posts/report_list.html", context, status=status)


@organizer_required
@require_safe
def report_list(request: HttpRequest) -> HttpResponse:
    return _render_report_list(request)


@organizer_required
@require_POST
def report_resolve(request: HttpRequest, report_id: int) -> HttpResponse:
    """Hide what the report is about, or leave it up; either resolves every open report
    about the same post or reply."""
    report = get_object_or_404(Report, pk=report_id)
    form = ReportActionForm(request.POST)
    if not form.is_valid():
        return _render_report_list(request, form=form, status=400)
    if form.cleaned_data["action"] == form.HIDE:
        resolved = services.report_hide(report=report, by=request.user)
        done = _("It's hidden now, and the people who reported it will hear so.")
    else:
        resolved = services.report_dismiss(report=report, by=request.user)
        done = _("It stays up, and the people who reported it will hear so.")
    if resolved:
        messages.success(request, done)
    else:
        messages.info(request, _("Another organizer already dealt with that report."))
    return redirect("library:reports")
