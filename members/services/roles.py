"""Giving and taking away the organizer role.

The role is membership of the Organizers group (see cop_portal.lib.roles). These
functions send no emails.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User

NOT_YOURSELF = (
    "You can't remove your own organizer role. Ask another organizer to do it, so the "
    "CoP is never left without one by accident."
)
LAST_ORGANIZER = "{name} is the only organizer left. Make someone else an organizer first."
INACTIVE = "{name}'s account is deactivated, so they can't organize. Reactivate it first."


@transaction.atomic
def organizer_set(*, user: User, by: User, value: bool) -> bool:
    """Make `user` an organizer (value=True) or take the role away (value=False).

    Returns True when something changed; asking for the state the user is already in
    changes nothing, so a double-clicked button is harmless.

    Raises ValidationError, changing nothing, when `by` tries to remove their own role,
    when removing would leave no active organizer, or when making a deactivated account
    an organizer.

    Side effects: adds or removes the Organizers group on `user`.
    """
    # Locking the group row makes concurrent changes take turns, so two organizers
    # removing each other at the same moment can't both pass the last-organizer check.
    group = Group.objects.select_for_update().get(name=ORGANIZERS_GROUP)
    members = group.user_set
    is_member = members.filter(pk=user.pk).exists()
    if value == is_member:
        return False
    if value:
        if not user.is_active:
            raise ValidationError(INACTIVE.format(name=user))
        members.add(user)
        return True
    if user.pk == by.pk:
        raise ValidationError(NOT_YOURSELF)
    if user.is_active and not members.filter(is_active=True).exclude(pk=user.pk).exists():
        raise ValidationError(LAST_ORGANIZER.format(name=user))
    members.remove(user)
    return True
