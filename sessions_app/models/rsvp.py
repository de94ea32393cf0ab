from django.conf import settings
from django.db import models
from django.db.models import Case, Count, F, OuterRef, Q, Subquery, When
from django.db.models.functions import Coalesce, Lower
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.addresses import canonical_email
from cop_portal.lib.counting import counted
from cop_portal.lib.models import TimeStampedModel
from cop_portal.lib.tokens import random_token
from sessions_app.models.session import Session


def new_token() -> str:
    """256 random bits, URL-safe: the key to a private manage link."""
    return random_token()


class RsvpStatus(models.TextChoices):
    GOING = "going", _("Going")
    WAITLISTED = "waitlisted", _("On the waitlist")
    CANCELLED = "cancelled", _("Cancelled")


class AttendAs(models.TextChoices):
    IN_PERSON = "in-person", _("In person")
    ONLINE = "online", _("Online")


class CheckInBy(models.TextChoices):
    """How a person with an RSVP was checked in: by an organizer at the door, or by
    themselves with the QR code (signed in, through their private link, or by typing
    a name or address that matched their RSVP)."""

    DOOR = "door", _("At the door")
    SELF = "self", _("Self check-in")


class RsvpQuerySet(models.QuerySet["Rsvp"]):
    def active(self) -> "RsvpQuerySet":
        return self.exclude(status=RsvpStatus.CANCELLED)

    def going(self) -> "RsvpQuerySet":
        return self.filter(status=RsvpStatus.GOING)

    def waitlisted(self) -> "RsvpQuerySet":
        return self.filter(status=RsvpStatus.WAITLISTED)

    def in_queue_order(self) -> "RsvpQuerySet":
        return self.order_by("queued_at", "id")

    def with_waitlist_positions(self) -> "RsvpQuerySet":
        """Adds `waitlist_position`: 1 for the first person waiting in the same session
        and mode, None when not waiting. A subquery of the RSVPs' own query, asked only
        for the waiting ones, so a member's list costs one query however many wait."""
        ahead = (
            Rsvp.objects.filter(
                session_id=OuterRef("session_id"),
                attend_as=OuterRef("attend_as"),
                status=RsvpStatus.WAITLISTED,
            )
            .filter(
                Q(queued_at__lt=OuterRef("queued_at"))
                | Q(queued_at=OuterRef("queued_at"), pk__lt=OuterRef("pk"))
            )
            .order_by()
            .values("session_id")
            .annotate(n=Count("pk"))
            .values("n")
        )
        return self.annotate(
            waitlist_position=Case(
                When(status=RsvpStatus.WAITLISTED, then=Coalesce(Subquery(ahead), 0) + 1),
                default=None,
                output_field=models.IntegerField(),
            )
        )

    def of_guest(self, email: str) -> "RsvpQuerySet":
        """Guest RSVPs made with this address, in any spelling of it (guest addresses
        are stored in canonical form)."""
        return self.filter(user__isnull=True, email=canonical_email(email))


class Rsvp(TimeStampedModel):
    """One person's answer to one session: a member (user) or a guest (name and email)."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="rsvps")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="rsvps",
    )
    name = models.CharField(max_length=120, blank=True, help_text=_("Guests only."))
    email = models.EmailField(
        blank=True, help_text=_("Guests only, in canonical form; never shown to members.")
    )
    organization = models.CharField(max_length=120, blank=True)
    attend_as = models.CharField(max_length=10, choices=AttendAs.choices)
    status = models.CharField(max_length=10, choices=RsvpStatus.choices)
    queued_at = models.DateTimeField(
        help_text=_("When they asked; the waitlist goes in this order.")
    )
    listed = models.BooleanField(
        _("show my name"), default=False, help_text=_("Other members see your name as attending.")
    )
    token = models.CharField(max_length=64, unique=True, default=new_token, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    checked_in_by = models.CharField(
        max_length=10, choices=CheckInBy.choices, blank=True, default=""
    )
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        default=settings.LANGUAGE_CODE,
        help_text=_("The language the RSVP was made in: a guest's emails are in it."),
    )

    objects = RsvpQuerySet.as_manager()

    class Meta:
        ordering = ["queued_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["session", "user"],
                condition=Q(user__isnull=False),
                name="sessions_app_rsvp_one_per_member",
                violation_error_message=_("You have already answered for this session."),
            ),
            models.UniqueConstraint(
                F("session"),
                Lower("email"),
                condition=Q(user__isnull=True),
                name="sessions_app_rsvp_one_per_guest_email",
                violation_error_message=_("This email address has already answered."),
            ),
            models.CheckConstraint(
                condition=Q(user__isnull=False) | (~Q(name="") & ~Q(email="")),
                name="sessions_app_rsvp_guest_has_name_and_email",
            ),
            # Every check-in says who made it (the door, or the person with the QR code),
            # and only a check-in does.
            models.CheckConstraint(
                condition=(Q(checked_in_at__isnull=True) & Q(checked_in_by=""))
                | (Q(checked_in_at__isnull=False) & ~Q(checked_in_by="")),
                name="sessions_app_rsvp_checked_in_by_who",
                violation_error_message=_("A check-in says who made it, and only a check-in does."),
            ),
        ]
        indexes = [models.Index(fields=["session", "status", "attend_as", "queued_at"])]

    def __str__(self) -> str:
        return f"{self.display_name}: {self.get_status_display()} ({self.session})"

    def get_absolute_url(self) -> str:
        return reverse("sessions:rsvp-manage", kwargs={"token": self.token})

    @property
    def display_name(self) -> str:
        return self.user.display_name if self.user_id else self.name

    @property
    def address(self) -> str:
        """Where this person's emails go and how organizers reach them: the member's
        account address, or the address the guest answered with."""
        return self.user.email if self.user_id else self.email

    @property
    def is_guest(self) -> bool:
        return self.user_id is None

    @property
    def is_active(self) -> bool:
        return self.status != RsvpStatus.CANCELLED

    @property
    def is_going(self) -> bool:
        return self.status == RsvpStatus.GOING

    @property
    def is_waitlisted(self) -> bool:
        return self.status == RsvpStatus.WAITLISTED

    @property
    def may_join_online(self) -> bool:
        """Whether this person gets the meeting link, wherever it appears (pages, the Join
        button, emails, their calendar feed): going, and going online.

        Someone with a seat in the room doesn't get it: online places may be capped, and
        one rule is what people can understand. If they can't come in person after all,
        they change their answer to online and get the link from then on.
        """
        return self.is_going and self.session.online and self.attend_as == AttendAs.ONLINE


class WalkIn(TimeStampedModel):
    """People at the door who never RSVP'd: a name, or just a head count."""

    session = models.ForeignKey(Session, on_delete=models.CASCADE, related_name="walk_ins")
    name = models.CharField(max_length=120, blank=True)
    count = models.PositiveSmallIntegerField(default=1)
    self_check_in = models.BooleanField(
        default=False, help_text=_("Checked themselves in with the QR code at the door.")
    )

    class Meta:
        ordering = ["created", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(count__gte=1) & Q(count__lte=500),
                name="sessions_app_walkin_count_range",
                violation_error_message=_("Count between 1 and 500 people."),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name or 'Walk-in'}, {self.people} ({self.session})"

    @property
    def people(self) -> str:
        """ "1 person", "3 people"."""
        return counted(self.count, "person", "people")
