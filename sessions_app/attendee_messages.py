"""Messages from an organizer to the people of one session: everyone going, the
waitlist, or both, in person, online or all of them.

A message is a fan-out (cop_portal.mail.fanout): `attendee_message_send`
(sessions_app.services.attendee_messages) writes one `Dispatch` whose params hold the
subject, the body, the choice of people, who wrote it, and the RSVPs that matched when
it was sent; the worker expands it into one email per RSVP and renders each when it is
sent. Nobody who RSVPs afterwards gets it; someone who cancels before their email is
rendered, or switches organizer messages off, is skipped.

Privacy: the email goes from the site's own address and names the organizer by display
name only; nobody's address is shown to anyone. Limits: each email counts against the
recipient's budget for organizers' news (MAIL_RATE_PER_RECIPIENT_NOTICES); the view
counts each message against the organizer's MAIL_RATE_PER_ORGANIZER.
"""

import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.contrib.humanize.templatetags.humanize import intcomma
from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, pgettext_lazy

from cop_portal.lib.addresses import canonical_email
from cop_portal.lib.urls import absolute_url
from cop_portal.mail import fanout, limits, outbox
from cop_portal.mail import preferences as email_prefs
from cop_portal.mail.compose import Preview, compose
from cop_portal.mail.compose import preview as compose_preview
from cop_portal.mail.kinds import MailKind
from cop_portal.mail.models import Dispatch, OutgoingEmail, Preference
from cop_portal.mail.outbox import Rendered, Skip
from cop_portal.mail.selectors import with_delivery
from sessions_app import ical
from sessions_app.models import AttendAs, Rsvp, RsvpStatus, Session
from sessions_app.notifications import RSVP_ADDRESS, rsvp_language, rsvps_for_email
from sessions_app.session_changes import subject_name

KIND = MailKind.ORGANIZER_MESSAGE
PREFERENCE = Preference.ORGANIZER_MESSAGES


class Audience(models.TextChoices):
    GOING = "going", gettext_lazy("People going")
    WAITLIST = "waitlist", gettext_lazy("The waitlist")
    BOTH = "both", gettext_lazy("Both")


class Attending(models.TextChoices):
    EVERYONE = "all", gettext_lazy("Everyone")
    IN_PERSON = AttendAs.IN_PERSON.value, gettext_lazy("In person only")
    ONLINE = AttendAs.ONLINE.value, gettext_lazy("Online only")


# The choice in a few words, for the list of messages sent and the preview.
AUDIENCE_WORDS = {
    Audience.GOING: gettext_lazy("people going"),
    Audience.WAITLIST: gettext_lazy("the waitlist"),
    Audience.BOTH: gettext_lazy("people going and the waitlist"),
}
ATTENDING_WORDS = {
    Attending.EVERYONE: "",
    Attending.IN_PERSON: pgettext_lazy("who a message goes to", "in person"),
    Attending.ONLINE: pgettext_lazy("who a message goes to", "online"),
}


def audience_words(audience: str, attending: str) -> str:
    """ "People going, in person only", "The waitlist", "People going and the waitlist,
    online only"."""
    words = str(AUDIENCE_WORDS.get(Audience(audience), ""))
    mode = str(ATTENDING_WORDS.get(Attending(attending), ""))
    if mode:
        words = _("%(people)s, %(mode)s only") % {"people": words, "mode": mode}
    return words[:1].upper() + words[1:]


def people_count(number: int) -> str:
    """ "1 person", "1,200 people", in the active language."""
    return ngettext("%(count)s person", "%(count)s people", number) % {"count": intcomma(number)}


def recipients(session: Session, *, audience: str, attending: str) -> list[Rsvp]:
    """The RSVPs this choice reaches now, in RSVP order, one per address, leaving out
    addresses that switched organizer messages off (one query)."""
    rsvps = Rsvp.objects.filter(session=session).exclude(status=RsvpStatus.CANCELLED)
    if audience == Audience.GOING:
        rsvps = rsvps.going()
    elif audience == Audience.WAITLIST:
        rsvps = rsvps.waitlisted()
    if attending != Attending.EVERYONE:
        rsvps = rsvps.filter(attend_as=attending)
    wanting = email_prefs.filter_wanting(rsvps, PREFERENCE, address=RSVP_ADDRESS)
    people: dict[str, Rsvp] = {}
    for rsvp in wanting.select_related("user").order_by("pk"):
        # A guest RSVP with a member's address is one person: one email.
        people.setdefault(canonical_email(ical.rsvp_email(rsvp)), rsvp)
    return list(people.values())


