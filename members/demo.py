"""Demo accounts, used by the seed_demo command."""

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.db import transaction

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_ORGANIZER_PASSWORD = "organize-cleveland"  # noqa: S105 - published demo login


@transaction.atomic
def seed_organizer() -> User:
    """An organizer who can log in at once: verified email, Organizers group."""
    user = User.objects.filter(email=DEMO_ORGANIZER_EMAIL).first()
    if user is None:
        user = User.objects.create_user(
            email=DEMO_ORGANIZER_EMAIL,
            password=DEMO_ORGANIZER_PASSWORD,
            display_name="Demo Organizer",
        )
    EmailAddress.objects.get_or_create(
        user=user,
        email=DEMO_ORGANIZER_EMAIL,
        defaults={"verified": True, "primary": True},
    )
    user.groups.add(Group.objects.get(name=ORGANIZERS_GROUP))
    return user
