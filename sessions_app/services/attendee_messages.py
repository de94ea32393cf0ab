"""An organizer's message to the people of one session (sessions_app.attendee_messages)."""

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from cop_portal.lib.dates import date_as
from cop_portal.mail import fanout
from cop_portal.mail.models import Dispatch
from sessions_app.attendee_messages import (
    KIND,
    Attending,
    Audience,
    message_digest,
    recipients,
    same_message_sent,
)
from sessions_app.models import Session
from sessions_app.models.session import local_zone

DRAFT_REFUSED = gettext_lazy(
    "This session is still a draft, so nobody can RSVP to it yet and there is nobody to "
    "write to. Publish it first."
)
NOBODY = gettext_lazy(
    "Nobody would get this message: nobody matches this choice, or everyone who does has "
    "switched off messages from organizers. Choose other people, or check the RSVP list."
)


@transaction.atomic
def attendee_message_send(
    *,
    session: Session,
    sender: Any,
    audience: str,
    attend_as: str,
    subject: str,
    body: str,
) -> Dispatch:
    """Send `subject` and `body` from `sender` (an organizer) to the people of `session`
    that `audience` (going, waitlist, both) and `attend_as` (all, in person, online)
    pick, as they are now. Cancelled and past sessions may be written to (a follow-up
    is common); drafts may not. The same message (people and words) about the same
    session within attendee_messages.RESEND_WINDOW is a double click or a resend, and
    is not sent again. Raises ValidationError (code "draft", "nobody" or "already_sent").

    Side effects: locks the session's row until the commit (so two identical requests
    at once send one message); inserts one Dispatch row naming the RSVPs it goes to and
    the message's digest; after the commit the worker queues and sends one email per
    person, each counted against the person's budget for organizers' news and skipped
    if they cancelled or switched organizer messages off in the meantime.
    """
    if session.is_draft:
        raise ValidationError(DRAFT_REFUSED, code="draft")
    audience = Audience(audience).value
    attend_as = Attending(attend_as).value
    digest = message_digest(audience=audience, attend_as=attend_as, subject=subject, body=body)
    list(Session.objects.select_for_update().filter(pk=session.pk).values_list("pk"))
    earlier = same_message_sent(session, digest)
    if earlier is not None:
        raise ValidationError(already_sent(earlier), code="already_sent")
    people = recipients(session, audience=audience, attending=attend_as)
    if not people:
        raise ValidationError(NOBODY, code="nobody")
    return fanout.start(
        KIND,
        label=f"Message: {subject}",
        params={
            "session": session.pk,
            "subject": subject,
            "body": body,
            "audience": audience,
            "attend_as": attend_as,
            "sender": sender.pk,
            "sender_name": getattr(sender, "display_name", "") or "",
            "rsvps": [rsvp.pk for rsvp in people],
            "digest": digest,
        },
        planned=len(people),
        topics=[f"session:{session.pk}"],
    )


def already_sent(dispatch: Dispatch) -> str:
    """ "This message was already sent at 6:02 PM." (within RESEND_WINDOW: the time says
    which)."""
    when = timezone.localtime(dispatch.created_at, local_zone())
    return _("This message was already sent at %(time)s.") % {"time": date_as(when, "CLOCK")}
