from urllib.parse import urlencode

from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.models import TimeStampedModel

OPENSTREETMAP_SEARCH = "https://www.openstreetmap.org/search"

us_state = RegexValidator(
    r"^[A-Z]{2}\Z", _("Enter the state's two-letter abbreviation, like OH."), code="invalid_state"
)
zip_code = RegexValidator(
    r"^[0-9]{5}(-[0-9]{4})?\Z", _("Enter a five-digit ZIP code, like 44103."), code="invalid_zip"
)


class VenueQuerySet(models.QuerySet["Venue"]):
    def active(self) -> "VenueQuerySet":
        return self.filter(is_active=True)


class Venue(TimeStampedModel):
    """A place where the CoP meets in person."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    # The street part only; `full_address` puts the parts together for maps and letters.
    address = models.CharField(
        _("street address"),
        max_length=255,
        help_text=_("Number and street, like 5000 Euclid Avenue."),
    )
    city = models.CharField(max_length=80, default="Cleveland")
    state = models.CharField(max_length=2, default="OH", validators=[us_state])
    # Blank only for venues saved before addresses had their parts; the form asks for it.
    postal_code = models.CharField("ZIP code", max_length=10, blank=True, validators=[zip_code])
    neighborhood = models.CharField(max_length=80, help_text=_("For example “Midtown/Hough”."))
    directions = models.TextField(
        blank=True, help_text=_("How to find the room once you reach the building.")
    )
    accessibility_notes = models.TextField(
        blank=True, help_text=_("Step-free access, elevators, restrooms, hearing loops…")
    )
    transit_notes = models.TextField(
        _("getting there"),
        blank=True,
        help_text=_("RTA bus lines, the nearest HealthLine stop, bike racks."),
    )
    parking_notes = models.TextField(blank=True, help_text=_("Where to park and what it costs."))
    capacity = models.PositiveIntegerField(
        _("in-person capacity"), help_text=_("How many people the room seats.")
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_("Archived venues stay on past sessions but can't be chosen for new ones."),
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

    @property
    def full_address(self) -> str:
        """ "5000 Euclid Avenue, Cleveland, OH 44103": one line, as a map or a letter takes it."""
        region = " ".join(part for part in (self.state, self.postal_code) if part)
        return ", ".join(part for part in (self.address, self.city, region) if part)

    @property
    def map_url(self) -> str:
        """The address searched on OpenStreetMap: a plain link, no script and no tracking."""
        return f"{OPENSTREETMAP_SEARCH}?{urlencode({'query': self.full_address})}"

    def get_absolute_url(self) -> str:
        return reverse("sessions:venue-edit", kwargs={"slug": self.slug})
