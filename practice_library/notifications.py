"""Emails from the practice library: new replies, and visit requests to a host.

The services queue them in their transaction (cop_portal.mail): a reply records one
fan-out that the worker expands into an email per follower, in batches; a visit
request queues one email to the host. Both are rendered when sent, from what the
database holds then: a reply hidden or deleted meanwhile is not sent.

Privacy: a reply email names the replier by display name and carries no member's
email address. A visit request email is the one exception, and the form says so:
the host needs a way to answer, so it carries the requester's address (as Reply-To).

Limits: each email counts against its address's per-recipient budget (any member's
reply or request can trigger one); over it, the email is not sent. The views limit
each member's replies, visit requests and reports (cop_portal.mail.limits).
"""

from collections.abc import Iterator, Sequence
from typing import Any

from django.contrib.auth import get_user_model

from cop_portal.lib.urls import absolute_url
from cop_portal.mail import fanout, limits, outbox
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.compose import compose
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, OutgoingEmail, Preference
from cop_portal.mail.outbox import Rendered, Skip
from practice_library.models import Reply, VisitRequest

# Both emails carry the unsubscribe link for reply emails, the library's one optional
# stream. A visit request always goes: a member asked the host something directly.
PREFERENCE = Preference.REPLIES


def followers(reply: Reply) -> Any:
    """The post's followers (its author follows from the start) who want reply emails,
    except the replier, active accounts only, by id."""
    members = (
        get_user_model()
        .objects.filter(follows__post_id=reply.post_id, is_active=True)
        .exclude(pk=reply.author_id)
    )
    return email_prefs.filter_wanting(members, PREFERENCE).order_by("pk")


def notify_reply(reply: Reply) -> Dispatch:
    """Record the emails about a new reply, in the current transaction.

    Side effects: inserts a Dispatch row; the worker expands it after the commit.
    """
    return fanout.start(
        MailKind.LIBRARY_REPLY,
        label=f"Reply on “{reply.post.title}”"[:200],
        params={"reply": reply.pk},
        planned=followers(reply).count(),
        topics=[f"post:{reply.post_id}"],
    )


@fanout.expander(MailKind.LIBRARY_REPLY)
def expand_reply(dispatch: Dispatch, after: int, limit: int) -> list[tuple[int, OutgoingEmail]]:
    reply = Reply.objects.filter(pk=dispatch.params.get("reply")).first()
    if reply is None:
        return []
    members = followers(reply).filter(pk__gt=after).values_list("pk", "email")[:limit]
    return [
        (
            pk,
            outbox.email(
                MailKind.LIBRARY_REPLY,
                to=address,
                key=f"{MailKind.LIBRARY_REPLY}:{reply.pk}:{pk}",
                params={"reply": reply.pk, "user": pk},
                dispatch=dispatch,
            ),
        )
        for pk, address in members
    ]


@outbox.renderer(MailKind.LIBRARY_REPLY)
def render_replies(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    replies = Reply.objects.select_related("post__pattern", "author").in_bulk(
        {row.params.get("reply") for row in rows}
    )
    users = get_user_model().objects.in_bulk([row.params.get("user") for row in rows])
    allowed = limits.recipients_allowed(
        (user.email for user in users.values()), what="an email about a reply"
    )
    with email_prefs.unsubscribe_keys_for(user.email for user in users.values()):
        for row in rows:
            reply = replies.get(row.params.get("reply"))
            user = users.get(row.params.get("user"))
            if reply is None or not reply.is_published or not reply.post.is_published:
                yield row, Skip("The reply or its post is no longer shown.")
            elif user is None or not user.is_active or user.email != row.to:
                yield row, Skip("The member's account or address changed since.")
            elif user.email not in allowed:
                yield row, Skip("Over the per-recipient limit.")
            else:
                yield row, build_reply_email(reply, user)


def build_reply_email(reply: Reply, user: Any) -> Any:
    post = reply.post
    context = {
        "recipient": user,
        "recipient_name": user.display_name,
        "reply": reply,
        "post": post,
        "replier_name": reply.author.display_name if reply.author else "A member",
        "is_author": user.pk == post.author_id,
        # The page of the post the reply is on (replies come in pages), with its anchor.
        "reply_url": absolute_url(reply.get_absolute_url()),
        "post_url": absolute_url(post.get_absolute_url()),
    }
    return compose(
        MailKind.LIBRARY_REPLY,
        to=user.email,
        context=context,
        preference=PREFERENCE,
        optional=True,
        member=True,
    )


def notify_visit_request(visit_request: VisitRequest, host: Any) -> None:
    """Queue the email to the host, in the current transaction.

    Side effects: inserts an outbox row.
    """
    outbox.queue(
        [
            outbox.email(
                MailKind.LIBRARY_VISIT_REQUEST,
                to=host.email,
                key=f"{MailKind.LIBRARY_VISIT_REQUEST}:{visit_request.pk}",
                params={"visit_request": visit_request.pk},
                topic=f"post:{visit_request.post_id}",
            )
        ]
    )


@outbox.renderer(MailKind.LIBRARY_VISIT_REQUEST)
def render_visit_requests(
    rows: Sequence[OutgoingEmail],
) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    for row in rows:
        request = (
            VisitRequest.objects.select_related("post__author", "requester")
            .filter(pk=row.params.get("visit_request"))
            .first()
        )
        host = request.post.author if request else None
        if request is None or host is None or not host.is_active:
            yield row, Skip("The request or its host is gone.")
        elif not limits.recipient_allowed(host.email, what=f"visit request {request.pk}"):
            yield row, Skip("Over the per-recipient limit.")
        else:
            context = {
                "recipient": host,
                "recipient_name": host.display_name,
                "visit_request": request,
                "post": request.post,
                "requester": request.requester,
                "post_url": absolute_url(request.post.get_absolute_url()),
            }
            message = compose(
                MailKind.LIBRARY_VISIT_REQUEST,
                to=host.email,
                context=context,
                preference=PREFERENCE,
                optional=False,
                member=True,
                reply_to=[request.requester.email],
            )
            yield row, message
