"""Emails from the practice library: new replies, visit requests to a host, and
moderation (new reports for the organizers, at most hourly; how a report ended, for
whoever reported; a note to the author whose words were hidden).

The services queue them in their transaction (cop_portal.mail): a reply records one
fan-out that the worker expands into an email per follower, in batches; a visit
request queues one email to the host. Both are rendered when sent, from what the
database holds then: a reply hidden or deleted meanwhile is not sent.

Privacy: a reply email names the replier by display name and carries no member's
email address. A visit request email is the one exception, and the form says so:
the host needs a way to answer, so it carries the requester's address (as Reply-To).

Limits: each email counts against its address's per-recipient budget (any member's
reply or request can trigger one); over it, the email is not sent. The views limit
each member's replies, visit requests and reports (cop_portal.mail.limits). Report
outcomes and "your post is hidden" come from organizers' actions, so they count
against the notices budget, as other news from organizers does.

Moderation emails never say who reported something: not to the author, and not to the
organizers (who see it in the reports list, not in their inbox).
"""

from collections.abc import Iterator, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from cop_portal.lib.roles import is_organizer, organizers
from cop_portal.lib.urls import absolute_url
from cop_portal.mail import beat, fanout, limits, outbox
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.compose import compose
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.limits import Budget
from cop_portal.mail.models import Dispatch, OutgoingEmail, Preference
from cop_portal.mail.outbox import Rendered, Skip
from practice_library.models import Post, Reply, Report, ReportOutcome, ReportReason, VisitRequest
from practice_library.models.post import EXCERPT_CHARS, State, plain_excerpt

# Both emails carry the unsubscribe link for reply emails, the library's one optional
# stream. A visit request always goes: a member asked the host something directly.
# The moderation emails carry none (compose's `preference=None`): they are
# transactional, the organizers' own work and the end of something a member started,
# and stopping reply emails would not stop them.
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
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        replier_name = reply.author.display_name if reply.author else _("A member")
    context = {
        "recipient": user,
        "recipient_name": user.display_name,
        "reply": reply,
        "post": post,
        "replier_name": replier_name,
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
        language=language,
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
                language=host.language or settings.LANGUAGE_CODE,
                reply_to=[request.requester.email],
            )
            yield row, message


# Moderation ---------------------------------------------------------------------------

# The organizers' email about new reports: at most one an hour (the beat's claim), and
# the first one soon after a quiet spell (the job claims only when a report is new).
REPORTS_DIGEST = "reports-digest"
REPORTS_DIGEST_EVERY = timedelta(hours=1)
# Reports an email lists; it says how many more there are and links to the list.
REPORTS_LISTED = 20


def queue_reports_digest(now: datetime | None = None) -> int:
    """The worker's periodic job: when members reported something since the last
    email, and the last one went out an hour ago or more, queue one email per
    organizer listing the reports still open. Returns how many emails it queued.

    Every report is marked (`notified_at`) in the transaction that queues the emails
    listing it, by one UPDATE of the unmarked ones: of two workers, or a worker that
    restarts, each report is taken once, and one made meanwhile waits for the next.

    Side effects: takes the "reports-digest" round; sets Report.notified_at; inserts
    outbox rows.
    """
    now = now or timezone.now()
    if not Report.objects.filter(notified_at__isnull=True).exists():
        return 0  # nothing new: the hour starts with the next report, not now
    if not beat.claim(REPORTS_DIGEST, REPORTS_DIGEST_EVERY, now):
        return 0
    with transaction.atomic():
        Report.objects.filter(notified_at__isnull=True).update(notified_at=now)
        new = list(
            Report.objects.filter(notified_at=now)
            .open()
            .order_by("created", "pk")
            .values_list("pk", flat=True)
        )
        if not new:
            return 0
        recipients = organizers().exclude(email="").order_by("pk").values_list("pk", "email")
        return outbox.queue(
            outbox.email(
                MailKind.REPORTS_WAITING,
                to=address,
                key=f"{MailKind.REPORTS_WAITING}:{now.isoformat()}:{pk}",
                params={"reports": new, "user": pk},
                now=now,
            )
            for pk, address in recipients
        )


