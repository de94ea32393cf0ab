"""A new member's first choice on the welcome page (members/views/account.py)."""

from members.models import Profile, User
from members.services.profile import profile_for


def profile_listing_set(*, user: User, listed: bool) -> Profile:
    """List the member in the directory, or not.

    Side effects: may create the member's profile; updates its `listed`.
    """
    profile = profile_for(user)
    if profile.listed != listed:
        profile.listed = listed
        profile.save(update_fields=["listed", "updated"])
    return profile
