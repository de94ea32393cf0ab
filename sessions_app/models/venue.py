from django.db import models
from django.db.models import Q
from django.urls import reverse

from cop_portal.lib.models import TimeStampedModel


class VenueQuerySet(models.QuerySet["Venue"]):
    def active(self) -> "VenueQuerySet":
        return self.filter(is_active=True)


class Venue(TimeStampedModel):
    """A place where the CoP meets in person."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    address = models.CharField(
        max_length=255, help_text="Street address as a map app would take it."
    )
    neighborhood = models.CharField(max_length=80, help_text="For example “Midtown/Hough”.")
    directions = models.TextField(
        blank=True, help_text="How to find the room once you reach the building."
    )
    accessibility_notes = models.TextField(
        blank=True, help_text="Step-free access, elevators, restrooms, hearing loops…"
    )
    parking_notes = models.TextField(blank=True, help_text="Parking, bus lines and bike racks.")
    capacity = models.PositiveIntegerField(
        "in-person capacity", help_text="How many people the room seats."
    )
    is_active = models.BooleanField(
        "active",
        default=True,
        help_text="Archived venues stay on past sessions but can't be chosen for new ones.",
    )

    objects = VenueQuerySet.as_manager()

    class Meta:
        ordering = ["-is_active", "name"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__gt=0), name="sessions_app_venue_capacity_positive"
            ),
        ]

    def __str__(self) -> str:
        return self.name if self.is_active else f"{self.name} (archived)"

    def get_absolute_url(self) -> str:
        return reverse("sessions:venue-edit", kwargs={"slug": self.slug})
