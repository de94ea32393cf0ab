"""Emails to the people who RSVP'd, with a calendar invitation where one belongs.

The services queue `send_rsvp_emails` with `transaction.on_commit`, so it runs after
the data is saved: it must never raise (the RSVP is already made, the person already
sees the page) and one bad address or a mail server hiccup must not cost the others
their email. Each email is rendered from what the database holds at send time.
"""

import enum
import logging
from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.core.mail import EmailMultiAlternatives
from django.db.models import Case, F, When
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from cop_portal.lib import email_prefs
from cop_portal.mail import limits
from cop_portal.models import EmailKind as Preference
from sessions_app import ical, selectors
from sessions_app.jsonld import absolute_url
from sessions_app.models import AttendAs, Rsvp, RsvpQuerySet
from sessions_app.models.session import local_zone

logger = logging.getLogger(__name__)


class EmailKind(enum.StrEnum):
    CONFIRMED = "rsvp_confirmed"
    WAITLISTED = "rsvp_waitlisted"
    # Gave up a place by switching to a full mode: the calendar event goes.
    MOVED_TO_WAITLIST = "rsvp_moved_to_waitlist"
    PROMOTED = "rsvp_promoted"
    SESSION_CHANGED = "session_changed"
    SESSION_CANCELLED = "session_cancelled"
    REMINDER = "session_reminder"
    RSVP_CANCELLED = "rsvp_cancelled"
    # Someone RSVP'd as a guest with an address that already has an RSVP: the private
    # link goes to the address, never to whoever typed it.
    RSVP_LINK = "rsvp_link"


# Which emails carry a calendar invitation, and what it does there. The waitlist
# email has none: a place is not promised yet.
INVITATION_METHODS = {
    EmailKind.CONFIRMED: ical.REQUEST,
    EmailKind.PROMOTED: ical.REQUEST,
    EmailKind.SESSION_CHANGED: ical.REQUEST,
    EmailKind.REMINDER: ical.REQUEST,
    EmailKind.SESSION_CANCELLED: ical.CANCEL,
    EmailKind.RSVP_CANCELLED: ical.CANCEL,
    EmailKind.MOVED_TO_WAITLIST: ical.CANCEL,
}
# Emails that take an event out of calendars that may hold it, whatever the RSVP is now.
WITHDRAWALS = frozenset({EmailKind.RSVP_CANCELLED, EmailKind.MOVED_TO_WAITLIST})

# Every RSVP email carries the unsubscribe link for reminders: the one optional stream
# that RSVPs lead to. Only the reminder itself can be switched off; the others confirm
# what the person did, or tell them a session they're coming to changed.
PREFERENCE = Preference.REMINDERS
OPTIONAL_KINDS = frozenset({EmailKind.REMINDER})

# Emails about what the person just did themselves (or what anyone typing their address
# did), by what they do to the person's calendar: "in" puts the event there, "out" takes
# it out (or never puts it), None only repeats the private link. They are coalesced per
# RSVP (see `coalesced`) and counted in the per-recipient budget that anyone can spend.
# The others are news from organizers and the schedule (cop_portal.mail.limits.Budget):
# never coalesced, each a message of its own.
OWN_ACTION_KINDS: dict[EmailKind, str | None] = {
    EmailKind.CONFIRMED: "in",
    EmailKind.WAITLISTED: "out",
    EmailKind.MOVED_TO_WAITLIST: "out",
    EmailKind.RSVP_CANCELLED: "out",
    EmailKind.RSVP_LINK: None,
}

# Where an RSVP's emails go, as a database expression (see ical.rsvp_email).
RSVP_ADDRESS = Case(When(user__isnull=False, then=F("user__email")), default=F("email"))


