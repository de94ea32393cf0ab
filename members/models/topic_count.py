from django.db import models

from practice_library.models import Tag


class TopicCount(models.Model):
    """How many listed members of active accounts give a tag as their expertise, and as
    something they want to learn: stored, because counting them scanned every member's
    topics ("who knows what" and the tag fields' suggestions, 0.3 to 2 s at 50,000 members).

    Kept true by the services that change what they count (members/services/counts.py);
    a tag nobody lists has no row.
    """

    tag = models.OneToOneField(
        Tag, on_delete=models.CASCADE, primary_key=True, related_name="member_counts"
    )
    expert_count = models.PositiveIntegerField(default=0)
    interest_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.tag_id}: {self.expert_count} experts, {self.interest_count} interested"
