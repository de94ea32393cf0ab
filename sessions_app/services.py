from typing import Any

from django.db import transaction
from django.utils.text import slugify

from sessions_app.models import Venue


def _unique_venue_slug(name: str) -> str:
    base = slugify(name)[:100] or "venue"
    taken = set(Venue.objects.filter(slug__startswith=base).values_list("slug", flat=True))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


@transaction.atomic
def venue_create(*, fields: dict[str, Any]) -> Venue:
    """Create a venue with a URL slug made from its name.

    Side effects: none besides the new row.
    """
    venue = Venue(**fields)
    venue.slug = _unique_venue_slug(venue.name)
    venue.full_clean()
    venue.save()
    return venue
