from django.db import models
from django.db.models.functions import Lower

from cop_portal.lib.models import TimeStampedModel


class EmailKind(models.TextChoices):
    """Emails a person can switch off. Confirmations of what they just did always go."""

    ANNOUNCEMENTS = "announcements", "New sessions published"
    REMINDERS = "reminders", "Reminders the day before a session"
    REPLIES = "replies", "Replies to my posts and posts I follow"


DEFAULTS = {
    EmailKind.ANNOUNCEMENTS: False,  # opt-in
    EmailKind.REMINDERS: True,
    EmailKind.REPLIES: True,
}


class EmailPreference(TimeStampedModel):
    """Which optional emails an address receives, member or guest alike.

    Keyed by the address (lowercased) so that every app can honour it without knowing
    about accounts; no row means the defaults.
    """

    email = models.EmailField(unique=True)
    announcements = models.BooleanField(default=DEFAULTS[EmailKind.ANNOUNCEMENTS])
    reminders = models.BooleanField(default=DEFAULTS[EmailKind.REMINDERS])
    replies = models.BooleanField(default=DEFAULTS[EmailKind.REPLIES])

    class Meta:
        constraints = [
            models.UniqueConstraint(Lower("email"), name="cop_portal_emailpreference_ci_unique"),
        ]

    def __str__(self) -> str:
        return f"Email preferences of {self.email}"

    def wants(self, kind: str) -> bool:
        return bool(getattr(self, EmailKind(kind).value))
