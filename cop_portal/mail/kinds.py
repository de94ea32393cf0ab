"""Every kind of email the portal sends, by one name.

The value names the templates (`emails/<value>.txt`, `.html`, `_subject.txt`) and is
what the outbox stores; the label is what organizers read in the list of failed emails.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MailKind(models.TextChoices):
    # About a person's own RSVP (sessions_app.notifications).
    RSVP_CONFIRMED = "rsvp_confirmed", _("RSVP confirmed")
    RSVP_WAITLISTED = "rsvp_waitlisted", _("On the waitlist")
    RSVP_MOVED_TO_WAITLIST = "rsvp_moved_to_waitlist", _("Moved to the waitlist")
    RSVP_PROMOTED = "rsvp_promoted", _("Off the waitlist")
    RSVP_CANCELLED = "rsvp_cancelled", _("RSVP cancelled")
    # Someone RSVP'd as a guest with an address that already has an RSVP: the private
    # link goes to the address, never to whoever typed it.
    RSVP_LINK = "rsvp_link", _("Private RSVP link")
    # News about a session the person is coming to.
    SESSION_CHANGED = "session_changed", _("Session changed")
    SESSION_CANCELLED = "session_cancelled", _("Session cancelled")
    SESSION_REMINDER = "session_reminder", _("Reminder the day before")
    # An organizer writes to the people coming to one session (sessions_app.attendee_messages).
    ORGANIZER_MESSAGE = "organizer_message", _("Message from the organizers")
    # Opt-in news for members (sessions_app.announcements).
    SESSIONS_ANNOUNCED = "sessions_announced", _("New sessions announced")
    # The practice library (practice_library.notifications).
    LIBRARY_REPLY = "library_reply", _("New reply")
    LIBRARY_VISIT_REQUEST = "library_visit_request", _("Visit request")
    # Moderation (practice_library): new reports for organizers, at most hourly; the
    # outcome for whoever reported; a note to the author whose words were hidden.
    REPORTS_WAITING = "reports_waiting", _("Reports waiting for review")
    REPORT_OUTCOME = "report_outcome", _("Report outcome")
    CONTENT_HIDDEN = "content_hidden", _("Post or reply hidden")
    # allauth's messages (members.adapter): sign-up, log-in codes, password resets.
    ACCOUNT = "account", _("Account email")