def paragraphs(body: str) -> list[str]:
    """The body's paragraphs (an empty line between them), each with its own line breaks."""
    return [part.strip("\n") for part in re.split(r"\n[ \t]*\n", body.strip()) if part.strip()]


# Fan-out and rendering


@fanout.expander(KIND)
def expand(dispatch: Dispatch, after: int, limit: int) -> list[tuple[int, OutgoingEmail]]:
    """One email per RSVP named when the message was sent (those deleted since are left
    out; cancelled ones are queued and skipped when rendered, so the counts show them)."""
    ids = [pk for pk in dispatch.params.get("rsvps", []) if isinstance(pk, int)]
    rsvps = Rsvp.objects.filter(pk__in=ids, pk__gt=after).select_related("user").order_by("pk")
    return [
        (
            rsvp.pk,
            outbox.email(
                KIND,
                to=ical.rsvp_email(rsvp),
                key=f"{KIND}:{dispatch.pk}:{rsvp.pk}",
                params={"rsvp": rsvp.pk},
                dispatch=dispatch,
            ),
        )
        for rsvp in rsvps[:limit]
    ]


@outbox.renderer(KIND)
def render(rows: Sequence[OutgoingEmail]) -> Iterator[tuple[OutgoingEmail, Rendered]]:
    """A batch of messages: the messages, RSVPs and preferences read once for the batch,
    every address counted against its budget in one step."""
    dispatches = Dispatch.objects.in_bulk({row.dispatch_id for row in rows if row.dispatch_id})
    rsvps = rsvps_for_email().in_bulk([row.params.get("rsvp") for row in rows])
    wanting = set(
        email_prefs.filter_wanting(
            Rsvp.objects.filter(pk__in=rsvps), PREFERENCE, address=RSVP_ADDRESS
        ).values_list("pk", flat=True)
    )
    reasons: dict[int, str] = {}
    for row in rows:
        rsvp = rsvps.get(row.params.get("rsvp"))
        if row.dispatch_id not in dispatches:
            reasons[row.pk] = "The message is no longer on record."
        elif rsvp is None or not rsvp.is_active:
            reasons[row.pk] = "The RSVP was cancelled since."
        elif ical.rsvp_email(rsvp) != row.to:
            reasons[row.pk] = "The person's address changed since."
        elif rsvp.pk not in wanting:
            reasons[row.pk] = "Switched off by the person."
    going_out = [row.to for row in rows if row.pk not in reasons]
    allowed = limits.recipients_allowed(
        going_out, what="a message from an organizer", budget=limits.Budget.NOTICES
    )
    with email_prefs.unsubscribe_keys_for(going_out):
        for row in rows:
            if row.pk in reasons:
                yield row, Skip(reasons[row.pk])
            elif row.to not in allowed:
                yield row, Skip("Over the per-recipient limit.")
            else:
                yield row, build_message(dispatches[row.dispatch_id], rsvps[row.params["rsvp"]])


def build_message(dispatch: Dispatch, rsvp: Rsvp) -> Any:
    """The organizer's own words as they wrote them; everything around them (greeting,
    session card, footer) in the reader's language."""
    params = dispatch.params
    language = rsvp_language(rsvp)
    with translation.override(language):
        context = message_context(
            session=rsvp.session,
            subject=params.get("subject", ""),
            body=params.get("body", ""),
            sender_name=params.get("sender_name", ""),
            rsvp=rsvp,
        )
    return compose(
        KIND,
        to=ical.rsvp_email(rsvp),
        context=context,
        preference=PREFERENCE,
        optional=True,
        member=not rsvp.is_guest,
        language=language,
    )


def message_context(
    *, session: Session, subject: str, body: str, sender_name: str, rsvp: Rsvp | None
) -> dict[str, Any]:
    """What the email shows (and the organizer's preview, with no RSVP yet)."""
    session_url = absolute_url(session.get_absolute_url())
    # Guests have no account: their private link is the way to change or cancel, while
    # the session is still ahead. Members sign in on the session page.
    manage = rsvp is not None and rsvp.is_guest and not session.is_cancelled and not session.is_past
    return {
        "session": session,
        "name": subject_name(session),
        "message_subject": subject,
        "paragraphs": paragraphs(body),
        "body": body.strip(),
        "sender_name": sender_name or _("One of the organizers"),
        "recipient_name": rsvp.display_name if rsvp is not None else "",
        "rsvp": rsvp,
        "waitlisted": rsvp is not None and rsvp.is_waitlisted,
        "cancelled": session.is_cancelled,
        "past": session.is_past,
        "session_url": session_url,
        "button_url": absolute_url(rsvp.get_absolute_url()) if manage and rsvp else session_url,
        "button_label": _("Manage your RSVP") if manage else _("View the session"),
        "manage": manage,
    }


