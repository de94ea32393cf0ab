from typing import Any

from django.core.management.base import BaseCommand

from cop_portal.mail.tasks import prune


class Command(BaseCommand):
    help = (
        "Delete sent and skipped emails older than MAIL_KEEP_DAYS and finished tasks older "
        "than TASKS_KEEP_DAYS. The worker does this once a day by itself."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        counts = prune()
        self.stdout.write(
            f"Deleted {counts['emails']} emails, {counts['dispatches']} fan-outs and "
            f"{counts['tasks']} task results."
        )
