from django.db import models
from django.db.models.functions import Lower

from cop_portal.lib.models import TimeStampedModel
from cop_portal.lib.tokens import random_token


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
    about accounts; no row means the defaults. `key` is what unsubscribe links carry,
    so the address itself never appears in a URL.
    """

    email = models.EmailField(unique=True)
    key = models.CharField(max_length=64, unique=True, default=random_token, editable=False)
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
