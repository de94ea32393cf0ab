"""Giving and taking away the organizer role.

The role is membership of the Organizers group (see cop_portal.lib.roles). These
functions send no emails.
"""

from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from cop_portal.lib.roles import ORGANIZERS_GROUP
from members.models import User

NOT_YOURSELF = _(
    "You can't remove your own organizer role. Ask another organizer to do it, so the "
    "CoP is never left without one by accident."
)
LAST_ORGANIZER = _("%(name)s is the only organizer left. Make someone else an organizer first.")
LAST_ORGANIZER_LEAVING = _(
    "You're the only organizer left, so you can't delete your account yet. Make someone "
    "else an organizer first, so the CoP is never left without one."
)
INACTIVE = _("%(name)s's account is deactivated, so they can't organize. Reactivate it first.")


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
            raise ValidationError(INACTIVE, params={"name": user})
        members.add(user)
        return True
    if user.pk == by.pk:
        raise ValidationError(NOT_YOURSELF)
    if _is_last_organizer(group, user):
        raise ValidationError(LAST_ORGANIZER, params={"name": user})
    members.remove(user)
    return True


@transaction.atomic
def organizer_check_leaving(*, user: User) -> None:
    """Raise ValidationError (LAST_ORGANIZER_LEAVING) when `user` is the only active
    organizer, so their account can't be deleted: the same rule as taking the role away.

    Call it inside the transaction that deletes the account: it locks the Organizers
    group row until that transaction ends, so two last organizers leaving (or one
    leaving while another's role is taken away) take turns and can't both pass.

    Side effects: none beyond the lock.
    """
    group = Group.objects.select_for_update().filter(name=ORGANIZERS_GROUP).first()
    if group is not None and _is_last_organizer(group, user):
        raise ValidationError(LAST_ORGANIZER_LEAVING)


def _is_last_organizer(group: Group, user: User) -> bool:
    """True when `user` is an active member of `group` and no other active member is."""
    members = group.user_set
    if not user.is_active or not members.filter(pk=user.pk).exists():
        return False
    return not members.filter(is_active=True).exclude(pk=user.pk).exists()
