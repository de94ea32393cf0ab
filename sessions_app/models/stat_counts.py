"""Stored attendance counts per session, so that the statistics read one short row per
session instead of counting every RSVP and walk-in of a range on each request."""

from django.db import models

from sessions_app.models.session import Session


class SessionCounts(models.Model):
    """What Headcount needs for one session, kept true by the services that write its
    RSVPs, check-ins and walk-ins (sessions_app.services.counts.session_counts_refresh,
    in the same transaction); counts_recount() recomputes every row. A session with no
    row has nobody counted yet (all zeros)."""

    session = models.OneToOneField(
        Session, on_delete=models.CASCADE, primary_key=True, related_name="counts"
    )
    going_in_person = models.PositiveIntegerField(default=0)
    going_online = models.PositiveIntegerField(default=0)
    waitlisted = models.PositiveIntegerField(default=0)
    checked_in_in_person = models.PositiveIntegerField(default=0)  # active RSVPs only
    checked_in_online = models.PositiveIntegerField(default=0)
    walk_ins = models.PositiveIntegerField(default=0)  # heads, QR walk-ins included
    qr_walk_ins = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name_plural = "session counts"

    def __str__(self) -> str:
        return f"Counts of {self.session_id}"


class MonthPeople(models.Model):
    """The different people who came in one local month that is over (Headcount's rule,
    published sessions), so that a range's people, new and returning, are unions of a few
    short rows instead of a scan of every RSVP: members as a bitmap of user ids (bit n
    set for user n), guests as their lower-case addresses, one a line, sorted. With them,
    the month's sessions added up by slot and attendance mode (stats.MonthSessions), so
    that the statistics read a row per month, not one per session.

    Kept true by the services that write RSVPs, check-ins and sessions' times or status
    (sessions_app.services.counts, in the same transaction); counts_recount() recomputes
    every month and stores the months just over. A month without a row (this one, or one
    not stored yet) is read live from the RSVPs, and a row without its sessions (null)
    live from its sessions."""

    month = models.DateField(primary_key=True, help_text="The first day of the local month.")
    members = models.BinaryField(default=b"")
    guests = models.TextField(default="", blank=True)
    sessions = models.JSONField(
        null=True,
        blank=True,
        help_text="Its sessions added up by slot and mode, and the estimated ones' ids.",
    )

    def __str__(self) -> str:
        return f"People of {self.month:%Y-%m}"
