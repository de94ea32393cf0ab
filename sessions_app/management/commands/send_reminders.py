from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from cop_portal.mail import delivery
from sessions_app.notifications import REMINDER_MAX_HOURS, queue_reminders

MIN_HOURS = 1


class Command(BaseCommand):
    help = (
        "Queue a reminder for everyone going to a session that starts within the next "
        "N hours (default 24), then send what is due. The worker does this every minute "
        "by itself; this command is for sites that prefer cron. Each person gets one "
        "reminder per session date, however often it runs; people who turned reminders "
        "off are skipped; a reminder the mail server refuses is tried again later."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--hours",
            type=int,
            default=24,
            help=f"Remind about sessions starting within this many hours, "
            f"{MIN_HOURS} to {REMINDER_MAX_HOURS} (default 24).",
        )

    def handle(self, *args: Any, hours: int = 24, **options: Any) -> None:
        if not MIN_HOURS <= hours <= REMINDER_MAX_HOURS:
            raise CommandError(
                f"--hours must be between {MIN_HOURS} and {REMINDER_MAX_HOURS}; you gave {hours}."
            )
        queued = queue_reminders(hours)
        outcome = delivery.deliver_due()
        self.stdout.write(
            f"Queued {queued} reminder{'' if queued == 1 else 's'}; "
            f"sent {outcome.sent} email{'' if outcome.sent == 1 else 's'}."
        )
        if outcome.retrying or outcome.failed:
            self.stderr.write(
                f"{outcome.retrying + outcome.failed} email(s) were not sent yet; "
                "they are tried again later (manage.py mail_status lists them)."
            )
