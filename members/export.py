"""Everything the portal holds about one member, as plain JSON-ready data.

Only what the person entered or what is about them: the titles of other people's posts
they replied to appear (as the context of their own words), but never another
person's name, email address or writing.
"""

from datetime import date, datetime
from typing import Any

from django.utils import timezone

from cop_portal.mail.models import DEFAULTS, EmailPreference, Preference
from members.models import Profile, User
from practice_library.models import EvidenceItem, Post, Reply, VisitRequest
from practice_library.services.posts import KIND_FIELDS
from sessions_app.models import Rsvp

FORMAT = "cop-portal-my-data/1"


def _when(value: datetime | date | None) -> str | None:
    """ISO 8601; times in Cleveland's zone, with their offset."""
    if value is None:
        return None
    if isinstance(value, datetime):
        return timezone.localtime(value).isoformat()
    return value.isoformat()


def _account(user: User) -> dict[str, Any]:
    return {
        "email": user.email,
        "display_name": user.display_name,
        "language": user.language,
        "date_joined": _when(user.date_joined),
    }


def _profile(user: User) -> dict[str, Any] | None:
    profile = Profile.objects.filter(user=user).prefetch_related("expertise", "interests").first()
    if profile is None:
        return None
    return {
        "code": profile.code,
        "pronouns": profile.pronouns,
        "organization": profile.organization,
        "role": profile.role,
        "neighborhood": profile.neighborhood,
        "bio": profile.bio,
        "expertise": [tag.name for tag in profile.expertise.all()],
        "interests": [tag.name for tag in profile.interests.all()],
        "preferred_contact": profile.preferred_contact,
        "listed": profile.listed,
        "contact_ok": profile.contact_ok,
        "replies_seen_at": _when(profile.replies_seen_at),
        "created": _when(profile.created),
        "updated": _when(profile.updated),
    }


def _email_preferences(user: User) -> dict[str, Any]:
    """What the address receives; `stored` is False when no choice was ever saved
    (the defaults apply)."""
    preference = EmailPreference.objects.filter(email__iexact=user.email).first()
    values = {
        kind.value: (preference.wants(kind) if preference else DEFAULTS[kind])
        for kind in Preference
    }
    return {"email": user.email, "stored": preference is not None, **values}


def _rsvps(user: User) -> list[dict[str, Any]]:
    rsvps = Rsvp.objects.filter(user=user).select_related("session").order_by("created", "id")
    return [
        {
            # What it was about, as the site called it; the series is context.
            "session": rsvp.session.headline,
            "part_of": rsvp.session.context,
            "session_starts_at": _when(rsvp.session.starts_at),
            "status": rsvp.status,
            "attend_as": rsvp.attend_as,
            "checked_in": rsvp.checked_in_at is not None,
            "created": _when(rsvp.created),
        }
        for rsvp in rsvps
    ]


def _post_details(post: Post) -> dict[str, Any]:
    """The fields only some kinds of post have, for this post's kind."""
    details = {}
    for name in KIND_FIELDS.get(post.pattern.kind, ()):
        value = getattr(post, name)
        details[name] = _when(value) if isinstance(value, date) else value
    return details


def _posts(user: User) -> list[dict[str, Any]]:
    posts = (
        Post.objects.filter(author=user)
        .select_related("pattern")
        .prefetch_related("tags", "links", "attachments")
        .order_by("created", "id")
    )
    return [
        {
            "title": post.title,
            "body": post.body,
            "pattern": post.pattern.name,
            "details": _post_details(post),
            "tags": [tag.name for tag in post.tags.all()],
            "links": [{"url": link.url, "label": link.label} for link in post.links.all()],
            "attachments": [attachment.original_name for attachment in post.attachments.all()],
            "members_only": post.members_only,
            "state": post.state,
            "created": _when(post.created),
        }
        for post in posts
    ]


def _replies(user: User) -> list[dict[str, Any]]:
    replies = Reply.objects.filter(author=user).select_related("post").order_by("created", "id")
    return [
        {
            "post": reply.post.title,
            "body": reply.body,
            "state": reply.state,
            "created": _when(reply.created),
        }
        for reply in replies
    ]


def _evidence(user: User) -> list[dict[str, Any]]:
    items = EvidenceItem.objects.filter(author=user).select_related("post").order_by("created")
    return [
        {
            "post": item.post.title,
            "source": item.source,
            "shows": item.shows,
            "state": item.state,
            "created": _when(item.created),
        }
        for item in items
    ]


def _visit_requests(user: User) -> list[dict[str, Any]]:
    requests = (
        VisitRequest.objects.filter(requester=user).select_related("post").order_by("created")
    )
    return [
        {"post": request.post.title, "message": request.message, "created": _when(request.created)}
        for request in requests
    ]


def member_data(user: User) -> dict[str, Any]:
    """The member's own data, in a stable shape (see FORMAT), ready for json.dumps."""
    return {
        "format": FORMAT,
        "exported_at": _when(timezone.now()),
        "account": _account(user),
        "profile": _profile(user),
        "email_preferences": _email_preferences(user),
        "rsvps": _rsvps(user),
        "posts": _posts(user),
        "replies": _replies(user),
        "evidence": _evidence(user),
        "visit_requests": _visit_requests(user),
    }
