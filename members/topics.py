"""Members' part of the one topic vocabulary (practice_library.selectors.topic_vocabulary):
the topics listed members give are public uses of their tags, so every tag field (the post
form's, "Ask the CoP"'s, the profile form's) suggests them, and a typed name reuses the
spelling most used. Registered at start-up by MembersConfig.ready(); the library may not
name members' models itself.
"""

from django.db.models import QuerySet

from members.models import Profile
from practice_library.selectors import counts_as_public_use_of_tags

_LISTED = {"profile__listed": True, "profile__user__is_active": True}


@counts_as_public_use_of_tags
def listed_members_expertise() -> QuerySet:
    return Profile.expertise.through.objects.filter(**_LISTED)


@counts_as_public_use_of_tags
def listed_members_interests() -> QuerySet:
    return Profile.interests.through.objects.filter(**_LISTED)
