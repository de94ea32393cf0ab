from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cop_portal.mail import selectors


class Command(BaseCommand):
    help = (
        "Show outgoing mail: emails sent, waiting, failed and not needed; the failed ones "
        "with their last error; the latest fan-outs; the task queue by status."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--failed", type=int, default=20, help="How many failed emails to list (20)."
        )

    def handle(self, *args: Any, failed: int = 20, **options: Any) -> None:
        delivery = selectors.delivery_overall()
        self.stdout.write(
            f"Emails: {delivery.sent} sent, {delivery.waiting} waiting, "
            f"{delivery.failed} failed, {delivery.skipped} not needed."
        )
        tasks = selectors.task_counts()
        counts = ", ".join(f"{n} {status}" for status, n in tasks["counts"].items()) or "none"
        self.stdout.write(f"Tasks ({tasks['backend']}): {counts}.")
        for fanout in selectors.recent_fanouts(5):
            self.stdout.write(
                f"  {fanout.created_at:%Y-%m-%d %H:%M} {fanout.label}: {fanout.planned} people, "
                f"{fanout.sent} sent, {fanout.waiting} waiting, {fanout.failed} failed"
            )
        rows = selectors.failed_emails(max(failed, 0))
        if rows:
            self.stdout.write("Failed (manage.py mail_retry tries them again):")
        for row in rows:
            self.stdout.write(
                f"  #{row.pk} {row.get_kind_display()} to {row.to}, {row.attempts} tries: "
                f"{row.last_error}"
            )
