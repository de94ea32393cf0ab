from typing import Any

from django.db import transaction
from django.db.models import F
from django.utils import timezone

from cop_portal.lib.content_version import content_changed
from cop_portal.lib.slugs import unique_slug
from sessions_app.models import Session, SessionStatus, Venue
from sessions_app.services.rsvps import session_places_changed

# The notes a venue has in each language (sessions_app/translation.py). In `fields`, a
# bare name ("directions") is the English text and "directions_es" the Spanish one,
# whatever language is active: set by its bare name, a note would go to the active
# language's column, so an edit on a Spanish page would write the English over the Spanish.
TRANSLATED_NOTES = ("transit_notes", "parking_notes", "directions", "accessibility_notes")


def _columns(fields: dict[str, Any]) -> dict[str, Any]:
    """The fields keyed by Venue column: each note's bare name becomes its English column."""
    return {
        f"{name}_en" if name in TRANSLATED_NOTES else name: value for name, value in fields.items()
    }


@transaction.atomic
def venue_create(*, fields: dict[str, Any]) -> Venue:
    """Create a venue with a URL slug made from its name (`fields` as for venue_update).

    Side effects: none besides the new row.
    """
    venue = Venue(**_columns(fields))
    venue.slug = unique_slug(Venue, venue.name, fallback="venue", max_length=120)
    venue.full_clean()
    venue.save()
    return venue


# A change to these changes the LOCATION of the venue's events in people's calendars.
LOCATION_FIELDS = ("name", "address", "city", "state", "postal_code")


@transaction.atomic
def venue_update(*, venue: Venue, fields: dict[str, Any]) -> Venue:
    """Save an organizer's edit of a venue (`fields` keyed by Venue field; a note's bare
    name is its English text, TRANSLATED_NOTES).

    Side effects: when the name or any part of the address changed, every upcoming session there
    gets a higher `sequence` (and a new `updated`), so subscribed calendars take the
    new LOCATION; when the capacity changed, upcoming sessions that use the venue's
    capacity offer any new seats to their waitlists (promotion emails after the commit).
    """
    before = Venue.objects.select_for_update().get(pk=venue.pk)
    for name, value in _columns(fields).items():
        setattr(venue, name, value)
    venue.full_clean()
    venue.save()
    upcoming = Session.objects.filter(venue=venue).upcoming(timezone.now())
    if any(getattr(before, name) != getattr(venue, name) for name in LOCATION_FIELDS):
        upcoming.update(sequence=F("sequence") + 1, updated=timezone.now())
        content_changed()  # update() sends no signal
    if before.capacity != venue.capacity:
        for session in upcoming.filter(capacity__isnull=True, status=SessionStatus.PUBLISHED):
            session_places_changed(session=session)
    return venue
