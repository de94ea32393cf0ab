"""Emails from the practice library: new replies, and visit requests to a host.

The services queue these functions with `transaction.on_commit`, so they run after
the data is saved. They never raise: the reply is already posted and the person
already sees the page; a bad address or a mail server hiccup is logged (logger
"practice_library.notifications") and the other recipients still get their email.

Privacy: a reply email names the replier by display name and carries no member's
email address. A visit request email is the one exception, and the form says so:
the host needs a way to answer, so it carries the requester's address (as Reply-To).

Limits: each email counts against its address's per-recipient budget (any member's
reply or request can trigger one); over it, the email is dropped and logged. The views
limit each member's replies, visit requests and reports (cop_portal.mail.limits).
"""

import enum
import logging
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string

from cop_portal.lib import email_prefs
from cop_portal.mail import limits
from cop_portal.models import EmailKind as Preference
from practice_library.models import Reply, VisitRequest

logger = logging.getLogger(__name__)


class LibraryEmail(enum.StrEnum):
    REPLY = "library_reply"
    VISIT_REQUEST = "library_visit_request"


# Both emails carry the unsubscribe link for reply emails, the library's one optional
# stream. A visit request always goes: a member asked the host something directly.
PREFERENCE = Preference.REPLIES
OPTIONAL_KINDS = frozenset({LibraryEmail.REPLY})


def wants_email(user: Any, kind: LibraryEmail) -> bool:
    """Whether this member wants emails of this kind, by their email preferences.
    (Inactive accounts are left out by the callers.)"""
    if kind not in OPTIONAL_KINDS:
        return True
    return email_prefs.wants_email(user.email, PREFERENCE)


def absolute_url(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _build(
    kind: LibraryEmail, *, to: str, context: dict[str, Any], reply_to: list[str] | None = None
) -> EmailMultiAlternatives:
    context = {
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        **email_prefs.footer_context(to, PREFERENCE, optional=kind in OPTIONAL_KINDS, member=True),
        **context,
    }
    subject = " ".join(render_to_string(f"emails/{kind}_subject.txt", context).split())
    context["subject"] = subject
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=render_to_string(f"emails/{kind}.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[to],
        reply_to=reply_to,
        headers=email_prefs.unsubscribe_headers(to, PREFERENCE),
    )
    message.attach_alternative(render_to_string(f"emails/{kind}.html", context), "text/html")
    return message


def reply_recipients(reply: Reply) -> list[Any]:
    """The post's followers (its author follows from the start), except the replier and
    those who turned reply emails off (checked in the same query, not once per follower)."""
    follows = email_prefs.filter_wanting(
        reply.post.follows.select_related("user"), PREFERENCE, address="user__email"
    )
    followers = [follow.user for follow in follows]
    return [
        user
        for user in sorted(followers, key=lambda user: user.pk)
        if user.pk != reply.author_id and user.is_active
    ]


def send_reply_emails(reply_id: int) -> None:
    """Tell the post's followers about a new reply. Called after the commit; never raises."""
    try:
        reply = Reply.objects.select_related("post__pattern", "author").get(pk=reply_id)
        if not reply.is_published or not reply.post.is_published:
            return
        recipients = reply_recipients(reply)
        # Every follower's count in one step; those past their budget are left out.
        allowed = limits.recipients_allowed(
            (user.email for user in recipients), what=f"the email about reply {reply_id}"
        )
        recipients = [user for user in recipients if user.email in allowed]
        # The page of the post the reply is on (replies come in pages), with its anchor.
        reply_url = absolute_url(reply.get_absolute_url())
    except Exception:
        logger.exception("Could not load reply %s for its emails.", reply_id)
        return
    post = reply.post
    for user in recipients:
        try:
            context = {
                "recipient": user,
                "reply": reply,
                "post": post,
                "replier_name": reply.author.display_name if reply.author else "A member",
                "is_author": user.pk == post.author_id,
                "reply_url": reply_url,
                "post_url": absolute_url(post.get_absolute_url()),
            }
            _build(LibraryEmail.REPLY, to=user.email, context=context).send()
        except Exception:
            logger.exception(
                "Could not send the reply email for reply %s to %s.", reply_id, user.pk
            )


def send_visit_request_email(visit_request_id: int) -> None:
    """Send a visit request to the host (the post's author). Called after the commit;
    never raises."""
    try:
        request = VisitRequest.objects.select_related("post__author", "requester").get(
            pk=visit_request_id
        )
        host = request.post.author
        if host is None or not host.is_active:
            return
        if not wants_email(host, LibraryEmail.VISIT_REQUEST):
            return
        if not limits.recipient_allowed(host.email, what=f"visit request {visit_request_id}"):
            return
        context = {
            "recipient": host,
            "visit_request": request,
            "post": request.post,
            "requester": request.requester,
            "post_url": absolute_url(request.post.get_absolute_url()),
        }
        message = _build(
            LibraryEmail.VISIT_REQUEST,
            to=host.email,
            context=context,
            reply_to=[request.requester.email],
        )
        message.send()
    except Exception:
        logger.exception("Could not send the email for visit request %s.", visit_request_id)
