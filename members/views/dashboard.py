"""The member's home at /me/: what's coming up, new replies, their posts."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from members import dashboard as selectors
from members.forms.account import RepliesSeenForm
from members.services.account import replies_mark_seen
from sessions_app.calendar_apps import calendar_app_name
from sessions_app.models.session import JOIN_OPENS_BEFORE


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Read before the replies, so that "mark as read" can't swallow one arriving meanwhile.
    now = timezone.now()
    own = selectors.own_rows(user)
    since = selectors.new_replies_since(own["seen_at"], now)
    replies, replies_total = selectors.new_replies(user, since)
    feed = None
    if own["feed_key"] is not None:
        feed = {
            "fetched_at": own["feed_fetched_at"],
            "app": calendar_app_name(own["feed_fetched_by"] or ""),
        }
    context = {
        "upcoming": selectors.upcoming(user, now),
        "posts": selectors.recent_posts(user),
        "replies": replies,
        "replies_total": replies_total,
        "replies_since": since,
        "replies_since_marked": own["seen_at"] is not None and since == own["seen_at"],
        "seen_form": RepliesSeenForm(initial={"until": now.isoformat()}),
        "feed": feed,
        "join_minutes": int(JOIN_OPENS_BEFORE.total_seconds() // 60),
    }
    return render(request, "members/dashboard/dashboard.html", context)


@login_required
@require_POST
def replies_seen(request: HttpRequest) -> HttpResponse:
    form = RepliesSeenForm(request.POST)
    if form.is_valid():
        replies_mark_seen(user=request.user, until=form.cleaned_data["until"])
        messages.success(request, _("Replies marked as read."))
    return redirect("members:dashboard")