@outbox.renderer(MailKind.REPORTS_WAITING)
def render_reports_waiting(
    rows: Sequence[OutgoingEmail],
) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    wanted = {pk for row in rows for pk in row.params.get("reports", [])}
    reports = Report.objects.for_review().open().in_bulk(wanted)
    users = get_user_model().objects.in_bulk([row.params.get("user") for row in rows])
    open_total = Report.objects.open().count()
    for row in rows:
        user = users.get(row.params.get("user"))
        listed = [reports[pk] for pk in row.params.get("reports", []) if pk in reports]
        if user is None or not is_organizer(user) or user.email != row.to:
            yield row, Skip("The organizer's account or address changed since.")
        elif not listed:
            yield row, Skip("Every report in it was dealt with already.")
        elif not limits.recipient_allowed(user.email, what="an email about new reports"):
            yield row, Skip("Over the per-recipient limit.")
        else:
            yield row, build_reports_waiting_email(user, listed, open_total)


def build_reports_waiting_email(user: Any, reports: list[Report], open_total: int) -> Any:
    shown = reports[:REPORTS_LISTED]
    language = user.language or settings.LANGUAGE_CODE
    context = {
        "recipient": user,
        "recipient_name": user.display_name,
        "count": len(reports),
        "more": len(reports) - len(shown),
        "open_total": open_total,
        "reports": [
            {
                # Lazy: written in the reader's language when rendered.
                "reason": ReportReason(report.reason).label
                if report.reason in ReportReason.values
                else report.reason,
                "details": report.details,
                "title": str(report.post),
                "is_reply": report.reply_id is not None,
                "excerpt": report.excerpt,
                "url": absolute_url(report.reported.get_absolute_url()),
            }
            for report in shown
        ],
        "reports_url": absolute_url(reverse("library:reports")),
    }
    return compose(
        MailKind.REPORTS_WAITING,
        to=user.email,
        context=context,
        preference=None,
        optional=False,
        member=False,
        language=language,
    )


def notify_report_outcome(reports: Sequence[Report]) -> None:
    """Queue one email per reporter about these just-resolved reports (all about one
    post or reply, with one outcome), in the current transaction. A reporter who wrote
    what was hidden hears about it from notify_content_hidden instead; former members
    and inactive accounts are left out.

    Side effects: inserts outbox rows.
    """
    first_by_reporter: dict[int, Report] = {}
    for report in sorted(reports, key=lambda report: (report.created, report.pk)):
        reporter = report.reporter
        if reporter is None or not reporter.is_active or not reporter.email:
            continue
        if report.outcome == ReportOutcome.HIDDEN and reporter.pk == report.reported.author_id:
            continue
        first_by_reporter.setdefault(reporter.pk, report)
    outbox.queue(
        outbox.email(
            MailKind.REPORT_OUTCOME,
            to=report.reporter.email,
            key=f"{MailKind.REPORT_OUTCOME}:{report.pk}",
            params={"report": report.pk, "user": reporter_id},
            topic=f"post:{report.post_id}",
        )
        for reporter_id, report in first_by_reporter.items()
    )


