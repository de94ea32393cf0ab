"""What outgoing mail keeps in the database: people's email preferences, the outbox of
messages waiting to go, the fan-outs that fill it, and the counters behind the limits.

Every app may import from here (the mail app sits below them all); nothing here
imports an app.
"""

from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.models import TimeStampedModel
from cop_portal.lib.tokens import random_token
from cop_portal.mail.kinds import MailKind


class Preference(models.TextChoices):
    """Emails a person can switch off. Confirmations of what they just did always go."""

    ANNOUNCEMENTS = "announcements", _("New sessions published")
    REMINDERS = "reminders", _("Reminders the day before a session")
    REPLIES = "replies", _("Replies to my posts and posts I follow")
    ORGANIZER_MESSAGES = (
        "organizer_messages",
        _("Messages from organizers about sessions I'm coming to"),
    )


DEFAULTS = {
    Preference.ANNOUNCEMENTS: False,  # opt-in
    Preference.REMINDERS: True,
    Preference.REPLIES: True,
    Preference.ORGANIZER_MESSAGES: True,
}


class EmailPreference(TimeStampedModel):
    """Which optional emails an address receives, member or guest alike.

    Keyed by the address (lowercased) so that every app can honour it without knowing
    about accounts; no row means the defaults. `key` is what unsubscribe links carry,
    so the address itself never appears in a URL.
    """

    email = models.EmailField(unique=True)
    key = models.CharField(max_length=64, unique=True, default=random_token, editable=False)
    announcements = models.BooleanField(default=DEFAULTS[Preference.ANNOUNCEMENTS])
    reminders = models.BooleanField(default=DEFAULTS[Preference.REMINDERS])
    replies = models.BooleanField(default=DEFAULTS[Preference.REPLIES])
    organizer_messages = models.BooleanField(default=DEFAULTS[Preference.ORGANIZER_MESSAGES])

    class Meta:
        # Made by the project package before the mail app had a home of its own.
        db_table = "cop_portal_emailpreference"
        constraints = [
            models.UniqueConstraint(Lower("email"), name="cop_portal_emailpreference_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"Email preferences of {self.email}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, Preference(kind).value))


class SendCounter(models.Model):
    """How many times something was counted in the current window of one limit.

    Only used when the cache is not Redis (which counts with INCR instead). A window
    starts with its first hit and lasts the limit's period; a row whose window has
    ended starts a new one on its next hit, and ended rows are deleted whenever a new
    row is made, so the table holds about one row per key counted in the last period.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"


class Dispatch(models.Model):
    """One piece of news for many people (an announcement, a reply to a followed post):
    the request writes this row, and a task expands it into one `OutgoingEmail` per
    recipient, in batches, resuming from `cursor` (the last recipient's id) if a worker
    stops halfway."""

    kind = models.CharField(max_length=40, choices=MailKind.choices)
    params = models.JSONField(default=dict, blank=True)
    label = models.CharField(max_length=200)
    # " session:12 session:13 ": the pages whose delivery counts include this news.
    topics = models.TextField(blank=True, default="")
    planned = models.PositiveIntegerField(default=0, help_text="Recipients when queued.")
    queued = models.PositiveIntegerField(default=0, help_text="Emails made so far.")
    cursor = models.BigIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    expanded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "dispatches"

    def __str__(self) -> str:
        return self.label


class EmailStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    # No longer applies (the RSVP or session changed), switched off, or over a limit.
    SKIPPED = "skipped", _("Not needed")


class OutgoingEmail(models.Model):
    """One message to one address, written in the transaction that caused it and
    delivered by a worker (cop_portal.mail.delivery).

    `key` names the recipient and the cause ("rsvp_confirmed:12:…"), so saving the same
    change twice, or expanding a fan-out again after a crash, queues nothing new. The
    message is rendered when it is sent, from what the database holds then, except
    allauth's (its links and codes live nowhere else), which carry their rendered text
    in `params` until sent.
    """

    key = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=40, choices=MailKind.choices)
    to = models.CharField(max_length=320)
    params = models.JSONField(default=dict, blank=True)
    topic = models.CharField(max_length=60, blank=True, default="", db_index=True)
    dispatch = models.ForeignKey(
        Dispatch, null=True, blank=True, on_delete=models.SET_NULL, related_name="emails"
    )
    status = models.CharField(
        max_length=10, choices=EmailStatus.choices, default=EmailStatus.QUEUED
    )
    subject = models.CharField(max_length=300, blank=True, default="")
    attempts = models.PositiveSmallIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    next_attempt_at = models.DateTimeField(default=timezone.now)
    give_up_at = models.DateTimeField()
    # Set while a worker holds the message: another worker takes it back only after
    # `lease_until` (the first was killed or lost its connection).
    claim = models.CharField(max_length=32, blank=True, default="", db_index=True)
    lease_until = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True, default="")

    class Meta:
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="mail_outgoing_due"),
            models.Index(fields=["dispatch", "status"], name="mail_outgoing_dispatch"),
            models.Index(fields=["status", "finished_at"], name="mail_outgoing_finished"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} to {self.to} ({self.get_status_display()})"

    @property
    def message_id(self) -> str:
        """The same Message-ID on every attempt: should a worker die between the mail
        server accepting a message and the row being marked sent, the copy sent again
        is recognisably the same message."""
        return f"<cop-portal.{self.pk}.{int(self.created_at.timestamp())}@{_domain()}>"


class Beat(models.Model):
    """When a periodic job last ran and is next due. Whichever worker claims the row
    (a conditional UPDATE) runs the job; the others skip it."""

    name = models.CharField(max_length=40, primary_key=True)
    due_at = models.DateTimeField()
    last_run_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.name}, next due {self.due_at:%Y-%m-%d %H:%M:%S}"


def _domain() -> str:
    from django.core.mail.utils import DNS_NAME

    return str(DNS_NAME)
