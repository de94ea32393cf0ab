""" "New sessions published" emails, to the members who asked for them.

Announcements are opt-in (see cop_portal.mail.models.EmailPreference). Each publish
action (a series publishing its next months, a one-off published straight away, a
draft published) records one fan-out in its transaction (`announce`), whatever the
number of subscribers; the worker expands it into one email per opted-in member, in
batches (cop_portal.mail.fanout), and each email lists the sessions still published and
upcoming when it is sent. Members only: an account whose address is verified and
still active; guests never get announcements. Each email counts against its address's
budget for organizers' news (MAIL_RATE_PER_RECIPIENT_NOTICES): an organizer publishing
one session after another can't flood an inbox.
"""

from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Exists, OuterRef, QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from cop_portal.lib.urls import absolute_url
from cop_portal.mail import fanout, limits, outbox
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.compose import compose
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, OutgoingEmail, Preference
from cop_portal.mail.outbox import Rendered, Skip
from sessions_app.models import Session, SessionStatus
from sessions_app.models.session import local_zone
from sessions_app.session_changes import subject_name

KIND = MailKind.SESSIONS_ANNOUNCED


def announce(sessions: Iterable[Session]) -> Dispatch | None:
    """Record one announcement of these sessions (drafts left out) in the current
    transaction: a rolled-back publish announces nothing. Returns the fan-out, whose
    `planned` says how many members it will reach, or None when nothing is announced.

    Side effects: inserts a Dispatch row (one COUNT query for its recipients); the
    worker expands it after the commit.
    """
    published = [s for s in sessions if s.pk is not None and s.status == SessionStatus.PUBLISHED]
    if not published:
        return None
    ids = [session.pk for session in published]
    count = len(ids)
    label = (
        f"Announcement of {published[0].headline}"
        if count == 1
        else f"Announcement of {count} new sessions"
    )
    return fanout.start(
        KIND,
        label=label,
        params={"sessions": ids},
        planned=announcement_recipients().count(),
        topics=[f"session:{pk}" for pk in ids],
    )


def announcement_recipients() -> QuerySet[Any]:
    """Active members whose account address is verified and who turned announcements on."""
    verified = EmailAddress.objects.filter(user=OuterRef("pk"), primary=True, verified=True)
    members = get_user_model().objects.filter(Exists(verified), is_active=True)
    return email_prefs.filter_wanting(members, Preference.ANNOUNCEMENTS).order_by("pk")


@fanout.expander(KIND)
def expand(dispatch: Dispatch, after: int, limit: int) -> list[tuple[int, OutgoingEmail]]:
    members = announcement_recipients().filter(pk__gt=after).values_list("pk", "email")[:limit]
    sessions = dispatch.params.get("sessions", [])
    return [
        (
            pk,
            outbox.email(
                KIND,
                to=address,
                key=f"{KIND}:{dispatch.pk}:{pk}",
                params={"user": pk, "sessions": sessions},
                dispatch=dispatch,
            ),
        )
        for pk, address in members
    ]


@outbox.renderer(KIND)
def render(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    """A batch of announcements: the sessions and the members read once for the batch,
    every address's count and unsubscribe key in one step each."""
    members = get_user_model().objects.filter(pk__in=[row.params.get("user") for row in rows])
    users = members.in_bulk()
    # Still wanting them now (someone may have switched them off since the fan-out).
    wanting = set(
        email_prefs.filter_wanting(members, Preference.ANNOUNCEMENTS).values_list("pk", flat=True)
    )
    sessions_by_ids: dict[tuple[int, ...], list[Session]] = {}
    # Rendered once per set of sessions and language.
    blocks_by_ids: dict[tuple[tuple[int, ...], str], dict[str, str]] = {}
    allowed = limits.recipients_allowed(
        (user.email for user in users.values()),
        what="an announcement",
        budget=limits.Budget.NOTICES,
    )
    with email_prefs.unsubscribe_keys_for(user.email for user in users.values()):
        for row in rows:
            user = users.get(row.params.get("user"))
            ids = tuple(row.params.get("sessions", []))
            if ids not in sessions_by_ids:
                sessions_by_ids[ids] = upcoming(ids)
            sessions = sessions_by_ids[ids]
            if user is None or not user.is_active:
                yield row, Skip("The member's account is gone.")
            elif user.email != row.to:
                yield row, Skip("The member's address changed since.")
            elif not sessions:
                yield row, Skip("None of the sessions is still upcoming.")
            elif user.pk not in wanting:
                yield row, Skip("Switched off by the member.")
            elif user.email not in allowed:
                yield row, Skip("Over the per-recipient limit.")
            else:
                language = user.language or settings.LANGUAGE_CODE
                if (ids, language) not in blocks_by_ids:
                    blocks_by_ids[ids, language] = session_blocks(sessions, language=language)
                yield row, build_announcement(user, sessions, blocks=blocks_by_ids[ids, language])


def upcoming(ids: Sequence[int]) -> list[Session]:
    return list(
        Session.objects.published()
        .filter(pk__in=ids, starts_at__gt=timezone.now())
        .for_listing()
        .order_by("starts_at", "pk")
    )


def session_blocks(sessions: list[Session], *, language: str) -> dict[str, str]:
    """The list of sessions, as HTML and as text, in `language`: the same for every
    recipient who reads it, so a batch renders it once per language (it is most of an
    announcement's rendering time)."""
    context = {
        "sessions": [
            {"session": session, "url": absolute_url(session.get_absolute_url())}
            for session in sessions
        ]
    }
    with timezone.override(local_zone()), translation.override(language):
        return {
            "sessions_html": mark_safe(  # noqa: S308 - rendered by the template engine
                render_to_string("emails/_announced_sessions.html", context)
            ),
            "sessions_text": render_to_string("emails/_announced_sessions.txt", context),
        }


def build_announcement(
    user: Any, sessions: list[Session], *, blocks: dict[str, str] | None = None
) -> Any:
    language = user.language or settings.LANGUAGE_CODE
    with translation.override(language):
        first_name = subject_name(sessions[0])
    context: dict[str, Any] = {
        "recipient": user,
        "recipient_name": user.display_name,
        **(blocks or session_blocks(sessions, language=language)),
        "count": len(sessions),
        "first": sessions[0],
        "first_name": first_name,
        "sessions_url": absolute_url(reverse("sessions:session-list")),
    }
    return compose(
        KIND,
        to=user.email,
        context=context,
        preference=Preference.ANNOUNCEMENTS,
        optional=True,
        member=True,
        language=language,
    )
