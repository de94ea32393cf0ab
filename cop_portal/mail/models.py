from django.db import models


class SendCounter(models.Model):
    """How many times something was counted in the current window of one limit.

    Only used when the cache is not Redis (which counts with INCR instead). A window
    starts with its first hit and lasts the limit's period; a row whose window has
    ended starts a new one on its next hit, and ended rows are deleted whenever a new
    row is made, so the table holds about one row per key counted in the last period.
    """

    key = models.CharField(max_length=200, unique=True)
    count = models.PositiveIntegerField(default=0)
    expires_at = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count} until {self.expires_at:%Y-%m-%d %H:%M:%S}"
