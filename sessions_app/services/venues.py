from typing import Any

from django.db import transaction

from cop_portal.lib.slugs import unique_slug
from sessions_app.models import Venue


@transaction.atomic
def venue_create(*, fields: dict[str, Any]) -> Venue:
    """Create a venue with a URL slug made from its name.

    Side effects: none besides the new row.
    """
    venue = Venue(**fields)
    venue.slug = unique_slug(Venue, venue.name, fallback="venue", max_length=120)
    venue.full_clean()
    venue.save()
    return venue
