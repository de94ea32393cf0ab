from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from cop_portal.mail.services import emails_retry


class Command(BaseCommand):
    help = (
        "Try failed emails again, with a new day of attempts: the ones whose numbers are "
        "given (as mail_status lists them), or every failed email."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("ids", nargs="*", type=int, help="Email numbers; none for all.")

    def handle(self, *args: Any, ids: list[int], **options: Any) -> None:
        count = emails_retry(ids=ids or None)
        self.stdout.write(f"{count} failed email{'' if count == 1 else 's'} queued again.")