class CalendarEmail(EmailMultiAlternatives):
    """An email whose text/calendar alternative carries the iTIP `method` parameter.

    Gmail and Outlook show their "add to calendar" card only for a text/calendar part
    inside the multipart/alternative whose `method` matches the file's METHOD; Django's
    `attach_alternative` takes a bare MIME type, so the parameter is set here.
    """

    calendar_method: str | None = None

    def attach_invitation(self, data: bytes, method: str) -> None:
        self.calendar_method = method
        self.attach_alternative(data.decode(), "text/calendar")
        # Some clients only look at attachments: the same file, as invite.ics.
        self.attach("invite.ics", data, "application/ics")

    def message(self) -> Any:
        msg = super().message()
        if self.calendar_method:
            for part in msg.walk():
                if part.get_content_type() == "text/calendar":
                    part.set_param("method", self.calendar_method)
        return msg


def rsvps_for_email() -> RsvpQuerySet:
    """RSVPs with everything an email shows, in one query."""
    return Rsvp.objects.select_related("session__venue", "user")


def send_rsvp_emails(kind: EmailKind, rsvp_ids: list[int]) -> None:
    """Send one email of this kind to each RSVP. Called after the transaction commits.

    Never raises: failures are logged (logger "sessions_app.notifications") and the
    other people still get their email.
    """
    try:
        kind = EmailKind(kind)
        rsvps = list(rsvps_for_email().filter(pk__in=rsvp_ids).order_by("pk"))
    except Exception:
        logger.exception("Could not load RSVPs %s for %s emails.", rsvp_ids, kind)
        return
    for rsvp in rsvps:
        try:
            send_rsvp_email(kind, rsvp)
        except Exception:
            logger.exception("Could not send the %s email for RSVP %s.", kind, rsvp.pk)


def send_rsvp_email(kind: EmailKind, rsvp: Rsvp) -> bool:
    """Send one email now. Returns False when it is not sent: it no longer applies (the
    RSVP or the session changed since it was queued), the person switched it off, or a
    limit holds it back; raises when sending fails.

    Coalescing: see `coalesced`.

    Limits: every email but the reminder counts against one of the address's two
    per-recipient budgets (cop_portal.mail.limits.Budget: the person's own answers in
    the one anyone can spend, organizers' news in the other); over it, the email is
    dropped and logged.
    """
    if not still_applies(kind, rsvp):
        return False
    address = ical.rsvp_email(rsvp)
    if kind in OPTIONAL_KINDS and not email_prefs.wants_email(address, PREFERENCE):
        return False
    own = kind in OWN_ACTION_KINDS
    if own and coalesced(kind, rsvp):
        logger.info("Skipped the %s email for RSVP %s: one was sent moments ago.", kind, rsvp.pk)
        return False
    # Reminders are not counted: send_reminders sends one per RSVP per session date.
    budget = limits.Budget.REQUESTED if own else limits.Budget.NOTICES
    what = f"{kind} for RSVP {rsvp.pk}"
    if kind != EmailKind.REMINDER and not limits.recipient_allowed(
        address, what=what, budget=budget
    ):
        return False
    message = build_email(kind, rsvp)
    message.send()
    return True


def coalesced(kind: EmailKind, rsvp: Rsvp) -> bool:
    """Whether this email about the person's own answer can be skipped, because one
    with the same effect on their calendar went to them less than
    RSVP_EMAIL_COALESCE_SECONDS ago (each email sent starts the window again).

    Switching in person/online back and forth, or answering again, sends one email in
    the window; the page shows the current state. A change that takes the event out of
    the calendar (cancelling, giving up a place for a waitlist) or puts it back always
    goes, as the calendar would otherwise be wrong: those are bounded by the per-sender
    and per-recipient limits. The private link (`RSVP_LINK`) is skipped after any
    email in the window, as that email carried it. Until mail goes through a task
    queue, skipped emails are dropped, not delayed.

    Side effects: remembers the effect of an email about to be sent, in the cache.
    """
    seconds = settings.RSVP_EMAIL_COALESCE_SECONDS
    if seconds <= 0:
        return False
    effect = OWN_ACTION_KINDS[kind]
    cache = caches["default"]
    key = f"mail:rsvp-effect:{rsvp.pk}"
    last = cache.get(key)
    if last is not None and (effect is None or effect == last):
        return True
    cache.set(key, effect or last or "link", seconds)
    return False


