from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.models import TimeStampedModel
from sessions_app.models.rsvp import new_token


class FeedToken(TimeStampedModel):
    """The secret in a personal calendar feed's address: one per member, one per guest email.

    Whoever holds the address sees the sessions its owner answered for, with the
    meeting links, so the key is 256 random bits and a new one replaces it on request.
    """

    key = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_token",
    )
    guest_email = models.EmailField(
        blank=True, help_text=_("Guests only: the address they RSVP'd with, in canonical form.")
    )
    include_all = models.BooleanField(
        _("show every session"),
        default=False,
        help_text=_("Also list the sessions they have not answered for (without joining details)."),
    )
    last_fetched_at = models.DateTimeField(null=True, blank=True, editable=False)
    last_fetched_by = models.CharField(max_length=200, blank=True, editable=False)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=(Q(user__isnull=False) & Q(guest_email=""))
                | (Q(user__isnull=True) & ~Q(guest_email="")),
                name="sessions_app_feedtoken_member_or_guest",
                violation_error_message=_("A feed belongs to a member or to a guest email."),
            ),
            models.UniqueConstraint(
                Lower("guest_email"),
                condition=Q(user__isnull=True),
                name="sessions_app_feedtoken_one_per_guest_email",
            ),
        ]

    def __str__(self) -> str:
        owner = f"member {self.user_id}" if self.user_id else "a guest"
        return f"Calendar feed of {owner}"

    def get_absolute_url(self) -> str:
        """The private feed address (a path; calendar apps need it absolute)."""
        return reverse("sessions:personal-feed", kwargs={"key": self.key})

    @property
    def is_guest(self) -> bool:
        return self.user_id is None
