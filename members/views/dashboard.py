"""The member's own page: what's coming up, what they wrote, and who answered."""

from datetime import datetime
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, F, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST, require_safe

from members.forms.account import RepliesSeenForm
from members.models import User
from members.services.account import replies_mark_seen
from practice_library.models import Post, Reply
from practice_library.models.post import State
from sessions_app.calendar_apps import calendar_app_name
from sessions_app.models import Rsvp, SessionStatus
from sessions_app.selectors import waitlist_positions

RECENT_POSTS = 5
REPLIES_SHOWN = 20


def _own_rows(user: User) -> dict[str, Any]:
    """When the member last marked replies as read, and their calendar feed's last
    fetch, in one query: both are one-to-one rows that may not exist (yet). The feed
    is only looked up; its page makes it, when the member asks for one."""
    return (
        User.objects.filter(pk=user.pk)
        .values(
            seen_at=F("profile__replies_seen_at"),
            feed_key=F("feed_token__key"),
            feed_fetched_at=F("feed_token__last_fetched_at"),
            feed_fetched_by=F("feed_token__last_fetched_by"),
        )
        .get()
    )


def _upcoming_rsvps(user: User, now: datetime) -> list[Rsvp]:
    """Going or waiting, for sessions not over yet (drafts left out), soonest first."""
    return list(
        Rsvp.objects.filter(user=user, session__ends_at__gt=now)
        .active()
        .exclude(session__status=SessionStatus.DRAFT)
        .select_related("session__venue")
        .order_by("session__starts_at", "id")
    )


def _recent_posts(user: User) -> list[Post]:
    return list(
        Post.objects.filter(author=user)
        .exclude(state=State.DELETED)
        .select_related("pattern")
        .annotate(reply_count=Count("replies", filter=Q(replies__state=State.PUBLISHED)))
        .order_by("-created", "-id")[:RECENT_POSTS]
    )


def _replies_awaiting(user: User, since: datetime | None) -> tuple[list[Reply], int]:
    """Published replies by others to the member's published posts since `since`:
    the newest few, and how many in all."""
    replies = (
        Reply.objects.published()
        .filter(post__author=user, post__state=State.PUBLISHED)
        .exclude(author=user)  # keeps former members' replies (author NULL)
    )
    if since is not None:
        replies = replies.filter(created__gt=since)
    shown = list(
        replies.select_related("post", "author")
        .with_position()
        .order_by("-created", "-id")[:REPLIES_SHOWN]
    )
    total = len(shown) if len(shown) < REPLIES_SHOWN else replies.count()
    return shown, total


@login_required
@require_safe
def dashboard(request: HttpRequest) -> HttpResponse:
    user = request.user
    # Read before the replies, so that "mark as read" can't swallow one arriving meanwhile.
    now = timezone.now()
    own = _own_rows(user)
    seen_at = own["seen_at"]
    rsvps = _upcoming_rsvps(user, now)
    positions = waitlist_positions(rsvps)
    replies, replies_total = _replies_awaiting(user, seen_at)
    feed = None
    if own["feed_key"] is not None:
        feed = {
            "fetched_at": own["feed_fetched_at"],
            "app": calendar_app_name(own["feed_fetched_by"] or ""),
        }
    context = {
        "rsvp_rows": [(rsvp, positions.get(rsvp.pk)) for rsvp in rsvps],
        "posts": _recent_posts(user),
        "replies": replies,
        "replies_total": replies_total,
        "replies_seen_at": seen_at,
        "seen_form": RepliesSeenForm(initial={"until": now.isoformat()}),
        "feed": feed,
    }
    return render(request, "members/dashboard/dashboard.html", context)


@login_required
@require_POST
def replies_seen(request: HttpRequest) -> HttpResponse:
    form = RepliesSeenForm(request.POST)
    if form.is_valid():
        replies_mark_seen(user=request.user, until=form.cleaned_data["until"])
        messages.success(request, "Replies marked as read.")
    return redirect("members:dashboard")