@outbox.renderer(MailKind.REPORT_OUTCOME)
def render_report_outcomes(
    rows: Sequence[OutgoingEmail],
) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    reports = Report.objects.select_related("post", "reply").in_bulk(
        {row.params.get("report") for row in rows}
    )
    users = get_user_model().objects.in_bulk([row.params.get("user") for row in rows])
    allowed = limits.recipients_allowed(
        [row.to for row in rows], what="a report's outcome", budget=Budget.NOTICES
    )
    for row in rows:
        report = reports.get(row.params.get("report"))
        user = users.get(row.params.get("user"))
        if report is None or not report.outcome:
            yield row, Skip("The report is gone or open again.")
        elif user is None or not user.is_active or user.email != row.to:
            yield row, Skip("The member's account or address changed since.")
        elif row.to not in allowed:
            yield row, Skip("Over the per-recipient limit.")
        else:
            context = {
                "recipient": user,
                "recipient_name": user.display_name,
                "report": report,
                "post": report.post,
                "is_reply": report.reply_id is not None,
                "hidden": report.outcome == ReportOutcome.HIDDEN,
                "post_url": absolute_url(report.post.get_absolute_url()),
            }
            yield (
                row,
                compose(
                    MailKind.REPORT_OUTCOME,
                    to=user.email,
                    context=context,
                    preference=None,
                    optional=False,
                    member=False,
                    language=user.language or settings.LANGUAGE_CODE,
                ),
            )


def notify_content_hidden(*, post: Post, reply: Reply | None, reports: Sequence[Report]) -> None:
    """Queue the note to the author of a post or reply an organizer just hid, with the
    reasons members gave (never who gave them), in the current transaction. Nothing
    for a former member's words.

    Side effects: inserts an outbox row.
    """
    author = (reply or post).author
    if author is None or not author.is_active or not author.email:
        return
    reasons = sorted({report.reason for report in reports}, key=ReportReason.values.index)
    now = timezone.now()
    item = f"reply:{reply.pk}" if reply is not None else f"post:{post.pk}"
    outbox.queue(
        [
            outbox.email(
                MailKind.CONTENT_HIDDEN,
                to=author.email,
                key=f"{MailKind.CONTENT_HIDDEN}:{item}:{now.isoformat()}",
                params={
                    "post": post.pk,
                    "reply": reply.pk if reply is not None else None,
                    "reasons": reasons,
                    "user": author.pk,
                },
                topic=f"post:{post.pk}",
                now=now,
            )
        ]
    )


@outbox.renderer(MailKind.CONTENT_HIDDEN)
def render_content_hidden(
    rows: Sequence[OutgoingEmail],
) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    posts = Post.objects.in_bulk({row.params.get("post") for row in rows})
    replies = Reply.objects.in_bulk({row.params.get("reply") for row in rows} - {None})
    users = get_user_model().objects.in_bulk([row.params.get("user") for row in rows])
    allowed = limits.recipients_allowed(
        [row.to for row in rows], what="a note about hidden words", budget=Budget.NOTICES
    )
    for row in rows:
        post = posts.get(row.params.get("post"))
        reply = replies.get(row.params.get("reply")) if row.params.get("reply") else None
        user = users.get(row.params.get("user"))
        item = reply if row.params.get("reply") else post
        if post is None or item is None or item.state != State.HIDDEN:
            yield row, Skip("It is no longer hidden, or gone.")
        elif user is None or not user.is_active or user.email != row.to:
            yield row, Skip("The member's account or address changed since.")
        elif row.to not in allowed:
            yield row, Skip("Over the per-recipient limit.")
        else:
            # Words, in the author's language: the template joins them.
            with translation.override(user.language or settings.LANGUAGE_CODE):
                reasons = [
                    str(ReportReason(reason).label)
                    for reason in row.params.get("reasons", [])
                    if reason in ReportReason.values
                ]
            context = {
                "recipient": user,
                "recipient_name": user.display_name,
                "post": post,
                "is_reply": reply is not None,
                "excerpt": plain_excerpt(item.body, EXCERPT_CHARS),
                "reasons": reasons,
                "sessions_url": absolute_url(reverse("sessions:session-list")),
            }
            yield (
                row,
                compose(
                    MailKind.CONTENT_HIDDEN,
                    to=user.email,
                    context=context,
                    preference=None,
                    optional=False,
                    member=False,
                    language=user.language or settings.LANGUAGE_CODE,
                ),
            )
