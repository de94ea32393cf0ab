"""Demo data for sessions_app, used by the seed_demo command."""

from sessions_app.models import Venue

MIDTOWN_HOUGH_OFFICE = {
    "slug": "midtown-hough-office",
    "name": "Midtown/Hough office",
    "address": "Euclid Avenue, Cleveland, OH 44103",
    "neighborhood": "Midtown/Hough",
    "directions": (
        "Enter from the parking lot side; the meeting room is the first door on the left, "
        "and a sign on the front door points the way on session days."
    ),
    "accessibility_notes": (
        "Step-free entrance and an accessible restroom on the same floor. "
        "The room has a hearing loop; ask at the door for a loop receiver."
    ),
    "parking_notes": (
        "Free parking in the lot behind the building. Bus lines along Euclid Avenue "
        "stop a short walk away; there is a bike rack by the door."
    ),
    "capacity": 24,
    "is_active": True,
}

AGORA_BUILDING = {
    "slug": "agora-building",
    "name": "Agora building",
    "address": "5000 Euclid Avenue, Cleveland, OH 44103",
    "neighborhood": "Midtown",
    "directions": "Where the CoP first met face to face. Kept for the history of past sessions.",
    "accessibility_notes": "",
    "parking_notes": "",
    "capacity": 30,
    "is_active": False,
}


def seed_venues() -> list[Venue]:
    """Create the two demo venues unless they exist; never overwrite edits."""
    venues = []
    for data in (MIDTOWN_HOUGH_OFFICE, AGORA_BUILDING):
        fields = dict(data)
        slug = fields.pop("slug")
        venue, _ = Venue.objects.get_or_create(slug=slug, defaults=fields)
        venues.append(venue)
    return venues
