from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from recurrence.fields import RecurrenceField

from cop_portal.lib.fields import HttpsURLField
from cop_portal.lib.models import TimeStampedModel
from sessions_app.models.choices import AttendanceMode, ConversationFormat, TimeOfDay
from sessions_app.models.venue import Venue

SLOT_LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"


class Series(TimeStampedModel):
    """A recurring schedule (say, the third Wednesday of each month) and its rotation.

    The recurrence gives the dates; the rotation's slots give each date its hours,
    format and place, in turn.
    """

    title = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(
        blank=True, help_text=_("Copied into each new session's summary.")
    )
    starts_on = models.DateField(
        _("first date"), help_text=_("The schedule counts its occurrences from this date.")
    )
    # include_dtstart=False: the first date is where counting starts, not an
    # occurrence of its own (django-recurrence's default would add it).
    recurrence = RecurrenceField(include_dtstart=False)
    meeting_url = HttpsURLField(
        _("online meeting link"),
        max_length=500,
        blank=True,
        help_text=_("Given to new online and hybrid sessions; only people who RSVP see it."),
    )
    joining_instructions = models.TextField(
        blank=True, help_text=_("Dial-in numbers, passcodes, what to expect when joining.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Paused series get no new sessions, by hand or from the scheduled job."),
    )

    class Meta:
        # The English title, whatever the page's language: modeltranslation would turn
        # "title" into the active language's column, empty where none was given.
        ordering = ["-is_active", "title_en", "id"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("sessions:series-edit", kwargs={"slug": self.slug})


class RotationSlot(models.Model):
    """One turn in a series' rotation: occurrence k takes slot k mod n."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="slots")
    position = models.PositiveSmallIntegerField(default=0)
    time_of_day = models.CharField(max_length=10, choices=TimeOfDay.choices)
    start_time = models.TimeField(help_text=_("Local time in Cleveland."))
    format = models.CharField(max_length=10, choices=ConversationFormat.choices)
    duration_minutes = models.PositiveSmallIntegerField("length in minutes")
    attendance_mode = models.CharField(max_length=10, choices=AttendanceMode.choices)
    venue = models.ForeignKey(
        Venue, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        ordering = ["series", "position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(duration_minutes__gte=15) & Q(duration_minutes__lte=600),
                name="sessions_app_slot_duration_range",
                violation_error_message=_("A slot lasts between 15 minutes and 10 hours."),
            ),
            models.CheckConstraint(
                condition=Q(attendance_mode=AttendanceMode.ONLINE) | Q(venue__isnull=False),
                name="sessions_app_slot_room_needs_venue",
                violation_error_message=_("In-person and hybrid slots need a venue."),
            ),
        ]

    def __str__(self) -> str:
        return f"Slot {self.letter}"

    @property
    def letter(self) -> str:
        return SLOT_LETTERS[self.position % len(SLOT_LETTERS)]