# Sending the same message twice

# The same message about the same session again within this time is the first one
# arriving twice (a double click, a resend after a slow answer): it is not sent again.
RESEND_WINDOW = timedelta(minutes=10)


def message_digest(*, audience: str, attend_as: str, subject: str, body: str) -> str:
    """What makes two messages the same one: the people chosen and the words. The
    preview carries it to Send, and the Dispatch keeps it in its params."""
    data = json.dumps([audience, attend_as, subject, body], ensure_ascii=False)
    return hashlib.sha256(data.encode()).hexdigest()[:32]


def same_message_sent(session: Session, digest: str) -> Dispatch | None:
    """The message with this digest sent about `session` within RESEND_WINDOW, if any."""
    return (
        Dispatch.objects.filter(
            kind=KIND,
            topics__contains=f" session:{session.pk} ",
            created_at__gte=timezone.now() - RESEND_WINDOW,
            params__digest=digest,
        )
        .order_by("-created_at", "-pk")
        .first()
    )


# What the organizer sees


@dataclass(frozen=True)
class MessagePreview:
    """The message as its readers will get it, how many people it reaches now, and the
    digest that Send carries so that what goes is what was shown."""

    email: Preview
    audience: str
    count: int
    digest: str

    @property
    def people(self) -> str:
        return people_count(self.count)


def preview(
    session: Session, *, sender_name: str, audience: str, attending: str, subject: str, body: str
) -> MessagePreview:
    return MessagePreview(
        email=preview_email(
            session, sender_name=sender_name, audience=audience, subject=subject, body=body
        ),
        audience=audience_words(audience, attending),
        # The people sending would queue an email for, counted the same way.
        count=len(recipients(session, audience=audience, attending=attending)),
        digest=message_digest(audience=audience, attend_as=attending, subject=subject, body=body),
    )


def preview_email(
    session: Session, *, sender_name: str, audience: str, subject: str, body: str
) -> Preview:
    """The email's subject and plain text from its own templates, built like the real
    one (`message_context`, the footer of `compose`) the way
    notifications.preview_email builds the notify preview: the reader's name and their
    own unsubscribe link are placeholders, so nothing is saved or queued."""
    context = {
        **message_context(
            session=session, subject=subject, body=body, sender_name=sender_name, rsvp=None
        ),
        "waitlisted": audience == Audience.WAITLIST,
    }
    return compose_preview(KIND, context=context, preference=PREFERENCE, optional=True)


@dataclass(frozen=True)
class SentMessage:
    created_at: datetime
    sender_name: str
    audience: str
    subject: str
    people: int
    sent: int
    waiting: int
    failed: int
    skipped: int
    preparing: bool

    @property
    def people_words(self) -> str:
        return people_count(self.people)


def sent_messages(session: Session) -> list[SentMessage]:
    """The messages sent about this session, newest first, each with its emails counted
    by status (cop_portal.mail.selectors.with_delivery): one query however many."""
    dispatches = with_delivery(
        Dispatch.objects.filter(kind=KIND, topics__contains=f" session:{session.pk} ")
    ).order_by("-created_at", "-pk")
    return [_sent(dispatch) for dispatch in dispatches]


def _sent(dispatch: Any) -> SentMessage:
    params = dispatch.params
    preparing = dispatch.expanded_at is None
    # Before the worker has queued them all, the rest are waiting too.
    not_queued = max(dispatch.planned - dispatch.queued, 0) if preparing else 0
    try:
        audience = audience_words(params.get("audience"), params.get("attend_as"))
    except ValueError:
        audience = ""
    return SentMessage(
        created_at=dispatch.created_at,
        sender_name=params.get("sender_name") or _("An organizer"),
        audience=audience,
        subject=params.get("subject", ""),
        people=dispatch.planned,
        sent=dispatch.sent,
        waiting=dispatch.waiting + not_queued,
        failed=dispatch.failed,
        skipped=dispatch.skipped,
        preparing=preparing,
    )
