""" "New sessions published" emails, to the members who asked for them.

Announcements are opt-in (see cop_portal.models.EmailPreference). Each publish action
(a series publishing its next months, a one-off published straight away, a draft
published) queues one email per opted-in member, after the commit, listing the new
sessions. Members only: an account whose address is verified and still active;
guests never get announcements. Sending never raises: failures are logged (logger
"sessions_app.announcements") and the other members still get their email. Each email
counts against its address's budget for organizers' news (MAIL_RATE_PER_RECIPIENT_NOTICES):
an organizer publishing one session after another can't flood an inbox.
"""

import logging
from collections.abc import Iterable
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from cop_portal.lib import email_prefs
from cop_portal.mail import limits
from cop_portal.models import EmailKind as Preference
from sessions_app.jsonld import absolute_url
from sessions_app.models import Session, SessionStatus
from sessions_app.models.session import local_zone

logger = logging.getLogger(__name__)

TEMPLATE = "sessions_announced"


def announce_after_commit(sessions: Iterable[Session]) -> None:
    """Queue one announcement of these sessions (drafts left out) for after the commit:
    a rolled-back publish announces nothing."""
    ids = [s.pk for s in sessions if s.pk is not None and s.status == SessionStatus.PUBLISHED]
    if ids:
        transaction.on_commit(partial(send_announcements, ids))


def announcement_recipients() -> QuerySet[Any]:
    """Active members whose account address is verified and who turned announcements on."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), primary=True, verified=True)
    members = get_user_model().objects.filter(Exists(verified), is_active=True)
    return email_prefs.filter_wanting(members, Preference.ANNOUNCEMENTS).order_by("pk")


def send_announcements(session_ids: list[int]) -> None:
    """Email each opted-in member about these sessions, those still published and
    upcoming at send time. Called after the commit; never raises."""
    try:
        sessions = list(
            Session.objects.published()
            .filter(pk__in=session_ids, starts_at__gt=timezone.now())
            .for_listing()
            .order_by("starts_at", "pk")
        )
        recipients = list(announcement_recipients()) if sessions else []
        # Every member's count in one step; those past their budget are left out (logged).
        allowed = limits.recipients_allowed(
            (user.email for user in recipients),
            what=f"the announcement of sessions {session_ids}",
            budget=limits.Budget.NOTICES,
        )
        recipients = [user for user in recipients if user.email in allowed]
        if not recipients:
            return
        connection = get_connection()  # one SMTP connection for the whole batch
    except Exception:
        logger.exception("Could not load sessions %s for their announcement.", session_ids)
        return
    try:
        with email_prefs.unsubscribe_keys_for(user.email for user in recipients):
            for user in recipients:
                try:
                    build_announcement(user, sessions, connection=connection).send()
                except Exception:
                    logger.exception("Could not send the announcement to member %s.", user.pk)
    finally:
        try:
            connection.close()
        except Exception:
            logger.exception("Could not close the mail connection after announcements.")


def build_announcement(
    user: Any, sessions: list[Session], *, connection: Any = None
) -> EmailMultiAlternatives:
    address = user.email
    context: dict[str, Any] = {
        "recipient": user,
        "sessions": [
            {"session": session, "url": absolute_url(session.get_absolute_url())}
            for session in sessions
        ],
        "count": len(sessions),
        "first": sessions[0],
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "sessions_url": absolute_url(reverse("sessions:session-list")),
        **email_prefs.footer_context(address, Preference.ANNOUNCEMENTS, optional=True, member=True),
    }
    # Dates read as Cleveland time, with EST or EDT.
    with timezone.override(local_zone()):
        subject = " ".join(render_to_string(f"emails/{TEMPLATE}_subject.txt", context).split())
        context["subject"] = subject
        text = render_to_string(f"emails/{TEMPLATE}.txt", context)
        html = render_to_string(f"emails/{TEMPLATE}.html", context)
    message = EmailMultiAlternatives(
        subject=f"[{settings.SITE_NAME}] {subject}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=email_prefs.unsubscribe_headers(address, Preference.ANNOUNCEMENTS),
        connection=connection,
    )
    message.attach_alternative(html, "text/html")
    return message
