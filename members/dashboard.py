"""Reads for the member's home at /me/ (members/views/dashboard.py): the sessions they're
going to or waiting for, new replies on posts they wrote or follow, their recent posts.

Each costs a fixed number of queries however many RSVPs, posts and replies there are
(tests/members/test_dashboard.py counts them).
"""

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, F, Q

from members.models import User
from practice_library.models import Follow, Post, Reply
from practice_library.models.post import State
from sessions_app.models import Rsvp, SessionStatus
from sessions_app.models.session import local_zone

RECENT_POSTS = 5
REPLIES_SHOWN = 20
# Replies count as new from the member's last "Mark as read", but never from further
# back than this: after a long absence, /me/ shows the last two weeks, not a year.
REPLIES_NEW_FOR = timedelta(days=14)


@dataclass(frozen=True)
class Upcoming:
    """One session the member answered for, as their home page shows it."""

    rsvp: Rsvp
    position: int | None  # on the waitlist; None when going
    join_opens_at: datetime | None  # online attendees only
    joinable: bool  # the Join button shows now
    today: bool  # the session is on today's date (local time)


def own_rows(user: User) -> dict[str, Any]:
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


def upcoming(user: User, now: datetime) -> list[Upcoming]:
    """Going or waiting, for sessions not over yet (drafts left out), soonest first,
    with waitlist positions and whether the Join button shows. One query.

    The Join button is for people going online (Rsvp.may_join_online), at the times
    Session.is_joinable_at says."""
    rsvps = list(
        Rsvp.objects.filter(user=user, session__ends_at__gt=now)
        .active()
        .exclude(session__status=SessionStatus.DRAFT)
        .select_related("session__venue")
        .order_by("session__starts_at", "id")
        .with_waitlist_positions()
    )
    today = now.astimezone(local_zone()).date()
    items = []
    for rsvp in rsvps:
        session = rsvp.session
        online = rsvp.may_join_online
        items.append(
            Upcoming(
                rsvp=rsvp,
                position=rsvp.waitlist_position,
                join_opens_at=session.join_opens_at if online else None,
                joinable=online and session.is_joinable_at(now),
                today=session.local_starts_at.date() == today,
            )
        )
    return items


def recent_posts(user: User) -> list[Post]:
    return list(
        Post.objects.filter(author=user)
        .exclude(state=State.DELETED)
        .select_related("pattern")
        .annotate(reply_count=Count("replies", filter=Q(replies__state=State.PUBLISHED)))
        .order_by("-created", "-id")[:RECENT_POSTS]
    )


def new_replies_since(seen_at: datetime | None, now: datetime) -> datetime:
    """Where "new" starts: the member's last "Mark as read", or REPLIES_NEW_FOR ago if
    that is later (or they never marked any)."""
    floor = now - REPLIES_NEW_FOR
    return floor if seen_at is None or seen_at < floor else seen_at


def new_replies(user: User, since: datetime) -> tuple[list[Reply], int]:
    """Published replies by others since `since` on published posts the member wrote or
    follows: the newest REPLIES_SHOWN, and how many in all. One query, two when there
    are more than shown."""
    # The member's posts and follows as one IN list (a UNION), so the database walks
    # only those posts' replies (by post and date). An EXISTS per reply read every
    # recent reply of the site (290 ms at 200,000 replies); two IN lists joined by OR
    # did as much on PostgreSQL (a scan of every reply, 37 ms at 200,000; 0.8 ms so).
    written = Post.objects.filter(author=user).order_by().values("pk")
    followed = Follow.objects.filter(user=user).order_by().values("post_id")
    replies = (
        Reply.objects.published()
        .filter(post__state=State.PUBLISHED, created__gt=since)
        .filter(post_id__in=written.union(followed))
        .exclude(author=user)  # keeps former members' replies (author NULL)
    )
    shown = list(
        replies.select_related("post", "author")
        .with_position()
        .order_by("-created", "-id")[:REPLIES_SHOWN]
    )
    total = len(shown) if len(shown) < REPLIES_SHOWN else replies.count()
    return shown, total
