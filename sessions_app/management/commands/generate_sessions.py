import contextlib
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.db.models import Exists, OuterRef

from sessions_app.models import RotationSlot, Series
from sessions_app.services.series import publish_horizon, series_publish

MIN_MONTHS = 1
MAX_MONTHS = 36


class _DryRun(Exception):
    """Raised inside the transaction so a dry run rolls back everything it wrote."""


class Command(BaseCommand):
    help = (
        "Publish the next N months of sessions for every active series with a rotation. "
        "Safe to run from cron: dates that already have a session are not created again, "
        "and sessions an organizer edited or cancelled are left as they are."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--months",
            type=int,
            default=3,
            help=f"How far ahead to publish, {MIN_MONTHS} to {MAX_MONTHS} months (default 3).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Show what would change without saving anything.",
        )

    def handle(self, *args: Any, months: int = 3, dry_run: bool = False, **options: Any) -> None:
        if not MIN_MONTHS <= months <= MAX_MONTHS:
            raise CommandError(
                f"--months must be between {MIN_MONTHS} and {MAX_MONTHS}; you gave {months}."
            )
        until = publish_horizon(months)
        series_list = list(
            Series.objects.filter(is_active=True)
            .filter(Exists(RotationSlot.objects.filter(series=OuterRef("pk"))))
            .order_by("title", "pk")
        )
        if not series_list:
            self.stdout.write("No active series with a rotation; nothing to publish.")
            return
        if dry_run:
            self.stdout.write(f"Dry run, nothing is saved. Sessions up to {until:%Y-%m-%d}:")
        else:
            self.stdout.write(f"Publishing sessions up to {until:%Y-%m-%d}:")
        for series in series_list:
            with contextlib.suppress(_DryRun), transaction.atomic():
                result = series_publish(series=series, until=until)
                if dry_run:
                    raise _DryRun
            self.stdout.write(
                f"{series.title}: {len(result.created)} created, "
                f"{len(result.updated)} updated, {result.left_alone} left as edited"
            )
