"""How often one person may answer RSVPs, each answer sending an email.

Counted atomically (cop_portal.mail.limits), so that forty requests sent at once get
exactly the limit. The RSVP views call these before anything is saved and answer 429
when they return False. The emails themselves are limited again per recipient and
coalesced per RSVP (sessions_app.notifications.coalesced).
"""

from django.conf import settings
from django.http import HttpRequest

from cop_portal.mail.limits import address_allowed, sender_allowed


def rsvp_create_allowed(request: HttpRequest, *, guest_email: str = "") -> bool:
    """An RSVP from the session page. A member: MAIL_RATE_PER_SENDER per member. A guest:
    RSVP_GUEST_RATE_PER_IP per IP address and RSVP_GUEST_RATE_PER_EMAIL per address
    typed (`guest_email`, as posted: compared in canonical form; a blank one is not
    counted, the form refuses it anyway)."""
    if request.user.is_authenticated:
        return sender_allowed(request, "rsvp-create")
    if not sender_allowed(request, "rsvp-create", rate=settings.RSVP_GUEST_RATE_PER_IP):
        return False
    if guest_email.strip():
        return address_allowed("rsvp-create", guest_email, rate=settings.RSVP_GUEST_RATE_PER_EMAIL)
    return True


def rsvp_change_allowed(request: HttpRequest) -> bool:
    """A change (in person/online) or a cancellation, by a member or through a guest's
    private link: MAIL_RATE_PER_SENDER per member, else per IP address."""
    return sender_allowed(request, "rsvp-change")


def organizer_notify_allowed(request: HttpRequest) -> bool:
    """An organizer's action that may email attendees or subscribers (publishing a
    session or a series, messaging attendees, and editing or cancelling when someone
    will be told): MAIL_RATE_PER_ORGANIZER per organizer. Publishing counts whether or
    not it ends up announcing anything (the view can't know beforehand); an edit or a
    cancellation that tells nobody is not counted. The emails are limited again per
    recipient."""
    return sender_allowed(request, "organizer-notify", rate=settings.MAIL_RATE_PER_ORGANIZER)
