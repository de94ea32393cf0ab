import logging
from argparse import ArgumentParser
from datetime import datetime, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db.models import F, Q
from django.utils import timezone

from cop_portal.lib import email_prefs
from cop_portal.lib.email_prefs import filter_wanting
from sessions_app.ical import rsvp_email
from sessions_app.models import Rsvp, RsvpStatus, SessionStatus
from sessions_app.notifications import (
    PREFERENCE,
    RSVP_ADDRESS,
    EmailKind,
    rsvps_for_email,
    send_rsvp_email,
)

logger = logging.getLogger(__name__)

MIN_HOURS = 1
MAX_HOURS = 72


def _due(stale_before: Any) -> Q:
    """Not reminded yet, or reminded so long before the start that the reminder was for
    an earlier date (the session has moved since): no reminder can be older than
    MAX_HOURS before the start it was for."""
    return Q(reminded_at__isnull=True) | Q(reminded_at__lt=stale_before)


def _claim(rsvp: Rsvp, now: datetime) -> bool:
    """Mark the RSVP as reminded before sending. The conditional UPDATE lets exactly one
    of two overlapping runs win the row, so nobody gets the reminder twice."""
    stale_before = rsvp.session.starts_at - timedelta(hours=MAX_HOURS)
    claimed = Rsvp.objects.filter(_due(stale_before), pk=rsvp.pk, status=RsvpStatus.GOING)
    return claimed.update(reminded_at=now) == 1


def _release(rsvp: Rsvp, now: datetime) -> None:
    """Give the row back so a later run tries again."""
    Rsvp.objects.filter(pk=rsvp.pk, reminded_at=now).update(reminded_at=None)


def _send_all(rsvps: list[Rsvp], now: datetime) -> tuple[int, int]:
    """Claim and send each reminder. Returns how many were sent and how many failed."""
    sent = failed = 0
    for rsvp in rsvps:
        if not _claim(rsvp, now):
            continue  # another run has it
        try:
            delivered = send_rsvp_email(EmailKind.REMINDER, rsvp)
        except Exception:
            logger.exception("Could not send the reminder for RSVP %s.", rsvp.pk)
            _release(rsvp, now)
            failed += 1
            continue
        if delivered:
            sent += 1
        else:
            _release(rsvp, now)
    return sent, failed


class Command(BaseCommand):
    help = (
        "Email a reminder to everyone going to a session that starts within the next "
        "N hours (default 24). Each person gets one reminder per session: safe to run "
        "every hour from cron, and two runs at once never send twice. A failed email "
        "is tried again on the next run. People who turned reminders off are skipped."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help=f"Remind about sessions starting within this many hours, "
            f"{MIN_HOURS} to {MAX_HOURS} (default 24).",
        )

    def handle(self, *args: Any, hours: int = 24, **options: Any) -> None:
        if not MIN_HOURS <= hours <= MAX_HOURS:
            raise CommandError(
                f"--hours must be between {MIN_HOURS} and {MAX_HOURS}; you gave {hours}."
            )
        now = timezone.now()
        rsvps = (
            rsvps_for_email()
            .going()
            .filter(
                session__status=SessionStatus.PUBLISHED,
                session__starts_at__gt=now,
                session__starts_at__lte=now + timedelta(hours=hours),
            )
            .filter(_due(F("session__starts_at") - timedelta(hours=MAX_HOURS)))
            .order_by("session__starts_at", "pk")
        )
        # People who switched reminders off are left out before the claim, so their
        # rows stay unclaimed: switching back on before the session still reminds them.
        rsvps = list(filter_wanting(rsvps, PREFERENCE, address=RSVP_ADDRESS))
        # Every unsubscribe link's key in two queries, not two per reminder.
        with email_prefs.unsubscribe_keys_for(rsvp_email(rsvp) for rsvp in rsvps):
            sent, failed = _send_all(rsvps, now)
        self.stdout.write(f"Sent {sent} reminder{'' if sent == 1 else 's'}.")
        if failed:
            self.stderr.write(
                f"{failed} reminder{' was' if failed == 1 else 's were'} not sent; "
                "the next run tries again."
            )
