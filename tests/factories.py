"""Plain functions that create test rows. Each returns one saved object."""

import itertools
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User
from sessions_app.models import Venue

PASSWORD = "a-long-test-passphrase-42"
_counter = itertools.count(1)


def make_user(*, email: str | None = None, verified: bool = True, **fields: Any) -> User:
    """A member who can log in with PASSWORD; their email is verified unless told not to."""
    n = next(_counter)
    email = email or f"member{n}@example.com"
    fields.setdefault("display_name", f"Member {n}")
    user = User.objects.create_user(email=email, password=PASSWORD, **fields)
    EmailAddress.objects.create(user=user, email=email, primary=True, verified=verified)
    return user


def make_organizer(**fields: Any) -> User:
    user = make_user(**fields)
    user.groups.add(Group.objects.get(name=ORGANIZERS_GROUP))
    return user


def make_venue(**fields: Any) -> Venue:
    n = next(_counter)
    defaults: dict[str, Any] = {
        "name": f"Venue {n}",
        "slug": f"venue-{n}",
        "address": f"{n} Euclid Avenue, Cleveland, OH",
        "neighborhood": "Midtown/Hough",
        "capacity": 20,
    }
    defaults.update(fields)
    return Venue.objects.create(**defaults)
