from django.db import models


class NeighborhoodCount(models.Model):
    """How many listed members of active accounts give a neighborhood, one row per
    spelling folded for case (`key`, "" for members who give none), under the spelling
    the directory shows: stored, because the directory's neighborhood filter and its
    member count read every listed profile (90 ms at 50,000 members).

    Kept true by the services that change what they count (members/services/counts.py);
    a neighborhood nobody listed gives has no row.
    """

    key = models.CharField(max_length=320, primary_key=True)
    name = models.CharField(max_length=80)
    member_count = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.name or '(none)'}: {self.member_count} listed"