def still_applies(kind: EmailKind, rsvp: Rsvp) -> bool:
    """Whether the news is still true: no "you're in" to someone who cancelled since,
    no invitation to a session that was called off meanwhile."""
    session = rsvp.session
    if kind == EmailKind.SESSION_CANCELLED:
        # The session's RSVPs stay as they were; everyone who had one hears about it.
        return session.is_cancelled
    if kind == EmailKind.RSVP_CANCELLED:
        return not rsvp.is_active and not session.is_cancelled
    if session.is_cancelled or not rsvp.is_active:
        return False
    if kind in (EmailKind.WAITLISTED, EmailKind.MOVED_TO_WAITLIST):
        return rsvp.is_waitlisted
    if kind in (EmailKind.CONFIRMED, EmailKind.PROMOTED, EmailKind.REMINDER):
        return rsvp.is_going
    return True


def build_email(kind: EmailKind, rsvp: Rsvp) -> CalendarEmail:
    method = INVITATION_METHODS.get(kind)
    # Only people with a place have (or get) the event in their calendar. A withdrawn
    # place always carries the CANCEL: removing an event a calendar never had is harmless.
    with_invitation = method is not None and (rsvp.is_going or kind in WITHDRAWALS)
    address = ical.rsvp_email(rsvp)
    context = email_context(kind, rsvp, with_invitation=with_invitation)
    # Dates in the templates read as Cleveland time, whoever triggered the email.
    with timezone.override(local_zone()):
        subject = render_to_string(f"emails/{kind}_subject.txt", context)
        context["subject"] = " ".join(subject.split())
        text = render_to_string(f"emails/{kind}.txt", context)
        html = render_to_string(f"emails/{kind}.html", context)
    message = CalendarEmail(
        subject=f"[{settings.SITE_NAME}] {context['subject']}",
        body=text,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[address],
        headers=email_prefs.unsubscribe_headers(address, PREFERENCE),
    )
    message.attach_alternative(html, "text/html")
    if with_invitation:
        assert method is not None
        message.attach_invitation(ical.invitation(rsvp.session, rsvp, method), method)
    return message


def email_context(kind: EmailKind, rsvp: Rsvp, *, with_invitation: bool) -> dict[str, Any]:
    session = rsvp.session
    session_url = absolute_url(session.get_absolute_url())
    in_person = rsvp.attend_as == AttendAs.IN_PERSON
    context: dict[str, Any] = {
        "kind": kind,
        "session": session,
        "rsvp": rsvp,
        "site_name": settings.SITE_NAME,
        "site_url": settings.SITE_URL,
        "session_url": session_url,
        "sessions_url": absolute_url(reverse("sessions:session-list")),
        # Guests have no account: their private link is the way to change or cancel.
        # Members sign in and answer on the session page.
        "manage_url": absolute_url(rsvp.get_absolute_url()) if rsvp.is_guest else session_url,
        "place": "seat" if in_person else "place online",
        "places": "seats" if in_person else "online places",
        "has_invitation": with_invitation,
        "when": day_word(session.starts_at),
        **email_prefs.footer_context(
            ical.rsvp_email(rsvp),
            PREFERENCE,
            optional=kind in OPTIONAL_KINDS,
            member=not rsvp.is_guest,
        ),
    }
    if rsvp.is_waitlisted:
        context["waitlist_position"] = selectors.waitlist_position(rsvp)
    # The meeting link goes to people with a place, in emails about coming: never to
    # the waitlist, never in a cancellation.
    if kind != EmailKind.SESSION_CANCELLED and rsvp.may_join_online:
        context["meeting_url"] = session.meeting_url
        context["joining_instructions"] = session.joining_instructions
    return context


def day_word(moment: datetime, now: datetime | None = None) -> str:
    """ "today", "tomorrow" or "on Saturday", in Cleveland's calendar."""
    zone = local_zone()
    day = timezone.localtime(moment, zone).date()
    today = timezone.localtime(now or timezone.now(), zone).date()
    if day == today:
        return "today"
    if (day - today).days == 1:
        return "tomorrow"
    return "on " + dateformat.format(day, "l" if 1 < (day - today).days < 7 else "l, F j")
