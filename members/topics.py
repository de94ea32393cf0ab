"""Members' part of the one topic vocabulary (practice_library.selectors.topic_vocabulary):
the topics listed members give are public uses of their tags, so every tag field (the post
form's, "Ask the CoP"'s, the profile form's) suggests them, and a typed name reuses the
spelling most used. Registered at start-up by MembersConfig.ready(); the library may not
name members' models itself.
"""

from django.db.models import F
from django.db.models.expressions import Combinable
from django.db.models.functions import Coalesce

from practice_library.selectors import counts_as_public_use_of_tags


@counts_as_public_use_of_tags
def listed_members_topics() -> Combinable:
    """Listed members' expertise and interests per tag, read from the stored counts
    (members.models.TopicCount, kept by members/services/counts.py): a join, not a
    count over every profile's topics per request."""
    return Coalesce(F("member_counts__expert_count"), 0) + Coalesce(
        F("member_counts__interest_count"), 0
    )
